/* PV console: instructions per byte for 64-byte writes (guest side only:
 * the backend consumes instantly) and for the CRLF log sink path; bus child
 * enumeration of a typical device directory. */
#include "bench.h"
#include "bus.h"
#include "console.h"
#include "sim.h"
#include "sim_console.h"

/* A backend that consumes instantly, so only the guest side is counted. */
static void consume_all(void *ctx)
{
	struct xencons_interface *r = ctx;

	r->out_cons = r->out_prod;
}

static const char line[64] = "xenbus|bench: sixty-four bytes of console output, padded ....\n";

int main(void)
{
	static const char supported[] = "VIF\0VBD\0VKBD\0IFACE\0CONS\0";
	static const char dir[] = "vif\0vbd\0vkbd\0qdisk\0console\0";
	struct console c;
	char out[128];
	size_t done, need;
	unsigned i;
	const unsigned n = 20000;

	sim_init(NULL);
	sim_console_init();
	console_init(&c);
	console_enable(&c, sim_console_ring(), consume_all, sim_console_ring());

	bench_insn_begin();
	for (i = 0; i < n; i++)
		console_write(&c, line, sizeof(line), &done);
	bench_insn_end("console_write_64B", n * sizeof(line), "insn/byte");

	bench_insn_begin();
	for (i = 0; i < n; i++)
		console_log_write(&c, line, sizeof(line));
	bench_insn_end("console_log_sink_64B", n * sizeof(line), "insn/byte");

	bench_insn_begin();
	for (i = 0; i < n; i++)
		bus_enumerate(dir, sizeof(dir) - 1, supported, sizeof(supported), "IFACE\0CONS\0", 12,
			      out, sizeof(out), &need, NULL);
	bench_insn_end("bus_enumerate_5_classes", n, "insn/call");

	console_disable(&c);
	sim_fini();
	return 0;
}
