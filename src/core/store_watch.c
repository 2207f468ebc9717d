#include "store_internal.h"

#define TOKEN_PREFIX "xbw-"
#define TOKEN_PREFIX_LEN 4
#define TOKEN_LEN (TOKEN_PREFIX_LEN + 8)
#define FEATURE_RESET_WATCHES "control/platform-feature-xs_reset_watches"

_Static_assert(TOKEN_LEN < sizeof(((struct store_watch *)0)->token), "token fits");

static void make_token(char *token, uint32_t id)
{
	static const char hex[] = "0123456789abcdef";
	unsigned i;

	__builtin_memcpy(token, TOKEN_PREFIX, TOKEN_PREFIX_LEN);
	for (i = 0; i < 8; i++)
		token[TOKEN_PREFIX_LEN + i] = hex[(id >> (28 - 4 * i)) & 0xf];
	token[TOKEN_LEN] = '\0';
}

/* The watch id in a token we made; false for anything else. */
static bool parse_token(const char *token, uint32_t len, uint32_t *id)
{
	uint32_t v = 0, i;
	char c;

	if (len != TOKEN_LEN || __builtin_memcmp(token, TOKEN_PREFIX, TOKEN_PREFIX_LEN) != 0)
		return false;
	for (i = TOKEN_PREFIX_LEN; i < TOKEN_LEN; i++) {
		c = token[i];
		if (c >= '0' && c <= '9')
			v = v << 4 | (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v << 4 | (uint32_t)(c - 'a' + 10);
		else
			return false;
	}
	*id = v;
	return true;
}

static void free_events(struct store_watch *watch)
{
	struct store_watch_event *ev;

	while ((ev = watch->ev_head) != NULL) {
		watch->ev_head = ev->next;
		os_free(ev->body);
		os_free(ev);
	}
	watch->ev_tail = NULL;
	watch->nevents = 0;
	watch->overflow = false;
}

static void queue_delivery_locked(struct store *store, struct store_watch *watch, char *body)
{
	struct store_watch_event *ev = NULL;

	if (body && watch->nevents < STORE_WATCH_QUEUE_MAX)
		ev = os_alloc(sizeof(*ev));
	if (!ev) {
		/* Flooded (or out of memory): one delivery of the watch's own
		 * path stands for everything dropped, so nothing is missed. */
		if (body)
			store->stats.watch_overflows++;
		os_free(body);
		watch->overflow = true;
	} else {
		ev->body = body;
		if (watch->ev_tail)
			watch->ev_tail->next = ev;
		else
			watch->ev_head = ev;
		watch->ev_tail = ev;
		watch->nevents++;
	}
	os_work_queue(&store->watch_work);
}

void store_watch_event_locked(struct store *store, char *body, uint32_t len)
{
	struct store_watch *watch;
	uint32_t plen, tlen, id;

	/* "<path>\0<token>\0": both non-empty and NUL-terminated within len. */
	for (plen = 0; plen < len && body[plen]; plen++)
		;
	for (tlen = 0; plen + 1 + tlen < len && body[plen + 1 + tlen]; tlen++)
		;
	if (plen == 0 || plen >= len || tlen == 0 || plen + 1 + tlen >= len) {
		store->stats.bad_messages++;
		store_log_locked(store, "malformed watch event", len, plen);
		os_free(body);
		return;
	}
	if (parse_token(body + plen + 1, tlen, &id)) {
		for (watch = store->watches; watch; watch = watch->next)
			if (watch->id == id && !watch->removed)
				break;
	} else {
		watch = NULL;
	}
	if (!watch) {
		store->stats.watch_unknown++;
		store_log_locked(store, "watch event for no watch", len, tlen);
		os_free(body);
		return;
	}
	queue_delivery_locked(store, watch, body);
}

/* Deferred work: deliver queued events, one at a time, lock dropped. */
static void watch_work(void *arg)
{
	struct store *store = arg;
	struct store_watch *watch;
	struct store_watch_event *ev;
	os_lock_state state;

	for (;;) {
		state = os_spin_lock(&store->lock);
		for (watch = store->watches; watch; watch = watch->next)
			if (!watch->running && !watch->removed &&
			    (watch->ev_head || watch->overflow))
				break;
		if (!watch) {
			os_spin_unlock(&store->lock, state);
			return;
		}
		ev = watch->ev_head;
		if (ev) {
			watch->ev_head = ev->next;
			if (!watch->ev_head)
				watch->ev_tail = NULL;
			watch->nevents--;
		} else {
			watch->overflow = false;
		}
		watch->running = true;
		os_spin_unlock(&store->lock, state);

		if (watch->fn)
			watch->fn(watch->ctx, ev ? ev->body : watch->path);
		if (watch->event)
			os_event_set(watch->event);
		if (ev) {
			os_free(ev->body);
			os_free(ev);
		}
		state = os_spin_lock(&store->lock);
		watch->running = false;
		os_spin_unlock(&store->lock, state);
	}
}

void store_watch_init(struct store *store)
{
	os_work_init(&store->watch_work, watch_work, store);
}

static void unlink_watch_locked(struct store *store, struct store_watch *watch)
{
	struct store_watch **pp;

	for (pp = &store->watches; *pp; pp = &(*pp)->next) {
		if (*pp == watch) {
			*pp = watch->next;
			return;
		}
	}
	BUG("store watch not listed");
}

/* XS_WATCH or XS_UNWATCH of watch's path and token. */
static xen_status watch_request(struct store *store, uint32_t type, struct store_watch *watch)
{
	struct store_piece p[2] = {
		{ watch->path, (uint32_t)__builtin_strlen(watch->path) + 1 },
		{ watch->token, TOKEN_LEN + 1 },
	};

	return store_request(store, type, NULL, p, 2, NULL, NULL);
}

/* Wait until no callback of watch runs (removed is set, so none starts). */
static void wait_idle(struct store *store, struct store_watch *watch)
{
	os_lock_state state;
	bool running;

	for (;;) {
		state = os_spin_lock(&store->lock);
		running = watch->running;
		os_spin_unlock(&store->lock, state);
		if (!running)
			return;
		os_delay_ns(10000);
	}
}

static void destroy_watch(struct store *store, struct store_watch *watch)
{
	os_lock_state state;

	state = os_spin_lock(&store->lock);
	watch->removed = true;
	os_spin_unlock(&store->lock, state);
	wait_idle(store, watch);
	state = os_spin_lock(&store->lock);
	unlink_watch_locked(store, watch);
	free_events(watch);
	os_spin_unlock(&store->lock, state);
	os_free(watch);
}

xen_status store_watch_add(struct store *store, const char *prefix, const char *node,
			   store_watch_fn fn, void *ctx, os_event *event,
			   struct store_watch **out)
{
	struct store_piece p[STORE_PIECES_MAX];
	struct store_watch *watch;
	os_lock_state state;
	uint32_t plen, off = 0;
	unsigned n, i;
	xen_status status;

	if (!out)
		return -XEN_EINVAL;
	*out = NULL;
	if (!fn && !event)
		return -XEN_EINVAL;
	status = store_path_pieces(prefix, node, p, &n, &plen);
	if (status)
		return status;
	watch = os_alloc(sizeof(*watch) + plen + 1);
	if (!watch)
		return -XEN_ENOMEM;
	for (i = 0; i < n; i++) {
		__builtin_memcpy(watch->path + off, p[i].data, p[i].len);
		off += p[i].len;
	}
	watch->fn = fn;
	watch->ctx = ctx;
	watch->event = event;
	state = os_spin_lock(&store->lock);
	watch->id = store->next_watch_id++;
	watch->resume_generation = store->generation;
	make_token(watch->token, watch->id);
	/* Listed before XS_WATCH goes out: the initial event may beat the reply. */
	watch->next = store->watches;
	store->watches = watch;
	os_spin_unlock(&store->lock, state);

	status = watch_request(store, XS_WATCH, watch);
	if (status) {
		destroy_watch(store, watch);
		return status;
	}
	state = os_spin_lock(&store->lock);
	watch->registered = true;
	os_spin_unlock(&store->lock, state);
	*out = watch;
	return XEN_OK;
}

xen_status store_watch_remove(struct store *store, struct store_watch *watch)
{
	os_lock_state state;
	xen_status status = XEN_OK;
	bool registered;

	if (!watch)
		return -XEN_EINVAL;
	state = os_spin_lock(&store->lock);
	registered = watch->registered;
	watch->registered = false;
	os_spin_unlock(&store->lock, state);
	if (registered) {
		status = watch_request(store, XS_UNWATCH, watch);
		if (status == -XEN_ENOENT)
			status = XEN_OK;
	}
	destroy_watch(store, watch);
	return status;
}

void store_watch_suspend_locked(struct store *store)
{
	struct store_watch *watch;

	for (watch = store->watches; watch; watch = watch->next)
		watch->registered = false;
}

xen_status store_reset_watches(struct store *store)
{
	static const char empty[] = "";
	struct store_piece p = { empty, 1 };
	xen_status status;
	uint32_t len, i;
	bool enabled = false;
	char *value;

	status = store_read(store, NULL, NULL, FEATURE_RESET_WATCHES, &value, &len);
	if (status == -XEN_ENOENT)
		return -XEN_EOPNOTSUPP;
	if (status)
		return status;
	/* A decimal flag: any non-zero leading digit enables it. */
	for (i = 0; i < len && value[i] >= '0' && value[i] <= '9'; i++)
		if (value[i] != '0')
			enabled = true;
	store_free(value);
	if (!enabled)
		return -XEN_EOPNOTSUPP;
	return store_request(store, XS_RESET_WATCHES, NULL, &p, 1, NULL, NULL);
}

/* Next watch this resume has not handled yet; marked running so a
 * concurrent remove waits for us. */
static struct store_watch *next_to_reregister(struct store *store, uint32_t generation)
{
	struct store_watch *watch;
	os_lock_state state;

	state = os_spin_lock(&store->lock);
	for (watch = store->watches; watch; watch = watch->next) {
		if (!watch->removed && !watch->running && !watch->registered &&
		    watch->resume_generation != generation) {
			watch->resume_generation = generation;
			watch->running = true;
			break;
		}
	}
	os_spin_unlock(&store->lock, state);
	return watch;
}

xen_status store_watch_resume(struct store *store)
{
	struct store_watch *watch;
	os_lock_state state;
	xen_status status, first = XEN_OK;
	uint32_t generation = __atomic_load_n(&store->generation, __ATOMIC_ACQUIRE);

	/* A daemon that kept our old registrations would otherwise refuse the
	 * new ones or fire twice. */
	status = store_reset_watches(store);
	if (status && status != -XEN_EOPNOTSUPP)
		first = status;
	while ((watch = next_to_reregister(store, generation)) != NULL) {
		status = watch_request(store, XS_WATCH, watch);
		if (status == -XEN_EEXIST)
			status = XEN_OK;
		state = os_spin_lock(&store->lock);
		watch->running = false;
		if (status == XEN_OK) {
			watch->registered = true;
		} else {
			/* The daemon will not fire it: fire it ourselves once
			 * so the owner looks at the path and can re-add. */
			store_log_locked(store, "watch not re-registered", watch->id,
					 (uint32_t)-status);
			queue_delivery_locked(store, watch, NULL);
			if (!first)
				first = status;
		}
		os_spin_unlock(&store->lock, state);
	}
	/* Events that came while a watch was marked running were skipped. */
	os_work_queue(&store->watch_work);
	return first;
}

void store_watch_fini(struct store *store)
{
	struct store_watch *watch;

	/* Leftovers are a caller bug, but free them rather than leak. */
	while ((watch = store->watches) != NULL) {
		store->watches = watch->next;
		free_events(watch);
		os_free(watch);
	}
}
