#include "compiler.h"
#include "hypercall.h"
#include "shared_info.h"

/* Xen's x86 headers type xen_ulong_t as `unsigned long`: right for LP64 and
 * ILP32, 32 bits short for LLP64 (Windows x64), which would shift every
 * shared-info field. Refuse to build such a layout. */
_Static_assert(sizeof(xen_ulong_t) == sizeof(void *),
	       "xen_ulong_t must be pointer-sized (Xen ABI); fix the imported headers for LLP64");
_Static_assert(sizeof(struct vcpu_info) == 64, "vcpu_info is 64 bytes on x86");

#define SHARED_INFO_TIME_RETRIES 1000

static struct {
	void *page;		/* kept for the life of the image */
	uint64_t pfn;
	struct shared_info *mapped;
} si;

xen_status shared_info_init(void)
{
	struct xen_add_to_physmap xatp;
	xen_status rc;

	if (!si.page) {
		si.page = os_page_alloc(&si.pfn);
		if (!si.page)
			return -XEN_ENOMEM;
	}
	xatp = (struct xen_add_to_physmap){
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.idx = 0,
		.gpfn = (xen_pfn_t)si.pfn,
	};
	rc = hypercall_status(hypercall_memory_op(XENMEM_add_to_physmap, &xatp));
	if (rc != XEN_OK) {
		si.mapped = NULL;
		return rc;
	}
	si.mapped = si.page;
	return XEN_OK;
}

void shared_info_fini(void)
{
	si.mapped = NULL;
}

struct shared_info *shared_info_get(void)
{
	return si.mapped;
}

struct vcpu_info *shared_info_vcpu(unsigned cpu)
{
	if (!si.mapped || cpu >= XEN_LEGACY_MAX_VCPUS)
		return NULL;
	return &si.mapped->vcpu_info[cpu];
}

bool shared_info_upcall_supported(unsigned cpu)
{
	return shared_info_vcpu(cpu) != NULL;
}

bool shared_info_upcall_pending(unsigned cpu)
{
	struct vcpu_info *vi = shared_info_vcpu(cpu);

	if (!vi)
		return false;
	return __atomic_exchange_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST) != 0;
}

static inline xen_ulong_t shared_info_bit(unsigned port)
{
	return (xen_ulong_t)1 << (port % SHARED_INFO_WORD_BITS);
}

void shared_info_evtchn_ack(unsigned port)
{
	if (si.mapped && port < SHARED_INFO_2L_PORTS)
		__atomic_fetch_and(&si.mapped->evtchn_pending[port / SHARED_INFO_WORD_BITS],
				   ~shared_info_bit(port), __ATOMIC_SEQ_CST);
}

void shared_info_evtchn_mask(unsigned port)
{
	if (si.mapped && port < SHARED_INFO_2L_PORTS)
		__atomic_fetch_or(&si.mapped->evtchn_mask[port / SHARED_INFO_WORD_BITS],
				  shared_info_bit(port), __ATOMIC_SEQ_CST);
}

bool shared_info_evtchn_is_pending(unsigned port)
{
	if (!si.mapped || port >= SHARED_INFO_2L_PORTS)
		return false;
	return (__atomic_load_n(&si.mapped->evtchn_pending[port / SHARED_INFO_WORD_BITS],
				__ATOMIC_ACQUIRE) & shared_info_bit(port)) != 0;
}

bool shared_info_evtchn_unmask(unsigned port)
{
	if (!si.mapped || port >= SHARED_INFO_2L_PORTS)
		return false;
	__atomic_fetch_and(&si.mapped->evtchn_mask[port / SHARED_INFO_WORD_BITS],
			   ~shared_info_bit(port), __ATOMIC_SEQ_CST);
	return shared_info_evtchn_is_pending(port);
}

static inline unsigned shared_info_ctz(xen_ulong_t w)
{
	return sizeof(w) == 8 ? (unsigned)__builtin_ctzll((unsigned long long)w)
			      : (unsigned)__builtin_ctz((unsigned)w);
}

bool shared_info_evtchn_poll(unsigned cpu, bool (*fn)(void *arg, unsigned port), void *arg)
{
	struct vcpu_info *vi = shared_info_vcpu(cpu);
	xen_ulong_t sel, bits;
	bool handled = false;

	if (!vi)
		return false;
	sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	while (sel) {
		unsigned w = shared_info_ctz(sel);

		sel &= sel - 1;
		bits = READ_ONCE(si.mapped->evtchn_pending[w]) &
		       ~READ_ONCE(si.mapped->evtchn_mask[w]);
		while (bits) {
			unsigned b = shared_info_ctz(bits);

			bits &= bits - 1;
			handled |= fn(arg, w * (unsigned)SHARED_INFO_WORD_BITS + b);
		}
	}
	return handled;
}

/*
 * (delta << shift) * mul >> 32 without 128-bit arithmetic (x86-32). The
 * delta is modular: a guest's TSC starts near 0 when its domain is built,
 * so Xen's stamp can be a "negative" (wrapped) value while the TSC read
 * after it is small; an unsigned compare took that for a TSC behind the
 * stamp and froze the clock until the next update (seen on real Xen: up to
 * 1 s). Only a TSC genuinely read before the stamp (a small negative
 * difference: an update between the read and the snapshot) counts as 0.
 */
uint64_t shared_info_scale_tsc(const struct vcpu_time_info *ti, uint64_t tsc)
{
	uint64_t delta = tsc - ti->tsc_timestamp;
	uint32_t mul = ti->tsc_to_system_mul;
	int shift = ti->tsc_shift;

	if ((int64_t)delta < 0)
		delta = 0;
	if (shift < 0)
		delta >>= (unsigned)-shift;
	else
		delta <<= (unsigned)shift;
	return ti->system_time + (((delta & 0xffffffffu) * mul) >> 32) +
	       (delta >> 32) * mul;
}

bool shared_info_vcpu_time(unsigned cpu, struct vcpu_time_info *out)
{
	struct vcpu_info *vi = shared_info_vcpu(cpu);
	const volatile struct vcpu_time_info *ti;
	uint32_t v1, v2;

	if (!vi)
		return false;
	ti = &vi->time;
	v1 = ti->version;
	rmb();
	out->tsc_timestamp = ti->tsc_timestamp;
	out->system_time = ti->system_time;
	out->tsc_to_system_mul = ti->tsc_to_system_mul;
	out->tsc_shift = ti->tsc_shift;
	out->flags = ti->flags;
	rmb();
	v2 = ti->version;
	out->version = v1;
	return v1 == v2 && !(v1 & 1);
}

static bool shared_info_read_wallclock(struct shared_info_time *t)
{
	const volatile struct shared_info *s = si.mapped;
	uint32_t v1, v2, hi = 0;

	v1 = s->wc_version;
	rmb();
	t->wc_nsec = s->wc_nsec;
	t->wc_sec = s->wc_sec;
	hi = s->xen_wc_sec_hi;
	rmb();
	v2 = s->wc_version;
	t->wc_sec |= (uint64_t)hi << 32;
	return v1 == v2 && !(v1 & 1);
}

xen_status shared_info_time(unsigned cpu, uint64_t tsc, struct shared_info_time *t)
{
	struct vcpu_time_info ti;
	unsigned tries;

	if (!shared_info_vcpu(cpu))
		return -XEN_ENODEV;
	for (tries = 0; tries < SHARED_INFO_TIME_RETRIES; tries++) {
		if (shared_info_read_wallclock(t) && shared_info_vcpu_time(cpu, &ti)) {
			/* Xen keeps wc_nsec below 1e9; clamp if it does not. */
			if (t->wc_nsec >= 1000000000u)
				t->wc_nsec = 999999999u;
			t->system_ns = shared_info_scale_tsc(&ti, tsc);
			return XEN_OK;
		}
	}
	return -XEN_EBUSY;
}

xen_status shared_info_filetime(unsigned cpu, uint64_t tsc, uint64_t *filetime)
{
	struct shared_info_time t;
	xen_status rc = shared_info_time(cpu, tsc, &t);
	uint64_t ns;

	if (rc)
		return rc;
	ns = t.wc_nsec + t.system_ns;
	*filetime = (t.wc_sec + SHARED_INFO_FILETIME_UNIX_OFFSET + ns / 1000000000u) * 10000000u +
		    (ns % 1000000000u) / 100u;
	return XEN_OK;
}
