/*
 * mkcat: builds a Windows security catalog (.cat) for a driver package on a
 * Linux host. The catalog is a PKCS#7 SignedData whose content is a
 * Certificate Trust List naming every file of the package by its hash;
 * osslsigncode signs it afterwards. See tools/mkcat/README.md.
 */
#ifndef MKCAT_H
#define MKCAT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define MKCAT_MAX_FILES 64
#define MKCAT_MAX_HWIDS 64
#define MKCAT_NAME_MAX 128
#define MKCAT_HWID_MAX 256
#define MKCAT_DIGEST_MAX 32

/* A file read whole into memory; free with file_free(). */
struct file_buf {
	uint8_t *data;
	size_t len;
};

/* Reads PATH (regular file, at most 256 MiB). Returns 0 or -1 with a message on stderr. */
int file_read(const char *path, struct file_buf *out);
void file_free(struct file_buf *buf);

enum hash_kind {
	HASH_SHA1,
	HASH_SHA256,
};

/* Digest size in bytes of KIND. */
size_t hash_size(enum hash_kind kind);

/*
 * Authenticode digest of a PE image: the whole file except the checksum
 * field, the certificate-table directory entry and the certificate table,
 * with an unsigned image padded with zeros to 8 bytes as signing lays it
 * out. Returns 0, or -1 with *why set when BUF is not a well-formed PE.
 */
int pe_hash(const uint8_t *buf, size_t len, enum hash_kind kind,
	    uint8_t *digest, const char **why);

/* True if BUF starts like a PE image (MZ header pointing at "PE\0\0"). */
int pe_looks_like(const uint8_t *buf, size_t len);

/* Flat digest of the whole file (what catalogs use for non-PE members). */
int flat_hash(const uint8_t *buf, size_t len, enum hash_kind kind, uint8_t *digest);

/* What an INF names, for one architecture. */
struct inf_info {
	char files[MKCAT_MAX_FILES][MKCAT_NAME_MAX];
	unsigned int nr_files;
	char hwids[MKCAT_MAX_HWIDS][MKCAT_HWID_MAX];
	unsigned int nr_hwids;
};

/*
 * Parses the INF text (ASCII) for ARCH ("amd64" or "x86"): the files of
 * [SourceDisksFiles] and [SourceDisksFiles.ARCH], and the hardware IDs of
 * the models sections [Manufacturer] selects for ARCH (lower-cased, in
 * order, without duplicates). Returns 0, or -1 with a message on stderr.
 */
int inf_parse(const char *name, const uint8_t *text, size_t len,
	      const char *arch, struct inf_info *out);

/* One catalog member: a file of the package and its digest. */
struct cat_member {
	char name[MKCAT_NAME_MAX];
	int is_pe;
	uint8_t digest[MKCAT_DIGEST_MAX];
};

struct cat_params {
	enum hash_kind hash;
	time_t this_update;        /* the CTL's time: fixed for reproducible output */
	const char *os;            /* catalog-wide OS attribute, e.g. "_v100_X64" */
	const char *os_attr;       /* per-member OSAttr, e.g. "2:6.1,2:10.0" */
	const struct inf_info *inf;
	struct cat_member *members; /* sorted by ctl_write() */
	unsigned int nr_members;
};

/*
 * Encodes the catalog (DER PKCS#7 SignedData over the CTL, no signer yet)
 * into a malloc'ed buffer the caller frees. Members are sorted by their hash
 * tag and the list identifier derives from the content, so equal inputs
 * give equal bytes. Returns 0 or -1 with a message on stderr.
 */
int ctl_write(struct cat_params *params, uint8_t **der, size_t *der_len);

#endif
