# Wine smoke test (x64): each driver image loads in winedevice.exe, its
# imports resolve, and DriverEntry returns an error status having reported
# "not on Xen" (Wine's CPUID shows no Xen) without touching hypercalls,
# MSRs or ports (any of those would fault in Wine's user mode).
. tests/lib.sh
pass=0
fail=0
ok() { echo "ok: $1"; pass=$((pass + 1)); }
ko() { echo "FAILED: $1"; fail=$((fail + 1)); }

PATH=/usr/lib/wine:$PATH
export WINEPREFIX="$(pwd)/$BUILD/wine-prefix"
export WINEDEBUG=+loaddll,+ntoskrnl,+debugstr
export WINEDLLOVERRIDES="mscoree,mshtml="
unset DISPLAY
logs="$BUILD/wine-logs"

cleanup() { timeout 30 wineserver -k >/dev/null 2>&1; }
trap cleanup EXIT

if ! command -v wine64 >/dev/null; then
	ko "wine64 is installed (tools/deps/windows.txt)"
	echo "$pass passed, $fail failed"
	exit 1
fi

rm -rf "$WINEPREFIX" "$logs"
mkdir -p "$logs"
if timeout 300 wine64 wineboot -u >"$logs/wineboot.log" 2>&1 && timeout 120 wineserver -w &&
	[ -f "$WINEPREFIX/system.reg" ]; then
	ok "fresh WINEPREFIX created"
else
	tail -20 "$logs/wineboot.log"
	ko "fresh WINEPREFIX created"
	echo "$pass passed, $fail failed"
	exit 1
fi

drivers="$WINEPREFIX/drive_c/windows/system32/drivers"
mkdir -p "$drivers"
# The shipped images, and test/xenprobe.sys, a test importer of xen.sys.
imgs=$(ls "$BUILD/win/x64/"*.sys "$BUILD/win/x64/test/"*.sys 2>/dev/null |
	grep -v '\.debug\.sys$')
# Importers find xen.sys in the drivers directory, as on Windows.
for img in $imgs; do
	cp "$img" "$drivers/"
done

FAULTS="Unhandled exception|page fault on|privileged instruction|err:seh"

# load IMAGE: register and start it as a kernel service; log in $logs/NAME.log.
load() {
	_name=$(basename "$1" .sys)
	_log="$logs/$_name.log"
	cp "$1" "$drivers/"
	cleanup
	timeout 60 wine64 sc create "$_name" type= kernel start= demand \
		binPath= "C:\\windows\\system32\\drivers\\$_name.sys" >"$_log" 2>&1
	timeout 120 wine64 sc start "$_name" >>"$_log" 2>&1
	_rc=$?
	timeout 60 wineserver -w
	return $_rc
}

for img in $imgs; do
	name=$(basename "$img" .sys)
	log="$logs/$name.log"
	load "$img"
	if [ $? -eq 124 ]; then
		ko "$name: sc start finished (timed out)"
		continue
	fi
	grep -E "Loaded L\".*\\\\$name\.sys\" at .*: native" "$log" >/dev/null &&
		ok "$name: loaded in winedevice.exe" || ko "$name: loaded in winedevice.exe"
	if grep -E "err:module|import_dll|Library .* not found|unimplemented function|could not load" \
		"$log" >/dev/null; then
		grep -E "err:module|import_dll|not found|unimplemented|could not load" "$log" | head -5
		ko "$name: imports resolved"
	else
		ok "$name: imports resolved"
	fi
	if grep -E "$FAULTS" "$log" >/dev/null; then
		grep -E "$FAULTS" "$log" | head -5
		ko "$name: DriverEntry ran without a fault"
	else
		ok "$name: DriverEntry ran without a fault"
	fi
	grep -E "debugstr:.*not on Xen" "$log" >/dev/null &&
		ok "$name: DriverEntry reported \"not on Xen\" through DbgPrint" ||
		ko "$name: DriverEntry reported \"not on Xen\" through DbgPrint"
	status=$(sed -nE 's/.*ZwLoadDriver failed to create driver .*: ([0-9a-fA-F]{8}).*/\1/p' "$log" | tail -n 1)
	# An importer of xen.sys pulls it in (its DllInitialize is not run by Wine).
	if /usr/bin/python3 - "$img" <<'PYEOF'
import pefile, sys
pe = pefile.PE(sys.argv[1], fast_load=True)
pe.parse_data_directories([pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_IMPORT"]])
sys.exit(0 if any(e.dll.lower() == b"xen.sys" for e in getattr(pe, "DIRECTORY_ENTRY_IMPORT", [])) else 1)
PYEOF
	then
		grep -E 'Loaded L".*\\\\xen\.sys" at .*: native' "$log" >/dev/null &&
			ok "$name: its import xen.sys was loaded with it" ||
			ko "$name: its import xen.sys was loaded with it"
	fi
	case "$status" in
	[cC]*) ok "$name: DriverEntry returned an error status ($status)" ;;
	*) ko "$name: DriverEntry returned an error status (got '${status:-none}')" ;;
	esac
done
[ -n "$imgs" ] || ko "x64 images to load"

# The fault check must fire: badprobe.sys writes an MSR in DriverEntry.
bad="$BUILD/win/x64/test-bad/badprobe.sys"
if [ -f "$bad" ]; then
	load "$bad"
	grep -E "$FAULTS" "$logs/badprobe.log" >/dev/null &&
		ok "self-check: a driver touching an MSR in Wine is reported as faulting" ||
		ko "self-check: a driver touching an MSR in Wine is reported as faulting"
else
	ko "self-check: $bad built"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
