/*
 * xt-dom0: dom0's side of the real-Xen scenarios, built statically on the
 * host against the Linux uapi headers (linux-libc-dev) and run in the rig's
 * busybox dom0.
 *
 *   xt-dom0 echo DOMID PORT COUNT TIMEOUT_S
 *       bind to the guest's unbound PORT through /dev/xen/evtchn, drain what
 *       the bind left pending, print "ready", then send one event back for
 *       each of COUNT events received.
 *   xt-dom0 map DOMID GREF EXPECT
 *       map the guest's grant GREF through /dev/xen/gntdev, check that the
 *       page starts with EXPECT, print "mapped", hold the mapping until a
 *       line arrives on stdin, then unmap and print "unmapped".
 * Exit status 0 on success; messages on stdout.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
/* The uapi headers use Xen's domid_t and grant_ref_t: take them from Xen's
 * public headers (the ABI authority). */
#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/evtchn.h>
#include <xen/gntdev.h>

static unsigned long num(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || end == s) {
		fprintf(stderr, "xt-dom0: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

static int cmd_echo(unsigned domid, unsigned port, unsigned count, unsigned timeout_s)
{
	struct ioctl_evtchn_bind_interdomain bind = { .remote_domain = domid, .remote_port = port };
	int fd = open("/dev/xen/evtchn", O_RDWR);
	unsigned echoed = 0;
	int local;

	if (fd < 0) {
		perror("xt-dom0: /dev/xen/evtchn");
		return 1;
	}
	local = ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);
	if (local < 0) {
		perror("xt-dom0: bind interdomain");
		return 1;
	}
	printf("echo: bound d%u port %u to local port %d\n", domid, port, local);
	/* Linux marks a freshly bound port pending once: drain that before
	 * telling the guest (through xenstore, by the caller) we are ready. */
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		uint32_t got;

		if (poll(&p, 1, 300) <= 0)
			break;
		if (read(fd, &got, sizeof(got)) != sizeof(got) ||
		    write(fd, &got, sizeof(got)) != sizeof(got))
			break;
		printf("echo: drained a bind-time event on port %u\n", got);
	}
	printf("ready\n");
	fflush(stdout);
	while (echoed < count) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		struct ioctl_evtchn_notify n = { .port = (unsigned)local };
		uint32_t got;

		if (poll(&p, 1, (int)timeout_s * 1000) <= 0) {
			printf("echo: timeout after %u events\n", echoed);
			return 1;
		}
		if (read(fd, &got, sizeof(got)) != sizeof(got) || got != (uint32_t)local) {
			printf("echo: bad read\n");
			return 1;
		}
		if (ioctl(fd, IOCTL_EVTCHN_NOTIFY, &n) < 0) {
			perror("xt-dom0: notify");
			return 1;
		}
		echoed++;
		/* Writing the port back unmasks it for the next event. */
		if (write(fd, &got, sizeof(got)) != sizeof(got)) {
			perror("xt-dom0: unmask");
			return 1;
		}
	}
	printf("echo: echoed %u events\n", echoed);
	/* Stay bound a moment: closing unbinds, and the guest may still be
	 * taking the last event. */
	sleep(1);
	return 0;
}

static int cmd_map(unsigned domid, unsigned gref, const char *expect)
{
	struct ioctl_gntdev_map_grant_ref map = { .count = 1 };
	struct ioctl_gntdev_unmap_grant_ref unmap = { .count = 1 };
	int fd = open("/dev/xen/gntdev", O_RDWR);
	char line[16];
	char *page;

	if (fd < 0) {
		perror("xt-dom0: /dev/xen/gntdev");
		return 1;
	}
	map.refs[0].domid = domid;
	map.refs[0].ref = gref;
	if (ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, &map) < 0) {
		perror("xt-dom0: map grant ref");
		return 1;
	}
	/* The grant is mapped by Xen when the range is mmap()ed. */
	page = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, (off_t)map.index);
	if (page == MAP_FAILED) {
		printf("map: mmap of d%u gref %u failed: %s\n", domid, gref, strerror(errno));
		return 1;
	}
	if (strncmp(page, expect, strlen(expect)) != 0) {
		printf("map: content mismatch: got '%.64s'\n", page);
		return 1;
	}
	printf("mapped d%u gref %u: '%.64s'\n", domid, gref, page);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		line[0] = 0;
	munmap(page, 4096);
	unmap.index = map.index;
	if (ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &unmap) < 0) {
		perror("xt-dom0: unmap");
		return 1;
	}
	printf("unmapped\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && strcmp(argv[1], "echo") == 0)
		return cmd_echo(num(argv[2]), num(argv[3]), num(argv[4]), num(argv[5]));
	if (argc == 5 && strcmp(argv[1], "map") == 0)
		return cmd_map(num(argv[2]), num(argv[3]), argv[4]);
	fprintf(stderr, "usage: xt-dom0 echo DOMID PORT COUNT TIMEOUT_S | map DOMID GREF EXPECT\n");
	return 2;
}
