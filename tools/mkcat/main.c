/*
 * mkcat --inf PACKAGE/xenbus.inf --arch x64|x86 -o xenbus.cat
 *       [--dir DIR] [--hash sha256|sha1] [--os LIST] [--os-attr LIST] [--time EPOCH]
 *
 * Writes an unsigned catalog over the INF and every file its
 * [SourceDisksFiles] sections name for that architecture; each must exist in
 * DIR (default: the INF's directory). Sign it with osslsigncode afterwards.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mkcat.h"

struct options {
	const char *inf;
	const char *dir;
	const char *out;
	const char *arch;     /* INF spelling: amd64 or x86 */
	const char *os;
	const char *os_attr;
	enum hash_kind hash;
	long long time;
	int have_time;
};

static void usage(void)
{
	fprintf(stderr,
		"usage: mkcat --inf FILE --arch x64|x86 -o OUT [--dir DIR] [--hash sha256|sha1]\n"
		"             [--os LIST] [--os-attr LIST] [--time EPOCH]\n");
}

static int parse_time(const char *s, long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(s, &end, 10);
	return errno || end == s || *end || *out < 0 || *out > 2524607999LL ? -1 : 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "inf", required_argument, NULL, 'i' },
		{ "dir", required_argument, NULL, 'd' },
		{ "arch", required_argument, NULL, 'a' },
		{ "hash", required_argument, NULL, 'h' },
		{ "os", required_argument, NULL, 's' },
		{ "os-attr", required_argument, NULL, 'A' },
		{ "time", required_argument, NULL, 't' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *epoch;
	int c;

	memset(o, 0, sizeof(*o));
	o->hash = HASH_SHA256;
	o->os_attr = "2:6.1,2:6.2,2:6.3,2:10.0";
	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': o->inf = optarg; break;
		case 'd': o->dir = optarg; break;
		case 'o': o->out = optarg; break;
		case 's': o->os = optarg; break;
		case 'A': o->os_attr = optarg; break;
		case 'a':
			if (!strcmp(optarg, "x64"))
				o->arch = "amd64";
			else if (!strcmp(optarg, "x86"))
				o->arch = "x86";
			else
				return -1;
			break;
		case 'h':
			if (!strcmp(optarg, "sha256"))
				o->hash = HASH_SHA256;
			else if (!strcmp(optarg, "sha1"))
				o->hash = HASH_SHA1;
			else
				return -1;
			break;
		case 't':
			if (parse_time(optarg, &o->time) != 0)
				return -1;
			o->have_time = 1;
			break;
		default:
			return -1;
		}
	}
	if (optind != argc || !o->inf || !o->out || !o->arch)
		return -1;
	if (!o->have_time && (epoch = getenv("SOURCE_DATE_EPOCH")) != NULL) {
		if (parse_time(epoch, &o->time) != 0)
			return -1;
		o->have_time = 1;
	}
	if (!o->have_time) {
		fprintf(stderr, "mkcat: give --time or SOURCE_DATE_EPOCH (the output must be reproducible)\n");
		return -1;
	}
	if (!o->os)
		o->os = strcmp(o->arch, "x86") ? "7X64,8X64,_v63_X64,_v100_X64"
					       : "7X86,8X86,_v63,_v100";
	return 0;
}

static int is_image_name(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot && (!strcasecmp(dot, ".sys") || !strcasecmp(dot, ".dll") ||
		       !strcasecmp(dot, ".exe"));
}

/* Reads and hashes one member; PE images get the Authenticode digest. */
static int member_load(const char *dir, const char *name, enum hash_kind hash,
		       struct cat_member *m)
{
	char path[4096];
	struct file_buf buf;
	const char *why = NULL;
	int rc = -1;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path)) {
		fprintf(stderr, "mkcat: %s/%s: path too long\n", dir, name);
		return -1;
	}
	if (file_read(path, &buf) != 0) {
		fprintf(stderr, "mkcat: the INF names %s, which is not in %s\n", name, dir);
		return -1;
	}
	snprintf(m->name, sizeof(m->name), "%s", name);
	memset(m->digest, 0, sizeof(m->digest));
	m->is_pe = pe_looks_like(buf.data, buf.len);
	if (m->is_pe) {
		if (pe_hash(buf.data, buf.len, hash, m->digest, &why) != 0) {
			fprintf(stderr, "mkcat: %s: bad PE image: %s\n", path, why);
			goto out;
		}
	} else if (is_image_name(name)) {
		fprintf(stderr, "mkcat: %s: not a PE image\n", path);
		goto out;
	} else if (flat_hash(buf.data, buf.len, hash, m->digest) != 0) {
		fprintf(stderr, "mkcat: %s: digest failed\n", path);
		goto out;
	}
	rc = 0;
out:
	file_free(&buf);
	return rc;
}

static int write_atomically(const char *path, const uint8_t *data, size_t len)
{
	char tmp[4096];
	FILE *f;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -1;
	f = fopen(tmp, "wb");
	if (!f) {
		fprintf(stderr, "mkcat: %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	if (fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "mkcat: %s: write failed\n", tmp);
		remove(tmp);
		return -1;
	}
	if (rename(tmp, path) != 0) {
		fprintf(stderr, "mkcat: %s: %s\n", path, strerror(errno));
		remove(tmp);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct inf_info inf;
	static struct cat_member members[MKCAT_MAX_FILES + 1];
	struct cat_params cp;
	struct options o;
	struct file_buf text;
	char inf_copy[4096], dir_copy[4096];
	const char *inf_name, *dir;
	uint8_t *der = NULL;
	size_t der_len;
	unsigned int n = 0;
	int rc = 1;

	if (parse_args(argc, argv, &o) != 0) {
		usage();
		return 2;
	}
	if (strlen(o.inf) >= sizeof(inf_copy)) {
		fprintf(stderr, "mkcat: %s: path too long\n", o.inf);
		return 1;
	}
	memcpy(inf_copy, o.inf, strlen(o.inf) + 1);
	memcpy(dir_copy, o.inf, strlen(o.inf) + 1);
	inf_name = basename(inf_copy);
	if (strlen(inf_name) >= MKCAT_NAME_MAX) {
		fprintf(stderr, "mkcat: %s: name too long\n", inf_name);
		return 1;
	}
	dir = o.dir ? o.dir : dirname(dir_copy);
	if (file_read(o.inf, &text) != 0)
		return 1;
	if (inf_parse(o.inf, text.data, text.len, o.arch, &inf) != 0)
		goto out;
	if (member_load(dir, inf_name, o.hash, &members[n++]) != 0)
		goto out;
	for (unsigned int i = 0; i < inf.nr_files; i++) {
		if (!strcasecmp(inf.files[i], inf_name)) {
			fprintf(stderr, "mkcat: the INF lists itself in [SourceDisksFiles]\n");
			goto out;
		}
		if (member_load(dir, inf.files[i], o.hash, &members[n++]) != 0)
			goto out;
	}
	cp = (struct cat_params){
		.hash = o.hash,
		.this_update = (time_t)o.time,
		.os = o.os,
		.os_attr = o.os_attr,
		.inf = &inf,
		.members = members,
		.nr_members = n,
	};
	if (ctl_write(&cp, &der, &der_len) != 0)
		goto out;
	if (write_atomically(o.out, der, der_len) != 0)
		goto out;
	rc = 0;
out:
	free(der);
	file_free(&text);
	return rc;
}
