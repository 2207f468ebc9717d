# Helpers for the package checks (sourced by tests/stages/70-package.sh).
PY=/usr/bin/python3
MKCAT=$BUILD/package/mkcat
MKCAT_ASAN=$BUILD/package/mkcat-asan
SIGN=$BUILD/package/testsign
pass=0
fail=0
ok() { echo "ok: $1"; pass=$((pass + 1)); }
ko() { echo "FAILED: $1"; fail=$((fail + 1)); }

# holds DESC CMD...: the command succeeds (its output is shown on failure).
holds() {
	_d=$1
	shift
	if _o=$("$@" 2>&1); then ok "$_d"; else echo "$_o" | tail -n 20; ko "$_d"; fi
}

# refuses DESC CMD...: the command fails, cleanly (no sanitizer report, no signal).
refuses() {
	_d=$1
	shift
	_o=$("$@" 2>&1)
	_rc=$?
	if [ "$_rc" -eq 0 ]; then
		ko "$_d (accepted)"
	elif [ "$_rc" -ge 64 ] || echo "$_o" | grep -qE 'Sanitizer|runtime error'; then
		echo "$_o" | tail -n 20
		ko "$_d (crashed: status $_rc)"
	else
		ok "$_d"
	fi
}

# osslsigncode says "Succeeded" and exits 0.
ossl_verify() {
	_o=$(osslsigncode verify -CAfile "$SIGN/test.pem" "$@" 2>&1) &&
		echo "$_o" | grep -q '^Succeeded' && ! echo "$_o" | grep -q 'verification: failed'
}

# flip FILE OFFSET: change one byte in place.
flip() {
	_b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $(((_b + 1) % 256)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# check_package DIR ARCH "FILES" [infcheck options]: every check of one
# package directory. FILES are the images it must hold.
check_package() {
	_dir=$1 _arch=$2 _files=$3
	shift 3
	_list=$(echo $_files | tr ' ' ',')
	_want=$(printf '%s\n' $_files xenbus.inf xenbus.cat install.ps1 uninstall.ps1 xenbus-test.cer | sort)
	_have=$(ls -A "$_dir" | sort)
	if [ "$_want" = "$_have" ]; then
		ok "$_arch: the package holds exactly its files"
	else
		ko "$_arch: package files: $(echo $_have), want $(echo $_want)"
	fi
	holds "$_arch: INF matches the contract and names exactly the package's images" \
		$PY tests/package/infcheck.py "$_dir/xenbus.inf" --files "$_list" "$@"
	holds "$_arch: catalog lists the INF and every image under its own digest (independent parser)" \
		$PY tests/package/catcheck.py check "$_dir/xenbus.cat" "$_dir" xenbus.inf $_files
	holds "$_arch: osslsigncode verifies the catalog's signature" ossl_verify -in "$_dir/xenbus.cat"
	for _f in $_files; do
		holds "$_arch: osslsigncode verifies the signature of $_f" ossl_verify -in "$_dir/$_f"
		holds "$_arch: osslsigncode verify -catalog xenbus.cat accepts $_f" \
			ossl_verify -catalog "$_dir/xenbus.cat" -in "$_dir/$_f"
	done
	for _s in install.ps1 uninstall.ps1; do
		if grep -q "PackageArch = '${_arch%% *}'" "$_dir/install.ps1" && ! grep -q '@[A-Z_]*@' "$_dir/$_s" &&
			[ "$(tr -cd '\r' <"$_dir/$_s" | wc -c)" -eq "$(wc -l <"$_dir/$_s")" ]; then
			ok "$_arch: $_s is filled in for $_arch, CRLF"
		else
			ko "$_arch: $_s placeholders or line ends"
		fi
	done
	if cmp -s "$_dir/xenbus-test.cer" "$SIGN/test.cer" &&
		openssl x509 -inform der -in "$_dir/xenbus-test.cer" -noout -ext extendedKeyUsage 2>/dev/null |
		grep -q 'Code Signing' && ! grep -rlq 'PRIVATE KEY' "$_dir"; then
		ok "$_arch: ships the public code-signing test certificate and no private key"
	else
		ko "$_arch: test certificate"
	fi
}

# wine_reads LABEL CATALOG: Wine's wintrust (CryptCATOpen/CryptCATEnumerateMember,
# modelled on Windows') reads every member with the tag, subject type and data
# kind the independent parser sees. Wine 8 does not implement member
# attributes, so only these fields are compared. CATALOG is an absolute path;
# $tmp/catwine.exe must exist. Leaves wineserver running: kill it at the end.
wine_reads() {
	export WINEPREFIX="$(pwd)/$BUILD/package/wine" WINEDEBUG=-all
	mkdir -p "$WINEPREFIX"
	# Wine maps Z: to /.
	_w="Z:$(echo "$2" | tr '/' '\\')"
	timeout 300 /usr/lib/wine/wine64 "$tmp/catwine.exe" "$_w" >"$tmp/wine.out" 2>"$tmp/wine.err"
	_rc=$?
	_got=$(tr -d '\r' <"$tmp/wine.out" | awk '/^member /{print $2, $(NF-1), $NF}' | sort)
	_want=$($PY tests/package/catcheck.py dump "$2" | awk '/^member /{print $2, $(NF-1), $NF}' | sort)
	if [ $_rc -eq 0 ] && [ -n "$_got" ] && [ "$_got" = "$_want" ]; then
		ok "$1: Wine's CryptCATOpen/CryptCATEnumerateMember read every member as the parser does"
	else
		echo "wine status $_rc"; echo "wine: $_got"; echo "want: $_want"; tail -n 5 "$tmp/wine.err"
		ko "$1: Wine's wintrust reading of the catalog"
	fi
}
