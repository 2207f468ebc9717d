#include <stdlib.h>
#include <string.h>

#include "sim_gnttab.h"

#define SIM_GT_PER_FRAME (4096 / sizeof(grant_entry_v1_t))
#define SIM_GT_FRAMES 1024	/* frames the model can place, whatever max says */
#define SIM_GT_CAS_TRIES 100

struct sim_gt_map {
	bool live;
	bool readonly;
	bool held;
	domid_t backend;
	uint32_t ref;
	uint32_t frame;		/* the granted frame, read when mapped */
	uint32_t yields_left;	/* while held: SIM_GNTTAB_FOREVER or a count */
};

struct sim_gt_foreign {
	domid_t domid;
	uint32_t ref;
	bool readonly;
	void *page;
};

struct sim_gt_fmap {
	bool live;
	bool readonly;
	uint64_t gfn;
	void *page;
};

static struct {
	uint32_t nr_frames;
	uint32_t max_frames;
	int16_t query_status;
	uint64_t gpfn[SIM_GT_FRAMES];	/* 0: not placed */
	bool initialized[SIM_GT_FRAMES];	/* content set up once (zeroes, seeds) */
	grant_entry_v1_t seed[SIM_GT_PER_FRAME];
	struct sim_gt_map *maps;	/* handle = index + 1 */
	uint32_t nmaps;
	unsigned long yields;
	struct sim_gt_foreign *foreign;
	uint32_t nforeign;
	struct sim_gt_fmap *fmaps;	/* handle = index */
	uint32_t nfmaps;
	unsigned fail_unmaps;
	bool fault_unmap_batch;		/* the next batch stops with -XEN_EFAULT */
	unsigned fault_unmap_after;	/* ops it processes first */
} sg;

static grant_entry_v1_t *sim_gt_entry(uint32_t ref)
{
	uint32_t idx = (uint32_t)(ref / SIM_GT_PER_FRAME);

	if (idx >= SIM_GT_FRAMES || idx >= sg.nr_frames || !sg.gpfn[idx])
		return NULL;
	return (grant_entry_v1_t *)sim_frame(sg.gpfn[idx]) + ref % SIM_GT_PER_FRAME;
}

/* The first four bytes of a v1 entry, flags (low half) and domid, updated
 * together as Xen does so a re-granted entry cannot be mistaken. */
typedef uint32_t __attribute__((may_alias)) sim_gt_word;

static sim_gt_word *sim_gt_combo(grant_entry_v1_t *e)
{
	return (sim_gt_word *)(void *)e;
}

/* ---- hypercalls ---- */

static long sim_gt_query_size(const uintptr_t args[5])
{
	struct gnttab_query_size *q = (void *)args[1];

	if (!q || args[2] != 1)
		return -XEN_EINVAL;
	if (q->dom != DOMID_SELF && q->dom != sim_config()->domid) {
		q->status = GNTST_bad_domain;
		return 0;
	}
	q->nr_frames = sg.nr_frames;
	q->max_nr_frames = sg.max_frames;
	q->status = sg.query_status;
	return 0;
}

static long sim_gt_place(struct xen_add_to_physmap *xatp)
{
	xen_ulong_t idx = xatp->idx;
	void *page;

	if ((idx & XENMAPIDX_grant_table_status) || idx >= sg.max_frames ||
	    idx >= SIM_GT_FRAMES || xatp->gpfn == 0)
		return -XEN_EINVAL;
	page = sim_frame(xatp->gpfn);
	if (!sg.initialized[idx]) {
		/* A new frame of Xen's table: zeroes, plus the toolstack's seeds. */
		memset(page, 0, 4096);
		if (idx == 0)
			memcpy(page, sg.seed, sizeof(sg.seed));
		sg.initialized[idx] = true;
	}
	/* Placed again (resume, or a retry at another page): the model's table
	 * is the guest page, so entries are whatever that page holds. */
	sg.gpfn[idx] = xatp->gpfn;
	if (idx >= sg.nr_frames)
		sg.nr_frames = (uint32_t)idx + 1;
	return 0;
}

static void sim_gt_release(uint32_t i);

static long sim_gt_yield(const uintptr_t args[5])
{
	uint32_t i;

	(void)args;
	sg.yields++;
	for (i = 0; i < sg.nmaps; i++) {
		struct sim_gt_map *m = &sg.maps[i];

		if (!m->live || !m->held || m->yields_left == SIM_GNTTAB_FOREVER)
			continue;
		if (--m->yields_left == 0)
			sim_gt_release(i);
	}
	return 0;
}

/* ---- the guest mapping other domains' grants ---- */

static struct sim_gt_foreign *sim_gt_foreign_find(domid_t domid, uint32_t ref)
{
	uint32_t i;

	for (i = 0; i < sg.nforeign; i++)
		if (sg.foreign[i].domid == domid && sg.foreign[i].ref == ref)
			return &sg.foreign[i];
	return NULL;
}

static int16_t sim_gt_map_one(struct gnttab_map_grant_ref *op)
{
	struct gnttab_map_grant_ref req = *op;	/* guest memory: read once */
	struct sim_gt_foreign *f;
	struct sim_gt_fmap *grown;
	bool readonly = (req.flags & GNTMAP_readonly) != 0;

	if (!(req.flags & GNTMAP_host_map) || req.host_addr == 0 || (req.host_addr & 0xfff))
		return GNTST_bad_virt_addr;
	f = sim_gt_foreign_find(req.dom, req.ref);
	if (!f)
		return GNTST_bad_gntref;
	if (!readonly && f->readonly)
		return GNTST_general_error;
	grown = realloc(sg.fmaps, (sg.nfmaps + 1) * sizeof(*grown));
	if (!grown)
		abort();
	sg.fmaps = grown;
	sg.fmaps[sg.nfmaps] = (struct sim_gt_fmap){
		.live = true, .readonly = readonly, .gfn = req.host_addr >> 12, .page = f->page,
	};
	memcpy(sim_frame(req.host_addr >> 12), f->page, 4096);
	op->handle = sg.nfmaps++;
	return GNTST_okay;
}

static long sim_gt_map_grant_ref(const uintptr_t args[5])
{
	struct gnttab_map_grant_ref *ops = (void *)args[1];
	uintptr_t i;

	if (!ops)
		return -XEN_EFAULT;
	for (i = 0; i < args[2]; i++)
		ops[i].status = sim_gt_map_one(&ops[i]);
	return 0;
}

static int16_t sim_gt_unmap_one(const struct gnttab_unmap_grant_ref *op)
{
	struct gnttab_unmap_grant_ref req = *op;
	struct sim_gt_fmap *m;

	if (req.handle >= sg.nfmaps || !sg.fmaps[req.handle].live)
		return GNTST_bad_handle;
	m = &sg.fmaps[req.handle];
	if (req.host_addr != m->gfn << 12)
		return GNTST_general_error;
	if (sg.fail_unmaps) {
		sg.fail_unmaps--;
		return GNTST_general_error;
	}
	if (!m->readonly)
		memcpy(m->page, sim_frame(m->gfn), 4096);
	m->live = false;
	return GNTST_okay;
}

static long sim_gt_unmap_grant_ref(const uintptr_t args[5])
{
	struct gnttab_unmap_grant_ref *ops = (void *)args[1];
	uintptr_t i, n = args[2];
	bool fault = sg.fault_unmap_batch;

	if (!ops)
		return -XEN_EFAULT;
	sg.fault_unmap_batch = false;
	if (fault && sg.fault_unmap_after < n)
		n = sg.fault_unmap_after;
	for (i = 0; i < n; i++)
		ops[i].status = sim_gt_unmap_one(&ops[i]);
	return fault ? -XEN_EFAULT : 0;
}

int sim_gnttab_foreign_grant(domid_t domid, uint32_t ref, void *page, bool readonly)
{
	struct sim_gt_foreign *grown = realloc(sg.foreign, (sg.nforeign + 1) * sizeof(*grown));

	if (!grown)
		return -1;
	sg.foreign = grown;
	sg.foreign[sg.nforeign++] = (struct sim_gt_foreign){ domid, ref, readonly, page };
	return 0;
}

unsigned sim_gnttab_foreign_mappings(void)
{
	unsigned n = 0;
	uint32_t i;

	for (i = 0; i < sg.nfmaps; i++)
		n += sg.fmaps[i].live;
	return n;
}

void sim_gnttab_foreign_fail_unmaps(unsigned count)
{
	sg.fail_unmaps = count;
}

void sim_gnttab_foreign_fault_unmap_batch(unsigned after)
{
	sg.fault_unmap_batch = true;
	sg.fault_unmap_after = after;
}

/* ---- life cycle ---- */

static void sim_gt_fini(void)
{
	free(sg.maps);
	free(sg.foreign);
	free(sg.fmaps);
	memset(&sg, 0, sizeof(sg));
}

void sim_gnttab_init(void)
{
	sim_gt_fini();
	sg.nr_frames = 1;
	sg.max_frames = 64;
	sg.query_status = GNTST_okay;
	sim_register_hypercall_cmd(__HYPERVISOR_grant_table_op, GNTTABOP_query_size,
				   sim_gt_query_size);
	sim_register_hypercall_cmd(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref,
				   sim_gt_map_grant_ref);
	sim_register_hypercall_cmd(__HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref,
				   sim_gt_unmap_grant_ref);
	sim_register_hypercall_cmd(__HYPERVISOR_sched_op, SCHEDOP_yield, sim_gt_yield);
	sim_register_physmap_space(XENMAPSPACE_grant_table, sim_gt_place);
	sim_register_fini(sim_gt_fini);
}

void sim_gnttab_set_size(uint32_t nr_frames, uint32_t max_frames)
{
	sg.nr_frames = nr_frames;
	sg.max_frames = max_frames;
}

void sim_gnttab_set_query_status(int16_t status)
{
	sg.query_status = status;
}

int sim_gnttab_seed(uint32_t ref, domid_t domid, uint32_t frame, uint16_t flags)
{
	if (ref >= SIM_GT_PER_FRAME || sg.initialized[0])
		return -1;
	sg.seed[ref] = (grant_entry_v1_t){ .flags = flags, .domid = domid, .frame = frame };
	return 0;
}

uint64_t sim_gnttab_frame_gpfn(uint32_t idx)
{
	return idx < SIM_GT_FRAMES ? sg.gpfn[idx] : 0;
}

uint32_t sim_gnttab_frames_placed(void)
{
	uint32_t i, n = 0;

	for (i = 0; i < SIM_GT_FRAMES; i++)
		n += sg.gpfn[i] != 0;
	return n;
}

unsigned long sim_gnttab_yields(void)
{
	return sg.yields;
}

/* ---- the backend ---- */

static struct sim_gt_map *sim_gt_map_of(uint32_t handle)
{
	if (handle == 0 || handle > sg.nmaps || !sg.maps[handle - 1].live)
		return NULL;
	return &sg.maps[handle - 1];
}

static uint32_t sim_gt_new_handle(void)
{
	struct sim_gt_map *grown;
	uint32_t i;

	for (i = 0; i < sg.nmaps; i++)
		if (!sg.maps[i].live)
			return i + 1;
	grown = realloc(sg.maps, (sg.nmaps + 1) * sizeof(*grown));
	if (!grown)
		abort();
	sg.maps = grown;
	sg.maps[sg.nmaps].live = false;
	return ++sg.nmaps;
}

/* Pin `ref` for `backend` as Xen's map path does: check type, domain and
 * writability on one snapshot, then set the in-use bits by CAS. */
static int16_t sim_gt_pin(domid_t backend, uint32_t ref, bool readonly, uint32_t *frame)
{
	grant_entry_v1_t *e = sim_gt_entry(ref);
	unsigned tries;

	if (!e)
		return GNTST_bad_gntref;
	for (tries = 0; tries < SIM_GT_CAS_TRIES; tries++) {
		uint32_t old = __atomic_load_n(sim_gt_combo(e), __ATOMIC_ACQUIRE);
		uint16_t flags = (uint16_t)old;
		uint32_t new_flags;

		if ((flags & GTF_type_mask) != GTF_permit_access || (old >> 16) != backend)
			return GNTST_general_error;
		if (!readonly && (flags & GTF_readonly))
			return GNTST_general_error;
		new_flags = flags | GTF_reading | (readonly ? 0 : GTF_writing);
		if (__atomic_compare_exchange_n(sim_gt_combo(e), &old,
						(old & 0xffff0000u) | new_flags, false,
						__ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
			*frame = __atomic_load_n(&e->frame, __ATOMIC_ACQUIRE);
			return GNTST_okay;
		}
	}
	return GNTST_eagain;
}

int16_t sim_gnttab_map(domid_t backend, uint32_t ref, bool readonly, uint32_t *handle)
{
	uint32_t frame, h;
	int16_t st = sim_gt_pin(backend, ref, readonly, &frame);

	if (st != GNTST_okay)
		return st;
	h = sim_gt_new_handle();
	sg.maps[h - 1] = (struct sim_gt_map){
		.live = true, .readonly = readonly, .backend = backend, .ref = ref, .frame = frame,
	};
	*handle = h;
	return GNTST_okay;
}

/* Drop mapping i and clear the in-use bits no other mapping of its ref needs. */
static void sim_gt_release(uint32_t i)
{
	struct sim_gt_map *m = &sg.maps[i];
	grant_entry_v1_t *e = sim_gt_entry(m->ref);
	bool readers = false, writers = false;
	uint32_t j;

	m->live = false;
	for (j = 0; j < sg.nmaps; j++) {
		if (!sg.maps[j].live || sg.maps[j].ref != m->ref)
			continue;
		readers = true;
		writers |= !sg.maps[j].readonly;
	}
	if (!e)
		return;
	if (!writers)
		__atomic_fetch_and(&e->flags, (uint16_t)~GTF_writing, __ATOMIC_SEQ_CST);
	if (!readers)
		__atomic_fetch_and(&e->flags, (uint16_t)~GTF_reading, __ATOMIC_SEQ_CST);
}

int16_t sim_gnttab_unmap(uint32_t handle)
{
	struct sim_gt_map *m = sim_gt_map_of(handle);

	if (!m)
		return GNTST_bad_handle;
	if (m->held)
		return GNTST_general_error;
	sim_gt_release(handle - 1);
	return GNTST_okay;
}

static int16_t sim_gt_access(uint32_t handle, size_t offset, size_t len, bool write,
			     uint8_t **at)
{
	struct sim_gt_map *m = sim_gt_map_of(handle);

	if (!m)
		return GNTST_bad_handle;
	if (write && m->readonly)
		return GNTST_permission_denied;
	if (offset > 4096 || len > 4096 - offset)
		return GNTST_bad_copy_arg;
	*at = (uint8_t *)sim_frame(m->frame) + offset;
	return GNTST_okay;
}

int16_t sim_gnttab_read(uint32_t handle, size_t offset, void *buf, size_t len)
{
	uint8_t *at;
	int16_t st = sim_gt_access(handle, offset, len, false, &at);

	if (st == GNTST_okay)
		memcpy(buf, at, len);
	return st;
}

int16_t sim_gnttab_write(uint32_t handle, size_t offset, const void *buf, size_t len)
{
	uint8_t *at;
	int16_t st = sim_gt_access(handle, offset, len, true, &at);

	if (st == GNTST_okay)
		memcpy(at, buf, len);
	return st;
}

void sim_gnttab_hold(uint32_t handle, uint32_t yields)
{
	struct sim_gt_map *m = sim_gt_map_of(handle);

	if (!m)
		return;
	m->held = yields != 0;
	m->yields_left = yields;
}

int16_t sim_gnttab_copy_begin(domid_t backend, uint32_t ref, bool write, uint32_t *handle)
{
	return sim_gnttab_map(backend, ref, !write, handle);
}

void sim_gnttab_copy_end(uint32_t handle)
{
	if (sim_gt_map_of(handle))
		sim_gt_release(handle - 1);
}

unsigned sim_gnttab_mappings(void)
{
	unsigned n = 0;
	uint32_t i;

	for (i = 0; i < sg.nmaps; i++)
		n += sg.maps[i].live;
	return n;
}

unsigned sim_gnttab_ref_mappings(uint32_t ref)
{
	unsigned n = 0;
	uint32_t i;

	for (i = 0; i < sg.nmaps; i++)
		n += sg.maps[i].live && sg.maps[i].ref == ref;
	return n;
}

void sim_gnttab_resume(void)
{
	uint32_t i;

	for (i = 0; i < sg.nmaps; i++)
		if (sg.maps[i].live)
			sim_gt_release(i);
	memset(sg.gpfn, 0, sizeof(sg.gpfn));
	/* The new domain's table is Xen's fresh one: placing a frame shows
	 * zeroes, plus the seeds the restoring toolstack writes again. */
	memset(sg.initialized, 0, sizeof(sg.initialized));
	sg.nr_frames = 1;	/* a new domain starts with one frame */
}
