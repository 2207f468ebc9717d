# The child-driver interface headers (include/) against the contract
# (shared/spec/interfaces.md), built with the x64 and x86 mingw-w64
# compilers and the DDK headers, -Werror:
#   layout   tests/ifaces/check_layout.c static-asserts every struct's size,
#            member offsets, member order and signatures: one check per
#            interface version per arch (a failed assertion names its
#            version as "LAYOUT <TAG>:"), plus the INTERFACE header;
#   header   each header compiles on its own after <ntddk.h>;
#   macros   tests/ifaces/check_macros.c calls every method through the
#            XENBUS_*() call macros as a child would.
# The GUIDs, version ranges and revision table are compared with
# src/core/bus.c by tests/unit/test_ifaces.c (stage 10-unit).
. tests/lib.sh
pass=0
fail=0
ok() { echo "ok: $1"; pass=$((pass + 1)); }
ko() { echo "FAILED: $1"; fail=$((fail + 1)); }

out="$BUILD/ifaces"
mkdir -p "$out"
tags=$(sed -nE 's/^[[:space:]]*X\(([A-Z0-9_]+),.*/\1/p' tests/ifaces/contract.h)
[ -n "$tags" ] || ko "no interface versions found in tests/ifaces/contract.h"

for arch in x64 x86; do
	case $arch in
	x64) triplet=x86_64-w64-mingw32 extra="" ;;
	x86) triplet=i686-w64-mingw32
		extra="-fno-asynchronous-unwind-tables -fno-unwind-tables -mgeneral-regs-only" ;;
	esac
	cc="$triplet-gcc"
	cflags="-std=gnu11 -O2 -Wall -Wextra -Werror -Wno-multichar -fno-strict-aliasing
		-fno-common -fno-stack-protector $extra -Iinclude -Itests/ifaces
		-I/usr/$triplet/include/ddk"
	if ! command -v "$cc" >/dev/null 2>&1; then
		ko "$arch: $cc not installed (tools/deps/ifaces.txt)"
		continue
	fi

	# layout: attribute failures to interface versions by the assertion tags
	log="$out/layout-$arch.log"
	# shellcheck disable=SC2086
	if $cc $cflags -c tests/ifaces/check_layout.c -o "$out/layout-$arch.o" >"$log" 2>&1; then
		failed=""
	else
		cat "$log"
		failed=$(grep -oE 'LAYOUT [A-Z0-9_]+:' "$log" | sed 's/LAYOUT //; s/://' | sort -u)
		# Any error other than a tagged assertion (a header that does
		# not parse, a missing member or contract row): every version
		# fails.
		if [ -z "$failed" ] ||
			grep 'error:' "$log" | grep -qv 'static assertion failed: "LAYOUT '; then
			failed="INTERFACE $tags"
		fi
	fi
	for tag in INTERFACE $tags; do
		if echo " $failed " | tr '\n' ' ' | grep -q " $tag "; then
			ko "$arch layout $tag"
		else
			ok "$arch layout $tag"
		fi
	done

	for h in include/*.h; do
		name=$(basename "$h")
		printf '#include <ntddk.h>\n#include "%s"\n' "$name" >"$out/alone-$name.c"
		# shellcheck disable=SC2086
		if $cc $cflags -c "$out/alone-$name.c" -o "$out/alone-$name-$arch.o" \
			>"$out/alone-$name-$arch.log" 2>&1; then
			ok "$arch header $name compiles on its own"
		else
			cat "$out/alone-$name-$arch.log"
			ko "$arch header $name compiles on its own"
		fi
	done

	# shellcheck disable=SC2086
	if $cc $cflags -c tests/ifaces/check_macros.c -o "$out/macros-$arch.o" \
		>"$out/macros-$arch.log" 2>&1; then
		ok "$arch call macros"
	else
		cat "$out/macros-$arch.log"
		ko "$arch call macros"
	fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
