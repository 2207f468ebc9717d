/*
 * Benchmark helpers. A benchmark program (bench/bench_*.c) measures with
 *
 *   bench_insn_begin();
 *   ... the measured work, repeated `ops` times ...
 *   bench_insn_end("evtchn_fifo_1port", ops, "insn/event");
 *
 * Under callgrind (tools/run-bench runs every bench program that way) this
 * dumps the instruction count of just that region; run-bench divides by
 * `ops` and prints "bench <name> <value> <unit>". Run plainly, the program
 * prints nothing for these regions. bench_value prints a measured value
 * directly (wall-clock rates, ratios), e.g. bench_value("store_reads_1",
 * 12345.0, "reads/s"); run-bench passes those lines through.
 */
#ifndef XB_BENCH_H
#define XB_BENCH_H

#include <stdio.h>
#include <valgrind/callgrind.h>

static inline void bench_insn_begin(void)
{
	CALLGRIND_ZERO_STATS;
	CALLGRIND_START_INSTRUMENTATION;
}

static inline void bench_insn_end(const char *name, unsigned long ops, const char *unit)
{
	char tag[256];

	CALLGRIND_STOP_INSTRUMENTATION;
	snprintf(tag, sizeof(tag), "bench|%s|%lu|%s", name, ops, unit);
	CALLGRIND_DUMP_STATS_AT(tag);
}

static inline int bench_under_valgrind(void)
{
	return RUNNING_ON_VALGRIND;
}

static inline void bench_value(const char *name, double value, const char *unit)
{
	printf("bench %s %.6g %s\n", name, value, unit);
	fflush(stdout);
}

#endif /* XB_BENCH_H */
