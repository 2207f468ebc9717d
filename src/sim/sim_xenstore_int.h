/* Internal to the xenstored model: the tree (sim_xenstore_tree.c) and the
 * daemon over the ring (sim_xenstore.c). */
#ifndef XB_SIM_XENSTORE_INT_H
#define XB_SIM_XENSTORE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "sim_xenstore.h"

struct xs_perm {
	unsigned domid;
	char mask;			/* 'n', 'r', 'w', 'b' */
};

struct xs_node {
	char *name;
	char *value;
	uint32_t vlen;
	struct xs_perm *perms;
	unsigned nperms;
	uint64_t gen;
	struct xs_node *children;
	struct xs_node *next;
};

/* A path touched inside a transaction, with the generation it had then. */
struct xs_access {
	char *path;
	uint64_t gen;			/* 0: absent */
	bool modified;
	struct xs_access *next;
};

struct xs_tx {
	uint32_t id;
	struct xs_node *root;		/* private copy of the tree */
	struct xs_access *accesses;
	struct xs_tx *next;
};

struct xs_watch {
	char *path;			/* absolute */
	char *reported;			/* as the guest gave it */
	char *token;
	struct xs_watch *next;
};

/* Result of an operation: 0 or a positive Xen errno / XS_EQUOTA. */
#define XS_EQUOTA 1000

struct xs_tree {
	struct xs_node *root;
	uint64_t next_gen;
	struct xs_tx *txs;
	uint32_t next_tx;
	struct xs_watch *watches;
	struct sim_xenstore_quota quota;
	char home[64];
	unsigned domid;
	/* Called for each watch that fires (path to report, token). */
	void (*fire)(const char *path, const char *token);
};

void xs_tree_init(struct xs_tree *t, unsigned domid);
void xs_tree_fini(struct xs_tree *t);

/* Absolute, validated form of path (relative ones under home). NULL if the
 * path is invalid. free() the result. */
char *xs_canon(struct xs_tree *t, const char *path);

/* Operations as domain `domid` (0 is privileged) inside transaction tx
 * (NULL: none) on an absolute path. */
int xs_read(struct xs_tree *t, unsigned domid, struct xs_tx *tx, const char *path,
	    char **value, uint32_t *len);
int xs_write(struct xs_tree *t, unsigned domid, struct xs_tx *tx, const char *path,
	     const char *value, uint32_t len);
int xs_mkdir(struct xs_tree *t, unsigned domid, struct xs_tx *tx, const char *path);
int xs_rm(struct xs_tree *t, unsigned domid, struct xs_tx *tx, const char *path);
/* NUL-separated children names; malloc'ed. */
int xs_directory(struct xs_tree *t, unsigned domid, struct xs_tx *tx, const char *path,
		 char **list, uint32_t *len);
/* Wire form "<l><domid>\0..." */
int xs_get_perms(struct xs_tree *t, unsigned domid, struct xs_tx *tx, const char *path,
		 char **list, uint32_t *len);
int xs_set_perms(struct xs_tree *t, unsigned domid, struct xs_tx *tx, const char *path,
		 const char *wire, uint32_t len);

int xs_tx_start(struct xs_tree *t, uint32_t *id);
struct xs_tx *xs_tx_find(struct xs_tree *t, uint32_t id);
/* Commit (fires watches) or abort; the transaction is gone either way. */
int xs_tx_end(struct xs_tree *t, struct xs_tx *tx, bool commit);
unsigned xs_tx_count(struct xs_tree *t);

int xs_watch(struct xs_tree *t, const char *reported, const char *token);
int xs_unwatch(struct xs_tree *t, const char *reported, const char *token);
void xs_reset_watches(struct xs_tree *t);
void xs_reset_transactions(struct xs_tree *t);
unsigned xs_watch_count(struct xs_tree *t);

#endif /* XB_SIM_XENSTORE_INT_H */
