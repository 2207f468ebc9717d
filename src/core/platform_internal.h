/* Shared by platform*.c only. */
#ifndef XB_PLATFORM_INTERNAL_H
#define XB_PLATFORM_INTERNAL_H

#include "platform.h"

/* The toolstack's suspend requests (platform_shutdown.c): advertise
 * control/feature-suspend and watch control/shutdown; a request runs from
 * deferred work, never inside the watch callback (the store must be free
 * to re-register that very watch during the resume). Thread context. */
xen_status platform_shutdown_up(struct platform *p);
void platform_shutdown_down(struct platform *p);
/* Late resume: advertise again (upstream redoes its D0 work). */
xen_status platform_shutdown_resume(struct platform *p);

/* The balloon (platform_control.c): created when the config gives page
 * callbacks and XEN:BALLOON is on; advertised, driven by memory/target.
 * Down deflates it first (a balloon that cannot deflate is kept and
 * logged). Resume re-advertises and looks at the target again. */
xen_status platform_balloon_up(struct platform *p);
void platform_balloon_down(struct platform *p);
xen_status platform_balloon_resume(struct platform *p);

#endif /* XB_PLATFORM_INTERNAL_H */
