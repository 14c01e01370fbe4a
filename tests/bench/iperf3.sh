#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# iperf3.sh: TCP through a tunnel, a row of `make bench` (tests/bench/rows).
# Two network namespaces, each with a tun device, joined by
# tests/tools/tunrelay (every packet crosses the driver twice: read from one
# device, written to the other), and Debian's iperf3 sending from A to B for
# $BENCH_SECONDS after one second of warm-up (iperf3 -O 1, not counted).
#
# gbps is iperf3's own figure at the receiver (TCP payload); pps is what
# the receiving device counted over the same run, handshakes included.
# Prints one BENCH line (tests/bench/rows), or BENCH-SKIP without iperf3.

set -u
row=${BENCH_ROW:-e/iperf3} secs=${BENCH_SECONDS:-3}
A=tbipa B=tbipb
relay=

cleanup() {
	[[ -n $relay ]] && kill "$relay" 2>/dev/null && wait "$relay" 2>/dev/null
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
}
trap cleanup EXIT

die() {
	echo "iperf3.sh: $*" >&2
	exit 1
}

command -v iperf3 >/dev/null || { echo "BENCH-SKIP name=$row reason=no iperf3 in the guest"; exit 0; }
command -v tunrelay >/dev/null || die "no tunrelay"

{ ip netns add "$A" && ip netns add "$B"; } || die "ip netns add"
for end in "$A tbipa0 198.18.102.1" "$B tbipb0 198.18.102.2"; do
	read -r ns dev addr <<<"$end"
	ip -n "$ns" link set lo up
	ip -n "$ns" tuntap add dev "$dev" mode tun || die "tuntap add $dev"
	ip netns exec "$ns" sh -c "echo 1 >/proc/sys/net/ipv6/conf/$dev/disable_ipv6" 2>/dev/null
	ip -n "$ns" addr add "$addr/24" dev "$dev" || die "addr $dev"
	ip -n "$ns" link set "$dev" up || die "up $dev"
done
log=$(mktemp)
tunrelay "$A:tbipa0" "$B:tbipb0" >"$log" 2>&1 &
relay=$!
for _ in $(seq 100); do
	grep -q '^tunrelay: relaying' "$log" && break
	sleep 0.2
done
grep -q '^tunrelay: relaying' "$log" || die "tunrelay did not start: $(cat "$log")"

ip netns exec "$B" iperf3 -s -1 -B 198.18.102.2 >/dev/null 2>&1 &
srv=$!
# the server is ready once it listens
for _ in $(seq 100); do
	ip netns exec "$B" cat /proc/net/tcp 2>/dev/null | awk '$4 == "0A" && $2 ~ /:1451$/ { f = 1 } END { exit !f }' && break
	sleep 0.2
done

p0=$(ip netns exec "$B" cat /sys/class/net/tbipb0/statistics/rx_packets)
# (busybox date has no %N; /proc/uptime counts hundredths)
read -r t0 _ </proc/uptime
json=$(ip netns exec "$A" timeout $((secs + 60)) iperf3 -c 198.18.102.2 -B 198.18.102.1 \
	-t "$secs" -O 1 -J --connect-timeout 10000 2>/dev/null) || die "iperf3 -c failed: $(tail -c 300 <<<"$json")"
read -r t1 _ </proc/uptime
p1=$(ip netns exec "$B" cat /sys/class/net/tbipb0/statistics/rx_packets)
wait "$srv" 2>/dev/null

# end.sum_received.bits_per_second and end.sum_sent.retransmits
read -r bps retrans < <(awk '
	/"sum_sent":/ { s = "sent"; next }
	/"sum_received":/ { s = "received"; next }
	s != "" && /^[ \t]*}/ { s = ""; next }
	s != "" { k = $1; gsub(/[":]/, "", k); v = $2; sub(/,$/, "", v); val[s, k] = v }
	END { printf "%s %s\n", val["received", "bits_per_second"], val["sent", "retransmits"] }' <<<"$json")
[[ -n $bps ]] || die "no bits_per_second in iperf3's output"
awk -v row="$row" -v bps="$bps" -v p="$((p1 - p0))" -v t0="$t0" -v t1="$t1" -v re="${retrans:-0}" 'BEGIN {
	printf "BENCH name=%s pps=%.1f gbps=%.6f retransmits=%d secs=%.3f\n", row, p / (t1 - t0), bps / 1e9, re, t1 - t0
}'
