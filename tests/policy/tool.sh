#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# iproute (tools/iproute), tun_policy's tool, against tun_policy.ko: the
# seed's default rules to the byte, add/show/del of every kind of route,
# addrule/delrule of every type and flag through `iproute -r`, the errors
# (exit 1, the kernel's word) and the usage errors (exit 2, nothing sent),
# and the seed's OSPF setup verbatim.
#
# Each case runs in a fresh network namespace of its own (tun_policy's
# classes and rules are per namespace, the default rules installed at its
# creation). Nothing is loaded here: the tool loads tun_policy on demand
# (it resolves the module's generic netlink family, and the kernel loads
# the module that provides it); the autoload cases unload the module
# first, if an earlier test left it loaded, and check that each kind of
# command loads it.
#
# The expected texts are the formats of Documentation/tun_policy.rst,
# "The tool".

. "$(dirname "$0")/../lib/tt.sh"
. "$(dirname "$0")/../lib/netns.sh"

NS=tptool

# ipr ARGS...: iproute in the case's namespace
ipr() {
	ip netns exec "$NS" iproute "$@"
}

# fresh: the case's namespace, with a dummy device d0 (198.18.0.2/24, up)
fresh() {
	ns_add "$NS"
	tt_ok ip -n "$NS" link add d0 type dummy
	tt_ok ip -n "$NS" addr add 198.18.0.2/24 dev d0
	tt_ok ip -n "$NS" link set d0 up
}

# want_out WHAT: $TT_OUT must be stdin
want_out() {
	local want
	want=$(cat)
	[[ $TT_OUT == "$want" ]] ||
		tt_fail "$1: got '${TT_OUT//$'\n'/ | }', want '${want//$'\n'/ | }'"
}

# ok_ipr ARGS...: iproute ARGS must succeed silently
ok_ipr() {
	tt_cmd ipr "$@"
	((TT_RC == 0)) || tt_fail "'iproute $*' exited $TT_RC: $TT_ERR"
	[[ -z $TT_OUT && -z $TT_ERR ]] ||
		tt_fail "'iproute $*' said '$TT_OUT' '$TT_ERR'"
}

# fails_ipr RC ERR ARGS...: iproute ARGS must exit RC with the first line
# of its stderr ERR
fails_ipr() {
	local rc=$1 err=$2
	shift 2
	tt_cmd ipr "$@"
	tt_eq "$TT_RC" "$rc" "'iproute $*', exit status"
	tt_eq "${TT_ERR%%$'\n'*}" "$err" "'iproute $*', stderr"
}

# rules_are: `iproute -r` must print the seed's header, then stdin
rules_are() {
	local body
	body=$(cat)
	tt_ok ipr -r
	TT_WANT="Kernel routing policy rules
Pref Source Destination TOS Iface Cl${body:+$'\n'$body}"
	want_out "iproute -r" <<<"$TT_WANT"
}

DEFAULT_RULES='0 default default 00 * 255
254 default default 00 * 254
255 default default 00 * 253'

# routes_are [ARGS]: `iproute show ARGS` must print stdin
routes_are() {
	tt_ok ipr show "$@"
	want_out "iproute show $*"
}

# unload: tun_policy not loaded, so that a command has to load it (the
# tests before this one may have loaded it); skips the case if the module
# cannot be unloaded
unload() {
	[[ -d /sys/module/tun_policy ]] || return 0
	rmmod tun_policy 2>/dev/null || tt_skip "tun_policy is loaded and cannot be unloaded"
	[[ ! -d /sys/module/tun_policy ]] || tt_fail "tun_policy still there after rmmod"
}

# loaded WHAT: WHAT must have loaded tun_policy
loaded() {
	[[ -d /sys/module/tun_policy ]] || tt_fail "tun_policy not loaded after '$1'"
}

# ---- the defaults ----

# The module is loaded on demand: the route commands resolve the genetlink
# family (MODULE_ALIAS_GENL_FAMILY), the rule commands do so when
# fib_rules does not know the family yet, and ask again.
case_autoload_show() {
	fresh
	unload
	ok_ipr show
	loaded "iproute show"
}

case_autoload_rules() {
	fresh
	unload
	tt_ok ipr -r
	loaded "iproute -r"
	want_out "iproute -r" <<EOF
Kernel routing policy rules
Pref Source Destination TOS Iface Cl
$DEFAULT_RULES
EOF
}

case_autoload_addrule() {
	fresh
	unload
	ok_ipr addrule pref 5 class 9
	loaded "iproute addrule"
	rules_are <<EOF
0 default default 00 * 255
5 default default 00 * 9
254 default default 00 * 254
255 default default 00 * 253
EOF
}

case_default_rules() {
	fresh
	# The seed's "Default setup", to the byte.
	tt_ok ipr -r
	want_out "iproute -r" <<EOF
Kernel routing policy rules
Pref Source Destination TOS Iface Cl
$DEFAULT_RULES
EOF
}

case_no_routes() {
	fresh
	routes_are </dev/null
	# "iproute" alone is "iproute show".
	tt_ok ipr
	want_out "iproute" </dev/null
}

case_help() {
	tt_cmd iproute help
	tt_eq "$TT_RC" 0 "iproute help, exit status"
	[[ $TT_OUT == "Usage: iproute [ show [ class CLASS ] ]"* ]] ||
		tt_fail "iproute help: '${TT_OUT%%$'\n'*}'"
	tt_cmd iproute -h
	tt_eq "$TT_RC" 0 "iproute -h, exit status"
	[[ $TT_OUT == "Usage: iproute"* ]] || tt_fail "iproute -h: '${TT_OUT%%$'\n'*}'"
}

# ---- routes ----

case_route_full() {
	fresh
	ok_ipr add 198.19.0.0/16 tos 0x10 gw 198.18.0.1 dev d0 metric 9 class 254
	routes_are <<<"198.19.0.0/16 tos 0x10 gw 198.18.0.1 dev d0 metric 9 class 254"
	routes_are class main <<<"198.19.0.0/16 tos 0x10 gw 198.18.0.1 dev d0 metric 9 class 254"
	routes_are class 250 </dev/null
	ok_ipr del 198.19.0.0/16 tos 0x10 gw 198.18.0.1 dev d0 metric 9 class 254
	routes_are </dev/null
}

# Every kind, in several classes; what show prints is fed back to add
# (in a second namespace) and to del.
ALL_ROUTES='default reject class 7
198.19.1.0/24 gw 198.18.0.1 class 7
198.19.2.0/24 dev d0 class 7
198.19.3.4 gw 198.18.0.9 dev d0 class 7
198.19.0.0/16 tos 0x08 dev d0 metric 1 class 250
198.19.0.0/16 throw class 250
default gw 198.18.0.1 metric 100 class 253
198.19.5.0/24 reject class 253
198.18.7.0/24 metric 3 throw class 255'

case_route_kinds() {
	local l
	fresh
	ok_ipr add 198.19.1.0/24 gw 198.18.0.1 class 7
	ok_ipr add 198.19.2.0/24 dev d0 class 7
	ok_ipr add 198.19.3.4/32 dev d0 gw 198.18.0.9 class 7
	ok_ipr add default reject class 7
	ok_ipr add 198.19.0.0/16 throw class 250
	ok_ipr add 198.19.0.0/16 class 250 tos 8 metric 1 dev d0
	ok_ipr add 0.0.0.0/0 gw 198.18.0.1 metric 100 class default
	ok_ipr add 198.19.5.0/24 reject class 253
	ok_ipr add 198.18.7.0/24 throw metric 3 class local
	routes_are <<<"$ALL_ROUTES"
	routes_are class 7 <<<"$(head -n 4 <<<"$ALL_ROUTES")"
	routes_are class default <<<"$(sed -n 7,8p <<<"$ALL_ROUTES")"

	# Fed back to add, elsewhere: the same routes.
	NS=tptool2 fresh
	while read -r l; do
		# shellcheck disable=SC2086 # the words of the line
		NS=tptool2 ok_ipr add $l
	done <<<"$ALL_ROUTES"
	NS=tptool2 routes_are <<<"$ALL_ROUTES"

	# And to del: nothing left.
	while read -r l; do
		# shellcheck disable=SC2086
		ok_ipr del $l
	done <<<"$ALL_ROUTES"
	routes_are </dev/null
}

case_route_tos_hex() {
	fresh
	# As iproute2 reads a tos: "10" is 0x10.
	ok_ipr add 198.19.0.0/16 tos 10 dev d0
	routes_are <<<"198.19.0.0/16 tos 0x10 dev d0 class 254"
	fails_ipr 1 "iproute: File exists" add 198.19.0.0/16 tos 0x10 gw 198.18.0.1
	ok_ipr del 198.19.0.0/16 tos 0X10
	routes_are </dev/null
}

case_route_duplicate() {
	fresh
	ok_ipr add 198.19.0.0/16 dev d0 metric 5
	# The key is prefix, tos and metric: the same key with another gw
	# is a duplicate too.
	fails_ipr 1 "iproute: File exists" add 198.19.0.0/16 dev d0 metric 5
	fails_ipr 1 "iproute: File exists" add 198.19.0.0/16 gw 198.18.0.1 metric 5
	ok_ipr add 198.19.0.0/16 dev d0 metric 6
	ok_ipr add 198.19.0.0/16 dev d0 metric 5 class 9
	routes_are <<EOF
198.19.0.0/16 dev d0 metric 5 class 9
198.19.0.0/16 dev d0 metric 5 class 254
198.19.0.0/16 dev d0 metric 6 class 254
EOF
}

case_route_del_missing() {
	fresh
	fails_ipr 1 "iproute: No such process" del 198.19.0.0/16
	ok_ipr add 198.19.0.0/16 gw 198.18.0.1 metric 5
	# Every option given must match.
	fails_ipr 1 "iproute: No such process" del 198.19.0.0/16 metric 6
	fails_ipr 1 "iproute: No such process" del 198.19.0.0/16 gw 198.18.0.2
	fails_ipr 1 "iproute: No such process" del 198.19.0.0/16 dev d0
	fails_ipr 1 "iproute: No such process" del 198.19.0.0/16 tos 0x10
	fails_ipr 1 "iproute: No such process" del 198.19.0.0/16 reject
	fails_ipr 1 "iproute: No such process" del 198.19.0.0/16 class 253
	fails_ipr 1 "iproute: No such process" del 198.19.0.0/17
	routes_are <<<"198.19.0.0/16 gw 198.18.0.1 metric 5 class 254"
	ok_ipr del 198.19.0.0/16 gw 198.18.0.1
	fails_ipr 1 "iproute: No such process" del 198.19.0.0/16
}

case_route_del_first() {
	fresh
	ok_ipr add 198.19.0.0/16 dev d0 metric 7
	ok_ipr add 198.19.0.0/16 dev d0 metric 5
	ok_ipr add 198.19.0.0/16 tos 0x04 dev d0 metric 9
	# del with the prefix alone removes the first in show's order.
	ok_ipr del 198.19.0.0/16
	routes_are <<EOF
198.19.0.0/16 dev d0 metric 5 class 254
198.19.0.0/16 dev d0 metric 7 class 254
EOF
	ok_ipr del 198.19.0.0/16 metric 7
	routes_are <<<"198.19.0.0/16 dev d0 metric 5 class 254"
}

case_route_refused() {
	fresh
	# What the tool lets through and the kernel refuses, with its word.
	fails_ipr 1 "iproute: Invalid argument: Invalid tos" add 198.19.0.0/16 tos 0x01 dev d0
	fails_ipr 1 "iproute: Invalid argument: Invalid gateway" add 198.19.0.0/16 gw 127.0.0.1
	fails_ipr 1 "iproute: Invalid argument: Invalid gateway" add 198.19.0.0/16 gw 224.0.0.1
	routes_are </dev/null
}

case_route_dev_gone() {
	fresh
	tt_ok ip -n "$NS" link add d1 type dummy
	ok_ipr add 198.19.1.0/24 dev d1
	ok_ipr add 198.19.2.0/24 dev d0
	tt_ok ip -n "$NS" link del d1
	# As the kernel's routes do, they go with their device.
	routes_are <<<"198.19.2.0/24 dev d0 class 254"
}

case_route_unknown_device() {
	fresh
	fails_ipr 1 'iproute: Cannot find device "nosuch0"' add 198.19.0.0/16 dev nosuch0
	fails_ipr 1 'iproute: Cannot find device "nosuch0"' del 198.19.0.0/16 dev nosuch0
	routes_are </dev/null
}

# ---- rules ----

case_rule_route() {
	fresh
	ok_ipr addrule from 198.18.0.0/16 to 198.19.0.0/24 tos 10 dev d9 pref 100 class 250
	ok_ipr addrule from 198.18.1.1 pref 101 route gw 198.18.0.1 dev d0
	ok_ipr addrule to 198.19.9.0/24 pref 102 route dev d0 log
	ok_ipr addrule pref 103 route gw 198.18.0.7
	ok_ipr addrule pref 104 route class 7 log
	# No type, no class: a route rule looking up MAIN.
	ok_ipr addrule pref 105 dev d0 to 198.19.1.0/24
	rules_are <<EOF
0 default default 00 * 255
100 198.18.0.0/16 198.19.0.0/24 10 d9 250
101 198.18.1.1 default 00 * 0 gw 198.18.0.1 dev d0
102 default 198.19.9.0/24 00 * 0 dev d0 log
103 default default 00 * 0 gw 198.18.0.7
104 default default 00 * 7 log
105 default 198.19.1.0/24 00 d0 254
254 default default 00 * 254
255 default default 00 * 253
EOF
	ok_ipr delrule from 198.18.0.0/16 to 198.19.0.0/24 tos 10 dev d9 pref 100 class 250
	ok_ipr delrule route gw 198.18.0.1 dev d0
	ok_ipr delrule to 198.19.9.0/24 route dev d0 log
	ok_ipr delrule route gw 198.18.0.7
	ok_ipr delrule class 7 log
	ok_ipr delrule dev d0
	rules_are <<<"$DEFAULT_RULES"
}

case_rule_drop_reject_prohibit() {
	fresh
	ok_ipr addrule to 198.19.1.0/24 pref 10 drop
	ok_ipr addrule from 198.18.5.0/24 pref 11 reject log
	ok_ipr addrule tos 0x04 pref 12 prohibit
	rules_are <<EOF
0 default default 00 * 255
10 default 198.19.1.0/24 00 * 0 drop
11 198.18.5.0/24 default 00 * 0 reject log
12 default default 04 * 0 prohibit
254 default default 00 * 254
255 default default 00 * 253
EOF
	# The type alone selects.
	ok_ipr delrule reject
	ok_ipr delrule prohibit
	ok_ipr delrule drop
	rules_are <<<"$DEFAULT_RULES"
}

case_rule_nat() {
	fresh
	ok_ipr addrule from 198.18.0.0/24 pref 20 nat 198.18.9.0 class 250
	ok_ipr addrule from 198.18.0.5 pref 21 nat 198.18.9.1
	rules_are <<EOF
0 default default 00 * 255
20 198.18.0.0/24 default 00 * 250 nat 198.18.9.0
21 198.18.0.5 default 00 * 254 nat 198.18.9.1
254 default default 00 * 254
255 default default 00 * 253
EOF
	ok_ipr delrule nat 198.18.9.1
	ok_ipr delrule nat 198.18.9.0
	rules_are <<<"$DEFAULT_RULES"
	# Without a source prefix, or with host bits in the NAT address, every
	# source becomes the one NAT address.
	ok_ipr addrule from 198.18.0.0/24 pref 22 nat 198.18.9.1
	ok_ipr addrule pref 23 nat 198.18.9.2
	rules_are <<EOF
0 default default 00 * 255
22 198.18.0.0/24 default 00 * 254 nat 198.18.9.1
23 default default 00 * 254 nat 198.18.9.2
254 default default 00 * 254
255 default default 00 * 253
EOF
	ok_ipr delrule pref 22
	ok_ipr delrule pref 23
	rules_are <<<"$DEFAULT_RULES"
	fails_ipr 1 "iproute: Invalid argument: Invalid NAT address" \
		addrule nat 224.0.0.9
	rules_are <<<"$DEFAULT_RULES"
}

case_rule_masquerade() {
	fresh
	ok_ipr addrule from 198.18.0.0/24 pref 30 masquerade
	ok_ipr addrule to 198.19.0.0/16 pref 31 masquerade class 250 log valve
	rules_are <<EOF
0 default default 00 * 255
30 198.18.0.0/24 default 00 * 254 masquerade
31 default 198.19.0.0/16 00 * 250 masquerade log valve
254 default default 00 * 254
255 default default 00 * 253
EOF
	ok_ipr delrule masquerade log valve
	ok_ipr delrule masquerade
	rules_are <<<"$DEFAULT_RULES"
}

case_rule_valve() {
	fresh
	ok_ipr addrule from 198.18.0.0/24 pref 40 class 250 log valve
	ok_ipr addrule from 198.18.1.0/24 pref 41 valve
	rules_are <<EOF
0 default default 00 * 255
40 198.18.0.0/24 default 00 * 250 log valve
41 198.18.1.0/24 default 00 * 254 valve
254 default default 00 * 254
255 default default 00 * 253
EOF
	# Flags match exactly: "valve" is not "log valve".
	ok_ipr delrule valve
	rules_are <<EOF
0 default default 00 * 255
40 198.18.0.0/24 default 00 * 250 log valve
254 default default 00 * 254
255 default default 00 * 253
EOF
	ok_ipr delrule log valve
	rules_are <<<"$DEFAULT_RULES"
}

case_rule_default_pref() {
	fresh
	# Without pref, fib_rules takes one below the second rule's: the
	# latest rule comes first.
	ok_ipr addrule class 9
	ok_ipr addrule class 8
	rules_are <<EOF
0 default default 00 * 255
252 default default 00 * 8
253 default default 00 * 9
254 default default 00 * 254
255 default default 00 * 253
EOF
}

case_rule_duplicate() {
	fresh
	ok_ipr addrule to 198.19.0.0/16 pref 100 class 250
	fails_ipr 1 "iproute: File exists" addrule to 198.19.0.0/16 pref 100 class 250
	ok_ipr addrule to 198.19.0.0/16 pref 100 class 251
	rules_are <<EOF
0 default default 00 * 255
100 default 198.19.0.0/16 00 * 250
100 default 198.19.0.0/16 00 * 251
254 default default 00 * 254
255 default default 00 * 253
EOF
}

case_rule_del_missing() {
	fresh
	ok_ipr addrule to 198.19.0.0/16 pref 100 class 250 log
	# fib_rules' word for a rule that matches nothing is ENOENT.
	fails_ipr 1 "iproute: No such file or directory" delrule pref 77
	fails_ipr 1 "iproute: No such file or directory" delrule to 198.19.0.0/17
	fails_ipr 1 "iproute: No such file or directory" delrule to 198.19.0.0/16 class 251
	fails_ipr 1 "iproute: No such file or directory" delrule to 198.19.0.0/16 drop
	fails_ipr 1 "iproute: No such file or directory" delrule from 198.18.0.0/16
	fails_ipr 1 "iproute: No such file or directory" delrule dev d0
	fails_ipr 1 "iproute: No such file or directory" delrule tos 0x10
	fails_ipr 1 "iproute: No such file or directory" delrule route gw 198.18.0.1
	rules_are <<EOF
0 default default 00 * 255
100 default 198.19.0.0/16 00 * 250 log
254 default default 00 * 254
255 default default 00 * 253
EOF
}

case_rule_del_first() {
	fresh
	ok_ipr addrule to 198.19.1.0/24 pref 100 class 250
	ok_ipr addrule to 198.19.2.0/24 pref 90 class 250
	# The first match in preference order goes.
	ok_ipr delrule class 250
	rules_are <<EOF
0 default default 00 * 255
100 default 198.19.1.0/24 00 * 250
254 default default 00 * 254
255 default default 00 * 253
EOF
}

case_rule_defaults_deletable() {
	fresh
	# The default rules are ordinary rules, as IPv4's are.
	ok_ipr delrule class main
	rules_are <<EOF
0 default default 00 * 255
255 default default 00 * 253
EOF
	ok_ipr delrule pref 0
	rules_are <<<"255 default default 00 * 253"
}

case_rule_refused() {
	fresh
	fails_ipr 1 "iproute: Invalid argument: Invalid tos" addrule tos 0x01 class 250
	fails_ipr 1 "iproute: Invalid argument: Invalid gateway" addrule route gw 127.0.0.1
	fails_ipr 1 'iproute: Cannot find device "nosuch0"' addrule route dev nosuch0
	rules_are <<<"$DEFAULT_RULES"
}

case_rule_input_device_absent() {
	fresh
	# The input device is a name: it need not exist.
	ok_ipr addrule dev nosuch0 pref 5 class 250
	rules_are <<EOF
0 default default 00 * 255
5 default default 00 nosuch0 250
254 default default 00 * 254
255 default default 00 * 253
EOF
}

case_rule_output_device_gone() {
	fresh
	tt_ok ip -n "$NS" link add d1 type dummy
	ok_ipr addrule pref 5 route dev d1
	tt_ok ip -n "$NS" link del d1
	# The rule stays, and gives no route.
	rules_are <<EOF
0 default default 00 * 255
5 default default 00 * 0 dev [gone]
254 default default 00 * 254
255 default default 00 * 253
EOF
}

# ---- usage errors: exit 2, one line, nothing sent ----

USAGE_ERRORS=(
	'prefix "198.19.0.1/16": address bits beyond /16 are set (198.19.0.0/16?)|add 198.19.0.1/16 dev d0'
	'prefix "198.19.0.0/33": the length must be 0..32|add 198.19.0.0/33 dev d0'
	'prefix "198.19/16": not a prefix (A.B.C.D/LEN, A.B.C.D or default)|add 198.19/16 dev d0'
	'prefix "any": not a prefix (A.B.C.D/LEN, A.B.C.D or default)|add any dev d0'
	'a prefix is needed|add'
	'class "0": class 0 is reserved for "no class" (1..255)|add default reject class 0'
	'class "256": a class is 1..255|add default reject class 256'
	'class "lokal": not a class (1..255, local, main or default)|add default reject class lokal'
	'tos "100": more than a byte (0..ff)|add default reject tos 100'
	'tos "0x1g": not a hex byte (10 or 0x10)|add default reject tos 0x1g'
	'"tos" given twice|add default reject tos 10 tos 10'
	'"metric" given twice|del default metric 1 metric 1'
	'metric "-1": not a number|add default reject metric -1'
	'metric "4294967296": too large (at most 4294967295)|add default reject metric 4294967296'
	'"gw" needs a value|add default gw'
	'gw "198.18.0.256": not an IPv4 address (A.B.C.D)|add default gw 198.18.0.256'
	'unknown word "via"|add default via 198.18.0.1'
	'a reject route takes no gw or dev|add default reject dev d0'
	'"throw" after "reject": a route is one or the other|add default reject throw'
	'a route needs gw or dev (or both), or reject or throw|add default class 250'
	'unknown word "all"|show all'
	'unknown word "x"|-r x'
	'unknown command "route"|route add default'
	'delrule needs a selector (it would remove the first rule)|delrule'
	'"gw" belongs to "route" (route gw GATEWAY)|addrule gw 198.18.0.1'
	'"dev" after "drop": the input device goes before the rule'"'"'s type|addrule drop dev d0'
	'"nat" after "route": a rule has one type|addrule route nat 198.18.0.1'
	'"drop" given twice|addrule drop drop'
	'a drop rule looks up no class|addrule drop class 250'
	'a rule with its own gw or dev looks up no class|addrule route gw 198.18.0.1 class 250'
	'"log" given twice|addrule log log'
	'"route dev" given twice|addrule route dev d0 dev d0'
	'dev "0123456789abcdef": device names have at most 15 characters|addrule dev 0123456789abcdef'
	'pref "1e3": not a number|addrule pref 1e3'
	'unknown word "table"|addrule table 5'
)

case_usage_errors() {
	local e
	fresh
	for e in "${USAGE_ERRORS[@]}"; do
		# shellcheck disable=SC2086 # the words of the command line
		fails_ipr 2 "iproute: ${e%%|*}" ${e#*|}
		[[ $TT_ERR == *$'\n'Usage:\ iproute* ]] ||
			tt_fail "'iproute ${e#*|}': no usage after the error"
	done
	# Device names are resolved last: a bad word wins.
	fails_ipr 2 'iproute: unknown word "bogus"' add default dev nosuch0 bogus
	rules_are <<<"$DEFAULT_RULES"
	routes_are </dev/null
}

# ---- the seed's OSPF classes, verbatim, with real prefixes ----

case_ospf_setup() {
	fresh
	ok_ipr addrule class 253
	ok_ipr addrule class 252
	ok_ipr addrule class 251
	ok_ipr addrule to 198.18.0.0/16 class 250
	ok_ipr addrule to 198.19.0.0/17 class 250
	ok_ipr addrule to 198.19.128.0/17 class 249
	ok_ipr add default reject class 250
	ok_ipr add default reject class 249
	rules_are <<EOF
0 default default 00 * 255
248 default 198.19.128.0/17 00 * 249
249 default 198.19.0.0/17 00 * 250
250 default 198.18.0.0/16 00 * 250
251 default default 00 * 251
252 default default 00 * 252
253 default default 00 * 253
254 default default 00 * 254
255 default default 00 * 253
EOF
	routes_are <<EOF
default reject class 249
default reject class 250
EOF
}

tt_run autoload_show case_autoload_show
tt_run autoload_rules case_autoload_rules
tt_run autoload_addrule case_autoload_addrule
tt_run default_rules case_default_rules
tt_run no_routes case_no_routes
tt_run help case_help
tt_run route_full case_route_full
tt_run route_kinds case_route_kinds
tt_run route_tos_hex case_route_tos_hex
tt_run route_duplicate case_route_duplicate
tt_run route_del_missing case_route_del_missing
tt_run route_del_first case_route_del_first
tt_run route_refused case_route_refused
tt_run route_dev_gone case_route_dev_gone
tt_run route_unknown_device case_route_unknown_device
tt_run rule_route case_rule_route
tt_run rule_drop_reject_prohibit case_rule_drop_reject_prohibit
tt_run rule_nat case_rule_nat
tt_run rule_masquerade case_rule_masquerade
tt_run rule_valve case_rule_valve
tt_run rule_default_pref case_rule_default_pref
tt_run rule_duplicate case_rule_duplicate
tt_run rule_del_missing case_rule_del_missing
tt_run rule_del_first case_rule_del_first
tt_run rule_defaults_deletable case_rule_defaults_deletable
tt_run rule_refused case_rule_refused
tt_run rule_input_device_absent case_rule_input_device_absent
tt_run rule_output_device_gone case_rule_output_device_gone
tt_run usage_errors case_usage_errors
tt_run ospf_setup case_ospf_setup
tt_done
