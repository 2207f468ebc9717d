# The same unit tests, built without sanitizers, under valgrind memcheck:
# one check per test program, failed on any memcheck error or definite leak.
. tests/lib.sh
pass=0
fail=0
for t in "$BUILD"/host/vg/bin/test_*; do
	[ -x "$t" ] || continue
	if timeout -k 10 $((TEST_TIMEOUT * 2)) valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
		"$t" >"$t.vg.log" 2>&1; then
		echo "valgrind ok: $(basename "$t")"
		pass=$((pass + 1))
	else
		cat "$t.vg.log"
		echo "valgrind FAILED: $(basename "$t")"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
