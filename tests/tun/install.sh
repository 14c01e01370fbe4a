#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installed like a real module: on a stock module tree, the staged output of
# `make modules_install` (the bench runs it on the host for this kernel, in
# /tests/install/stage) goes into updates/, depmod runs, and from then on
# modprobe, the dependencies of tun_policy and the kernel's own autoload on
# open("/dev/net/tun") (request_module -> /proc/sys/kernel/modprobe) pick our
# modules; removing them and running depmod again gives the stock tun.ko back.
#
# The stock system is a copy of the guest's /lib/modules/<release> with
# Debian's tun.ko back at kernel/drivers/net/ and no tun_policy.ko, bind
# mounted over the real one for the length of the test: the modprobe the
# kernel runs sees it too, and the tests after this one get the bench's
# tree back.  Ours only: the stock VM has nothing to install.

. "$(dirname "$0")/../lib/tt.sh"

INST=/tests/install
MODS=/lib/modules/$KABI
TREE=/tmp/install-tree
STAGED=$INST/stage/lib/modules/$KABI
WRAPPER=/tmp/install-modprobe
CALLS=/tmp/install-modprobe.calls
orig_modprobe=$(cat /proc/sys/kernel/modprobe)

# loaded MODULE: in /proc/modules (not only a built-in /sys/module entry)
loaded() {
	grep -q "^$1 " /proc/modules
}

# unload MODULE: rmmod it if loaded; the case fails if it stays.  What a
# case before let go of can still pin the module for a while: a namespace
# is torn down by a worker after `ip netns del` returns, and with it the
# persistent devices in it (each holds a reference, as stock's does) and
# the skbs still charged to a queue's socket.  So wait, with a bound, for
# the references to go before asking; a module that keeps one fails.
unload() {
	local refs
	loaded "$1" || return 0
	for _ in $(seq 600); do
		refs=$(cat "/sys/module/$1/refcnt")
		((refs == 0)) && break
		sleep 0.1
	done
	tt_cmd rmmod "$1"
	! loaded "$1" || tt_fail "rmmod $1: $TT_ERR (refcnt $(cat "/sys/module/$1/refcnt"), holders: $(ls "/sys/module/$1/holders"))"
}

# is_ours: the loaded tun is the one in updates/.  Ours has a MODULE_VERSION,
# hence a srcversion, and is out of tree (taint O); Debian's has neither.
is_ours() {
	[[ -f /sys/module/tun/srcversion ]] &&
		[[ $(cat /sys/module/tun/srcversion) == "$(modinfo -F srcversion "$MODS/updates/tun.ko" 2>/dev/null)" ]] &&
		[[ $(cat /sys/module/tun/taint) == *O* ]]
}

is_stock() {
	[[ ! -e /sys/module/tun/srcversion && $(cat /sys/module/tun/taint) != *O* ]]
}

cleanup() {
	echo "$orig_modprobe" >/proc/sys/kernel/modprobe
	ip netns del install_l 2>/dev/null
	ip netns del install_r 2>/dev/null
	ip link del ttin0 2>/dev/null
	ip link del ttin1 2>/dev/null
	for m in tun_policy tun; do
		loaded "$m" && rmmod "$m"
	done
	if grep -qF " $MODS " /proc/mounts; then
		umount "$MODS" || tt_note "cannot unmount $MODS: later tests see the test's tree"
	fi
	rm -rf "$TREE" "$WRAPPER" "$CALLS"
}

case_stock_tree() {
	[[ -f $INST/stock/lib/modules/$KABI/kernel/drivers/net/tun.ko ]] ||
		tt_fail "the bench put no stock tun.ko in $INST/stock"
	unload tun_policy
	unload tun
	rm -rf "$TREE"
	cp -a "$MODS" "$TREE" || tt_fail "cannot copy $MODS"
	cp "$INST/stock/lib/modules/$KABI/kernel/drivers/net/tun.ko" \
		"$TREE/kernel/drivers/net/tun.ko" || tt_fail "cannot put the stock tun.ko back"
	rm -f "$TREE/extra/tun_policy.ko"
	tt_ok mount -o bind "$TREE" "$MODS"
	tt_ok depmod "$KABI"
	tt_eq "$(modinfo -n tun)" "$MODS/kernel/drivers/net/tun.ko" "modinfo -n tun, stock tree"
	tt_cmd modinfo -n tun_policy
	((TT_RC != 0)) || tt_fail "tun_policy found before install: $TT_OUT"
	tt_ok modprobe tun
	is_stock || tt_fail "modprobe tun on the stock tree loaded a tun with srcversion '$(cat /sys/module/tun/srcversion 2>/dev/null)', taint '$(cat /sys/module/tun/taint)'"
	unload tun
}

# What `make install` does on a host running this kernel: the files its
# staged run wrote into updates/, then depmod on the live tree.
case_install() {
	grep -q '^updates/tun\.ko:' "$STAGED/modules.dep" ||
		tt_fail "the staged make modules_install ran no depmod -b (no updates/tun.ko in its modules.dep)"
	grep -q '^updates/tun_policy\.ko:' "$STAGED/modules.dep" ||
		tt_fail "no updates/tun_policy.ko in the staged modules.dep"
	tt_ok cp -R "$STAGED/updates" "$MODS/updates"
	tt_ok depmod "$KABI"
	tt_eq "$(modinfo -n tun)" "$MODS/updates/tun.ko" "modinfo -n tun"
	tt_eq "$(modinfo -n tun_policy)" "$MODS/updates/tun_policy.ko" "modinfo -n tun_policy"
	tt_eq "$(modprobe -R char-major-10-200)" tun "modprobe -R char-major-10-200"
	grep -qx 'tun net/tun c10:200' "$MODS/modules.devname" ||
		tt_fail "modules.devname has no 'tun net/tun c10:200': $(cat "$MODS/modules.devname")"
	tt_eq "$(modinfo -F version tun)" "$(modinfo -F version "$STAGED/updates/tun.ko")" "modinfo -F version tun"
}

case_modprobe_tun() {
	unload tun
	tt_ok modprobe tun
	is_ours || tt_fail "modprobe tun loaded srcversion '$(cat /sys/module/tun/srcversion 2>/dev/null)', taint '$(cat /sys/module/tun/taint)', not updates/tun.ko"
	tt_note "tun $(cat /sys/module/tun/version) srcversion $(cat /sys/module/tun/srcversion) taint $(cat /sys/module/tun/taint)"
	unload tun
}

# modprobe reads tun_policy's dependencies from modules.dep and loads them
# first: they are the stock netfilter modules under kernel/.
case_modprobe_tun_policy() {
	local deps d absent=() show last
	deps=$(modinfo -F depends tun_policy | tr , ' ')
	[[ -n $deps ]] || tt_fail "modinfo names no dependency of tun_policy"
	unload tun_policy
	for d in $deps; do
		loaded "$d" && modprobe -r "$d" 2>/dev/null
		loaded "$d" || absent+=("$d")
	done
	((${#absent[@]})) || tt_fail "every dependency ($deps) stayed loaded: nothing to show"
	tt_note "not loaded before: ${absent[*]}"
	show=$(modprobe --show-depends tun_policy)
	last=$(tail -n 1 <<<"$show")
	tt_eq "${last% }" "insmod $MODS/updates/tun_policy.ko" "last line of modprobe --show-depends"
	for d in $deps; do
		grep -q "^insmod $MODS/kernel/.*/$d\.ko" <<<"$show" ||
			tt_fail "modprobe --show-depends does not load $d from kernel/: $show"
	done
	tt_ok modprobe tun_policy
	loaded tun_policy || tt_fail "tun_policy not loaded"
	for d in $deps; do
		loaded "$d" || tt_fail "$d not loaded by modprobe tun_policy"
		[[ -e /sys/module/$d/holders/tun_policy ]] || tt_fail "tun_policy does not hold $d"
	done
	tt_ok modprobe -r tun_policy
	! loaded tun_policy || tt_fail "modprobe -r left tun_policy loaded"
}

# The kernel's autoload: open() of the char-major-10-200 node with no tun
# loaded makes it run /proc/sys/kernel/modprobe, here a wrapper that notes
# its arguments before running the real one.
case_autoload() {
	local fd
	unload tun
	[[ -c /dev/net/tun ]] || mknod -m 666 /dev/net/tun c 10 200
	printf '#!/bin/bash\necho "$*" >>%s\nexec /sbin/modprobe "$@"\n' "$CALLS" >"$WRAPPER"
	chmod 755 "$WRAPPER"
	: >"$CALLS"
	echo "$WRAPPER" >/proc/sys/kernel/modprobe
	exec {fd}<>/dev/net/tun || tt_fail "open(/dev/net/tun) failed"
	echo "$orig_modprobe" >/proc/sys/kernel/modprobe
	grep -q -- 'char-major-10-200' "$CALLS" ||
		tt_fail "the kernel ran no modprobe for char-major-10-200: '$(cat "$CALLS")'"
	tt_note "the kernel ran: modprobe $(head -n 1 "$CALLS")"
	loaded tun || tt_fail "open succeeded and tun is not loaded"
	is_ours || tt_fail "the autoload loaded srcversion '$(cat /sys/module/tun/srcversion 2>/dev/null)', not updates/tun.ko"
	exec {fd}>&-
}

# ip tuntap add on the installed module, and a ping across two of its
# devices, each in a namespace, tunrelay copying between their queues.
case_ip_tuntap_ping() {
	local relay log=$TT_TMP/relay.log
	loaded tun || tt_ok modprobe tun
	is_ours || tt_fail "the loaded tun is not ours"
	tt_ok ip tuntap add dev ttin0 mode tun
	tt_ok ip tuntap add dev ttin1 mode tun
	tt_ok ip netns add install_l
	tt_ok ip netns add install_r
	tt_ok ip link set ttin0 netns install_l
	tt_ok ip link set ttin1 netns install_r
	tunrelay install_l:ttin0 install_r:ttin1 >"$log" 2>&1 &
	relay=$!
	for _ in $(seq 300); do
		grep -q '^tunrelay: relaying' "$log" && break
		kill -0 "$relay" 2>/dev/null || break
		sleep 0.2
	done
	grep -q '^tunrelay: relaying' "$log" || { kill "$relay"; tt_fail "tunrelay did not attach: $(cat "$log")"; }
	ip netns exec install_l sysctl -qw net.ipv6.conf.ttin0.disable_ipv6=1
	ip netns exec install_r sysctl -qw net.ipv6.conf.ttin1.disable_ipv6=1
	ip -n install_l addr add 198.18.40.1/24 dev ttin0
	ip -n install_r addr add 198.18.40.2/24 dev ttin1
	ip -n install_l link set ttin0 up
	ip -n install_r link set ttin1 up
	# -w: up to 120 s for the three replies on a loaded host.
	tt_cmd ip netns exec install_l ping -c 3 -w 120 198.18.40.2
	kill "$relay"
	wait "$relay" 2>/dev/null
	# the devices go now, under rtnl, not later with their namespaces
	ip -n install_l link del ttin0
	ip -n install_r link del ttin1
	ip netns del install_l
	ip netns del install_r
	((TT_RC == 0)) || tt_fail "ping across tunrelay exited $TT_RC: $TT_OUT $TT_ERR"
	grep -q '^3 packets transmitted, 3 received' <<<"$TT_OUT" ||
		tt_fail "ping: $(grep transmitted <<<"$TT_OUT")"
}

# What `make uninstall` does: the two files out of updates/, depmod.
case_uninstall() {
	unload tun_policy
	unload tun
	tt_ok rm "$MODS/updates/tun.ko" "$MODS/updates/tun_policy.ko"
	tt_ok rmdir "$MODS/updates"
	tt_ok depmod "$KABI"
	tt_eq "$(modinfo -n tun)" "$MODS/kernel/drivers/net/tun.ko" "modinfo -n tun after uninstall"
	tt_cmd modinfo -n tun_policy
	((TT_RC != 0)) || tt_fail "tun_policy still found after uninstall: $TT_OUT"
	tt_ok modprobe tun
	is_stock || tt_fail "modprobe tun after uninstall loaded srcversion '$(cat /sys/module/tun/srcversion 2>/dev/null)'"
	unload tun
}

if [[ $TUN_IMPL != ours ]]; then
	echo "skip install: installs our modules over a stock tree; nothing to install in the stock VM"
	exit 0
fi
if [[ ! -d $STAGED/updates ]]; then
	echo "not ok install: the bench put no staged make modules_install in $INST/stage"
	exit 1
fi
trap cleanup EXIT
tt_run stock_tree case_stock_tree
tt_run install case_install
tt_run modprobe_tun case_modprobe_tun
tt_run modprobe_tun_policy case_modprobe_tun_policy
tt_run autoload_via_modprobe case_autoload
tt_run ip_tuntap_ping case_ip_tuntap_ping
tt_run uninstall case_uninstall
cleanup
trap - EXIT
tt_done
