/*
 * Just enough of the INF syntax to find what a driver package contains:
 * sections, "key = value" lines, ';' comments outside quotes, '\' line
 * continuation, comma-separated fields. The INF comes from the build but is
 * still parsed defensively: every length is bounded and errors are reported.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mkcat.h"

#define LINE_MAX_LEN 4096
#define MAX_MODELS 16

struct inf_line {
	char section[MKCAT_NAME_MAX];
	char key[LINE_MAX_LEN];
	char value[LINE_MAX_LEN];
	int has_value;
};

typedef int (*inf_visit)(const struct inf_line *line, void *ctx);

static void trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	while (isspace((unsigned char)s[i]))
		i++;
	memmove(s, s + i, n - i + 1);
}

/* Strips surrounding double quotes from an already trimmed field. */
static void unquote(char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		memmove(s, s + 1, n - 2);
		s[n - 2] = '\0';
	}
}

/* Splits a logical line into section header or key/value; drops comments. */
static int inf_split(const char *name, unsigned int lineno, char *raw,
		     struct inf_line *line)
{
	int quoted = 0;
	char *eq = NULL;

	for (char *p = raw; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == ';' && !quoted) {
			*p = '\0';
			break;
		} else if (*p == '=' && !quoted && !eq)
			eq = p;
	}
	trim(raw);
	if (raw[0] == '[') {
		char *close = strchr(raw, ']');
		size_t n;

		if (!close) {
			fprintf(stderr, "mkcat: %s:%u: unterminated section name\n", name, lineno);
			return -1;
		}
		n = (size_t)(close - raw - 1);
		if (n == 0 || n >= sizeof(line->section)) {
			fprintf(stderr, "mkcat: %s:%u: bad section name\n", name, lineno);
			return -1;
		}
		memcpy(line->section, raw + 1, n);
		line->section[n] = '\0';
		trim(line->section);
		line->key[0] = '\0';
		return 1;
	}
	line->has_value = eq != NULL;
	if (eq) {
		*eq = '\0';
		snprintf(line->value, sizeof(line->value), "%s", eq + 1);
		trim(line->value);
	} else {
		line->value[0] = '\0';
	}
	snprintf(line->key, sizeof(line->key), "%s", raw);
	trim(line->key);
	unquote(line->key);
	return 0;
}

/* Calls VISIT for every non-empty line inside a section. */
static int inf_each(const char *name, const uint8_t *text, size_t len,
		    inf_visit visit, void *ctx)
{
	static char raw[LINE_MAX_LEN];
	static struct inf_line line;
	size_t pos = 0, n = 0;
	unsigned int lineno = 1, start = 1;
	int rc;

	line.section[0] = '\0';
	while (pos <= len) {
		int c = pos < len ? text[pos] : '\n';

		pos++;
		if (c == '\0') {
			fprintf(stderr, "mkcat: %s:%u: NUL byte (only ASCII INFs are supported)\n",
				name, lineno);
			return -1;
		}
		if (c != '\n') {
			if (c == '\r')
				continue;
			if (n + 1 >= sizeof(raw)) {
				fprintf(stderr, "mkcat: %s:%u: line too long\n", name, lineno);
				return -1;
			}
			raw[n++] = (char)c;
			continue;
		}
		lineno++;
		/* A trailing backslash joins the next physical line. */
		if (n && raw[n - 1] == '\\') {
			n--;
			continue;
		}
		raw[n] = '\0';
		n = 0;
		rc = inf_split(name, start, raw, &line);
		start = lineno;
		if (rc < 0)
			return -1;
		if (rc > 0 || line.key[0] == '\0' || line.section[0] == '\0')
			continue;
		if (visit(&line, ctx) != 0)
			return -1;
	}
	return 0;
}

/*
 * Copies comma-separated field IDX (0-based) of VALUE into OUT: 0, -1 if
 * absent, -2 if longer than SIZE allows.
 */
static int field(const char *value, unsigned int idx, char *out, size_t size)
{
	const char *p = value, *end;
	size_t n;

	for (unsigned int i = 0; i < idx; i++) {
		p = strchr(p, ',');
		if (!p)
			return -1;
		p++;
	}
	end = strchr(p, ',');
	n = end ? (size_t)(end - p) : strlen(p);
	if (n >= size)
		return -2;
	memcpy(out, p, n);
	out[n] = '\0';
	trim(out);
	unquote(out);
	return 0;
}

struct parse_ctx {
	const char *name;
	const char *arch;
	struct inf_info *out;
	char models[MAX_MODELS][MKCAT_NAME_MAX];
	unsigned int nr_models;
	int pass;
};

static int valid_file_name(const char *s)
{
	if (!s[0] || !strcmp(s, ".") || !strcmp(s, ".."))
		return 0;
	for (; *s; s++)
		if (*s == '/' || *s == '\\' || *s == ':' || *s == '%' ||
		    !isprint((unsigned char)*s))
			return 0;
	return 1;
}

static int add_file(struct parse_ctx *pc, const char *file)
{
	struct inf_info *out = pc->out;

	if (!valid_file_name(file)) {
		fprintf(stderr, "mkcat: %s: bad file name \"%s\" in [SourceDisksFiles]\n",
			pc->name, file);
		return -1;
	}
	for (unsigned int i = 0; i < out->nr_files; i++)
		if (!strcasecmp(out->files[i], file))
			return 0;
	if (out->nr_files == MKCAT_MAX_FILES || strlen(file) >= MKCAT_NAME_MAX) {
		fprintf(stderr, "mkcat: %s: too many or too long file names\n", pc->name);
		return -1;
	}
	memcpy(out->files[out->nr_files++], file, strlen(file) + 1);
	return 0;
}

static int add_hwid(struct parse_ctx *pc, const char *hwid)
{
	struct inf_info *out = pc->out;
	char low[MKCAT_HWID_MAX];
	size_t i;

	if (!hwid[0])
		return 0;
	for (i = 0; hwid[i] && i + 1 < sizeof(low); i++)
		low[i] = (char)tolower((unsigned char)hwid[i]);
	if (hwid[i]) {
		fprintf(stderr, "mkcat: %s: hardware ID too long\n", pc->name);
		return -1;
	}
	low[i] = '\0';
	for (unsigned int k = 0; k < out->nr_hwids; k++)
		if (!strcmp(out->hwids[k], low))
			return 0;
	if (out->nr_hwids == MKCAT_MAX_HWIDS) {
		fprintf(stderr, "mkcat: %s: too many hardware IDs\n", pc->name);
		return -1;
	}
	memcpy(out->hwids[out->nr_hwids++], low, i + 1);
	return 0;
}

/* Does a [Manufacturer] decoration such as "NTamd64.10.0" apply to ARCH? */
static int decoration_applies(const char *deco, const char *arch)
{
	size_t n = strlen(arch);

	if (strncasecmp(deco, "nt", 2) != 0)
		return 0;
	deco += 2;
	if (*deco == '\0' || *deco == '.')
		return 1;
	return !strncasecmp(deco, arch, n) && (deco[n] == '\0' || deco[n] == '.');
}

/* Records models section BASE (or BASE.DECO). */
static int add_model(struct parse_ctx *pc, const char *base, const char *deco)
{
	char *dst;
	int n;

	if (pc->nr_models == MAX_MODELS) {
		fprintf(stderr, "mkcat: %s: too many models sections\n", pc->name);
		return -1;
	}
	dst = pc->models[pc->nr_models];
	n = deco ? snprintf(dst, MKCAT_NAME_MAX, "%s.%s", base, deco)
		 : snprintf(dst, MKCAT_NAME_MAX, "%s", base);
	if (n < 0 || n >= MKCAT_NAME_MAX) {
		fprintf(stderr, "mkcat: %s: models section name too long\n", pc->name);
		return -1;
	}
	pc->nr_models++;
	return 0;
}

static int add_models(struct parse_ctx *pc, const char *value)
{
	char base[MKCAT_NAME_MAX], deco[MKCAT_NAME_MAX];
	int decorated = 0, rc;

	if (field(value, 0, base, sizeof(base)) != 0 || !base[0]) {
		fprintf(stderr, "mkcat: %s: [Manufacturer] entry without a models section\n",
			pc->name);
		return -1;
	}
	for (unsigned int i = 1; (rc = field(value, i, deco, sizeof(deco))) != -1; i++) {
		if (rc < 0) {
			fprintf(stderr, "mkcat: %s: [Manufacturer] decoration too long\n", pc->name);
			return -1;
		}
		if (!deco[0])
			continue;
		decorated = 1;
		if (!decoration_applies(deco, pc->arch))
			continue;
		if (add_model(pc, base, deco) != 0)
			return -1;
	}
	return decorated ? 0 : add_model(pc, base, NULL);
}

static int is_models_section(const struct parse_ctx *pc, const char *section)
{
	for (unsigned int i = 0; i < pc->nr_models; i++)
		if (!strcasecmp(pc->models[i], section))
			return 1;
	return 0;
}

static int visit(const struct inf_line *line, void *ctx)
{
	struct parse_ctx *pc = ctx;
	char sdf_arch[64];
	char id[MKCAT_HWID_MAX];
	int rc;

	snprintf(sdf_arch, sizeof(sdf_arch), "SourceDisksFiles.%s", pc->arch);
	if (pc->pass == 0) {
		if (!strcasecmp(line->section, "Manufacturer") && line->has_value)
			return add_models(pc, line->value);
		if (!strcasecmp(line->section, "SourceDisksFiles") ||
		    !strcasecmp(line->section, sdf_arch))
			return add_file(pc, line->key);
		return 0;
	}
	if (!is_models_section(pc, line->section) || !line->has_value)
		return 0;
	/* "description = install-section, hardware-id [, compatible-id ...]" */
	for (unsigned int i = 1; (rc = field(line->value, i, id, sizeof(id))) != -1; i++) {
		if (rc < 0) {
			fprintf(stderr, "mkcat: %s: [%s] hardware ID too long\n", pc->name, line->section);
			return -1;
		}
		if (add_hwid(pc, id) != 0)
			return -1;
	}
	return 0;
}

int inf_parse(const char *name, const uint8_t *text, size_t len,
	      const char *arch, struct inf_info *out)
{
	static struct parse_ctx pc;

	memset(out, 0, sizeof(*out));
	memset(&pc, 0, sizeof(pc));
	pc.name = name;
	pc.arch = arch;
	pc.out = out;
	if (inf_each(name, text, len, visit, &pc) != 0)
		return -1;
	pc.pass = 1;
	return inf_each(name, text, len, visit, &pc);
}
