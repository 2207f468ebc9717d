# Checks of the build tools themselves.
. tests/lib.sh
pass=0
fail=0
ok() { echo "ok: $1"; pass=$((pass + 1)); }
ko() { echo "FAILED: $1"; fail=$((fail + 1)); }

# get-xen-headers from a tag of a git repository (a synthetic one holding the
# Debian headers under xen/include/public, as in Xen's tree).
tmp=$(mktemp -d)
mkdir -p "$tmp/repo/xen/include/public"
cp -R "$BUILD/xen-headers/include/xen/." "$tmp/repo/xen/include/public/"
(cd "$tmp/repo" && git init -q && git add -A &&
	git -c user.name=t -c user.email=t@t commit -qm headers && git tag RELEASE-4.17.0)
if tools/get-xen-headers --out "$tmp/out" --repo "$tmp/repo" --tag RELEASE-4.17.0 >/dev/null &&
	grep -q "tag RELEASE-4.17.0" "$tmp/out/VERSION" &&
	grep -q "interface-version: 0x" "$tmp/out/VERSION" &&
	cmp -s "$tmp/out/include/xen/io/xs_wire.h" "$BUILD/xen-headers/include/xen/io/xs_wire.h"; then
	ok "get-xen-headers --repo --tag imports the tag's headers and records it"
else
	ko "get-xen-headers --repo --tag"
fi
if tools/get-xen-headers --out "$tmp/out2" --repo "$tmp/repo" --tag NO-SUCH-TAG >/dev/null 2>&1; then
	ko "get-xen-headers rejects a missing tag"
else
	[ ! -e "$tmp/out2" ] && ok "get-xen-headers rejects a missing tag, leaves no output" ||
		ko "get-xen-headers left output for a missing tag"
fi
if grep -q '^source: debian libxen-dev ' "$BUILD/xen-headers/VERSION"; then
	ok "build headers come from libxen-dev and record its version"
else
	ko "build headers record their source"
fi
rm -rf "$tmp"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
