# Real-Xen side-by-side benchmark, dom0 side (runs under tools/xen-rig in
# dom0's busybox sh, cwd /rig; payload built by tools/xen-bench). Boots, one
# after the other, the test kernel with suite "peer" and Debian's Linux
# kernel as a PVH guest with the peer initramfs; both make the same R x N
# store reads and M-page balloon inflate and print "PEER ours|linux ..."
# lines.
# The test kernel prints on the serial console itself; the Linux guest's
# console is xenconsoled's log, copied here onto dom0's console.
. ./params	# PEER_READS PEER_ROUNDS PEER_PAGES
TIMEOUT=${PEER_TIMEOUT:-120}

# boot NAME CFGLINES...: run the guest to its end (or destroy it after
# TIMEOUT s); prints "PEER guest NAME reason R xl-status S" (R from xl's
# report: 0 poweroff, 3 crash) and xl's output unless R is 0.
boot() {
	name=$1
	shift
	for l in "$@"; do echo "$l"; done >/tmp/$name.cfg
	xl create -F /tmp/$name.cfg >/tmp/$name.xl 2>&1 &
	xlpid=$!
	i=0
	while kill -0 $xlpid 2>/dev/null; do
		if [ $i -ge $((TIMEOUT * 10)) ]; then
			echo "PEER error $name: timeout after ${TIMEOUT}s, destroyed"
			xl destroy "$name" 2>/dev/null
			break
		fi
		sleep 0.1
		i=$((i + 1))
	done
	wait $xlpid
	xlrc=$?
	reason=$(sed -nE 's/.*shutdown reason code ([0-9]+).*/\1/p; s/.*has shut down, reason code ([0-9]+).*/\1/p' /tmp/$name.xl | head -n 1)
	echo "PEER guest $name reason ${reason:-none} xl-status $xlrc"
	[ "$reason" = 0 ] || cat /tmp/$name.xl
}

args="peer_reads=$PEER_READS peer_rounds=$PEER_ROUNDS peer_pages=$PEER_PAGES"
boot xb-peer "name=\"xb-peer\"" 'type="pvh"' 'kernel="/rig/xbguest.elf"' \
	'memory=64' 'vcpus=1' "cmdline=\"suite=peer name=xb-peer $args\"" \
	'on_poweroff="destroy"' 'on_crash="destroy"'
boot linux-peer "name=\"linux-peer\"" 'type="pvh"' 'kernel="/rig/vmlinuz"' \
	'ramdisk="/rig/peer-initrd.img"' 'memory=256' 'vcpus=1' \
	"cmdline=\"console=hvc0 loglevel=3 $args\"" \
	'on_poweroff="destroy"' 'on_crash="destroy"'
log=/var/log/xen/console/guest-linux-peer.log
if [ -f $log ]; then
	tr -d '\r' <$log | grep -E '^PEER '
	grep -qE '^PEER linux (store_reads|balloon_inflate)' $log || tail -n 40 $log
else
	echo "PEER error linux-peer: no console log"
	ls -l /var/log/xen/console/
fi
exit 0
