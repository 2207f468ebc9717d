/*
 * Suite "clock": the test kernel's clock against Xen's own. os_time_ns
 * extrapolates vCPU 0's vcpu_time_info with the TSC; HVMOP_get_time asks
 * Xen for NOW() directly. For a few seconds of mixed busy loops and halts
 * this samples both, the raw record and the TSC, and reports how far the
 * extrapolation strays from Xen's time, how the record steps when Xen
 * refreshes it, and whether os_time_ns ever stalls. Then the wallclock the
 * SHARED_INFO interface gives children (a FILETIME) against dom0's clock,
 * which dom0 writes to data/xt-dom0-time (Unix seconds) at the guest's
 * creation.
 */
#include "balloon.h"
#include "shared_info.h"
#include "xt.h"
#include "xt_xs.h"

#include <xen/hvm/hvm_op.h>

struct clock_sample {
	uint64_t tsc;
	struct vcpu_time_info rec;
	uint64_t ours;		/* record extrapolated to tsc */
	uint64_t xen_before;	/* HVMOP_get_time right before ... */
	uint64_t xen;		/* ... and right after */
};

static uint64_t clock_xen_now(void)
{
	struct xen_hvm_get_time gt = { 0 };

	if (hypercall_hvm_op(HVMOP_get_time, &gt) < 0)
		return 0;
	return gt.now;
}

static bool clock_sample(struct clock_sample *s)
{
	int tries;

	s->xen_before = clock_xen_now();
	for (tries = 0; tries < 16; tries++) {
		s->tsc = guest_rdtsc();
		if (shared_info_vcpu_time(0, &s->rec))
			break;
	}
	if (tries == 16)
		return false;
	s->ours = shared_info_scale_tsc(&s->rec, s->tsc);
	s->xen = clock_xen_now();
	return s->xen_before != 0 && s->xen != 0;
}

static int64_t sdiff(uint64_t a, uint64_t b)
{
	return (int64_t)(a - b);
}

/* Xen's calibration steps its own time by a few ms under TCG (seen: up to
 * 4 ms back); a frozen or runaway clock is off by hundreds of ms. */
#define CLOCK_SLACK_NS (20ull * 1000 * 1000)

XT_SCENARIO(clock, versus_xen)
{
	struct clock_sample first, prev, cur;
	int64_t ahead_max = 0, behind_max = 0, step_fwd = 0, step_back = 0;
	uint64_t samples = 0, updates = 0, stalls = 0, halts = 0, os_prev, os_now;
	unsigned shown = 0;
	os_event never;

	os_event_init(&never);
	XT_CHECK(clock_sample(&first));
	prev = first;
	os_prev = os_time_ns();
	while (prev.xen - first.xen < 3000ull * 1000 * 1000) {
		int64_t ahead, behind;

		/* Every 50th sample halts for 5 ms, the rest run back to back. */
		if (samples % 50 == 49) {
			uint64_t x0 = clock_xen_now();

			(void)os_event_wait(&never, 5 * 1000 * 1000);
			os_now = os_time_ns();
			halts++;
			if (os_now == os_prev && clock_xen_now() - x0 > 10 * 1000 * 1000)
				stalls++;
			os_prev = os_now;
		}
		XT_CHECK(clock_sample(&cur));
		samples++;
		/* Xen's time before and after bracket ours (a preempted vCPU
		 * widens the bracket instead of failing the check). */
		ahead = sdiff(cur.ours, cur.xen);
		behind = sdiff(cur.xen_before, cur.ours);
		ahead_max = ahead > ahead_max ? ahead : ahead_max;
		behind_max = behind > behind_max ? behind : behind_max;
		if (cur.rec.version != prev.rec.version) {
			/* The step Xen made: new record vs the old one at the new stamp. */
			int64_t step = sdiff(cur.rec.system_time,
					     shared_info_scale_tsc(&prev.rec, cur.rec.tsc_timestamp));

			updates++;
			step_fwd = step > step_fwd ? step : step_fwd;
			step_back = step < step_back ? step : step_back;
			if ((step > 2000000 || step < -2000000) && shown++ < 8)
				xt_note("update at xen %lu ms: step %ld us, mul %x->%x shift %d->%d",
					(unsigned long)((cur.xen - first.xen) / 1000000),
					(long)(step / 1000), prev.rec.tsc_to_system_mul,
					cur.rec.tsc_to_system_mul, prev.rec.tsc_shift,
					cur.rec.tsc_shift);
		}
		if ((ahead > 2000000 || behind > 2000000) && shown++ < 8)
			xt_note("sample at xen %lu ms: ours %ld us ahead, %ld us behind "
				"(record age %ld us, tsc %lx stamp %lx)",
				(unsigned long)((cur.xen - first.xen) / 1000000), (long)(ahead / 1000),
				(long)(behind / 1000),
				(long)(sdiff(cur.xen, cur.rec.system_time) / 1000),
				(unsigned long)cur.tsc, (unsigned long)cur.rec.tsc_timestamp);
		os_prev = os_time_ns();
		prev = cur;
	}
	xt_note("%lu samples over %lu ms of Xen time, %lu halts, %lu record updates, "
		"%lu tsc ticks per Xen ms, mul %x shift %d flags %x",
		(unsigned long)samples, (unsigned long)((prev.xen - first.xen) / 1000000),
		(unsigned long)halts, (unsigned long)updates,
		(unsigned long)((prev.tsc - first.tsc) / ((prev.xen - first.xen) / 1000000 + 1)),
		prev.rec.tsc_to_system_mul, prev.rec.tsc_shift, prev.rec.flags);
	xt_note("ours at most %ld us ahead of Xen, %ld us behind; Xen's record steps from %ld us "
		"to %ld us; os_time_ns stalled over %lu halts",
		(long)(ahead_max / 1000), (long)(behind_max / 1000), (long)(step_back / 1000),
		(long)(step_fwd / 1000), (unsigned long)stalls);
	XT_CHECK(ahead_max < (int64_t)CLOCK_SLACK_NS);
	XT_CHECK(behind_max < (int64_t)CLOCK_SLACK_NS);
	XT_CHECK(stalls == 0);
}

XT_SCENARIO(clock, filetime_matches_dom0)
{
	uint64_t deadline = os_time_ns() + 20000ull * 1000 * 1000, ft, unix_s, dom0_s = 0;
	char v[32];
	os_event never;

	os_event_init(&never);
	while (xt_xs_read("data/xt-dom0-time", v, sizeof(v)) != 0) {
		XT_CHECK(os_time_ns() < deadline);
		(void)os_event_wait(&never, 50 * 1000 * 1000);
	}
	XT_CHECK_OK(balloon_parse_decimal(v, __builtin_strlen(v), &dom0_s));
	XT_CHECK_OK(shared_info_filetime(0, guest_rdtsc(), &ft));
	unix_s = ft / 10000000u - SHARED_INFO_FILETIME_UNIX_OFFSET;
	xt_note("FILETIME %lu: Unix %lu s; dom0 wrote %lu s", (unsigned long)ft,
		(unsigned long)unix_s, (unsigned long)dom0_s);
	/* dom0 wrote it before we read it (the 3 s suite above ran between):
	 * not behind dom0 by more than a rounding second, nor far ahead. */
	XT_CHECK(unix_s + 1 >= dom0_s);
	XT_CHECK(unix_s <= dom0_s + 60);
}
