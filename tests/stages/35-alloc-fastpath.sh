# The allocators' fast paths under callgrind (bench/bench_alloc.c):
# instruction budgets per get+put, and no spin lock taken inside them.
. tests/lib.sh
pass=0
fail=0
ok() { echo "ok: $1"; pass=$((pass + 1)); }
ko() { echo "FAILED: $1"; fail=$((fail + 1)); }

bin=$BUILD/host/vg/bin/bench_alloc
out=$BUILD/check/alloc-fastpath
rm -rf "$out"
mkdir -p "$out"
if ! valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out/cg.%p" \
	"$bin" >"$out/run.log" 2>&1; then
	cat "$out/run.log"
	ko "bench_alloc runs under callgrind"
	echo "$pass passed, $fail failed"
	exit 1
fi

# region NAME -> "instructions-per-op file"
region() {
	for f in "$out"/cg.*; do
		if grep -q "^desc: Trigger: Client Request: bench|$1|" "$f"; then
			awk '/^desc: Trigger: Client Request: bench\|/ { split($0, t, "|"); ops = t[3] }
			     /^(summary|totals): / { ir = $2 }
			     END { printf "%d", ir / ops }' "$f"
			echo " $f"
			return
		fi
	done
	echo "-1 none"
}

set -- $(region cache_get_put)
cache=$1 cache_file=$2
set -- $(region gnttab_entry_get_put)
gnt=$1 gnt_file=$2
set -- $(region gnttab_entry_get_put_harness)
harness=$1

[ "$cache" -ge 0 ] && [ "$cache" -le 100 ] &&
	ok "cache get+put: $cache instructions (budget 100)" ||
	ko "cache get+put: $cache instructions (budget 100)"
net=$((gnt - harness))
[ "$gnt" -ge 0 ] && [ "$harness" -ge 0 ] && [ "$net" -le 100 ] &&
	ok "grant permit+revoke: $gnt instructions, $net without the loop's own calls (budget 100)" ||
	ko "grant permit+revoke: $gnt instructions, $net without the loop's own calls (budget 100)"
for f in "$cache_file" "$gnt_file"; do
	if [ -f "$f" ] && ! grep -q 'os_spin_lock' "$f"; then
		ok "no spin lock taken in $(grep -o 'bench|[a-z_]*' "$f" | head -n 1)"
	else
		ko "no spin lock taken in region of $f"
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
