#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tun_policy on real traffic, which way a packet goes: every rule type,
# node type and selector of the seed, with iputils' ping between network
# namespaces and the rules set up with the iproute tool, as a user would.
#
# The picture and the checks are in _route.sh.

. "$(dirname "$0")/_route.sh"

modprobe tun_policy || { echo "not ok load: modprobe tun_policy failed"; exit 1; }

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
tt_done
