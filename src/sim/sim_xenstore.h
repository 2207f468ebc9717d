/*
 * A xenstored model for host tests, reached through the same shared ring
 * page (io/xs_wire.h) as the real daemon: a tree with per-domain
 * permissions, transactions that conflict (EAGAIN), watches (with the initial
 * firing on registration), XS_RESET_WATCHES, quotas (EQUOTA), and hostile
 * behaviour on demand. The guest is sim_config()->domid; its home is
 * /local/domain/<domid>. The model answers from sim_poll.
 */
#ifndef XB_SIM_XENSTORE_H
#define XB_SIM_XENSTORE_H

#include <stdbool.h>
#include <stdint.h>

#include "sim.h"

/* Fresh daemon and ring page (call after sim_init; sim_fini frees both).
 * The tree holds /local/domain/<domid> owned by the guest and /tool owned
 * by dom0. */
struct xenstore_domain_interface *sim_xenstore_init(void);
/* The event channel towards the guest: called whenever the model put
 * something on the ring or took requests off it. */
void sim_xenstore_set_notify(void (*fn)(void *ctx), void *ctx);
/* The guest's kick (a store notify function); counts, the work is done in
 * sim_poll. */
void sim_xenstore_kick(void *ctx);
unsigned long sim_xenstore_kicks(void);
/* Requests answered so far. */
unsigned long sim_xenstore_requests(void);

/* Stop (true) or resume answering. */
void sim_xenstore_pause(bool paused);
/* Process the ring now (what sim_poll does). */
void sim_xenstore_poll(void);

/* Privileged (dom0) access to the tree, for tests. Return 0 or a positive
 * Xen errno. Writes create missing parents and fire watches. */
int sim_xenstore_write(const char *path, const char *value);
int sim_xenstore_rm(const char *path);
/* perms: wire form joined by spaces, e.g. "n0 r1" (owner first). */
int sim_xenstore_set_perms(const char *path, const char *perms);
/* A copy of the value (free with free()), NULL if absent. */
char *sim_xenstore_read(const char *path);
bool sim_xenstore_exists(const char *path);

/* Per-domain limits for the guest (0: unlimited); EQUOTA when exceeded. */
struct sim_xenstore_quota {
	unsigned nodes;		/* nodes the guest owns */
	unsigned watches;
	unsigned transactions;
	unsigned value_size;
};
void sim_xenstore_set_quota(const struct sim_xenstore_quota *quota);
unsigned sim_xenstore_watches(void);
unsigned sim_xenstore_transactions(void);

/* Answer the next request of `type` (XS_INVALID: any) with XS_ERROR
 * `name` instead of doing it. */
void sim_xenstore_fail_next(uint32_t type, const char *name);

/* Misbehaviour, applied to the next reply the model sends. */
enum sim_xenstore_hostile {
	SIM_XS_HONEST,
	SIM_XS_BAD_RSP_PROD,	/* rsp_prod runs more than a ring ahead */
	SIM_XS_BAD_REQ_CONS,	/* req_cons moves past req_prod */
	SIM_XS_OVERSIZED,	/* header len > XENSTORE_PAYLOAD_MAX */
	SIM_XS_UNKNOWN_REQ_ID,	/* a stray reply first, then the real one */
	SIM_XS_WRONG_TYPE,	/* the reply carries another type */
	SIM_XS_TRUNCATED,	/* half the reply, then silence */
	SIM_XS_TRUNCATED_HDR,	/* half a header, then silence */
	SIM_XS_WATCH_FLOOD,	/* arg events for every guest watch first */
	SIM_XS_BAD_WATCH_EVENTS,/* malformed and unknown-token events first */
	SIM_XS_BAD_ERROR,	/* XS_ERROR with an unknown name / no NUL */
};
void sim_xenstore_hostile(enum sim_xenstore_hostile mode, unsigned arg);

/* Put raw bytes on the response ring (after anything already queued), even
 * while paused: what a buggy or malicious daemon might send. */
void sim_xenstore_inject(const void *data, uint32_t len);

/* Save/restore: a new ring page (returned) replaces the old one. With
 * new_daemon the daemon forgets the guest's watches and transactions (a
 * migration); the tree is kept. Bytes in flight on the old page are lost. */
struct xenstore_domain_interface *sim_xenstore_move(bool new_daemon);

#endif /* XB_SIM_XENSTORE_H */
