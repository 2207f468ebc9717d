/*
 * The catalog's ASN.1: a Certificate Trust List (szOID_CTL) of catalog
 * members inside a PKCS#7 SignedData, encoded with OpenSSL's templates (which
 * also sort every SET OF as DER requires).
 *
 *   CTL ::= SEQUENCE {
 *     subjectUsage      SEQUENCE OF OID        -- szOID_CATALOG_LIST
 *     listIdentifier    OCTET STRING
 *     thisUpdate        UTCTime
 *     subjectAlgorithm  SEQUENCE { OID, NULL } -- catalog list member (v1 SHA-1, v2 SHA-256)
 *     subjects          SEQUENCE OF SEQUENCE {
 *       tag             OCTET STRING           -- UTF-16LE upper-case hex digest + NUL
 *       attributes      SET OF SEQUENCE { OID, SET OF value } }
 *     extensions [0]    EXPLICIT SEQUENCE OF Extension  -- catalog-wide name/value pairs
 *   }
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1t.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include "mkcat.h"

#define OID_CTL "1.3.6.1.4.1.311.10.1"
#define OID_CATALOG_LIST "1.3.6.1.4.1.311.12.1.1"
#define OID_CATALOG_MEMBER_V1 "1.3.6.1.4.1.311.12.1.2"
#define OID_CATALOG_MEMBER_V2 "1.3.6.1.4.1.311.12.1.3"
#define OID_NAME_VALUE "1.3.6.1.4.1.311.12.2.1"
#define OID_MEMBER_INFO "1.3.6.1.4.1.311.12.2.2"
#define OID_SPC_INDIRECT_DATA "1.3.6.1.4.1.311.2.1.4"
#define OID_SPC_PE_IMAGE_DATA "1.3.6.1.4.1.311.2.1.15"
#define OID_SPC_CAB_DATA "1.3.6.1.4.1.311.2.1.25"

/* Subject interface package GUIDs: who hashes the member on Windows. */
#define SIP_PE "{C689AAB8-8E78-11D0-8C47-00C04FC295EE}"
#define SIP_FLAT "{DE351A42-8E59-11D0-8C47-00C04FC295EE}"
#define MEMBER_INFO_VERSION 512

/* CRYPTCAT_ATTR_AUTHENTICATED | CRYPTCAT_ATTR_DATAASCII | CRYPTCAT_ATTR_NAMEASCII */
#define NAME_VALUE_FLAGS 0x10010001

/*
 * SpcLink "file" [2] holding the BMPString "<<<Obsolete>>>": the fixed
 * value Authenticode writes where a file name once went.
 */
static const unsigned char obsolete_link[] = {
	0xa2, 0x1e, 0x80, 0x1c,
	0x00, '<', 0x00, '<', 0x00, '<', 0x00, 'O', 0x00, 'b', 0x00, 's', 0x00, 'o',
	0x00, 'l', 0x00, 'e', 0x00, 't', 0x00, 'e', 0x00, '>', 0x00, '>', 0x00, '>',
};

typedef struct {
	ASN1_OBJECT *type;
	ASN1_TYPE *value;
} TypeValue;

DECLARE_ASN1_FUNCTIONS(TypeValue)

ASN1_SEQUENCE(TypeValue) = {
	ASN1_SIMPLE(TypeValue, type, ASN1_OBJECT),
	ASN1_OPT(TypeValue, value, ASN1_ANY),
} ASN1_SEQUENCE_END(TypeValue)
IMPLEMENT_ASN1_FUNCTIONS(TypeValue)

typedef struct {
	TypeValue *algorithm;
	ASN1_OCTET_STRING *digest;
} DigestInfo;

DECLARE_ASN1_FUNCTIONS(DigestInfo)

ASN1_SEQUENCE(DigestInfo) = {
	ASN1_SIMPLE(DigestInfo, algorithm, TypeValue),
	ASN1_SIMPLE(DigestInfo, digest, ASN1_OCTET_STRING),
} ASN1_SEQUENCE_END(DigestInfo)
IMPLEMENT_ASN1_FUNCTIONS(DigestInfo)

typedef struct {
	TypeValue *data;
	DigestInfo *digest;
} IndirectData;

DECLARE_ASN1_FUNCTIONS(IndirectData)

ASN1_SEQUENCE(IndirectData) = {
	ASN1_SIMPLE(IndirectData, data, TypeValue),
	ASN1_SIMPLE(IndirectData, digest, DigestInfo),
} ASN1_SEQUENCE_END(IndirectData)
IMPLEMENT_ASN1_FUNCTIONS(IndirectData)

typedef struct {
	ASN1_BMPSTRING *name;
	ASN1_INTEGER *flags;
	ASN1_OCTET_STRING *value;
} NameValue;

DECLARE_ASN1_FUNCTIONS(NameValue)

ASN1_SEQUENCE(NameValue) = {
	ASN1_SIMPLE(NameValue, name, ASN1_BMPSTRING),
	ASN1_SIMPLE(NameValue, flags, ASN1_INTEGER),
	ASN1_SIMPLE(NameValue, value, ASN1_OCTET_STRING),
} ASN1_SEQUENCE_END(NameValue)
IMPLEMENT_ASN1_FUNCTIONS(NameValue)

typedef struct {
	ASN1_BMPSTRING *sip;
	ASN1_INTEGER *version;
} MemberInfo;

DECLARE_ASN1_FUNCTIONS(MemberInfo)

ASN1_SEQUENCE(MemberInfo) = {
	ASN1_SIMPLE(MemberInfo, sip, ASN1_BMPSTRING),
	ASN1_SIMPLE(MemberInfo, version, ASN1_INTEGER),
} ASN1_SEQUENCE_END(MemberInfo)
IMPLEMENT_ASN1_FUNCTIONS(MemberInfo)

typedef struct {
	ASN1_OBJECT *type;
	STACK_OF(ASN1_TYPE) *values;
} CatAttr;

DECLARE_ASN1_FUNCTIONS(CatAttr)

ASN1_SEQUENCE(CatAttr) = {
	ASN1_SIMPLE(CatAttr, type, ASN1_OBJECT),
	ASN1_SET_OF(CatAttr, values, ASN1_ANY),
} ASN1_SEQUENCE_END(CatAttr)
IMPLEMENT_ASN1_FUNCTIONS(CatAttr)
DEFINE_STACK_OF(CatAttr)

typedef struct {
	ASN1_OCTET_STRING *tag;
	STACK_OF(CatAttr) *attrs;
} CatSubject;

DECLARE_ASN1_FUNCTIONS(CatSubject)

ASN1_SEQUENCE(CatSubject) = {
	ASN1_SIMPLE(CatSubject, tag, ASN1_OCTET_STRING),
	ASN1_SET_OF(CatSubject, attrs, CatAttr),
} ASN1_SEQUENCE_END(CatSubject)
IMPLEMENT_ASN1_FUNCTIONS(CatSubject)
DEFINE_STACK_OF(CatSubject)

typedef struct {
	STACK_OF(ASN1_OBJECT) *usage;
	ASN1_OCTET_STRING *list_id;
	ASN1_UTCTIME *this_update;
	TypeValue *subject_alg;
	STACK_OF(CatSubject) *subjects;
	STACK_OF(X509_EXTENSION) *extensions;
} Ctl;

DECLARE_ASN1_FUNCTIONS(Ctl)

ASN1_SEQUENCE(Ctl) = {
	ASN1_SEQUENCE_OF(Ctl, usage, ASN1_OBJECT),
	ASN1_SIMPLE(Ctl, list_id, ASN1_OCTET_STRING),
	ASN1_SIMPLE(Ctl, this_update, ASN1_UTCTIME),
	ASN1_SIMPLE(Ctl, subject_alg, TypeValue),
	ASN1_SEQUENCE_OF(Ctl, subjects, CatSubject),
	ASN1_EXP_SEQUENCE_OF_OPT(Ctl, extensions, X509_EXTENSION, 0),
} ASN1_SEQUENCE_END(Ctl)
IMPLEMENT_ASN1_FUNCTIONS(Ctl)

/* UTF-16 of an ASCII string: big-endian for BMPString, little-endian + NUL for Windows values. */
static int utf16(const char *s, int big_endian, int nul, unsigned char **out, int *out_len)
{
	size_t n = strlen(s), len = (n + (nul ? 1 : 0)) * 2;
	unsigned char *p = calloc(1, len ? len : 1);

	if (!p)
		return -1;
	for (size_t i = 0; i < n; i++)
		p[2 * i + (big_endian ? 1 : 0)] = (unsigned char)s[i];
	*out = p;
	*out_len = (int)len;
	return 0;
}

/* An ASN.1 string of TYPE holding the UTF-16 of S (see utf16()). */
static ASN1_STRING *utf16_string(int type, const char *s, int big_endian, int nul)
{
	ASN1_STRING *str = ASN1_STRING_type_new(type);
	unsigned char *p;
	int len;

	if (!str || utf16(s, big_endian, nul, &p, &len) != 0) {
		ASN1_STRING_free(str);
		return NULL;
	}
	if (!ASN1_STRING_set(str, p, len)) {
		ASN1_STRING_free(str);
		str = NULL;
	}
	free(p);
	return str;
}

static ASN1_BMPSTRING *bmp_string(const char *s)
{
	return utf16_string(V_ASN1_BMPSTRING, s, 1, 0);
}

/* What Windows stores as a wide string value: UTF-16LE with its NUL. */
static ASN1_OCTET_STRING *wide_octets(const char *s)
{
	return utf16_string(V_ASN1_OCTET_STRING, s, 0, 1);
}

/* Wraps the DER of one value (a SEQUENCE) as an ASN1_TYPE. */
static ASN1_TYPE *der_to_type(const unsigned char *der, int len)
{
	const unsigned char *p = der;

	return d2i_ASN1_TYPE(NULL, &p, len);
}

static ASN1_TYPE *pack(void *obj, const ASN1_ITEM *it)
{
	unsigned char *der = NULL;
	int len = ASN1_item_i2d(obj, &der, it);
	ASN1_TYPE *t;

	if (len <= 0)
		return NULL;
	t = der_to_type(der, len);
	OPENSSL_free(der);
	return t;
}

static ASN1_TYPE *name_value(const char *name, const char *value)
{
	NameValue *nv = NameValue_new();
	ASN1_TYPE *t = NULL;

	if (!nv)
		return NULL;
	ASN1_BMPSTRING_free(nv->name);
	ASN1_OCTET_STRING_free(nv->value);
	nv->name = bmp_string(name);
	nv->value = wide_octets(value);
	if (nv->name && nv->value && ASN1_INTEGER_set(nv->flags, NAME_VALUE_FLAGS))
		t = pack(nv, ASN1_ITEM_rptr(NameValue));
	NameValue_free(nv);
	return t;
}

static ASN1_TYPE *member_info(int is_pe)
{
	MemberInfo *mi = MemberInfo_new();
	ASN1_TYPE *t = NULL;

	if (!mi)
		return NULL;
	ASN1_BMPSTRING_free(mi->sip);
	mi->sip = bmp_string(is_pe ? SIP_PE : SIP_FLAT);
	if (mi->sip && ASN1_INTEGER_set(mi->version, MEMBER_INFO_VERSION))
		t = pack(mi, ASN1_ITEM_rptr(MemberInfo));
	MemberInfo_free(mi);
	return t;
}

/* SPC_INDIRECT_DATA: PE image data (flags empty, obsolete link) or flat "cab" data. */
static ASN1_TYPE *indirect_data(const struct cat_member *m, enum hash_kind hash)
{
	unsigned char pe_data[2 + 3 + 2 + sizeof(obsolete_link)];
	IndirectData *id = IndirectData_new();
	ASN1_TYPE *t = NULL;

	if (!id)
		return NULL;
	/* SpcPeImageData ::= SEQUENCE { flags BIT STRING, file [0] SpcLink } */
	pe_data[0] = 0x30;
	pe_data[1] = (unsigned char)(sizeof(pe_data) - 2);
	pe_data[2] = 0x03;
	pe_data[3] = 0x01;
	pe_data[4] = 0x00;
	pe_data[5] = 0xa0;
	pe_data[6] = (unsigned char)sizeof(obsolete_link);
	memcpy(pe_data + 7, obsolete_link, sizeof(obsolete_link));

	id->data->type = OBJ_txt2obj(m->is_pe ? OID_SPC_PE_IMAGE_DATA : OID_SPC_CAB_DATA, 1);
	id->data->value = m->is_pe ? der_to_type(pe_data, sizeof(pe_data))
				   : der_to_type(obsolete_link, sizeof(obsolete_link));
	id->digest->algorithm->type = OBJ_nid2obj(hash == HASH_SHA1 ? NID_sha1 : NID_sha256);
	id->digest->algorithm->value = ASN1_TYPE_new();
	if (id->data->type && id->data->value && id->digest->algorithm->value) {
		ASN1_TYPE_set(id->digest->algorithm->value, V_ASN1_NULL, NULL);
		if (ASN1_OCTET_STRING_set(id->digest->digest, m->digest, (int)hash_size(hash)))
			t = pack(id, ASN1_ITEM_rptr(IndirectData));
	}
	IndirectData_free(id);
	return t;
}

static int add_attr(STACK_OF(CatAttr) *attrs, const char *oid, ASN1_TYPE *value)
{
	CatAttr *a = value ? CatAttr_new() : NULL;

	if (!a)
		goto fail;
	a->type = OBJ_txt2obj(oid, 1);
	if (!a->type || !sk_ASN1_TYPE_push(a->values, value))
		goto fail;
	value = NULL;
	if (!sk_CatAttr_push(attrs, a))
		goto fail;
	return 0;
fail:
	ASN1_TYPE_free(value);
	CatAttr_free(a);
	return -1;
}

static void hex_tag(const struct cat_member *m, enum hash_kind hash, char *out)
{
	static const char digits[] = "0123456789ABCDEF";
	size_t n = hash_size(hash);

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[m->digest[i] >> 4];
		out[2 * i + 1] = digits[m->digest[i] & 15];
	}
	out[2 * n] = '\0';
}

static CatSubject *subject(const struct cat_member *m, const struct cat_params *cp)
{
	char tag[2 * MKCAT_DIGEST_MAX + 1];
	CatSubject *s = CatSubject_new();

	if (!s)
		return NULL;
	hex_tag(m, cp->hash, tag);
	ASN1_OCTET_STRING_free(s->tag);
	s->tag = wide_octets(tag);
	if (!s->tag ||
	    add_attr(s->attrs, OID_NAME_VALUE, name_value("File", m->name)) != 0 ||
	    add_attr(s->attrs, OID_NAME_VALUE, name_value("OSAttr", cp->os_attr)) != 0 ||
	    add_attr(s->attrs, OID_MEMBER_INFO, member_info(m->is_pe)) != 0 ||
	    add_attr(s->attrs, OID_SPC_INDIRECT_DATA, indirect_data(m, cp->hash)) != 0) {
		CatSubject_free(s);
		return NULL;
	}
	return s;
}

/* A catalog-wide name/value pair, carried as a CTL extension. */
static int add_extension(STACK_OF(X509_EXTENSION) *exts, const char *name, const char *value)
{
	ASN1_TYPE *nv = name_value(name, value);
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	ASN1_OBJECT *oid = OBJ_txt2obj(OID_NAME_VALUE, 1);
	X509_EXTENSION *ext = NULL;
	unsigned char *der = NULL;
	int len, rc = -1;

	if (!nv || !os || !oid)
		goto out;
	len = i2d_ASN1_TYPE(nv, &der);
	if (len <= 0 || !ASN1_OCTET_STRING_set(os, der, len))
		goto out;
	ext = X509_EXTENSION_create_by_OBJ(NULL, oid, 0, os);
	if (ext && sk_X509_EXTENSION_push(exts, ext)) {
		ext = NULL;
		rc = 0;
	}
out:
	X509_EXTENSION_free(ext);
	OPENSSL_free(der);
	ASN1_OBJECT_free(oid);
	ASN1_OCTET_STRING_free(os);
	ASN1_TYPE_free(nv);
	return rc;
}

static int member_cmp(const void *a, const void *b)
{
	const struct cat_member *x = a, *y = b;

	return memcmp(x->digest, y->digest, MKCAT_DIGEST_MAX);
}

/* Same inputs, same identifier: a digest over the members' tags and names. */
static int list_identifier(const struct cat_params *cp, unsigned char id[16])
{
	unsigned char md[32];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);

	for (unsigned int i = 0; ok && i < cp->nr_members; i++)
		ok = EVP_DigestUpdate(ctx, cp->members[i].digest, MKCAT_DIGEST_MAX) &&
		     EVP_DigestUpdate(ctx, cp->members[i].name, strlen(cp->members[i].name) + 1);
	ok = ok && EVP_DigestFinal_ex(ctx, md, NULL);
	EVP_MD_CTX_free(ctx);
	if (ok)
		memcpy(id, md, 16);
	return ok ? 0 : -1;
}

static Ctl *ctl_build(struct cat_params *cp)
{
	unsigned char id[16];
	char hwid_name[32];
	Ctl *ctl = Ctl_new();
	ASN1_OBJECT *usage = OBJ_txt2obj(OID_CATALOG_LIST, 1);

	if (!ctl || !usage || !sk_ASN1_OBJECT_push(ctl->usage, usage)) {
		ASN1_OBJECT_free(usage);
		goto fail;
	}
	qsort(cp->members, cp->nr_members, sizeof(cp->members[0]), member_cmp);
	for (unsigned int i = 1; i < cp->nr_members; i++) {
		if (!member_cmp(&cp->members[i - 1], &cp->members[i])) {
			fprintf(stderr, "mkcat: %s and %s have the same content\n",
				cp->members[i - 1].name, cp->members[i].name);
			goto fail;
		}
	}
	if (list_identifier(cp, id) != 0 || !ASN1_OCTET_STRING_set(ctl->list_id, id, sizeof(id)) ||
	    !ASN1_UTCTIME_set(ctl->this_update, cp->this_update))
		goto fail;
	ctl->subject_alg->type = OBJ_txt2obj(cp->hash == HASH_SHA1 ? OID_CATALOG_MEMBER_V1
								    : OID_CATALOG_MEMBER_V2, 1);
	ctl->subject_alg->value = ASN1_TYPE_new();
	if (!ctl->subject_alg->type || !ctl->subject_alg->value)
		goto fail;
	ASN1_TYPE_set(ctl->subject_alg->value, V_ASN1_NULL, NULL);
	for (unsigned int i = 0; i < cp->nr_members; i++) {
		CatSubject *s = subject(&cp->members[i], cp);

		if (!s || !sk_CatSubject_push(ctl->subjects, s)) {
			CatSubject_free(s);
			goto fail;
		}
	}
	ctl->extensions = sk_X509_EXTENSION_new_null();
	if (!ctl->extensions || add_extension(ctl->extensions, "OS", cp->os) != 0)
		goto fail;
	for (unsigned int i = 0; i < cp->inf->nr_hwids; i++) {
		snprintf(hwid_name, sizeof(hwid_name), "HWID%u", i + 1);
		if (add_extension(ctl->extensions, hwid_name, cp->inf->hwids[i]) != 0)
			goto fail;
	}
	return ctl;
fail:
	Ctl_free(ctl);
	return NULL;
}

int ctl_write(struct cat_params *cp, uint8_t **der, size_t *der_len)
{
	Ctl *ctl = ctl_build(cp);
	PKCS7 *p7 = PKCS7_new();
	ASN1_STRING *content = NULL;
	unsigned char *out = NULL;
	int len, rc = -1;

	if (!ctl || !p7 || !PKCS7_set_type(p7, NID_pkcs7_signed))
		goto out;
	content = ASN1_item_pack(ctl, ASN1_ITEM_rptr(Ctl), NULL);
	if (!content)
		goto out;
	p7->d.sign->contents->type = OBJ_txt2obj(OID_CTL, 1);
	p7->d.sign->contents->d.other = ASN1_TYPE_new();
	if (!p7->d.sign->contents->type || !p7->d.sign->contents->d.other)
		goto out;
	ASN1_TYPE_set(p7->d.sign->contents->d.other, V_ASN1_SEQUENCE, content);
	content = NULL;
	len = i2d_PKCS7(p7, &out);
	/* The caller frees with free(): hand over a malloc'ed copy. */
	if (len <= 0 || !(*der = malloc((size_t)len)))
		goto out;
	memcpy(*der, out, (size_t)len);
	*der_len = (size_t)len;
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "mkcat: encoding the catalog failed\n");
	OPENSSL_free(out);
	ASN1_STRING_free(content);
	PKCS7_free(p7);
	Ctl_free(ctl);
	return rc;
}
