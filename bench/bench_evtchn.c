/*
 * Instructions per delivered event: the core's upcall dispatch (the OS
 * interrupt handler's work) plus the channel callback, for both ABIs with 1
 * and 4,096 bound ports (4,095 under 2-level: the ABI's maximum, port 0 is
 * reserved). The model's work of raising events (what Xen does) runs with
 * callgrind instrumentation off, so only guest-side instructions count.
 *
 *   <abi>_1port            one event per upcall, one port bound
 *   <abi>_<N>ports_1each   one event per upcall, on a different port each
 *                          time, N ports bound (flatness in port count)
 *   <abi>_<N>ports_batch   all N ports pending, one upcall delivers them
 */
#include <stdlib.h>

#include "bench.h"
#include "evtchn_fixture.h"

#define ROUNDS 512
#define BATCH_ROUNDS 8

static unsigned long delivered;

static bool count_event(void *arg)
{
	(void)arg;
	delivered++;
	return true;
}

static struct evtchn_channel *chs[EVTCHN_FIFO_NR_CHANNELS];

static unsigned open_ports(unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		if (evtchn_open_unbound(0, false, count_event, NULL, &chs[i]) != XEN_OK)
			break;
		if (!sim_evtchn_remote_bind(0, evtchn_port(chs[i])))
			abort();
		evtchn_unmask(chs[i], false, true);
	}
	return i;
}

static void close_ports(unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		evtchn_close(chs[i]);
}

static void check(unsigned long want)
{
	if (delivered != want) {
		fprintf(stderr, "bench_evtchn: %lu events delivered, %lu expected\n", delivered,
			want);
		exit(1);
	}
}

/* One event per upcall on port chs[pick(i)]. */
static void one_each(const char *name, unsigned nports)
{
	unsigned i, at = 0;

	delivered = 0;
	bench_insn_begin();
	for (i = 0; i < ROUNDS; i++) {
		CALLGRIND_STOP_INSTRUMENTATION;
		/* A stride coprime to nports walks every port. */
		at = (at + 2039) % nports;
		sim_evtchn_remote_send(evtchn_port(chs[at]));
		CALLGRIND_START_INSTRUMENTATION;
		evtchn_upcall(0);
	}
	bench_insn_end(name, ROUNDS, "insn/event");
	check(ROUNDS);
}

static void batch(const char *name, unsigned nports)
{
	unsigned r, i;

	delivered = 0;
	bench_insn_begin();
	for (r = 0; r < BATCH_ROUNDS; r++) {
		CALLGRIND_STOP_INSTRUMENTATION;
		for (i = 0; i < nports; i++)
			sim_evtchn_remote_send(evtchn_port(chs[i]));
		CALLGRIND_START_INSTRUMENTATION;
		evtchn_upcall(0);
	}
	bench_insn_end(name, (unsigned long)BATCH_ROUNDS * nports, "insn/event");
	check((unsigned long)BATCH_ROUNDS * nports);
}

static void run(const char *abi, bool force_2level, unsigned many)
{
	const struct evtchn_fixture_opts opts = { .force_2level = force_2level };
	char name[64];
	unsigned n;

	if (evtchn_fixture_up(&opts) != XEN_OK)
		abort();
	if (open_ports(1) != 1)
		abort();
	snprintf(name, sizeof(name), "evtchn_%s_1port", abi);
	one_each(name, 1);
	close_ports(1);
	host_run_work();

	n = open_ports(many);
	if (n != many)
		abort();
	snprintf(name, sizeof(name), "evtchn_%s_%uports_1each", abi, n);
	one_each(name, n);
	snprintf(name, sizeof(name), "evtchn_%s_%uports_batch", abi, n);
	batch(name, n);
	close_ports(n);
	evtchn_fixture_down();
}

int main(void)
{
	run("2l", true, 4095);
	run("fifo", false, 4096);
	return 0;
}
