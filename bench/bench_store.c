/*
 * XenStore client benchmarks.
 *
 * store_read_client: instructions per read request on the client side only.
 * Reads go through the asynchronous API in batches of 16: submitting (which
 * frames and writes the requests onto the ring) and then consuming the 16
 * replies (framing, req_id matching, completion callback, freeing) are
 * counted; the model answering the batch runs with instrumentation stopped.
 *
 * store_reads_1 / store_reads_32: wall-clock reads per second through the
 * xenstored model, with one synchronous read at a time and with 32
 * asynchronous reads kept in flight. These run natively: under callgrind the
 * program re-executes itself (valgrind does not follow the exec).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "host.h"
#include "sim_xenstore.h"
#include "store.h"

#define BATCH 16
#define BATCHES 64

static struct store *store;
static unsigned long completed;
static bool resubmit;

static void to_client(void *ctx)
{
	(void)ctx;
	store_event(store);
}

static void read_done(void *ctx, xen_status status, char *body, uint32_t len);

static void submit_read(void)
{
	static const struct store_piece p = { "bench/value", 12 };

	if (store_submit(store, XS_READ, NULL, &p, 1, read_done, NULL))
		abort();
}

static void read_done(void *ctx, xen_status status, char *body, uint32_t len)
{
	(void)ctx;
	if (status || len != 5)
		abort();
	store_free(body);
	completed++;
	if (resubmit)
		submit_read();
}

static void start(void)
{
	struct store_config cfg = { 0 };

	sim_init(NULL);
	cfg.intf = sim_xenstore_init();
	cfg.notify = sim_xenstore_kick;
	sim_xenstore_set_notify(to_client, NULL);
	if (store_create(&cfg, &store))
		abort();
	if (store_write_str(store, NULL, NULL, "bench/value", "hello"))
		abort();
}

static void stop(void)
{
	host_run_work();
	store_destroy(store);
	store = NULL;
	sim_fini();
	host_reset();
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void client_insns(void)
{
	unsigned b, i;

	start();
	/* The model's notifications would queue work; drive the client by hand. */
	sim_xenstore_set_notify(NULL, NULL);
	bench_insn_begin();
	for (b = 0; b < BATCHES; b++) {
		for (i = 0; i < BATCH; i++)
			submit_read();
		CALLGRIND_STOP_INSTRUMENTATION;
		sim_xenstore_poll();
		CALLGRIND_START_INSTRUMENTATION;
		store_poll(store);
	}
	bench_insn_end("store_read_client", BATCH * BATCHES, "insn/read");
	if (completed != BATCH * BATCHES)
		abort();
	stop();
}

static void rates(void)
{
	const unsigned long n1 = 100000, n32 = 400000;
	unsigned long i;
	char *v;
	uint32_t len;
	double t0;

	start();
	t0 = now();
	for (i = 0; i < n1; i++) {
		if (store_read(store, NULL, NULL, "bench/value", &v, &len))
			abort();
		store_free(v);
	}
	bench_value("store_reads_1", (double)n1 / (now() - t0), "reads/s");

	completed = 0;
	resubmit = true;
	t0 = now();
	for (i = 0; i < 32; i++)
		submit_read();
	while (completed < n32) {
		sim_xenstore_poll();
		store_poll(store);
	}
	resubmit = false;
	bench_value("store_reads_32", (double)completed / (now() - t0), "reads/s");
	while (host_pending_work() || completed < n32 + 32) {
		sim_xenstore_poll();
		store_poll(store);
		host_run_work();
	}
	stop();
}

int main(int argc, char **argv)
{
	pid_t pid;
	int status;

	if (argc > 1 && strcmp(argv[1], "rates") == 0) {
		rates();
		return 0;
	}
	client_insns();
	fflush(stdout);
	if (!bench_under_valgrind()) {
		rates();
		return 0;
	}
	pid = fork();
	if (pid == 0) {
		execl(argv[0], argv[0], "rates", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return 1;
	return 0;
}
