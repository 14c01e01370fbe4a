#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tun_policy on real traffic, the rest: NAT, MASQUERADE and VALVE, LOG,
# local packets, namespaces, a device that goes, rmmod with rules in place
# and under traffic.
#
# The picture and the checks are in _route.sh.

. "$(dirname "$0")/_route.sh"

modprobe tun_policy || { echo "not ok load: modprobe tun_policy failed"; exit 1; }

# unanswered NETNS DST [PING-ARGS...]: one ping from NETNS gets no answer.
unanswered() {
	local ns=$1 dst=$2 out
	shift 2
	out=$(ip netns exec "$ns" ping -n -c 1 -W 2 "$@" "$dst" 2>&1)
	[[ $out == *"1 packets transmitted, 0 received"* ]] ||
		tt_fail "ping $* $dst from $ns was answered: $(grep -m 1 -e transmitted <<<"$out")"
}

# B2 forgets its default route: it can answer only what R's NAT makes
# look like coming from the addresses given (and its own network).
b2_knows_only() {
	local a
	tt_ok ip -n $B2 route del default
	for a; do
		tt_ok ip -n $B2 route add "$a" via 198.18.3.1
	done
}

case_nat() {
	topo
	b2_knows_only 198.18.50.7/32
	pr add 198.18.100.0/24 gw $GW2 class 10
	# routed to B2 untranslated: B2 cannot answer 198.18.1.2
	pr addrule from 198.18.1.2 pref 10 class 10
	unanswered $A $T -I 198.18.1.2
	pr delrule from 198.18.1.2 pref 10
	# translated to 198.18.50.7, the one address B2 answers
	pr addrule from 198.18.1.2 pref 10 nat 198.18.50.7 class 10
	via r2 198.18.1.2
	# many to one: a rule without a source prefix
	pr delrule pref 10
	pr addrule to 198.18.100.0/24 pref 10 nat 198.18.50.7 class 10
	via r2 198.18.1.6
}

case_nat_prefix() {
	topo
	# 198.18.1.0/24 onto 198.18.50.0/24, host bits kept: .2 becomes
	# 198.18.50.2, which B2 answers, .6 becomes .6, which it does not
	b2_knows_only 198.18.50.2/32
	pr add 198.18.100.0/24 gw $GW2 class 10
	pr addrule from 198.18.1.0/24 pref 10 nat 198.18.50.0 class 10
	via r2 198.18.1.2
	unanswered $A $T -I 198.18.1.6
}

case_masquerade() {
	topo
	b2_knows_only
	pr add 198.18.100.0/24 gw $GW2 class 10
	pr addrule from 198.18.1.0/24 pref 10 class 10
	unanswered $A $T -I 198.18.1.2
	pr delrule pref 10
	# both sources leave as R's address on r2, 198.18.3.1
	pr addrule from 198.18.1.0/24 pref 10 masquerade class 10
	via r2 198.18.1.2
	via r2 198.18.1.6
}

case_valve() {
	topo
	pr add 198.18.100.0/24 gw $GW2 class 10
	tt_ok ip -n $B2 route add 198.18.1.0/24 via 198.18.3.1
	# without the valve, B2 reaches A through R (the answers match the
	# rule and are routed by it)
	pr addrule from 198.18.1.0/24 to 198.18.100.0/24 pref 10 masquerade class 10
	ns_ping $B2 2 198.18.1.2 -I $T
	pr delrule pref 10
	# with it: A's connections out work, B2's in do not
	pr addrule from 198.18.1.0/24 to 198.18.100.0/24 pref 10 masquerade class 10 valve
	via r2 198.18.1.2
	unanswered $B2 198.18.1.2 -I $T
	# only what comes back within the rule's prefixes is held
	ns_ping $B2 2 198.18.1.2 -I 198.18.3.2
}

case_log() {
	topo
	local n
	dmesg -c >/dev/null
	pr addrule from 198.18.1.2 pref 10 route gw $GW2 log
	pr addrule from 198.18.1.6 pref 11 route gw $GW2
	via r2 198.18.1.2
	via r2 198.18.1.6
	n=$(dmesg | grep -c "tun_policy: rule 10: 198.18.1.2 -> $T tos 0x00: via $GW2 dev r2")
	((n >= 1)) || tt_fail "no log line for rule 10: $(dmesg | tail -n 3)"
	! dmesg | grep -q "tun_policy: rule 11:" || tt_fail "rule 11 logs without the flag"
}

# udp_err NETNS DST: the error writing a UDP datagram to DST from NETNS
# ("ok" if none), through bash's /dev/udp.
udp_err() {
	ip netns exec "$1" bash -c 'exec 3<>"/dev/udp/$1/9" && echo x >&3 && echo ok' _ "$2" 2>&1 |
		sed -n 's/.*write error: //p; s/^ok$/ok/p'
}

case_local_policy() {
	topo
	local p=/sys/module/tun_policy/parameters/local_policy r2 out
	pr addrule to $T pref 10 reject
	pr addrule to 198.18.100.2 pref 11 prohibit
	pr addrule to 198.18.100.3 pref 12 drop
	pr addrule to $T2 pref 13 route gw $GW2
	# off (the default): R's own packets take the kernel's routes
	ns_ping $R 1 $T
	tt_eq "$(udp_err $R 198.18.100.2)" ok "prohibit, local_policy off"
	ns_ping $R 1 $T2
	echo 1 >$p || tt_fail "cannot set $p"
	# on: the errno of the kernel's own unreachable and prohibit
	# routes; a netfilter drop's EPERM
	tt_eq "$(udp_err $R $T)" "Network is unreachable" "reject, local"
	tt_eq "$(udp_err $R 198.18.100.2)" "Permission denied" "prohibit, local"
	tt_eq "$(udp_err $R 198.18.100.3)" "Operation not permitted" "drop, local"
	r2=$(tx r2)
	out=$(ip netns exec $R ping -n -c 1 -W 30 $T2 2>&1)
	echo 0 >$p
	[[ $out == *" 1 received"* ]] || tt_fail "ROUTE on a local packet: ${out//$'\n'/ | }"
	(($(tx r2) > r2)) || tt_fail "the local packet did not leave on r2"
	tt_eq "$(udp_err $R $T)" ok "reject, local_policy off again"
}

case_namespaces() {
	topo
	local out
	pr addrule from 198.18.1.2 pref 10 route gw $GW2
	pr add 198.18.100.0/24 gw $GW2 class 10
	ns_add tpx
	tt_ok ip netns exec tpx iproute addrule pref 10 drop
	tt_ok ip netns exec tpx iproute add default reject class 10
	# the other namespace's rule 10 is its own
	out=$(ip netns exec $R iproute -r)
	[[ $out != *drop* ]] || tt_fail "tpx's rule shows in R: $out"
	tt_ok ip netns del tpx
	via r2 198.18.1.2
	out=$(ip netns exec $R iproute -r)
	[[ $out == *"10 198.18.1.2 default 00 * "*"gw $GW2"* ]] ||
		tt_fail "R's rule after tpx went: $out"
	out=$(ip netns exec $R iproute show class 10)
	[[ $out == *"198.18.100.0/24"*"$GW2"* ]] ||
		tt_fail "R's class 10 after tpx went: $out"
}

case_device_gone() {
	topo
	local out
	pr add 198.18.100.0/24 dev r2 gw $GW2 class 10
	pr addrule pref 20 class 10
	via r2 198.18.1.2
	tt_ok ip -n $R link del r2
	out=$(ip netns exec $R iproute show class 10)
	[[ -z $out ]] || tt_fail "a route of the deleted device stayed: $out"
	# class 10 is empty: the kernel's route again
	local r1
	r1=$(tx r1)
	ns_ping $A 3 $T -I 198.18.1.2
	(($(tx r1) - r1 >= 3)) || tt_fail "not out of r1 after r2 went"
}

case_rmmod_with_rules() {
	topo
	pr addrule from 198.18.1.2 pref 10 route gw $GW2
	pr add 198.18.100.0/24 gw $GW2 class 10
	pr add default reject class 250
	pr addrule to 198.18.99.0/24 pref 20 class 250
	# and one holding conntrack and the NAT hook in R
	pr addrule from 198.18.1.6 pref 30 masquerade class 10 valve
	via r2 198.18.1.2
	via r2 198.18.1.6
	tt_ok rmmod tun_policy
	[[ ! -e /sys/module/tun_policy ]] || tt_fail "still loaded"
	via r1 198.18.1.2
	tt_ok modprobe tun_policy
	# a fresh start: the default rules only
	tt_ok ip netns exec $R iproute -r
	[[ $(grep -c . <<<"$TT_OUT") == 5 ]] || tt_fail "after reload: $TT_OUT"
}

# flowing: R has sent 20 packets out of r2 since $FLOW_FROM
flowing() {
	(($(tx r2) >= FLOW_FROM + 20))
}

case_rmmod_under_load() {
	topo
	local pid1 pid2
	pr addrule from 198.18.1.2 pref 10 route gw $GW2 log
	pr addrule from 198.18.1.6 pref 11 masquerade class 10
	pr add 198.18.100.0/24 gw $GW2 class 10
	via r2 198.18.1.2
	# pings every 10 ms from both sources, through both kinds of rule,
	# while the module goes: once they flow (a fixed sleep may end
	# before either ping has started on a loaded machine)
	FLOW_FROM=$(tx r2)
	ns_bg $A flood1 ping -n -q -i 0.01 -c 400 -I 198.18.1.2 $T
	pid1=$NS_PID
	ns_bg $A flood2 ping -n -q -i 0.01 -c 400 -I 198.18.1.6 $T
	pid2=$NS_PID
	ns_wait_for 30 "20 of the pings out of r2" flowing
	tt_ok rmmod tun_policy
	[[ ! -e /sys/module/tun_policy ]] || tt_fail "still loaded"
	# both floods end before the count below: on a loaded machine the
	# first can still be sending (and its replies arriving) through it
	ns_stop "$pid1"
	ns_stop "$pid2"
	tt_ok modprobe tun_policy
	via r1 198.18.1.2
}

tt_run nat case_nat
tt_run nat-prefix case_nat_prefix
tt_run masquerade case_masquerade
tt_run valve case_valve
tt_run log case_log
tt_run local-policy case_local_policy
tt_run namespaces case_namespaces
tt_run device-gone case_device_gone
tt_run rmmod-with-rules case_rmmod_with_rules
tt_run rmmod-under-load case_rmmod_under_load
tt_done
