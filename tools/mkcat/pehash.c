/*
 * File reading and the two member digests of a catalog: the Authenticode
 * digest of a PE image and the flat digest of any other file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include "mkcat.h"

#define FILE_MAX ((size_t)256 << 20)

/* PE offsets (Microsoft PE/COFF specification). */
#define DOS_LFANEW 0x3c
#define COFF_SIZE 20
#define COFF_OPT_SIZE 16
#define OPT_MAGIC_PE32 0x10b
#define OPT_MAGIC_PE32PLUS 0x20b
#define OPT_CHECKSUM 64
#define DIR_SECURITY 4
#define DIR_ENTRY_SIZE 8
#define COFF_NR_SECTIONS 2
#define OPT_SIZE_OF_HEADERS 60
#define SECTION_SIZE 40
#define SECTION_RAW_SIZE 16
#define SECTION_RAW_PTR 20

int file_read(const char *path, struct file_buf *out)
{
	FILE *f;
	struct stat st;
	int rc = -1;

	out->data = NULL;
	out->len = 0;
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "mkcat: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "mkcat: %s: not a regular file\n", path);
		goto out;
	}
	if ((unsigned long long)st.st_size > FILE_MAX) {
		fprintf(stderr, "mkcat: %s: larger than %zu bytes\n", path, FILE_MAX);
		goto out;
	}
	out->len = (size_t)st.st_size;
	out->data = malloc(out->len ? out->len : 1);
	if (!out->data) {
		fprintf(stderr, "mkcat: %s: out of memory\n", path);
		goto out;
	}
	if (fread(out->data, 1, out->len, f) != out->len) {
		fprintf(stderr, "mkcat: %s: short read\n", path);
		file_free(out);
		goto out;
	}
	rc = 0;
out:
	fclose(f);
	return rc;
}

void file_free(struct file_buf *buf)
{
	free(buf->data);
	buf->data = NULL;
	buf->len = 0;
}

size_t hash_size(enum hash_kind kind)
{
	return kind == HASH_SHA1 ? 20 : 32;
}

static const EVP_MD *hash_md(enum hash_kind kind)
{
	return kind == HASH_SHA1 ? EVP_sha1() : EVP_sha256();
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Where the fields the digest skips live; every offset checked against LEN. */
struct pe_layout {
	size_t checksum;   /* offset of the 4-byte CheckSum field */
	size_t secdir;     /* offset of the 8-byte certificate-table entry */
	size_t end;        /* first byte not hashed (certificate table or EOF) */
	int signed_image;
};

static int pe_locate(const uint8_t *buf, size_t len, struct pe_layout *pe,
		     const char **why)
{
	size_t nt, opt, opt_size, dirs, nr_dirs_at;
	uint32_t nr_dirs, cert_addr, cert_size;

	if (len < 0x40 || buf[0] != 'M' || buf[1] != 'Z') {
		*why = "no MZ header";
		return -1;
	}
	nt = get32(buf + DOS_LFANEW);
	if (nt > len || len - nt < 4 + COFF_SIZE || memcmp(buf + nt, "PE\0\0", 4) != 0) {
		*why = "no PE signature where the MZ header points";
		return -1;
	}
	opt_size = get16(buf + nt + 4 + COFF_OPT_SIZE);
	opt = nt + 4 + COFF_SIZE;
	if (opt_size > len - opt || opt_size < 2) {
		*why = "optional header runs past the end of the file";
		return -1;
	}
	switch (get16(buf + opt)) {
	case OPT_MAGIC_PE32:
		nr_dirs_at = 92;
		dirs = 96;
		break;
	case OPT_MAGIC_PE32PLUS:
		nr_dirs_at = 108;
		dirs = 112;
		break;
	default:
		*why = "unknown optional header magic";
		return -1;
	}
	if (opt_size < dirs + (DIR_SECURITY + 1) * DIR_ENTRY_SIZE) {
		*why = "optional header too small for a certificate-table entry";
		return -1;
	}
	nr_dirs = get32(buf + opt + nr_dirs_at);
	if (nr_dirs <= DIR_SECURITY) {
		*why = "no certificate-table directory entry";
		return -1;
	}
	pe->checksum = opt + OPT_CHECKSUM;
	pe->secdir = opt + dirs + DIR_SECURITY * DIR_ENTRY_SIZE;
	cert_addr = get32(buf + pe->secdir);
	cert_size = get32(buf + pe->secdir + 4);
	pe->signed_image = cert_size != 0;
	pe->end = len;
	if (!pe->signed_image)
		return 0;
	if (cert_addr < pe->secdir + DIR_ENTRY_SIZE || cert_addr > len ||
	    cert_size > len - cert_addr) {
		*why = "certificate table outside the file";
		return -1;
	}
	if ((size_t)cert_addr + cert_size != len) {
		*why = "certificate table is not at the end of the file";
		return -1;
	}
	pe->end = cert_addr;
	return 0;
}

/* Headers and every section's raw data must lie within the hashed part. */
static int pe_check_extent(const uint8_t *buf, size_t len, const struct pe_layout *pe,
			   const char **why)
{
	size_t nt = get32(buf + DOS_LFANEW);
	size_t opt = nt + 4 + COFF_SIZE;
	size_t table = opt + get16(buf + nt + 4 + COFF_OPT_SIZE);
	unsigned int nr = get16(buf + nt + 4 + COFF_NR_SECTIONS);

	if (get32(buf + opt + OPT_SIZE_OF_HEADERS) > pe->end) {
		*why = "headers run past the end of the image";
		return -1;
	}
	if (table > len || (len - table) / SECTION_SIZE < nr) {
		*why = "section table runs past the end of the file";
		return -1;
	}
	for (unsigned int i = 0; i < nr; i++) {
		const uint8_t *sec = buf + table + (size_t)i * SECTION_SIZE;
		uint32_t size = get32(sec + SECTION_RAW_SIZE), ptr = get32(sec + SECTION_RAW_PTR);

		if (size && (ptr > pe->end || size > pe->end - ptr)) {
			*why = "section data runs past the end of the image (truncated file?)";
			return -1;
		}
	}
	return 0;
}

int pe_looks_like(const uint8_t *buf, size_t len)
{
	size_t nt;

	if (len < 0x40 || buf[0] != 'M' || buf[1] != 'Z')
		return 0;
	nt = get32(buf + DOS_LFANEW);
	return nt <= len && len - nt >= 4 && memcmp(buf + nt, "PE\0\0", 4) == 0;
}

int pe_hash(const uint8_t *buf, size_t len, enum hash_kind kind,
	    uint8_t *digest, const char **why)
{
	static const uint8_t zeros[8];
	struct pe_layout pe;
	EVP_MD_CTX *md;
	int ok;

	if (pe_locate(buf, len, &pe, why) != 0 || pe_check_extent(buf, len, &pe, why) != 0)
		return -1;
	md = EVP_MD_CTX_new();
	if (!md) {
		*why = "out of memory";
		return -1;
	}
	ok = EVP_DigestInit_ex(md, hash_md(kind), NULL) &&
	     EVP_DigestUpdate(md, buf, pe.checksum) &&
	     EVP_DigestUpdate(md, buf + pe.checksum + 4, pe.secdir - pe.checksum - 4) &&
	     EVP_DigestUpdate(md, buf + pe.secdir + DIR_ENTRY_SIZE,
			      pe.end - pe.secdir - DIR_ENTRY_SIZE);
	/* Signing pads an image to 8 bytes before appending the table. */
	if (ok && !pe.signed_image && len % 8)
		ok = EVP_DigestUpdate(md, zeros, 8 - len % 8);
	ok = ok && EVP_DigestFinal_ex(md, digest, NULL);
	EVP_MD_CTX_free(md);
	if (!ok)
		*why = "digest failed";
	return ok ? 0 : -1;
}

int flat_hash(const uint8_t *buf, size_t len, enum hash_kind kind, uint8_t *digest)
{
	return EVP_Digest(buf, len, digest, NULL, hash_md(kind), NULL) ? 0 : -1;
}
