#include "balloon_pfns.h"
#include "compiler.h"

/* A run is one word: first frame in the low 40 bits, length - 1 above. */
#define PFNS_LEN_SHIFT 40
#define PFNS_RUN_MAX (1ull << (64 - PFNS_LEN_SHIFT))
#define PFNS_FIRST_MASK (BALLOON_PFNS_LIMIT - 1)
/* One chunk fills a 4 KiB allocation. */
#define PFNS_CHUNK_RUNS ((4096 - 2 * sizeof(void *)) / sizeof(uint64_t))
#define PFNS_MAX_SPARES 2

struct balloon_pfns_chunk {
	struct balloon_pfns_chunk *below;
	size_t used;
	uint64_t run[PFNS_CHUNK_RUNS];
};

static inline uint64_t run_first(uint64_t run)
{
	return run & PFNS_FIRST_MASK;
}

static inline uint64_t run_len(uint64_t run)
{
	return (run >> PFNS_LEN_SHIFT) + 1;
}

static inline uint64_t run_make(uint64_t first, uint64_t len)
{
	return first | ((len - 1) << PFNS_LEN_SHIFT);
}

void balloon_pfns_init(struct balloon_pfns *p)
{
	__builtin_memset(p, 0, sizeof(*p));
}

static void pfns_free_list(struct balloon_pfns_chunk *c)
{
	while (c) {
		struct balloon_pfns_chunk *below = c->below;

		os_free(c);
		c = below;
	}
}

void balloon_pfns_fini(struct balloon_pfns *p)
{
	pfns_free_list(p->top);
	pfns_free_list(p->spare);
	balloon_pfns_init(p);
}

static size_t pfns_room(const struct balloon_pfns *p)
{
	size_t room = p->spares * PFNS_CHUNK_RUNS;

	if (p->top)
		room += PFNS_CHUNK_RUNS - p->top->used;
	return room;
}

xen_status balloon_pfns_reserve(struct balloon_pfns *p, size_t n)
{
	while (pfns_room(p) < n) {
		struct balloon_pfns_chunk *c = os_alloc(sizeof(*c));

		if (!c)
			return -XEN_ENOMEM;
		c->below = p->spare;
		p->spare = c;
		p->spares++;
		p->chunks++;
	}
	p->reserved = n;
	return XEN_OK;
}

/* Extend the top run by pfn if it is adjacent to it. */
static bool pfns_merge(struct balloon_pfns *p, uint64_t pfn)
{
	uint64_t *run, first, len;

	if (!p->top)
		return false;
	run = &p->top->run[p->top->used - 1];
	first = run_first(*run);
	len = run_len(*run);
	if (len == PFNS_RUN_MAX)
		return false;
	if (pfn == first + len)
		*run = run_make(first, len + 1);
	else if (pfn + 1 == first)
		*run = run_make(pfn, len + 1);
	else
		return false;
	return true;
}

void balloon_pfns_push(struct balloon_pfns *p, uint64_t pfn)
{
	struct balloon_pfns_chunk *c;

	BUG_ON(p->reserved == 0 || pfn >= BALLOON_PFNS_LIMIT);
	p->reserved--;
	p->items++;
	if (pfns_merge(p, pfn))
		return;
	c = p->top;
	if (!c || c->used == PFNS_CHUNK_RUNS) {
		c = p->spare;
		BUG_ON(!c);
		p->spare = c->below;
		p->spares--;
		c->used = 0;
		c->below = p->top;
		p->top = c;
	}
	c->run[c->used++] = run_make(pfn, 1);
	p->runs++;
}

size_t balloon_pfns_peek(const struct balloon_pfns *p, uint64_t *out, size_t n)
{
	const struct balloon_pfns_chunk *c;
	size_t got = 0;

	for (c = p->top; c && got < n; c = c->below) {
		size_t i;

		for (i = c->used; i > 0 && got < n; i--) {
			uint64_t first = run_first(c->run[i - 1]);
			uint64_t last = first + run_len(c->run[i - 1]) - 1;

			/* Taken from the high end, as balloon_pfns_pop removes. */
			while (got < n) {
				out[got++] = last;
				if (last == first)
					break;
				last--;
			}
		}
	}
	return got;
}

static void pfns_drop_top_chunk(struct balloon_pfns *p)
{
	struct balloon_pfns_chunk *c = p->top;

	p->top = c->below;
	if (p->spares < PFNS_MAX_SPARES) {
		c->below = p->spare;
		p->spare = c;
		p->spares++;
	} else {
		os_free(c);
		p->chunks--;
	}
}

void balloon_pfns_pop(struct balloon_pfns *p, size_t n)
{
	BUG_ON(n > p->items);
	p->items -= n;
	while (n) {
		struct balloon_pfns_chunk *c = p->top;
		uint64_t *run = &c->run[c->used - 1];
		uint64_t len = run_len(*run);

		if (n < len) {
			*run = run_make(run_first(*run), len - n);
			return;
		}
		n -= (size_t)len;
		p->runs--;
		if (--c->used == 0)
			pfns_drop_top_chunk(p);
	}
}

size_t balloon_pfns_bytes(const struct balloon_pfns *p)
{
	return p->chunks * sizeof(struct balloon_pfns_chunk);
}
