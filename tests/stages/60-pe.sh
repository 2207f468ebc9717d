# PE checks of every Windows image (tests/package/pecheck), checks that
# pecheck itself catches broken images, the x64 layout of Xen's structures
# (tests/package/abi-check), and reproducibility: two clean builds into
# separate directories give the same bytes.
. tests/lib.sh
pass=0
fail=0
ok() { echo "ok: $1"; pass=$((pass + 1)); }
ko() { echo "FAILED: $1"; fail=$((fail + 1)); }
PY=/usr/bin/python3
PECHECK=tests/package/pecheck

# 1. The images as built.
for arch in x64 x86; do
	# The shipped images, and test/ importers of xen.sys (xenprobe).
	imgs=$(ls "$BUILD/win/$arch/"*.sys "$BUILD/win/$arch/test/"*.sys 2>/dev/null |
		grep -v '\.debug\.sys$')
	if [ -z "$imgs" ]; then
		ko "$arch: no images in $BUILD/win/$arch"
		continue
	fi
	# shellcheck disable=SC2086
	out=$($PY $PECHECK --arch "$arch" $imgs)
	echo "$out" | sed "s/^/[$arch] /"
	p=$(echo "$out" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1/p')
	f=$(echo "$out" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\2/p')
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-1}))
done

# 2. pecheck must fail each of these damaged copies, on the named check.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src="$BUILD/win/x64/xen.sys"
damage() { # damage NAME PYTHON-STATEMENTS(pe) EXPECTED-FAILED-CHECK
	mkdir -p "$tmp/$1"
	cp "$src" "$tmp/$1/xen.sys"
	cp "${src%.sys}.debug.sys" "$tmp/$1/xen.debug.sys"
	$PY - "$tmp/$1/xen.sys" <<PYEOF
import pefile, sys
pe = pefile.PE(sys.argv[1])
$2
data = pe.write()
pe.close()
open(sys.argv[1], "wb").write(data)
PYEOF
	_out=$($PY $PECHECK --arch x64 "$tmp/$1/xen.sys")
	if echo "$_out" | grep "^FAILED: .*$3" >/dev/null; then
		ok "pecheck catches $1"
	else
		ko "pecheck misses $1"
	fi
}
fix='pe.OPTIONAL_HEADER.CheckSum = pe.generate_checksum()'
damage bad-checksum 'pe.OPTIONAL_HEADER.CheckSum ^= 0x10' 'valid checksum'
damage wx-section "pe.sections[0].Characteristics |= 0x80000000; $fix" 'writable+executable'
damage gui-subsystem "pe.OPTIONAL_HEADER.Subsystem = 2; $fix" 'native subsystem'
damage no-wdm-flag "pe.OPTIONAL_HEADER.DllCharacteristics &= ~0x2000; $fix" 'WDM_DRIVER'
damage timestamp "pe.FILE_HEADER.TimeDateStamp = 1; $fix" 'no timestamp'
damage foreign-import "pe.DIRECTORY_ENTRY_IMPORT[0].struct.Name and pe.set_bytes_at_rva(pe.DIRECTORY_ENTRY_IMPORT[0].struct.Name, b'USER32.dll'); $fix" 'imports only from'
damage init-renamed "[setattr(s, 'Name', b'INXT') for s in pe.sections if s.Name.rstrip(b'\\0') == b'INIT']; $fix" 'INIT section'
damage relocs-stripped "pe.FILE_HEADER.Characteristics |= 1; $fix" 'base relocations'

# 3. Layout of the structures shared with Xen in the x64 build (LLP64).
out=$(sh tests/package/abi-check "$BUILD")
echo "$out"
p=$(echo "$out" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1/p')
f=$(echo "$out" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\2/p')
pass=$((pass + ${p:-0}))
fail=$((fail + ${f:-1}))

# 4. Reproducible: two clean builds, byte for byte (and the same as ours).
repro="$BUILD/repro"
rm -rf "$repro"
for d in a b; do
	if ! make --no-print-directory -s -j2 BUILD="$repro/$d" win-images win-test-images >"$tmp/build-$d.log" 2>&1; then
		cat "$tmp/build-$d.log"
		ko "clean build $d of the Windows images"
	fi
done
for arch in x64 x86; do
	for f in xen.sys xen.debug.sys libxen.a test/xenprobe.sys; do
		if [ -f "$repro/a/win/$arch/$f" ] && cmp -s "$repro/a/win/$arch/$f" "$repro/b/win/$arch/$f" &&
			cmp -s "$repro/a/win/$arch/$f" "$BUILD/win/$arch/$f"; then
			ok "$arch/$f: reproducible (two clean builds and this one, same bytes)"
		else
			ko "$arch/$f: differs between builds"
		fi
	done
done
rm -rf "$repro"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
