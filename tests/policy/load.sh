#!/bin/bash
# tun_policy.ko loads and unloads cleanly, twice, and says nothing alarming.
# (The bench fails the whole run on any Oops/WARNING on the console.)

rc=0
ok()  { echo "ok $1"; }
nok() { echo "not ok $1: $2"; rc=1; }

for round in 1 2; do
	if modprobe tun_policy; then
		ok "load-$round"
	else
		nok "load-$round" "modprobe tun_policy failed"
		dmesg | tail -n 5 | sed 's/^/# dmesg: /'
		continue
	fi
	if [ -d /sys/module/tun_policy ]; then
		ok "present-$round"
	else
		nok "present-$round" "/sys/module/tun_policy missing after load"
	fi
	if rmmod tun_policy; then
		ok "unload-$round"
	else
		nok "unload-$round" "rmmod tun_policy failed"
	fi
	if [ ! -e /sys/module/tun_policy ]; then
		ok "absent-$round"
	else
		nok "absent-$round" "/sys/module/tun_policy still present"
	fi
done
exit $rc
