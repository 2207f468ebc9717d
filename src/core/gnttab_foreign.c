#include "compiler.h"
#include "gnttab_foreign.h"
#include "hypercall.h"
#include "range_set.h"

#define GF_DONE UINT32_MAX	/* a handle already unmapped */

struct gnttab_mapping {
	struct gnttab_mapping *next;
	uint64_t gfn;
	unsigned count;
	bool readonly;
	grant_handle_t handle[];
};

static struct {
	bool up;
	struct range_set *hole;		/* free frames of the hole */
	os_spinlock lock;		/* the list */
	struct gnttab_mapping *list;
	unsigned long lost_frames;	/* still mapped after a failed unmap */
} gf;

xen_status gnttab_foreign_status(int16_t gntst)
{
	switch (gntst) {
	case GNTST_okay:
		return XEN_OK;
	case GNTST_bad_gntref:
	case GNTST_bad_handle:
	case GNTST_bad_virt_addr:
	case GNTST_bad_dev_addr:
	case GNTST_bad_page:
		return -XEN_EINVAL;
	case GNTST_bad_domain:
		return -XEN_ESRCH;
	case GNTST_permission_denied:
		return -XEN_EPERM;
	case GNTST_eagain:
		return -XEN_EAGAIN;
	case GNTST_no_space:
	case GNTST_no_device_space:
		return -XEN_ENOSPC;
	default:
		return -XEN_EIO;
	}
}

xen_status gnttab_foreign_init(uint64_t first_gfn, uint64_t count)
{
	xen_status rc;

	if (gf.up)
		return -XEN_EEXIST;
	/* Every frame's address must fit 64 bits (so frames fit an int64). */
	if (count == 0 || count - 1 > (UINT64_MAX >> 12) ||
	    first_gfn > (UINT64_MAX >> 12) - (count - 1))
		return -XEN_EINVAL;
	rc = range_set_create("gnttab_hole", &gf.hole);
	if (rc)
		return rc;
	rc = range_set_put(gf.hole, (int64_t)first_gfn, count);
	if (rc) {
		range_set_destroy(gf.hole);
		gf.hole = NULL;
		return rc;
	}
	os_spin_init(&gf.lock);
	gf.list = NULL;
	gf.up = true;
	return XEN_OK;
}

unsigned long gnttab_foreign_lost_frames(void)
{
	return __atomic_load_n(&gf.lost_frames, __ATOMIC_RELAXED);
}

xen_status gnttab_foreign_fini(void)
{
	if (!gf.up)
		return XEN_OK;
	if (gf.list)
		return -XEN_EBUSY;
	range_set_destroy(gf.hole);
	__builtin_memset(&gf, 0, sizeof(gf));
	return XEN_OK;
}

/* Unmap the pages of m whose handle is not GF_DONE; mark those that went.
 * Returns how many are still mapped (0: all gone). */
static unsigned gf_unmap(struct gnttab_mapping *m)
{
	struct gnttab_unmap_grant_ref *ops;
	unsigned i, n = 0, left = 0;

	ops = os_alloc(m->count * sizeof(*ops));
	if (!ops)
		return m->count;	/* nothing tried; the caller may retry */
	for (i = 0; i < m->count; i++) {
		if (m->handle[i] == GF_DONE)
			continue;
		ops[n].host_addr = (m->gfn + i) << 12;
		ops[n].dev_bus_addr = 0;
		ops[n].handle = m->handle[i];
		/* Xen overwrites it for every op it processes. */
		ops[n].status = GNTST_general_error;
		n++;
	}
	/* The result does not matter: a batch that fails half-way has still
	 * unmapped the ops whose status says so (only Xen writes GNTST_okay),
	 * and their handles are no longer valid for a retry. */
	if (n)
		(void)hypercall_grant_table_op(GNTTABOP_unmap_grant_ref, ops, n);
	for (i = 0, n = 0; i < m->count; i++) {
		if (m->handle[i] == GF_DONE)
			continue;
		if (READ_ONCE(ops[n].status) == GNTST_okay)
			m->handle[i] = GF_DONE;
		else
			left++;
		n++;
	}
	os_free(ops);
	return left;
}

/* Give back the frames of m that are no longer mapped, then m itself. */
static void gf_release(struct gnttab_mapping *m)
{
	unsigned i;

	for (i = 0; i < m->count; i++) {
		if (m->handle[i] != GF_DONE ||
		    range_set_put(gf.hole, (int64_t)(m->gfn + i), 1) != XEN_OK)
			__atomic_fetch_add(&gf.lost_frames, 1, __ATOMIC_RELAXED);
	}
	os_free(m);
}

/* One batched map_grant_ref; handles of pages that mapped go into m, the
 * rest are GF_DONE. Returns the first failure as a status. */
static xen_status gf_map(struct gnttab_mapping *m, domid_t domid, const uint32_t *refs)
{
	struct gnttab_map_grant_ref *ops = os_alloc(m->count * sizeof(*ops));
	xen_status rc = XEN_OK;
	unsigned i;
	long hrc;

	if (!ops)
		return -XEN_ENOMEM;
	for (i = 0; i < m->count; i++) {
		ops[i].host_addr = (m->gfn + i) << 12;
		ops[i].flags = GNTMAP_host_map | (m->readonly ? GNTMAP_readonly : 0);
		ops[i].ref = refs[i];
		ops[i].dom = domid;
		ops[i].status = GNTST_general_error;
	}
	hrc = hypercall_grant_table_op(GNTTABOP_map_grant_ref, ops, m->count);
	for (i = 0; i < m->count; i++) {
		/* Each status is read once; only GNTST_okay means mapped. */
		int16_t st = READ_ONCE(ops[i].status);

		if (st == GNTST_okay) {
			m->handle[i] = READ_ONCE(ops[i].handle);
		} else {
			m->handle[i] = GF_DONE;
			if (!rc)
				rc = gnttab_foreign_status(st);
		}
	}
	os_free(ops);
	if (hrc < 0)
		return hypercall_status(hrc);
	return rc;
}

xen_status gnttab_map_foreign_pages(domid_t domid, unsigned count, const uint32_t *refs,
				    bool readonly, uint64_t *address)
{
	struct gnttab_mapping *m;
	os_lock_state s;
	int64_t gfn;
	xen_status rc;
	unsigned i;

	if (!gf.up)
		return -XEN_ENODEV;
	if (count == 0 || count > GNTTAB_FOREIGN_MAX_PAGES || !refs ||
	    domid >= DOMID_FIRST_RESERVED)
		return -XEN_EINVAL;
	m = os_alloc(sizeof(*m) + count * sizeof(m->handle[0]));
	if (!m)
		return -XEN_ENOMEM;
	rc = range_set_pop(gf.hole, count, &gfn);
	if (rc) {
		os_free(m);
		return rc;
	}
	m->gfn = (uint64_t)gfn;
	m->count = count;
	m->readonly = readonly;
	for (i = 0; i < count; i++)
		m->handle[i] = GF_DONE;	/* nothing mapped yet */
	rc = gf_map(m, domid, refs);
	if (rc) {
		/* All or nothing: undo what did map. */
		gf_unmap(m);
		gf_release(m);
		return rc;
	}
	s = os_spin_lock(&gf.lock);
	m->next = gf.list;
	gf.list = m;
	os_spin_unlock(&gf.lock, s);
	*address = m->gfn << 12;
	return XEN_OK;
}

/* Unlink the mapping starting at gfn, or NULL. Lock held. */
static struct gnttab_mapping *gf_take(uint64_t gfn)
{
	struct gnttab_mapping **pp;

	for (pp = &gf.list; *pp; pp = &(*pp)->next) {
		struct gnttab_mapping *m = *pp;

		if (m->gfn == gfn) {
			*pp = m->next;
			m->next = NULL;
			return m;
		}
	}
	return NULL;
}

xen_status gnttab_unmap_foreign_pages(uint64_t address)
{
	struct gnttab_mapping *m;
	os_lock_state s;

	if (!gf.up)
		return -XEN_ENODEV;
	if (address & 0xfff)
		return -XEN_ENOENT;
	s = os_spin_lock(&gf.lock);
	m = gf_take(address >> 12);
	os_spin_unlock(&gf.lock, s);
	if (!m)
		return -XEN_ENOENT;
	if (gf_unmap(m) != 0) {
		s = os_spin_lock(&gf.lock);
		m->next = gf.list;
		gf.list = m;
		os_spin_unlock(&gf.lock, s);
		return -XEN_EIO;
	}
	gf_release(m);
	return XEN_OK;
}
