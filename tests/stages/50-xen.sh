# Real Xen: boot Xen 4.17 + a Debian dom0 under QEMU (tools/xen-rig), run
# the PVH test kernel's scenario suites and the dom0-side checks
# (tests/xen/dom0/run.sh), and count every "XT PASS" / "XT FAIL" line of the
# serial console. A guest that started but never printed its "XT END" line
# (crash, hang) is a failure; so is a rig that timed out.
. tests/lib.sh
rig_dir=$BUILD/xen-rig
payload=$BUILD/xen-payload
log=$rig_dir/serial.log
timeout=${XEN_RIG_TIMEOUT:-290}

rm -rf "$payload"
mkdir -p "$payload"
cp tests/xen/dom0/* "$payload/"
cp "$BUILD/guest/xbguest.elf" "$payload/"
[ -n "${XT_ONLY:-}" ] && echo "$XT_ONLY" >"$payload/only"
for h in "$BUILD"/dom0/bin/*; do
	[ -x "$h" ] && cp "$h" "$payload/"
done

start=$(date +%s)
tools/xen-rig --timeout "$timeout" --log "$log" "$payload"
rc=$?
secs=$(( $(date +%s) - start ))

# Lines of interest, with Xen's "(dN) [ time]" prefix kept for attribution.
xt=$(grep -a -oE '(\(d[0-9]+\) (\[ *[0-9.]+\] )?)?XT [A-Z-]+ .*' "$log" | tr -d '\r')
echo "$xt"
pass=$(echo "$xt" | grep -cE '(^|[])] )XT PASS ')
fail=$(echo "$xt" | grep -cE '(^|[])] )XT FAIL ')

# Every guest that ran must have ended its suite (a restored guest has a
# new domid: its last one must print the end line).
for name in $(echo "$xt" | sed -nE 's/^XT RUN ([^ ]+) domid [0-9]+$/\1/p' | sort -u); do
	domid=$(echo "$xt" | sed -nE "s/^XT RUN $name domid ([0-9]+)\$/\1/p" | tail -n 1)
	case "$name" in
	*-expect-reset) continue ;; # reset by Xen by design before its end line
	esac
	if ! echo "$xt" | grep -qE "^\(d$domid\) (\[ *[0-9.]+\] )?XT END "; then
		echo "XT FAIL guest $name (d$domid): no XT END line (crashed or hung)"
		fail=$((fail + 1))
	fi
done
# Lines the guest's core log sink must (or must not) have printed.
for tok in $(echo "$xt" | sed -nE 's/.*XT EXPECT-LOGGED ([^ ]+)$/\1/p'); do
	if echo "$xt" | grep -qE "XT LOGGED $tok\$"; then
		echo "XT PASS serial.logged.$tok"
		pass=$((pass + 1))
	else
		echo "XT FAIL serial.logged.$tok: not on the serial console"
		fail=$((fail + 1))
	fi
done
for tok in $(echo "$xt" | sed -nE 's/.*XT EXPECT-NOT-LOGGED ([^ ]+)$/\1/p'); do
	if echo "$xt" | grep -qE "XT LOGGED $tok\$"; then
		echo "XT FAIL serial.not_logged.$tok: filtered level reached the console"
		fail=$((fail + 1))
	else
		echo "XT PASS serial.not_logged.$tok"
		pass=$((pass + 1))
	fi
done
if ! grep -aq '^RIG-DONE rc=' "$log"; then
	echo "XT FAIL rig: dom0 never finished (status $rc)"
	fail=$((fail + 1))
fi
if [ "$fail" -ne 0 ] || [ "$rc" -ne 0 ]; then
	echo "--- serial console (last 150 lines) ---"
	tail -n 150 "$log"
	[ "$rc" -ne 0 ] && [ "$fail" -eq 0 ] && fail=1
fi
echo "real-Xen stage took ${secs}s (rig status $rc)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
