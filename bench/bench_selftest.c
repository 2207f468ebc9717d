/* Checks the benchmark plumbing itself: a loop of known shape. */
#include "bench.h"

static volatile unsigned long sink;

int main(void)
{
	unsigned long i;

	bench_insn_begin();
	for (i = 0; i < 100000; i++)
		sink += i;
	bench_insn_end("bench_selftest_loop", 100000, "insn/iteration");
	return 0;
}
