/*
 * Backend end of the PV console ring (what xenconsoled does): drains what
 * the guest wrote to `out`, writes input into `in`, counts the guest's
 * notifications. The ring page is allocated by sim_console_init, as the
 * toolstack would.
 */
#ifndef XB_SIM_CONSOLE_H
#define XB_SIM_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

#include "xen_abi.h"

/* Allocate a zeroed ring page (freed by sim_fini). Call after sim_init. */
void sim_console_init(void);
struct xencons_interface *sim_console_ring(void);
uint64_t sim_console_pfn(void);

/* The guest's notify function (what an EVTCHNOP_send on the console port
 * does): counts, and drains the output ring when auto-drain is on. */
void sim_console_notify(void *ctx);
unsigned long sim_console_kicks(void);
void sim_console_set_auto_drain(bool on);

/* Consume the output ring as the backend; returns bytes taken, or
 * (size_t)-1 if the guest's indices are impossible (the backend then
 * takes nothing, as xenconsoled would). */
size_t sim_console_drain(void);
/* Everything drained so far (NUL-terminated; the last 64 KiB). */
const char *sim_console_output(void);
void sim_console_output_clear(void);

/* Write input into the `in` ring as far as it fits; returns bytes queued. */
size_t sim_console_send(const void *data, size_t len);

#endif /* XB_SIM_CONSOLE_H */
