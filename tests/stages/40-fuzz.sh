# Run every libFuzzer harness (build/fuzz/bin/fuzz_*, one per
# tests/fuzz/fuzz_*.c) briefly: FUZZ_SECONDS (default 10) or FUZZ_RUNS
# executions (default 200000, 0 = no limit), whichever comes first. One check
# per harness; a crash, leak, sanitizer report or missing binary fails it.
# The corpus grows in build/fuzz/corpus/NAME, crashes land in
# build/fuzz/artifacts/.
. tests/lib.sh
seconds=${FUZZ_SECONDS:-10}
runs=${FUZZ_RUNS:-200000}
pass=0
fail=0
for src in tests/fuzz/fuzz_*.c; do
	[ -e "$src" ] || continue
	name=$(basename "$src" .c)
	bin="$BUILD/fuzz/bin/$name"
	if [ ! -x "$bin" ]; then
		echo "FAILED: $name: $bin was not built"
		fail=$((fail + 1))
		continue
	fi
	corpus="$BUILD/fuzz/corpus/$name"
	artifacts="$BUILD/fuzz/artifacts"
	mkdir -p "$corpus" "$artifacts"
	# -timeout: one input that runs longer than 10 s is a hang and fails.
	set -- -max_total_time="$seconds" -runs="$runs" -print_final_stats=1 -timeout=10 \
		-artifact_prefix="$artifacts/$name-" "$corpus"
	if [ "$runs" = 0 ]; then
		set -- -max_total_time="$seconds" -print_final_stats=1 -timeout=10 \
			-artifact_prefix="$artifacts/$name-" "$corpus"
	fi
	[ -f "tests/fuzz/$name.dict" ] && set -- -dict="tests/fuzz/$name.dict" "$@"
	[ -d "tests/fuzz/$name" ] && set -- "$@" "tests/fuzz/$name"
	log="$BUILD/fuzz/$name.log"
	start=$(date +%s)
	timeout -k 10 $((seconds + 120)) "$bin" "$@" >"$log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -n 1)
	units=$(ls "$corpus" | wc -l)
	if [ "$rc" -eq 0 ] && [ -n "$execs" ]; then
		echo "ok: $name: $execs executions in ${secs}s, corpus $units inputs"
		pass=$((pass + 1))
	else
		tail -n 60 "$log"
		echo "FAILED: $name: exit status $rc after ${execs:-?} executions (log $log)"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
