#include <stdlib.h>
#include <string.h>

#include "sim_evtchn.h"

static struct {
	struct shared_info *page;	/* guest frame currently mapped, or NULL */
	struct shared_info saved;	/* contents across re-mapping */
} ssi;

static void sim_shared_info_fini(void)
{
	ssi.page = NULL;
	memset(&ssi.saved, 0, sizeof(ssi.saved));
}

static long sim_shared_info_map(struct xen_add_to_physmap *xatp)
{
	struct shared_info *page;

	if (xatp->idx != 0)
		return -XEN_EINVAL;
	if (xatp->gpfn == 0)
		return -XEN_EINVAL;
	page = sim_frame(xatp->gpfn);
	/* Xen's page moves to the new frame with its contents; the guest's old
	 * RAM at that frame is replaced. */
	if (ssi.page)
		memcpy(&ssi.saved, ssi.page, sizeof(ssi.saved));
	memcpy(page, &ssi.saved, sizeof(*page));
	ssi.page = page;
	return 0;
}

static bool sim_shared_info_gate(unsigned vcpu)
{
	if (!ssi.page || vcpu >= XEN_LEGACY_MAX_VCPUS)
		return true;
	return __atomic_load_n(&ssi.page->vcpu_info[vcpu].evtchn_upcall_mask,
			       __ATOMIC_ACQUIRE) == 0;
}

void sim_shared_info_init(void)
{
	sim_shared_info_fini();
	sim_register_physmap_space(XENMAPSPACE_shared_info, sim_shared_info_map);
	sim_set_upcall_gate(sim_shared_info_gate);
	sim_register_fini(sim_shared_info_fini);
}

void sim_shared_info_new_domain(void)
{
	struct shared_info fresh;
	unsigned i;

	if (ssi.page)
		memcpy(&ssi.saved, ssi.page, sizeof(ssi.saved));
	memset(&fresh, 0, sizeof(fresh));
	fresh.wc_version = ssi.saved.wc_version;
	fresh.wc_sec = ssi.saved.wc_sec;
	fresh.wc_nsec = ssi.saved.wc_nsec;
	fresh.xen_wc_sec_hi = ssi.saved.xen_wc_sec_hi;
	for (i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
		fresh.vcpu_info[i].time = ssi.saved.vcpu_info[i].time;
	ssi.saved = fresh;
	ssi.page = NULL;
}

struct shared_info *sim_shared_info(void)
{
	return ssi.page;
}

void sim_shared_info_set_wallclock(uint64_t sec, uint32_t nsec)
{
	struct shared_info *s = ssi.page ? ssi.page : &ssi.saved;

	__atomic_fetch_add(&s->wc_version, 1, __ATOMIC_SEQ_CST);
	s->wc_sec = (uint32_t)sec;
	s->xen_wc_sec_hi = (uint32_t)(sec >> 32);
	s->wc_nsec = nsec;
	__atomic_fetch_add(&s->wc_version, 1, __ATOMIC_SEQ_CST);
}

void sim_shared_info_set_time(unsigned vcpu, uint64_t system_time, uint64_t tsc_timestamp,
			      uint32_t mul, int8_t shift)
{
	struct shared_info *s = ssi.page ? ssi.page : &ssi.saved;
	struct vcpu_time_info *t;

	if (vcpu >= XEN_LEGACY_MAX_VCPUS)
		abort();
	t = &s->vcpu_info[vcpu].time;
	__atomic_fetch_add(&t->version, 1, __ATOMIC_SEQ_CST);
	t->system_time = system_time;
	t->tsc_timestamp = tsc_timestamp;
	t->tsc_to_system_mul = mul;
	t->tsc_shift = shift;
	__atomic_fetch_add(&t->version, 1, __ATOMIC_SEQ_CST);
}
