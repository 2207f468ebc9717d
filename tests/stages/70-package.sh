# Driver package: tools/mkcat, tools/mkpackage, the INF template, signing,
# catalog verification (osslsigncode and an independent parser), tampering,
# malformed input, reproducibility; then the real package in out/xenbus when
# the Windows images exist.
. tests/lib.sh
. tests/package/lib.sh

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ASAN_OPTIONS=exitcode=99 UBSAN_OPTIONS=halt_on_error=1:exitcode=98
T=1700000000

# --- Test images: tiny DLLs, PE32+ (x64) and PE32 (x86), two per architecture.
mkdir -p "$tmp/img/x64" "$tmp/img/x86"
for n in 1 2; do
	printf 'int __stdcall entry(void *a, unsigned b, void *c) { (void)a; (void)b; (void)c; return %d; }\n' \
		"$n" >"$tmp/img/t$n.c"
done
built=1
x86_64-w64-mingw32-gcc -O2 -shared -nostdlib -Wl,--entry,entry -Wl,--no-insert-timestamp -s \
	-o "$tmp/img/x64/xen.sys" "$tmp/img/t1.c" || built=0
x86_64-w64-mingw32-gcc -O2 -shared -nostdlib -Wl,--entry,entry -Wl,--no-insert-timestamp -s \
	-o "$tmp/img/x64/xenbus.sys" "$tmp/img/t2.c" || built=0
i686-w64-mingw32-gcc -O2 -shared -nostdlib -Wl,--entry,_entry@12 -Wl,--no-insert-timestamp -s \
	-o "$tmp/img/x86/xen.sys" "$tmp/img/t1.c" || built=0
i686-w64-mingw32-gcc -O2 -shared -nostdlib -Wl,--entry,_entry@12 -Wl,--no-insert-timestamp -s \
	-o "$tmp/img/x86/xenbus.sys" "$tmp/img/t2.c" || built=0
[ "$built" = 1 ] && ok "test images built (PE32+ and PE32)" || ko "test images"

pkg() { # pkg OUT ARCH IMAGE...: the package build, as mk/package.mk runs it
	_out=$1 _arch=$2
	shift 2
	tools/mkpackage build --arch "$_arch" --out "$_out" --template src/windows/xenbus.inf \
		--mkcat "$MKCAT" --cert "$SIGN/test.pem" --key "$SIGN/test.key" --cer "$SIGN/test.cer" \
		--sign-time "$(cat "$SIGN/sign-time")" --time $T --version 9.0.0.0 \
		-D VENDOR_DEVICE_ID=C000 "$@"
}

for arch in x64 x86; do
	if pkg "$tmp/a/$arch" $arch "$tmp/img/$arch/xen.sys" "$tmp/img/$arch/xenbus.sys"; then
		ok "$arch: test package built"
	else
		ko "$arch: test package build"
		continue
	fi
	check_package "$tmp/a/$arch" $arch "xen.sys xenbus.sys" --vendor-device C000
	pkg "$tmp/b/$arch" $arch "$tmp/img/$arch/xen.sys" "$tmp/img/$arch/xenbus.sys" &&
		holds "$arch: a second build gives the same bytes (images, INF, catalog, scripts)" \
			diff -r "$tmp/a/$arch" "$tmp/b/$arch"
	os=$($PY tests/package/catcheck.py dump "$tmp/a/$arch/xenbus.cat" | sed -n 's/^ext OS=//p')
	hw=$($PY tests/package/catcheck.py dump "$tmp/a/$arch/xenbus.cat" | sed -n 's/^ext HWID[0-9]*=//p' | tr '\n' ' ')
	want_os="7X64,8X64,_v63_X64,_v100_X64"
	[ $arch = x86 ] && want_os="7X86,8X86,_v63,_v100"
	[ "$os" = "$want_os" ] && ok "$arch: catalog OS attribute $os" || ko "$arch: catalog OS attribute '$os'"
	[ "$hw" = 'pci\ven_5853&dev_c000&subsys_c0005853&rev_01 pci\ven_5853&dev_0002 pci\ven_5853&dev_0001 ' ] &&
		ok "$arch: catalog HWID attributes follow the INF" || ko "$arch: catalog HWIDs '$hw'"

	# Tampering: every oracle must now say no.
	cp -r "$tmp/a/$arch" "$tmp/t"
	flip "$tmp/t/xenbus.sys" 1100
	refuses "$arch: tampered image fails osslsigncode verify -catalog" \
		ossl_verify -catalog "$tmp/t/xenbus.cat" -in "$tmp/t/xenbus.sys"
	refuses "$arch: tampered image fails its signature check" ossl_verify -in "$tmp/t/xenbus.sys"
	refuses "$arch: tampered image fails the independent catalog check" \
		$PY tests/package/catcheck.py check "$tmp/t/xenbus.cat" "$tmp/t" xenbus.inf xen.sys xenbus.sys
	cp "$tmp/a/$arch/xenbus.sys" "$tmp/t/xenbus.sys"
	printf '; edited\r\n' >>"$tmp/t/xenbus.inf"
	refuses "$arch: edited INF fails the catalog check" \
		$PY tests/package/catcheck.py check "$tmp/t/xenbus.cat" "$tmp/t" xenbus.inf xen.sys xenbus.sys
	refuses "$arch: catalog without a member for a package file fails the check" \
		$PY tests/package/catcheck.py check "$tmp/a/$arch/xenbus.cat" "$tmp/a/$arch" xenbus.inf xen.sys xenbus.sys install.ps1
	rm -rf "$tmp/t"
done

# A third reader: Windows' catalog API as Wine implements it (see wine_reads).
if x86_64-w64-mingw32-gcc -O2 -Wall -Wextra -Werror -o "$tmp/catwine.exe" tests/package/catwine.c \
	-lwintrust -lcrypt32 -lole32; then
	for arch in x64 x86; do
		wine_reads "$arch" "$tmp/a/$arch/xenbus.cat"
	done
else
	ko "catwine.exe build"
fi

# A catalog signed by a key the test CA file does not know must be refused.
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=other" -keyout "$tmp/o.key" \
	-out "$tmp/o.pem" -addext extendedKeyUsage=codeSigning 2>/dev/null
osslsigncode sign -h sha256 -certs "$tmp/o.pem" -key "$tmp/o.key" -in "$tmp/a/x64/xenbus.cat" \
	-out "$tmp/o.cat" >/dev/null 2>&1
refuses "catalog signed by an unknown key fails verification" ossl_verify -in "$tmp/o.cat"
holds "re-signing keeps the catalog content (members still verify)" \
	$PY tests/package/catcheck.py check "$tmp/o.cat" "$tmp/a/x64" xenbus.inf xen.sys xenbus.sys

# SHA-1 member digests (catalog version 1, for Windows 7) verify the same way.
pkg "$tmp/s1" x64 --cat-hash sha1 "$tmp/img/x64/xen.sys" "$tmp/img/x64/xenbus.sys" >/dev/null 2>&1
holds "sha1 catalog: osslsigncode verify -catalog accepts an image" \
	ossl_verify -catalog "$tmp/s1/xenbus.cat" -in "$tmp/s1/xen.sys"
holds "sha1 catalog: the independent parser agrees on every digest" \
	$PY tests/package/catcheck.py check "$tmp/s1/xenbus.cat" "$tmp/s1" xenbus.inf xen.sys xenbus.sys
refuses "sha1 catalog: osslsigncode verify -catalog refuses another image" \
	ossl_verify -catalog "$tmp/s1/xenbus.cat" -in "$tmp/a/x86/xenbus.sys"

# --- mkcat directly: unsigned and odd-sized images, and hostile input.
mkdir -p "$tmp/m"
cp "$tmp/img/x64/xen.sys" "$tmp/m/odd.sys"
printf 'abc' >>"$tmp/m/odd.sys"
cp "$tmp/img/x86/xenbus.sys" "$tmp/m/pe32.dll"
printf 'plain data\r\n' >"$tmp/m/notes.txt"
printf '[Version]\r\nCatalogFile=m.cat\r\n[SourceDisksFiles]\r\nodd.sys=1\r\n[SourceDisksFiles.amd64]\r\npe32.dll=1\r\nnotes.txt=1\r\n[SourceDisksFiles.x86]\r\nmissing.sys=1\r\n' \
	>"$tmp/m/m.inf"
holds "mkcat: unsigned odd-sized PE32+, PE32 and a flat file" \
	"$MKCAT_ASAN" --inf "$tmp/m/m.inf" --arch x64 --time $T -o "$tmp/m/m.cat"
holds "independent parser agrees on every digest (unsigned images padded to 8 bytes)" \
	$PY tests/package/catcheck.py check "$tmp/m/m.cat" "$tmp/m" m.inf odd.sys pe32.dll notes.txt
osslsigncode sign -h sha256 -time $T -certs "$SIGN/test.pem" -key "$SIGN/test.key" \
	-in "$tmp/m/m.cat" -out "$tmp/m/s.cat" >/dev/null 2>&1
holds "osslsigncode verify -catalog accepts the unsigned odd-sized image" \
	ossl_verify -catalog "$tmp/m/s.cat" -in "$tmp/m/odd.sys"
holds "osslsigncode verify -catalog accepts the PE32 image" \
	ossl_verify -catalog "$tmp/m/s.cat" -in "$tmp/m/pe32.dll"
refuses "osslsigncode verify -catalog refuses a file the catalog does not list" \
	ossl_verify -catalog "$tmp/m/s.cat" -in "$tmp/img/x64/xenbus.sys"
"$MKCAT" --inf "$tmp/m/m.inf" --arch x64 --time $T -o "$tmp/m/m2.cat"
holds "mkcat output is byte-identical across runs" cmp "$tmp/m/m.cat" "$tmp/m/m2.cat"
refuses "mkcat: the x86 section names a missing file" \
	"$MKCAT_ASAN" --inf "$tmp/m/m.inf" --arch x86 --time $T -o "$tmp/m/x.cat"
[ ! -e "$tmp/m/x.cat" ] && ok "mkcat leaves no output on failure" || ko "mkcat left output on failure"
refuses "mkcat: no --time and no SOURCE_DATE_EPOCH" \
	env -u SOURCE_DATE_EPOCH "$MKCAT_ASAN" --inf "$tmp/m/m.inf" --arch x64 -o "$tmp/m/x.cat"
refuses "mkcat: unknown architecture" "$MKCAT_ASAN" --inf "$tmp/m/m.inf" --arch arm64 --time $T -o "$tmp/m/x.cat"

# INF syntax: decorated models sections, comments, quotes, continuation lines.
printf '%s\r\n' '[Version]' 'CatalogFile=m.cat ; comment = with equals' \
	'[SourceDisksFiles]' '"odd.sys" = 1' '[Manufacturer]' '%%V%%=M,NTamd64.10.0,NTx86 ; x' \
	'[M.NTamd64.10.0]' '%%D%%=I,PCI\VEN_5853&DEV_0001, \' '  PCI\VEN_5853&DEV_0002 ; more' \
	'"a;b"=I,PCI\VEN_5853&DEV_0001' '[M.NTx86]' '%%D%%=I,PCI\VEN_5853&DEV_00FF' \
	'[Strings]' 'V="v"' >"$tmp/m/syn.inf"
if "$MKCAT_ASAN" --inf "$tmp/m/syn.inf" --arch x64 --time $T -o "$tmp/m/syn.cat" &&
	[ "$($PY tests/package/catcheck.py dump "$tmp/m/syn.cat" | grep '^ext HWID' | tr '\n' ' ')" = \
		'ext HWID1=pci\ven_5853&dev_0001 ext HWID2=pci\ven_5853&dev_0002 ' ] &&
	$PY tests/package/catcheck.py check "$tmp/m/syn.cat" "$tmp/m" syn.inf odd.sys; then
	ok "mkcat reads decorated models, comments, quotes and continuation lines"
else
	ko "mkcat INF syntax"
fi

badinf() { # badinf DESC TEXT
	printf "$2" >"$tmp/m/bad.inf"
	refuses "mkcat: $1" "$MKCAT_ASAN" --inf "$tmp/m/bad.inf" --arch x64 --time $T -o "$tmp/m/x.cat"
}
badinf "INF with a NUL byte" '[SourceDisksFiles]\r\nodd.sys=1\0\r\n'
badinf "unterminated section name" '[SourceDisksFiles\r\nodd.sys=1\r\n'
badinf "file name with a path" '[SourceDisksFiles]\r\n../m/odd.sys=1\r\n'
badinf "INF listing itself" '[SourceDisksFiles]\r\nbad.inf=1\r\n'
cp "$tmp/m/odd.sys" "$tmp/m/same.sys"
badinf "two files with the same content" '[SourceDisksFiles]\r\nodd.sys=1\r\nsame.sys=1\r\n'
printf 'MZ not really' >"$tmp/m/fake.sys"
badinf "a .sys that is not a PE image" '[SourceDisksFiles]\r\nfake.sys=1\r\n'
long=$(head -c 5000 /dev/zero | tr '\0' a)
badinf "overlong line" "[SourceDisksFiles]\r\n$long=1\r\n"
badinf "overlong hardware ID" "[SourceDisksFiles]\r\nodd.sys=1\r\n[Manufacturer]\r\nV=M,NTamd64\r\n[M.NTamd64]\r\nD=I,$(echo "$long" | cut -c1-300)\r\n"
badinf "overlong decorated models section name" "[SourceDisksFiles]\r\nodd.sys=1\r\n[Manufacturer]\r\nV=$(echo "$long" | cut -c1-100),NTamd64.$(echo "$long" | cut -c1-40)\r\n"

# Truncated images: every cut is refused cleanly (headers, section table, section data).
size=$(wc -c <"$tmp/img/x64/xen.sys")
cuts=0 bad=0
for cut in 0 1 2 59 60 63 64 100 127 128 200 255 256 300 400 500 511 512 513 1000 1024 \
	$((size / 2)) $((size - 512)) $((size - 8)) $((size - 1)); do
	head -c "$cut" "$tmp/img/x64/xen.sys" >"$tmp/m/cut.sys"
	printf '[SourceDisksFiles]\r\ncut.sys=1\r\n' >"$tmp/m/cut.inf"
	"$MKCAT_ASAN" --inf "$tmp/m/cut.inf" --arch x64 --time $T -o "$tmp/m/x.cat" >"$tmp/m/out" 2>&1
	rc=$?
	cuts=$((cuts + 1))
	if [ $rc -ne 1 ] || ! grep -q 'PE image' "$tmp/m/out"; then
		echo "cut at $cut: status $rc: $(cat "$tmp/m/out")"
		bad=$((bad + 1))
	fi
done
[ $bad -eq 0 ] && ok "mkcat refuses all $cuts truncations of an image, cleanly" || ko "truncated images: $bad of $cuts"

# Corrupted headers: random bytes in the first 1 KiB; any outcome but a crash.
crashes=0
i=0
while [ $i -lt 150 ]; do
	cp "$tmp/img/x86/xen.sys" "$tmp/m/cut.sys"
	for k in 1 2 3; do
		off=$(( $(od -An -tu2 -N2 /dev/urandom) % 1024 ))
		printf "$(printf '\\%03o' $(( $(od -An -tu1 -N1 /dev/urandom) )))" |
			dd of="$tmp/m/cut.sys" bs=1 seek=$off conv=notrunc 2>/dev/null
	done
	"$MKCAT_ASAN" --inf "$tmp/m/cut.inf" --arch x64 --time $T -o "$tmp/m/x.cat" >"$tmp/m/out" 2>&1
	rc=$?
	if [ $rc -gt 1 ] || grep -qE 'Sanitizer|runtime error' "$tmp/m/out"; then
		crashes=$((crashes + 1))
		cp "$tmp/m/cut.sys" "$tmp/crash-$i.sys"
		cat "$tmp/m/out"
	fi
	i=$((i + 1))
done
[ $crashes -eq 0 ] && ok "mkcat survives 150 randomly corrupted images (ASan/UBSan)" || ko "corrupted images: $crashes crashes"

# A certificate table that is not at the end of the file.
cp "$tmp/img/x64/xen.sys" "$tmp/m/cut.sys"
secdir=$($PY -c "
import pefile,sys
pe=pefile.PE(sys.argv[1],fast_load=True)
print(pe.OPTIONAL_HEADER.DATA_DIRECTORY[4].get_file_offset())" "$tmp/m/cut.sys")
printf '\000\002\000\000\010\000\000\000' | dd of="$tmp/m/cut.sys" bs=1 seek="$secdir" conv=notrunc 2>/dev/null
refuses "mkcat: certificate table not at the end of the image" \
	"$MKCAT_ASAN" --inf "$tmp/m/cut.inf" --arch x64 --time $T -o "$tmp/m/x.cat"

# --- mkpackage and the INF template.
mkdir -p "$tmp/keep/x64"
touch "$tmp/keep/x64/marker"
refuses "mkpackage: a missing image fails the build" pkg "$tmp/keep/x64" x64 "$tmp/img/x64/nothere.sys"
[ -e "$tmp/keep/x64/marker" ] && [ ! -e "$tmp/keep/x64.tmp" ] &&
	ok "mkpackage: a failed build leaves the previous package alone" || ko "mkpackage replaced or littered on failure"
printf ';#if a\r\nx\r\n' >"$tmp/t.inf"
refuses "mkpackage inf: unterminated #if" tools/mkpackage inf --template "$tmp/t.inf" --time $T
printf 'x=@NOPE@\r\n' >"$tmp/t.inf"
refuses "mkpackage inf: undefined substitution" tools/mkpackage inf --template "$tmp/t.inf" --time $T

inf() { tools/mkpackage inf --template src/windows/xenbus.inf --time $T "$@"; }
inf -D xen.sys >"$tmp/1.inf"
holds "INF with only xen.sys: names only xen.sys, binds no device, adds no service" \
	$PY tests/package/infcheck.py "$tmp/1.inf" --files xen.sys --vendor-device C000
inf -D xen.sys -D xenbus.sys -D xenfilt.sys -D VENDOR_DEVICE_ID=C000 >"$tmp/3.inf"
holds "INF with the three drivers: IDs, services, start types, registry, run-time filter registration" \
	$PY tests/package/infcheck.py "$tmp/3.inf" --files xen.sys,xenbus.sys,xenfilt.sys --vendor-device C000
inf -D xen.sys -D xenbus.sys -D xenfilt.sys >"$tmp/3n.inf"
holds "INF without VENDOR_DEVICE_ID drops the vendor device ID" \
	$PY tests/package/infcheck.py "$tmp/3n.inf" --files xen.sys,xenbus.sys,xenfilt.sys
inf -D xen.sys -D xenbus.sys -D xenfilt.sys -D VENDOR_DEVICE_ID=C000 -D FORCE_ACTIVATE >"$tmp/3f.inf"
holds "FORCE_ACTIVATE INF registers XENFILT as System and HDC upper filter (flag 0x00010008)" \
	$PY tests/package/infcheck.py "$tmp/3f.inf" --files xen.sys,xenbus.sys,xenfilt.sys --vendor-device C000 --force-activate
refuses "infcheck: run-time filter build checked as FORCE_ACTIVATE fails" \
	$PY tests/package/infcheck.py "$tmp/3.inf" --files xen.sys,xenbus.sys,xenfilt.sys --vendor-device C000 --force-activate
refuses "infcheck: INF lacking the vendor device ID fails" \
	$PY tests/package/infcheck.py "$tmp/3n.inf" --files xen.sys,xenbus.sys,xenfilt.sys --vendor-device C000
sed 's/^StartType=%SERVICE_BOOT_START%/StartType=3/' "$tmp/3.inf" >"$tmp/x.inf"
refuses "infcheck: demand-start bus driver fails" \
	$PY tests/package/infcheck.py "$tmp/x.inf" --files xen.sys,xenbus.sys,xenfilt.sys --vendor-device C000
grep -v 'DEV_0002' "$tmp/3.inf" >"$tmp/x.inf"
refuses "infcheck: missing PCI\\VEN_5853&DEV_0002 fails" \
	$PY tests/package/infcheck.py "$tmp/x.inf" --files xen.sys,xenbus.sys,xenfilt.sys --vendor-device C000
refuses "infcheck: INF naming a file the package lacks fails" \
	$PY tests/package/infcheck.py "$tmp/3.inf" --files xen.sys,xenbus.sys --vendor-device C000
sed 's/^AddService=xenbus,0x00000002/AddService=xenbus,0/' "$tmp/3.inf" >"$tmp/x.inf"
refuses "infcheck: xenbus not registered as the function driver fails" \
	$PY tests/package/infcheck.py "$tmp/x.inf" --files xen.sys,xenbus.sys,xenfilt.sys --vendor-device C000

# --- The real package, once mk/windows.mk provides images.
real=0
for arch in x64 x86; do
	env=$(make -s --no-print-directory package-env-$arch 2>/dev/null) || env=""
	images="" vendor="" options=""
	eval "$env"
	[ -n "$images" ] || continue
	real=1
	files=""
	for i in $images; do files="$files $(basename "$i")"; done
	set --
	[ -n "$vendor" ] && set -- --vendor-device "$vendor"
	case " $options " in *" FORCE_ACTIVATE "*) set -- "$@" --force-activate ;; esac
	if [ -f "out/xenbus/$arch/xenbus.cat" ]; then
		check_package "out/xenbus/$arch" "$arch (out/xenbus)" "$files" "$@"
		[ -f "$tmp/catwine.exe" ] && wine_reads "$arch (out/xenbus)" "$(pwd)/out/xenbus/$arch/xenbus.cat"
	else
		ko "out/xenbus/$arch was not built although WIN_IMAGES_$arch is set"
	fi
done
if [ $real = 1 ]; then
	if make -s --no-print-directory PKG_OUT="$tmp/repro" package >"$tmp/repro.log" 2>&1; then
		holds "second build of out/xenbus gives the same bytes" diff -r out/xenbus "$tmp/repro"
	else
		cat "$tmp/repro.log"
		ko "second package build"
	fi
	[ -f mk/windows.mk ] || ko "images are set but mk/windows.mk is missing"
elif [ -f mk/windows.mk ]; then
	ko "mk/windows.mk exists but gives no images (WIN_IMAGES_x64/x86)"
else
	echo "note: no Windows images yet (mk/windows.mk not merged): out/xenbus checks not run"
fi

/usr/lib/wine/wineserver -k 2>/dev/null
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
