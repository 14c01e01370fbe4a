# SPDX-License-Identifier: GPL-2.0
# _route.sh: the topology and the checks of policy/route.sh and
# policy/route_nat.sh, tun_policy on real traffic (two programs, so that
# each stays well inside the bench's time for one test on a loaded host).
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
