/*
 * Reads a catalog through the Windows catalog API (wintrust's CryptCAT*)
 * and prints what it finds, in catcheck.py's "dump" format. Built with
 * mingw-w64 and run under Wine by tests/stages/70-package.sh: a third
 * reader of mkcat's output, modelled on Windows' own.
 *
 *   catwine.exe CATALOG
 */
#include <windows.h>
#include <wincrypt.h>
#include <mscat.h>
#include <mssip.h>
#include <stdio.h>
#include <wchar.h>

static void print_attr(const CRYPTCATATTRIBUTE *a, const char *sep)
{
	/* Values are NUL-terminated UTF-16; print the ASCII we put there. */
	printf("%s%ls=%.*ls", sep, a->pwszReferenceTag, (int)(a->cbValue / 2),
	       (const wchar_t *)a->pbValue);
}

int main(int argc, char **argv)
{
	wchar_t path[MAX_PATH];
	HANDLE cat;
	CRYPTCATMEMBER *m = NULL;
	CRYPTCATATTRIBUTE *a = NULL;
	int members = 0;

	if (argc != 2 || !MultiByteToWideChar(CP_ACP, 0, argv[1], -1, path, MAX_PATH)) {
		fprintf(stderr, "usage: catwine CATALOG\n");
		return 2;
	}
	cat = CryptCATOpen(path, CRYPTCAT_OPEN_EXISTING, 0, 0, 0);
	if (cat == INVALID_HANDLE_VALUE || !cat) {
		fprintf(stderr, "catwine: CryptCATOpen failed: %lu\n", GetLastError());
		return 1;
	}
	while ((m = CryptCATEnumerateMember(cat, m)) != NULL) {
		wchar_t guid[64];

		members++;
		StringFromGUID2(&m->gSubjectType, guid, 64);
		printf("member %ls", m->pwszReferenceTag);
		while ((a = CryptCATEnumerateAttr(cat, m, a)) != NULL)
			print_attr(a, " ");
		printf(" %ls %s\n", guid,
		       m->pIndirectData ? m->pIndirectData->Data.pszObjId : "(no indirect data)");
		if (!m->pIndirectData)
			return 1;
	}
	while ((a = CryptCATEnumerateCatAttr(cat, a)) != NULL) {
		print_attr(a, "ext ");
		printf("\n");
	}
	CryptCATClose(cat);
	return members ? 0 : 1;
}
