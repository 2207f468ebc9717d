/*
 * /init of the Linux PVH peer guest (tools/xen-bench): Debian's kernel runs
 * this static program as the only process. It makes the two measurements
 * the test kernel makes through the core (tests/xen/xt_bench.c):
 *   store_reads:     R rounds of N XS_READs of the domain's "name" node
 *                    through Linux's /dev/xen/xenbus (xs_wire.h messages),
 *                    one warm-up first; the fastest round counts;
 *   balloon_inflate: target_kb lowered by M pages through the balloon's
 *                    sysfs node, timed until info/current_kb reaches it;
 * prints "PEER linux store_reads <N> <ns>" / "PEER linux balloon_inflate <M>
 * <ns>" (or "PEER linux error <what>") on the console, with a
 * "PEER note linux balloon ..." line of the balloon's progress (ms:kb at
 * each step), and powers off. It waits SETTLE_S seconds after boot first.
 * R, N and M come from the kernel command line (peer_rounds=, peer_reads=,
 * peer_pages=), which Linux hands to init as environment variables.
 * Each timed part is framed by "PEER mark linux <what> begin|end <round>"
 * lines written to I/O port 0xE9 (Xen prints them with its own time
 * stamp, as it does the test kernel's) and reported as "PEER round linux
 * <what> <round> <ns>": tools/xen-bench checks Linux's clock against Xen's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xen/io/xs_wire.h>

#define BALLOON_DIR "/sys/devices/system/xen_memory/xen_memory0"
#define WAIT_S 60
#define SETTLE_S 2

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static int port_ok;

/* A line on port 0xE9 (Xen stamps and prints it); nothing without ioperm. */
static void mark(const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	int n, i;

	if (!port_ok)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (i = 0; i < n && i < (int)sizeof(buf) - 1; i++)
		outb((unsigned char)buf[i], 0xe9);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void nap_us(long us)
{
	struct timespec ts = { 0, us * 1000 };

	nanosleep(&ts, NULL);
}

static unsigned long env_ulong(const char *name, unsigned long def)
{
	const char *s = getenv(name);
	char *end;
	unsigned long v;

	if (!s || !*s)
		return def;
	errno = 0;
	v = strtoul(s, &end, 10);
	return (errno || *end || v == 0) ? def : v;
}

/* All of len bytes written (out) or read, retrying short transfers: 0, or
 * -1 on an error or end of file. */
static int full_io(int fd, void *buf, size_t len, int out)
{
	char *p = buf;

	while (len) {
		ssize_t n = out ? write(fd, p, len) : read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* One XS_READ of path: 0 and the value in val (NUL-terminated), or -1. The
 * reply is validated: its id, type and length. */
static int xs_read(int fd, uint32_t id, const char *path, char *val, size_t size)
{
	struct xsd_sockmsg m = { .type = XS_READ, .req_id = id, .tx_id = 0 };
	char req[sizeof(m) + 256];
	size_t plen = strlen(path) + 1;

	if (plen > 256)
		return -1;
	m.len = (uint32_t)plen;
	memcpy(req, &m, sizeof(m));
	memcpy(req + sizeof(m), path, plen);
	if (full_io(fd, req, sizeof(m) + plen, 1))
		return -1;
	if (full_io(fd, &m, sizeof(m), 0))
		return -1;
	if (m.len > XENSTORE_PAYLOAD_MAX || m.len >= size)
		return -1;
	if (full_io(fd, val, m.len, 0))
		return -1;
	val[m.len] = '\0';
	return (m.type == XS_READ && m.req_id == id) ? 0 : -1;
}

/* One timed round of n reads of "name", each checked against want: its
 * ns, or 0 (and an error line) on failure. */
static uint64_t read_round(int fd, unsigned long n, const char *want, uint32_t *id)
{
	char v[XENSTORE_PAYLOAD_MAX + 1];
	uint64_t t0 = now_ns();
	unsigned long i;

	for (i = 0; i < n; i++) {
		if (xs_read(fd, ++*id, "name", v, sizeof(v)) || strcmp(v, want)) {
			say("PEER linux error read %lu\n", i);
			return 0;
		}
	}
	return now_ns() - t0;
}

static void store_reads(unsigned long n, unsigned long rounds)
{
	char want[XENSTORE_PAYLOAD_MAX + 1], all[160];
	uint64_t ns, best = UINT64_MAX;
	unsigned long r;
	uint32_t id = 0;
	int fd = -1, tries, used = 0;

	/* xenbus may register its device after init starts. */
	for (tries = 0; tries < WAIT_S * 10 && fd < 0; tries++) {
		fd = open("/dev/xen/xenbus", O_RDWR);
		if (fd < 0)
			nap_us(100000);
	}
	if (fd < 0) {
		say("PEER linux error open /dev/xen/xenbus: %s\n", strerror(errno));
		return;
	}
	if (xs_read(fd, id, "name", want, sizeof(want))) {
		say("PEER linux error first read of name\n");
		goto out;
	}
	all[0] = '\0';
	for (r = 0; r < rounds; r++) {
		mark("PEER mark linux store_reads begin %lu\n", r);
		ns = read_round(fd, n, want, &id);
		mark("PEER mark linux store_reads end %lu\n", r);
		if (!ns)
			goto out;
		say("PEER round linux store_reads %lu %llu\n", r, (unsigned long long)ns);
		best = ns < best ? ns : best;
		if (used < (int)sizeof(all))
			used += snprintf(all + used, sizeof(all) - (size_t)used, " %llu",
					 (unsigned long long)(ns / 1000000));
	}
	say("PEER linux store_reads %lu %llu\n", n, (unsigned long long)best);
	say("PEER note linux store_reads rounds of %lu, ms:%s\n", n, all);
out:
	close(fd);
}

/* A decimal sysfs value, -1 on error. */
static long long read_kb(const char *path)
{
	char buf[32];
	int fd = open(path, O_RDONLY);
	ssize_t n;
	char *end;
	long long v;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	v = strtoll(buf, &end, 10);
	return (end == buf || (*end && *end != '\n')) ? -1 : v;
}

static void balloon_inflate(unsigned long pages)
{
	long long cur, want, last = -1, seen;
	uint64_t t0, t1, deadline;
	char buf[32], steps[512];
	int fd, len, used = 0;

	cur = read_kb(BALLOON_DIR "/info/current_kb");
	if (cur < 0 || cur <= (long long)pages * 4) {
		say("PEER linux error current_kb %lld\n", cur);
		return;
	}
	want = cur - (long long)pages * 4;
	len = snprintf(buf, sizeof(buf), "%lld\n", want);
	fd = open(BALLOON_DIR "/target_kb", O_WRONLY);
	if (fd < 0) {
		say("PEER linux error open target_kb: %s\n", strerror(errno));
		return;
	}
	mark("PEER mark linux balloon_inflate begin 0\n");
	t0 = now_ns();
	if (full_io(fd, buf, (size_t)len, 1)) {
		say("PEER linux error write target_kb: %s\n", strerror(errno));
		close(fd);
		return;
	}
	close(fd);
	/* The balloon thread works in the background: poll its progress. */
	deadline = t0 + (uint64_t)WAIT_S * 1000000000u;
	seen = cur;
	steps[0] = '\0';
	while ((last = read_kb(BALLOON_DIR "/info/current_kb")) > want && now_ns() < deadline) {
		/* Where the time goes: ms:kb at each change (first ones). */
		if (last != seen && used < (int)sizeof(steps) - 32) {
			used += snprintf(steps + used, sizeof(steps) - (size_t)used, " %llu:%lld",
					 (unsigned long long)((now_ns() - t0) / 1000000), last);
			seen = last;
		}
		nap_us(100);
	}
	t1 = now_ns();
	mark("PEER mark linux balloon_inflate end 0\n");
	say("PEER round linux balloon_inflate 0 %llu\n", (unsigned long long)(t1 - t0));
	if (last != want) {
		say("PEER linux error current_kb %lld, want %lld\n", last, want);
		return;
	}
	say("PEER linux balloon_inflate %lu %llu\n", pages, (unsigned long long)(t1 - t0));
	say("PEER note linux balloon current_kb from %lld, ms:kb%s %llu:%lld\n", cur, steps,
	    (unsigned long long)((t1 - t0) / 1000000), last);
}

/* One line of a sysfs file as a note (what shapes Linux's numbers). */
static void note_file(const char *what, const char *path)
{
	char buf[128];
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	if (fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\n")] = '\0';
		say("PEER note linux %s: %s\n", what, buf);
	}
	fclose(f);
}

int main(void)
{
	mkdir("/dev", 0755);
	mkdir("/sys", 0755);
	mkdir("/proc", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("proc", "/proc", "proc", 0, NULL);
	if (!freopen("/dev/console", "w", stdout))
		return 1;
	say("PEER linux begin\n");
	port_ok = ioperm(0xe9, 1, 1) == 0;
	if (!port_ok)
		say("PEER linux error ioperm 0xe9: %s\n", strerror(errno));
	/* Nothing between: Xen's interval is what one mark line costs. */
	mark("PEER mark linux cal begin 0\n");
	mark("PEER mark linux cal end 0\n");
	/* Let the boot's background work (async probes, RNG) settle first. */
	sleep(SETTLE_S);
	note_file("clocksource", "/sys/devices/system/clocksource/clocksource0/current_clocksource");
	note_file("meltdown", "/sys/devices/system/cpu/vulnerabilities/meltdown");
	store_reads(env_ulong("peer_reads", 50), env_ulong("peer_rounds", 4));
	balloon_inflate(env_ulong("peer_pages", 4096));
	say("PEER linux end\n");
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
