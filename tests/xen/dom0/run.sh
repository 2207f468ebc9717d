# Real-Xen scenarios, dom0 side (runs under tools/xen-rig in dom0's busybox
# sh, cwd /rig). Starts the test kernel once per suite, judges what only
# dom0 can see (shutdown reasons, xenconsoled's log) and prints
#   XT RUN <guest> domid <id>           before a guest's output
#   XT PASS dom0.<name> | XT FAIL dom0.<name>: <why>
#   XT GUEST-END <guest> reason <r>     when it is gone
# tests/stages/50-xen.sh counts these with the guests' own XT lines.
GUEST_TIMEOUT=${GUEST_TIMEOUT:-60}
fails=0

pass() { echo "XT PASS dom0.$1"; }
fail() { echo "XT FAIL dom0.$1: $2"; fails=$((fails + 1)); }

# write_cfg NAME SUITE [extra config lines...]
write_cfg() {
	name=$1 suite=$2
	shift 2
	{
		echo "name=\"$name\""
		echo 'type="pvh"'
		echo 'kernel="/rig/xbguest.elf"'
		echo 'memory=32'
		echo 'vcpus=1'
		echo "cmdline=\"suite=$suite name=$name\""
		echo 'on_poweroff="destroy"'
		echo 'on_crash="destroy"'
		echo 'on_watchdog="destroy"'
		for l in "$@"; do echo "$l"; done
	} >"/tmp/$name.cfg"
}

# run_guest NAME SUITE WANT_REASON: create, wait for it to go, check the
# shutdown reason xl reports (0 poweroff, 3 crash, 4 watchdog).
run_guest() {
	name=$1 suite=$2 want=$3
	write_cfg "$name" "$suite"
	xl create -F "/tmp/$name.cfg" >"/tmp/$name.xl" 2>&1 &
	xlpid=$!
	i=0
	domid=""
	while [ -z "$domid" ] && [ $i -lt 50 ]; do
		domid=$(xl domid "$name" 2>/dev/null)
		[ -n "$domid" ] || { sleep 0.1; i=$((i + 1)); }
	done
	echo "XT RUN $name domid ${domid:-none}"
	i=0
	while kill -0 $xlpid 2>/dev/null; do
		if [ $i -ge $((GUEST_TIMEOUT * 10)) ]; then
			echo "XT FAIL dom0.$name: timeout after ${GUEST_TIMEOUT}s, destroyed"
			fails=$((fails + 1))
			xl destroy "$name" 2>/dev/null
			break
		fi
		sleep 0.1
		i=$((i + 1))
	done
	wait $xlpid
	reason=$(sed -nE 's/.*shutdown reason code ([0-9]+).*/\1/p; s/.*has shut down, reason code ([0-9]+).*/\1/p' "/tmp/$name.xl" | head -n 1)
	echo "XT GUEST-END $name reason ${reason:-none}"
	if [ "$reason" = "$want" ]; then
		pass "$name.shutdown_reason"
	else
		fail "$name.shutdown_reason" "reason ${reason:-none}, want $want"
		cat "/tmp/$name.xl"
	fi
}

run_guest xt-basic basic 0
# The PV console line the guest wrote is in xenconsoled's log.
if grep -q "XT-CONSOLE hello from the PVH guest" /var/log/xen/console/guest-xt-basic.log 2>/dev/null; then
	pass "console_log"
else
	fail "console_log" "line missing from xenconsoled's guest-xt-basic.log"
	ls -l /var/log/xen/console/
fi

run_guest xt-wd-pat watchdog_pat 0
# Named *-expect-reset: Xen stops it before its XT END line (50-xen.sh).
run_guest xt-wd-expect-reset watchdog_expire 4

echo "XT DOM0-END fails $fails"
exit 0
