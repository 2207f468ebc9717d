/* The xenstored model's tree: nodes, permissions, transactions, watches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_xenstore_int.h"
#include "xen_abi.h"

/* ---- nodes ---- */

static struct xs_node *node_new(const char *name, const struct xs_perm *perms, unsigned nperms)
{
	struct xs_node *n = calloc(1, sizeof(*n));

	n->name = strdup(name);
	n->value = calloc(1, 1);
	n->perms = calloc(nperms, sizeof(*perms));
	memcpy(n->perms, perms, nperms * sizeof(*perms));
	n->nperms = nperms;
	return n;
}

static void node_free(struct xs_node *n)
{
	struct xs_node *c, *next;

	if (!n)
		return;
	for (c = n->children; c; c = next) {
		next = c->next;
		node_free(c);
	}
	free(n->name);
	free(n->value);
	free(n->perms);
	free(n);
}

static struct xs_node *node_clone(const struct xs_node *n)
{
	struct xs_node *c = node_new(n->name, n->perms, n->nperms), **tail = &c->children;
	const struct xs_node *k;

	free(c->value);
	c->value = malloc(n->vlen + 1);
	memcpy(c->value, n->value, n->vlen + 1);
	c->vlen = n->vlen;
	c->gen = n->gen;
	for (k = n->children; k; k = k->next) {
		*tail = node_clone(k);
		tail = &(*tail)->next;
	}
	return c;
}

static struct xs_node *child(struct xs_node *n, const char *name, size_t len)
{
	struct xs_node *c;

	for (c = n->children; c; c = c->next)
		if (strlen(c->name) == len && memcmp(c->name, name, len) == 0)
			return c;
	return NULL;
}

/* The node at absolute path, and optionally its parent. */
static struct xs_node *lookup(struct xs_node *root, const char *path, struct xs_node **parent)
{
	struct xs_node *n = root, *p = NULL;
	const char *s = path + 1, *e;

	while (n && *s) {
		e = strchr(s, '/');
		if (!e)
			e = s + strlen(s);
		p = n;
		n = child(n, s, (size_t)(e - s));
		s = *e ? e + 1 : e;
	}
	/* Only a direct parent counts. */
	if (parent)
		*parent = *s ? NULL : p;
	return n;
}

static unsigned count_owned(const struct xs_node *n, unsigned domid)
{
	const struct xs_node *c;
	unsigned count = n->perms[0].domid == domid;

	for (c = n->children; c; c = c->next)
		count += count_owned(c, domid);
	return count;
}

/* ---- permissions ---- */

static char perm_of(const struct xs_node *n, unsigned domid)
{
	unsigned i;

	if (domid == 0 || n->perms[0].domid == domid)
		return 'b';
	for (i = 1; i < n->nperms; i++)
		if (n->perms[i].domid == domid)
			return n->perms[i].mask;
	return n->perms[0].mask;
}

static bool can_read(const struct xs_node *n, unsigned domid)
{
	char m = perm_of(n, domid);

	return m == 'r' || m == 'b';
}

static bool can_write(const struct xs_node *n, unsigned domid)
{
	char m = perm_of(n, domid);

	return m == 'w' || m == 'b';
}

/* Parse "<l><domid>\0..." of len bytes; -1 when malformed. */
static int parse_perms(const char *wire, uint32_t len, struct xs_perm **out)
{
	struct xs_perm *perms = NULL;
	uint32_t i = 0;
	int n = 0;
	char *end;
	unsigned long v;

	while (i < len) {
		const char *s = wire + i;
		size_t sl = strnlen(s, len - i);

		if (sl == len - i || sl < 2 || !strchr("nrwb", s[0]))
			goto bad;
		v = strtoul(s + 1, &end, 10);
		if (end != s + sl || v > 0xffff || s[1] < '0' || s[1] > '9')
			goto bad;
		perms = realloc(perms, (size_t)(n + 1) * sizeof(*perms));
		perms[n].mask = s[0];
		perms[n].domid = (unsigned)v;
		n++;
		i += (uint32_t)sl + 1;
	}
	if (n == 0)
		goto bad;
	*out = perms;
	return n;
bad:
	free(perms);
	return -1;
}

/* ---- paths ---- */

char *xs_canon(struct xs_tree *t, const char *path)
{
	char *abs;
	size_t i, len;

	if (path[0] == '\0')
		return NULL;
	if (path[0] == '@')
		return strdup(path);
	if (path[0] == '/') {
		abs = strdup(path);
	} else {
		abs = malloc(strlen(t->home) + strlen(path) + 2);
		sprintf(abs, "%s/%s", t->home, path);
	}
	len = strlen(abs);
	if (len >= XENSTORE_ABS_PATH_MAX || (len > 1 && abs[len - 1] == '/'))
		goto bad;
	for (i = 0; i < len; i++) {
		char c = abs[i];

		if (c == '/' && i > 0 && abs[i - 1] == '/')
			goto bad;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("/_-@", c)))
			goto bad;
	}
	return abs;
bad:
	free(abs);
	return NULL;
}

/* ---- watches ---- */

static bool is_under(const char *path, const char *top)
{
	size_t n = strlen(top);

	if (strcmp(top, "/") == 0)
		return true;
	return strncmp(path, top, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Report path as the watch was given: relative to home if it was. */
static void fire_one(struct xs_tree *t, const struct xs_watch *w, const char *path)
{
	size_t hl = strlen(t->home);

	if (w->reported[0] != '/' && strncmp(path, t->home, hl) == 0 && path[hl] == '/')
		path += hl + 1;
	t->fire(path, w->token);
}

/* Node at path changed (or went away, with everything below it). */
static void fire_watches(struct xs_tree *t, const char *path)
{
	struct xs_node *n = lookup(t->root, path, NULL);
	struct xs_watch *w;

	if (n && !can_read(n, t->domid))
		return;
	for (w = t->watches; w; w = w->next) {
		if (is_under(path, w->path))
			fire_one(t, w, path);
		else if (!n && is_under(w->path, path))
			fire_one(t, w, w->path);
	}
}

int xs_watch(struct xs_tree *t, const char *reported, const char *token)
{
	struct xs_watch *w;
	char *abs = xs_canon(t, reported);

	if (!abs || token[0] == '\0') {
		free(abs);
		return XEN_EINVAL;
	}
	for (w = t->watches; w; w = w->next) {
		if (strcmp(w->path, abs) == 0 && strcmp(w->token, token) == 0) {
			free(abs);
			return XEN_EEXIST;
		}
	}
	if (t->quota.watches && xs_watch_count(t) >= t->quota.watches) {
		free(abs);
		return XS_EQUOTA;
	}
	w = calloc(1, sizeof(*w));
	w->path = abs;
	w->reported = strdup(reported);
	w->token = strdup(token);
	w->next = t->watches;
	t->watches = w;
	/* The initial firing, which every registration gets. */
	t->fire(w->reported, w->token);
	return 0;
}

static void watch_free(struct xs_watch *w)
{
	free(w->path);
	free(w->reported);
	free(w->token);
	free(w);
}

int xs_unwatch(struct xs_tree *t, const char *reported, const char *token)
{
	struct xs_watch **pp, *w;
	char *abs = xs_canon(t, reported);

	if (!abs)
		return XEN_EINVAL;
	for (pp = &t->watches; (w = *pp) != NULL; pp = &w->next) {
		if (strcmp(w->path, abs) == 0 && strcmp(w->token, token) == 0) {
			*pp = w->next;
			watch_free(w);
			free(abs);
			return 0;
		}
	}
	free(abs);
	return XEN_ENOENT;
}

void xs_reset_watches(struct xs_tree *t)
{
	struct xs_watch *w;

	while ((w = t->watches) != NULL) {
		t->watches = w->next;
		watch_free(w);
	}
}

unsigned xs_watch_count(struct xs_tree *t)
{
	struct xs_watch *w;
	unsigned n = 0;

	for (w = t->watches; w; w = w->next)
		n++;
	return n;
}

/* ---- transactions ---- */

static struct xs_access *access_find(struct xs_tx *tx, const char *path)
{
	struct xs_access *a;

	for (a = tx->accesses; a; a = a->next)
		if (strcmp(a->path, path) == 0)
			return a;
	return NULL;
}

/* Note path (first time: with its generation in the private copy, which
 * is the generation it had when the transaction started). */
static void note(struct xs_tx *tx, const char *path, bool modified)
{
	struct xs_access *a = access_find(tx, path);
	struct xs_node *n;

	if (!a) {
		a = calloc(1, sizeof(*a));
		a->path = strdup(path);
		n = lookup(tx->root, path, NULL);
		a->gen = n ? n->gen : 0;
		a->next = tx->accesses;
		tx->accesses = a;
	}
	a->modified |= modified;
}

static char *parent_path(const char *path)
{
	char *p = strdup(path), *slash = strrchr(p, '/');

	if (slash == p)
		slash[1] = '\0';
	else
		*slash = '\0';
	return p;
}

static void touch(struct xs_tree *t, struct xs_tx *tx, const char *path, bool modified)
{
	char *parent;

	if (!tx)
		return;
	note(tx, path, modified);
	if (modified && strcmp(path, "/") != 0) {
		parent = parent_path(path);
		note(tx, parent, false);
		free(parent);
	}
	(void)t;
}

int xs_tx_start(struct xs_tree *t, uint32_t *id)
{
	struct xs_tx *tx;

	if (t->quota.transactions && xs_tx_count(t) >= t->quota.transactions)
		return XS_EQUOTA;
	tx = calloc(1, sizeof(*tx));
	tx->id = ++t->next_tx;
	tx->root = node_clone(t->root);
	tx->next = t->txs;
	t->txs = tx;
	*id = tx->id;
	return 0;
}

struct xs_tx *xs_tx_find(struct xs_tree *t, uint32_t id)
{
	struct xs_tx *tx;

	for (tx = t->txs; tx; tx = tx->next)
		if (tx->id == id)
			return tx;
	return NULL;
}

unsigned xs_tx_count(struct xs_tree *t)
{
	struct xs_tx *tx;
	unsigned n = 0;

	for (tx = t->txs; tx; tx = tx->next)
		n++;
	return n;
}

static void tx_free(struct xs_tx *tx)
{
	struct xs_access *a;

	while ((a = tx->accesses) != NULL) {
		tx->accesses = a->next;
		free(a->path);
		free(a);
	}
	node_free(tx->root);
	free(tx);
}

static void bump(struct xs_tree *t, struct xs_node *root, const char *path)
{
	struct xs_node *parent, *n = lookup(root, path, &parent);

	if (n)
		n->gen = ++t->next_gen;
	if (parent)
		parent->gen = ++t->next_gen;
}

static void rm_node(struct xs_node *root, const char *path);

/* Make the live tree's node at path match the transaction's copy. */
static void apply(struct xs_tree *t, struct xs_tx *tx, const char *path)
{
	struct xs_node *src = lookup(tx->root, path, NULL), *dst, *parent;
	char *pp;

	if (!src) {
		if (lookup(t->root, path, NULL)) {
			rm_node(t->root, path);
			bump(t, t->root, path);
			fire_watches(t, path);
		}
		return;
	}
	dst = lookup(t->root, path, &parent);
	if (!dst) {
		pp = parent_path(path);
		apply(t, tx, pp);
		free(pp);
		lookup(t->root, path, &parent);
		dst = node_new(strrchr(path, '/') + 1, src->perms, src->nperms);
		dst->next = parent->children;
		parent->children = dst;
	}
	free(dst->value);
	dst->value = malloc(src->vlen + 1);
	memcpy(dst->value, src->value, src->vlen + 1);
	dst->vlen = src->vlen;
	free(dst->perms);
	dst->perms = malloc(src->nperms * sizeof(*src->perms));
	memcpy(dst->perms, src->perms, src->nperms * sizeof(*src->perms));
	dst->nperms = src->nperms;
	bump(t, t->root, path);
	fire_watches(t, path);
}

int xs_tx_end(struct xs_tree *t, struct xs_tx *tx, bool commit)
{
	struct xs_tx **pp;
	struct xs_access *a;
	struct xs_node *n;
	int rc = 0;

	for (pp = &t->txs; *pp != tx; pp = &(*pp)->next)
		;
	*pp = tx->next;
	if (commit) {
		for (a = tx->accesses; a && rc == 0; a = a->next) {
			n = lookup(t->root, a->path, NULL);
			if ((n ? n->gen : 0) != a->gen)
				rc = XEN_EAGAIN;
		}
		for (a = tx->accesses; a && rc == 0; a = a->next)
			if (a->modified)
				apply(t, tx, a->path);
	}
	tx_free(tx);
	return rc;
}

void xs_reset_transactions(struct xs_tree *t)
{
	struct xs_tx *tx;

	while ((tx = t->txs) != NULL) {
		t->txs = tx->next;
		tx_free(tx);
	}
}

/* ---- operations ---- */

static struct xs_node *root_of(struct xs_tree *t, struct xs_tx *tx)
{
	return tx ? tx->root : t->root;
}

int xs_read(struct xs_tree *t, unsigned domid, struct xs_tx *tx, const char *path,
	    char **value, uint32_t *len)
{
	struct xs_node *n = lookup(root_of(t, tx), path, NULL);

	touch(t, tx, path, false);
	if (!n)
		return XEN_ENOENT;
	if (!can_read(n, domid))
		return XEN_EACCES;
	*value = malloc(n->vlen + 1);
	memcpy(*value, n->value, n->vlen + 1);
	*len = n->vlen;
	return 0;
}

/* Create path and missing parents; each new node takes its parent's
 * permissions with the creator as owner. */
static int create(struct xs_tree *t, unsigned domid, struct xs_tx *tx, const char *path,
		  struct xs_node **out)
{
	struct xs_node *parent, *n = lookup(root_of(t, tx), path, &parent);
	struct xs_perm *perms;
	char *pp;
	int rc;

	if (n) {
		*out = n;
		return 0;
	}
	if (!parent) {
		pp = parent_path(path);
		rc = create(t, domid, tx, pp, &parent);
		free(pp);
		if (rc)
			return rc;
	}
	if (!can_write(parent, domid))
		return XEN_EACCES;
	if (domid && t->quota.nodes && count_owned(t->root, domid) >= t->quota.nodes)
		return XS_EQUOTA;
	touch(t, tx, path, false);	/* noted as absent before it exists */
	n = node_new(strrchr(path, '/') + 1, parent->perms, parent->nperms);
	n->gen = ++t->next_gen;
	perms = n->perms;
	if (domid)
		perms[0].domid = domid;
	n->next = parent->children;
	parent->children = n;
	touch(t, tx, path, true);
	*out = n;
	return 0;
}

static void changed(struct xs_tree *t, struct xs_tx *tx, const char *path)
{
	if (tx) {
		touch(t, tx, path, true);
		return;
	}
	bump(t, t->root, path);
	fire_watches(t, path);
}

int xs_write(struct xs_tree *t, unsigned domid, struct xs_tx *tx, const char *path,
	     const char *value, uint32_t len)
{
	struct xs_node *n = lookup(root_of(t, tx), path, NULL);
	int rc;

	if (path[0] == '@')
		return XEN_EINVAL;
	if (domid && t->quota.value_size && len > t->quota.value_size)
		return XS_EQUOTA;
	if (n && !can_write(n, domid))
		return XEN_EACCES;
	touch(t, tx, path, false);
	if (!n) {
		rc = create(t, domid, tx, path, &n);
		if (rc)
			return rc;
	}
	free(n->value);
	n->value = malloc(len + 1);
	memcpy(n->value, value, len);
	n->value[len] = '\0';
	n->vlen = len;
	changed(t, tx, path);
	return 0;
}

int xs_mkdir(struct xs_tree *t, unsigned domid, struct xs_tx *tx, const char *path)
{
	struct xs_node *n = lookup(root_of(t, tx), path, NULL);
	int rc;

	if (path[0] == '@')
		return XEN_EINVAL;
	touch(t, tx, path, false);
	if (n)
		return 0;
	rc = create(t, domid, tx, path, &n);
	if (rc == 0)
		changed(t, tx, path);
	return rc;
}

static void rm_node(struct xs_node *root, const char *path)
{
	struct xs_node *parent, *n = lookup(root, path, &parent), **pp;

	for (pp = &parent->children; *pp != n; pp = &(*pp)->next)
		;
	*pp = n->next;
	n->next = NULL;
	node_free(n);
}

int xs_rm(struct xs_tree *t, unsigned domid, struct xs_tx *tx, const char *path)
{
	struct xs_node *parent, *n = lookup(root_of(t, tx), path, &parent);

	if (path[0] == '@' || strcmp(path, "/") == 0)
		return XEN_EINVAL;
	touch(t, tx, path, false);
	if (!n)
		return XEN_ENOENT;
	if (!can_write(n, domid))
		return XEN_EACCES;
	rm_node(root_of(t, tx), path);
	changed(t, tx, path);
	return 0;
}

int xs_directory(struct xs_tree *t, unsigned domid, struct xs_tx *tx, const char *path,
		 char **list, uint32_t *len)
{
	struct xs_node *n = lookup(root_of(t, tx), path, NULL), *c;
	size_t total = 0, off = 0;

	touch(t, tx, path, false);
	if (!n)
		return XEN_ENOENT;
	if (!can_read(n, domid))
		return XEN_EACCES;
	for (c = n->children; c; c = c->next)
		total += strlen(c->name) + 1;
	if (total > XENSTORE_PAYLOAD_MAX)
		return XEN_E2BIG;
	*list = malloc(total + 1);
	for (c = n->children; c; c = c->next) {
		memcpy(*list + off, c->name, strlen(c->name) + 1);
		off += strlen(c->name) + 1;
	}
	*len = (uint32_t)total;
	return 0;
}

int xs_get_perms(struct xs_tree *t, unsigned domid, struct xs_tx *tx, const char *path,
		 char **list, uint32_t *len)
{
	struct xs_node *n = lookup(root_of(t, tx), path, NULL);
	unsigned i;
	int off = 0;

	touch(t, tx, path, false);
	if (!n)
		return XEN_ENOENT;
	if (!can_read(n, domid))
		return XEN_EACCES;
	*list = malloc(n->nperms * 8 + 1);
	for (i = 0; i < n->nperms; i++)
		off += sprintf(*list + off, "%c%u", n->perms[i].mask, n->perms[i].domid) + 1;
	*len = (uint32_t)off;
	return 0;
}

int xs_set_perms(struct xs_tree *t, unsigned domid, struct xs_tx *tx, const char *path,
		 const char *wire, uint32_t len)
{
	struct xs_node *n = lookup(root_of(t, tx), path, NULL);
	struct xs_perm *perms;
	int count;

	if (path[0] == '@')
		return XEN_EINVAL;
	touch(t, tx, path, false);
	if (!n)
		return XEN_ENOENT;
	if (!can_write(n, domid))
		return XEN_EACCES;
	count = parse_perms(wire, len, &perms);
	if (count < 0)
		return XEN_EINVAL;
	/* Only dom0 may give a node away. */
	if (domid && perms[0].domid != n->perms[0].domid) {
		free(perms);
		return XEN_EPERM;
	}
	free(n->perms);
	n->perms = perms;
	n->nperms = (unsigned)count;
	changed(t, tx, path);
	return 0;
}

/* ---- life cycle ---- */

/*
 * The toolstack's control/ layout: the directory is dom0's and only
 * readable by the guest; the nodes in it are the guest's. So a guest can
 * write them but can neither add a node there nor re-create one it removed
 * (the real xenstored under libxl answers EACCES). libxl creates shutdown,
 * sysrq and the poweroff/reboot/suspend features; feature-balloon and
 * balloon-active are here as a toolstack that balloons Windows guests
 * (XenServer, XCP-ng) provides them; libxl does not (a libxl guest's write
 * is refused: tests/xen sees that).
 */
static void xs_tree_control(struct xs_tree *t, unsigned domid)
{
	static const char *const nodes[] = {
		"shutdown", "sysrq", "feature-poweroff", "feature-reboot", "feature-suspend",
		"feature-balloon", "balloon-active",
	};
	char path[96], wire[32];
	int len;
	size_t i;

	snprintf(path, sizeof(path), "%s/control", t->home);
	xs_mkdir(t, 0, NULL, path);
	len = snprintf(wire, sizeof(wire), "n0%cr%u", '\0', domid);
	xs_set_perms(t, 0, NULL, path, wire, (uint32_t)len + 1);
	for (i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		snprintf(path, sizeof(path), "%s/control/%s", t->home, nodes[i]);
		xs_write(t, 0, NULL, path, "", 0);
		len = snprintf(wire, sizeof(wire), "n%u", domid);
		xs_set_perms(t, 0, NULL, path, wire, (uint32_t)len + 1);
	}
}

void xs_tree_init(struct xs_tree *t, unsigned domid)
{
	static const struct xs_perm dom0_only = { 0, 'n' };
	struct xs_perm guest = { domid, 'n' };
	struct xs_node *n;

	t->domid = domid;
	snprintf(t->home, sizeof(t->home), "/local/domain/%u", domid);
	t->root = node_new("", &dom0_only, 1);
	xs_mkdir(t, 0, NULL, t->home);
	xs_mkdir(t, 0, NULL, "/tool");
	n = lookup(t->root, t->home, NULL);
	n->perms[0] = guest;
	/* Everyone may read the way down to home, as with a real toolstack. */
	lookup(t->root, "/local", NULL)->perms[0].mask = 'r';
	lookup(t->root, "/local/domain", NULL)->perms[0].mask = 'r';
	xs_tree_control(t, domid);
}

void xs_tree_fini(struct xs_tree *t)
{
	xs_reset_watches(t);
	xs_reset_transactions(t);
	node_free(t->root);
	t->root = NULL;
}
