# Shared helpers for test stages (sourced; run from the top of the tree).
BUILD=${BUILD:-build}
# A test program that runs longer than this (seconds) is killed and counted
# as a failure: a hang must fail the stage, never hang make check.
TEST_TIMEOUT=${TEST_TIMEOUT:-300}

# run_cmocka_dir DIR PREFIX: run every DIR/PREFIX* program, add up cmocka's
# "[  PASSED  ] N test(s)" and "[  FAILED  ] N test(s)" lines, print the total.
run_cmocka_dir() {
	_pass=0
	_fail=0
	for _t in "$1"/"$2"*; do
		[ -x "$_t" ] || continue
		case "$_t" in *.log) continue ;; esac
		_out=$(timeout -k 10 "$TEST_TIMEOUT" "$_t" 2>&1)
		_rc=$?
		echo "$_out"
		[ "$_rc" -eq 124 ] && echo "$(basename "$_t"): killed after ${TEST_TIMEOUT}s (hung)"
		_p=$(echo "$_out" | sed -nE 's/^\[  PASSED  \] ([0-9]+) test.*/\1/p' | tail -n 1)
		_f=$(echo "$_out" | sed -nE 's/^\[  FAILED  \] ([0-9]+) test.*/\1/p' | tail -n 1)
		_p=${_p:-0}
		_f=${_f:-0}
		if [ "$_rc" -ne 0 ] && [ "$_f" -eq 0 ]; then
			echo "$(basename "$_t") exited with status $_rc: counted as 1 failure"
			_f=1
		fi
		_pass=$((_pass + _p))
		_fail=$((_fail + _f))
	done
	echo "$_pass passed, $_fail failed"
	[ "$_fail" -eq 0 ]
}
