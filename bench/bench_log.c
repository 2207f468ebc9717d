/* Cost of a typical log line, of the formatter alone, and of start option
 * parsing. */
#include <string.h>

#include "bench.h"
#include "log.h"
#include "options.h"

static volatile size_t written;

static void count_sink(void *ctx, const char *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	written += len;
}

int main(void)
{
	enum { OPS = 10000 };
	static const char cmdline[] =
		" NOEXECUTE=OPTIN FASTDETECT XEN:DBG_PRINT=OFF XEN:WATCHDOG=30 XEN:BALLOON=OFF";
	char buf[LOG_SLOT_SIZE];
	struct options o;
	unsigned i;

	log_init();
	log_add_sink(count_sink, NULL, LOG_INFO, NULL);

	bench_insn_begin();
	for (i = 0; i < OPS; i++)
		log_snprintf(buf, sizeof(buf), "%s|%s: port %u ref %08x %d bytes\n", "xenbus",
		       "StoreRead", i, i * 7u, -(int)i);
	bench_insn_end("log_format_line", OPS, "insn/line");

	bench_insn_begin();
	for (i = 0; i < OPS; i++)
		log_printf(LOG_INFO, "%s|%s: port %u ref %08x %d bytes\n", "xenbus", "StoreRead", i,
			   i * 7u, -(int)i);
	bench_insn_end("log_printf_line_1sink", OPS, "insn/line");

	bench_insn_begin();
	for (i = 0; i < OPS; i++)
		log_printf(LOG_TRACE, "%s|%s: filtered %u\n", "xenbus", "StoreRead", i);
	bench_insn_end("log_printf_filtered", OPS, "insn/line");

	bench_insn_begin();
	for (i = 0; i < OPS; i++)
		options_parse(cmdline, sizeof(cmdline) - 1, &o);
	bench_insn_end("options_parse_typical", OPS, "insn/parse");
	return o.watchdog_s == 30 ? 0 : 1;
}
