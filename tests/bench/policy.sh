#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# policy.sh RULES [SIZE]: tun_policy on the forwarding path, a row of
# `make bench` (tests/bench/rows).  Workload (a) (tunbench fwd: tun0 ->
# IPv4 forwarding -> tun1) twice in one measurement: first plain, with
# tun_policy not loaded, then with it loaded and RULES rules of ours in
# front of the seed's three default ones:
#
#	RULES 0	  the module's netfilter hook and the three default rules
#		  only: every packet is looked up, none is routed by us, the
#		  kernel forwards it
#	RULES n	  n-1 rules that do not match (other sources), then one that
#		  does, sending the flow to class 10, whose route (gateway
#		  behind tun1) the hook forwards it by
#
# pps and gbps are the run with tun_policy; plain_pps is the run without,
# vs_plain their ratio, rules_ps the rules looked at per second (pps times
# the rules a packet passes before its verdict: the default rule 0, the
# RULES of ours; with none of ours, all three defaults).  The ratio our
# tun.ko / stock of this row is only the driver's: both halves of one
# measurement run on the same driver.

set -u
row=${BENCH_ROW:-g-policy} rules=${1:-0} size=${2:-64}

die() {
	echo "policy.sh: $*" >&2
	exit 1
}

cleanup() {
	grep -q '^tun_policy ' /proc/modules && modprobe -r tun_policy
}
trap cleanup EXIT

# fwd: one tunbench fwd measurement; prints "PPS GBPS".
fwd() {
	local out
	out=$(BENCH_ROW=$row tunbench fwd "$size") || die "tunbench fwd: $out"
	sed -n 's/^BENCH name=[^ ]* pps=\([^ ]*\) gbps=\([^ ]*\).*/\1 \2/p' <<<"$out"
}

[[ $rules =~ ^[0-9]+$ ]] || die "RULES: a number, not '$rules'"
command -v iproute >/dev/null || die "no iproute (tools/iproute) on the PATH"
if grep -q '^tun_policy ' /proc/modules; then
	modprobe -r tun_policy || die "tun_policy is loaded and will not unload"
fi

read -r plain_pps _ < <(fwd)
[[ -n ${plain_pps:-} ]] || die "no figure from the plain run"

modprobe tun_policy || die "modprobe tun_policy"
if ((rules > 0)); then
	# tunbench's addresses: it writes from 198.18.100.2 (behind tun0) to
	# 198.18.101.2 (behind tun1, 198.18.101.0/24)
	iproute add 198.18.101.0/24 gw 198.18.101.2 class 10 ||
		die "the route of class 10"
	for ((i = 1; i < rules; i++)); do
		iproute addrule from "10.$((i / 256)).$((i % 256)).0/24" \
			pref $((100 + i)) class 10 || die "rule $i"
	done
	iproute addrule from 198.18.100.2 pref $((100 + rules)) class 10 ||
		die "the matching rule"
fi
read -r pps gbps < <(fwd)
[[ -n ${pps:-} ]] || die "no figure from the run with tun_policy"

awk -v row="$row" -v pps="$pps" -v gbps="$gbps" -v plain="$plain_pps" \
	-v rules="$rules" 'BEGIN {
	passed = rules ? 1 + rules : 3
	ratio = 0
	if (plain > 0)
		ratio = pps / plain
	printf "BENCH name=%s pps=%s gbps=%s plain_pps=%s vs_plain=%.3f rules=%d rules_ps=%.0f show=vs_plain,rules_ps\n",
		row, pps, gbps, plain, ratio, rules, pps * passed
}'
