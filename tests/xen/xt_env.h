/*
 * The test kernel's wiring of the core's event channels and xenstore client
 * to the real hypervisor, as a driver would do it: the upcall vector
 * dispatches evtchn_upcall(0); the store's fixed port (HVM param) calls
 * store_event and the client kicks xenstored with evtchn_send. Thread
 * context; idempotent; the ABI is FIFO unless the command line says abi=2l.
 */
#ifndef XB_XT_ENV_H
#define XB_XT_ENV_H

#include "evtchn.h"
#include "store.h"
#include "store_watch.h"
#include "xt.h"

xen_status xt_evtchn_up(void);
/* The connected client, or NULL (the reason is printed). */
struct store *xt_store(void);

/* After evtchn_resume in a restored domain: bind the store's (new) port
 * and store_resume the client. */
xen_status xt_store_resume(void);

/* Balloon page callbacks (balloon_ops, platform_config) on the kernel's
 * page heap: alloc returns how many of count it got. */
size_t xt_pages_alloc(void *ctx, uint64_t *pfns, size_t count);
void xt_pages_free(void *ctx, const uint64_t *pfns, size_t count);

/* Wait for ev with a timeout in ms (deferred work runs meanwhile). */
bool xt_wait(os_event *ev, uint64_t ms);

#endif /* XB_XT_ENV_H */
