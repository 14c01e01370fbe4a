#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tun_policy on real traffic: every rule type, node type and flag of the
# seed, with iputils' ping between network namespaces and the rules set up
# with the iproute tool, as a user would.
#
#           198.18.1.0/24          198.18.2.0/24
#   A  a0 ---------------- r0  R  r1 ---------------- b1  B1
#   (.2 and .6)         (.1)   (.1)  r2 ----------- b2  B2
#                                      198.18.3.0/24
#
# B1 and B2 both hold the destination 198.18.100.1 (and .200) on their
# loopback. R forwards; the kernel's own route sends 198.18.100.0/24 to B1,
# so a packet that leaves R on r2 was sent there by a policy rule. Which
# way a ping went is read off R's counters: every echo request out of the
# expected device, none out of the other (nothing else is sent there).

. "$(dirname "$0")/../lib/tt.sh"
. "$(dirname "$0")/../lib/netns.sh"

A=tpa R=tpr B1=tpb1 B2=tpb2
T=198.18.100.1		# the destination, on both B1 and B2
T2=198.18.100.200	# another, in the same /24
GW1=198.18.2.2 GW2=198.18.3.2

modprobe tun_policy || { echo "not ok load: modprobe tun_policy failed"; exit 1; }

# topo: the namespaces, devices, addresses and routes of the picture.  Each
# namespace is set up by one ip -batch: under TCG every program started
# counts, and a case starts a fresh topology.  Every neighbour is known for
# good, so that no ARP adds to the counters via() reads: an entry learnt
# from a request is probed again 5 s after its first use, which may fall
# into a later via()'s pings.
topo() {
	local b dev n
	ns_need iproute ping
	ns_add $A $R $B1 $B2
	ns_veth $R r0 $A a0 198.18.1
	ns_veth $R r1 $B1 b1 198.18.2
	ns_veth $R r2 $B2 b2 198.18.3
	tt_ok ip -n $A -b - <<-EOF
		addr add 198.18.1.6/24 dev a0
		route add default via 198.18.1.1
		neigh replace 198.18.1.1 lladdr $(ns_mac 198.18.1 1) dev a0 nud permanent
	EOF
	for b in "$B1 b1 198.18.2" "$B2 b2 198.18.3"; do
		read -r b dev n <<<"$b"
		tt_ok ip -n "$b" -b - <<-EOF
			addr add $T/32 dev lo
			addr add $T2/32 dev lo
			route add default via $n.1
			neigh replace $n.1 lladdr $(ns_mac "$n" 1) dev $dev nud permanent
		EOF
	done
	tt_ok ip netns exec $R sysctl -qw net.ipv4.ip_forward=1
	tt_ok ip -n $R -b - <<-EOF
		route add 198.18.100.0/24 via $GW1
		neigh replace 198.18.1.2 lladdr $(ns_mac 198.18.1 2) dev r0 nud permanent
		neigh replace 198.18.1.6 lladdr $(ns_mac 198.18.1 2) dev r0 nud permanent
		neigh replace $GW1 lladdr $(ns_mac 198.18.2 2) dev r1 nud permanent
		neigh replace $GW2 lladdr $(ns_mac 198.18.3 2) dev r2 nud permanent
	EOF
}

# pr ARGS...: the iproute tool in R; must succeed.
pr() {
	tt_ok ip netns exec $R iproute "$@"
}

tx() {
	ns_sysfs $R "$1" statistics/tx_packets
}

# txs: "R1 R2", the packets R has sent out of r1 and r2 (one program)
txs() {
	local v
	v=$(ip netns exec $R cat /sys/class/net/r1/statistics/tx_packets \
		/sys/class/net/r2/statistics/tx_packets)
	echo ${v//$'\n'/ }
}

# via DEV SRC [PING-ARGS...]: three pings from SRC in A to $T are all
# answered, and R sent them out of DEV (r1 or r2), none out of the other.
#
# Rules that would also catch the replies (coming back from B1/B2 to A)
# name their source or destination, or look up classes that have no
# route to A's network.
via() {
	local dev=$1 src=$2 other=r1 d0 o0 d1 o1
	shift 2
	[[ $dev == r1 ]] && other=r2
	read -r d0 o0 < <(txs)
	ns_ping $A 3 $T -I "$src" "$@"
	read -r d1 o1 < <(txs)
	if [[ $dev == r2 ]]; then
		read -r o0 d0 <<<"$d0 $o0"
		read -r o1 d1 <<<"$d1 $o1"
	fi
	((d1 - d0 >= 3)) ||
		tt_fail "from $src $*: $((d1 - d0)) packets out of $dev, want 3 or more"
	((o1 == o0)) ||
		tt_fail "from $src $*: $((o1 - o0)) packets out of $other, want none"
}

# answered SRC TEXT [DST]: one ping from SRC is answered by R (198.18.1.1)
# with the ICMP error ping describes as TEXT, and nothing passes R.
answered() {
	local src=$1 text=$2 dst=${3:-$T} out before
	before=$(txs)
	out=$(ip netns exec $A ping -n -c 1 -W 30 -I "$src" "$dst" 2>&1)
	[[ $out == *"From 198.18.1.1 icmp_seq=1 $text"* ]] ||
		tt_fail "ping from $src to $dst: want 'From 198.18.1.1 ... $text', got: $(grep -m 1 -e From -e transmitted <<<"$out")"
	[[ $(txs) == "$before" ]] || tt_fail "the packet passed R"
}

case_kernel_routing() {
	topo
	# the default rules alone: classes 255, 254, 253 are empty, and the
	# kernel routes (to B1)
	via r1 198.18.1.2
}

case_route_own_gateway() {
	topo
	# the seed's application 2: a rule with its own route
	pr addrule from 198.18.1.2 pref 10 route gw $GW2
	via r2 198.18.1.2
	via r1 198.18.1.6
	pr delrule from 198.18.1.2 pref 10
	via r1 198.18.1.2
}

case_route_own_device() {
	topo
	pr addrule from 198.18.1.2/32 to 198.18.100.0/24 route gw $GW2 dev r2
	via r2 198.18.1.2
}

case_route_class() {
	topo
	pr add 198.18.100.0/24 gw $GW2 class 10
	pr addrule from 198.18.1.0/30 pref 20 class 10
	via r2 198.18.1.2	# in 198.18.1.0/30
	via r1 198.18.1.6	# not
}

case_input_device_and_tos() {
	topo
	pr add default gw $GW2 class 10
	# no device of that name: the rule stays, and matches nothing
	pr addrule dev tpnone pref 20 class 10
	via r1 198.18.1.2
	pr addrule tos 0x10 dev r0 pref 21 class 10
	via r1 198.18.1.2
	via r2 198.18.1.2 -Q 0x10
}

case_throw() {
	topo
	# class 10 throws 198.18.100.0/24 back: the scan goes on to class 11
	pr add default gw $GW1 class 10
	pr add 198.18.100.0/24 throw class 10
	pr add default gw $GW2 class 11
	pr addrule from 198.18.1.2 pref 20 class 10
	pr addrule from 198.18.1.2 pref 30 class 11
	via r2 198.18.1.2
	# without the throw, class 10 routes it
	pr del 198.18.100.0/24 throw class 10
	via r1 198.18.1.2
}

case_reject_rule() {
	topo
	pr addrule from 198.18.1.2 pref 10 reject
	answered 198.18.1.2 "Destination Net Unreachable"
	via r1 198.18.1.6
}

case_prohibit_rule() {
	topo
	pr addrule from 198.18.1.2 pref 10 prohibit
	answered 198.18.1.2 "Packet filtered"
	via r1 198.18.1.6
}

case_drop_rule() {
	topo
	local out r1
	pr addrule from 198.18.1.2 pref 10 drop
	r1=$(tx r1)
	out=$(ip netns exec $A ping -n -c 2 -i 0.5 -W 1 -I 198.18.1.2 $T 2>&1)
	[[ $out == *"2 packets transmitted, 0 received"* ]] ||
		tt_fail "want 2 sent, none received: $(grep -m 1 transmitted <<<"$out")"
	[[ $out != *From* ]] || tt_fail "an answer came: $(grep -m 1 From <<<"$out")"
	[[ $(tx r1) == "$r1" ]] || tt_fail "the packets passed R"
	via r1 198.18.1.6
}

case_reject_node() {
	topo
	pr add 198.18.100.128/25 reject class 10
	pr add default gw $GW2 class 10
	pr addrule from 198.18.1.2 pref 20 class 10
	answered 198.18.1.2 "Destination Net Unreachable" $T2
	via r2 198.18.1.2
}

case_weak_tos() {
	topo
	# the /24 route with the packet's tos beats the tos-0 one with a
	# lower metric; a tos-0 packet takes the tos-0 route
	pr add 198.18.100.0/24 tos 0x10 gw $GW2 metric 9 class 10
	pr add 198.18.100.0/24 gw $GW1 metric 5 class 10
	pr addrule pref 20 class 10
	# and the kernel's route goes to B2 now, so class 10 is what sends
	# anything to B1
	tt_ok ip -n $R route replace 198.18.100.0/24 via $GW2
	via r2 198.18.1.2 -Q 0x10
	via r1 198.18.1.2
	via r1 198.18.1.2 -Q 0x08	# another tos: only the tos-0 route
}

case_metric() {
	topo
	pr add 198.18.100.0/24 gw $GW2 metric 5 class 10
	pr add 198.18.100.0/24 gw $GW1 metric 9 class 10
	tt_ok ip -n $R route replace 198.18.100.0/24 via $GW2
	pr addrule pref 20 class 10
	via r2 198.18.1.2
	pr del 198.18.100.0/24 metric 5 class 10
	via r1 198.18.1.2
}

case_main_class() {
	topo
	# `iproute add` without a class fills MAIN (254), which the default
	# rule 254 looks up
	pr add 198.18.100.0/24 gw $GW2
	via r2 198.18.1.2
	pr del 198.18.100.0/24
	via r1 198.18.1.2
}

case_local_class() {
	topo
	# class LOCAL (rule 0) holds the host's own addresses: a rule after
	# it that would send everything away leaves R's own address alone
	pr addrule from 198.18.1.2 pref 10 route gw $GW2
	ns_ping $A 2 198.18.1.1 -I 198.18.1.2
	via r2 198.18.1.2
}

case_ospf_example() {
	topo
	# the seed's application 3, lines verbatim but for the prefixes: the
	# area class ends in `default reject`, so a destination in the
	# area's prefix that the area has no route for is refused, not sent
	# to the kernel's route
	pr addrule class 253
	pr addrule class 252
	pr addrule class 251
	pr addrule to 198.18.100.0/24 class 250
	pr addrule to 198.18.101.0/24 class 249
	pr add default reject class 250
	pr add default reject class 249
	pr add 198.18.100.0/25 gw $GW2 class 250
	pr add 198.18.101.0/25 gw $GW1 class 249
	via r2 198.18.1.2
	answered 198.18.1.2 "Destination Net Unreachable" $T2
	# the second area: B1 holds 198.18.101.1 (R has no route of its
	# own there), and 198.18.101.200 is in the area but not routed
	tt_ok ip -n $B1 addr add 198.18.101.1/32 dev lo
	ns_ping $A 2 198.18.101.1 -I 198.18.1.2
	answered 198.18.1.2 "Destination Net Unreachable" 198.18.101.200
	# outside the area: on to 251..253, empty, and the kernel
	ns_ping $A 2 198.18.2.2 -I 198.18.1.2
}

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
	local pid
	pr addrule from 198.18.1.2 pref 10 route gw $GW2 log
	pr addrule from 198.18.1.6 pref 11 masquerade class 10
	pr add 198.18.100.0/24 gw $GW2 class 10
	via r2 198.18.1.2
	# pings every 10 ms from both sources, through both kinds of rule,
	# while the module goes: once they flow (a fixed sleep may end
	# before either ping has started on a loaded machine)
	FLOW_FROM=$(tx r2)
	ns_bg $A flood1 ping -n -q -i 0.01 -c 400 -I 198.18.1.2 $T
	ns_bg $A flood2 ping -n -q -i 0.01 -c 400 -I 198.18.1.6 $T
	pid=$NS_PID
	ns_wait_for 30 "20 of the pings out of r2" flowing
	tt_ok rmmod tun_policy
	[[ ! -e /sys/module/tun_policy ]] || tt_fail "still loaded"
	ns_stop "$pid"
	tt_ok modprobe tun_policy
	via r1 198.18.1.2
}

tt_run kernel-routing case_kernel_routing
tt_run route-own-gateway case_route_own_gateway
tt_run route-own-device case_route_own_device
tt_run route-class case_route_class
tt_run input-device-and-tos case_input_device_and_tos
tt_run throw case_throw
tt_run reject-rule case_reject_rule
tt_run prohibit-rule case_prohibit_rule
tt_run drop-rule case_drop_rule
tt_run reject-node case_reject_node
tt_run weak-tos case_weak_tos
tt_run metric case_metric
tt_run main-class case_main_class
tt_run local-class case_local_class
tt_run ospf-example case_ospf_example
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
