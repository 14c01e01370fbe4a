#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# OpenVPN (Debian's openvpn, unmodified) on the driver.  Two peers in two
# network namespaces joined by a veth pair talk UDP over it, peer to peer with
# a static key made at test time: OpenVPN 2.6's simplest mode (it warns that
# 2.7 will drop it).  Each peer opens its own device through /dev/net/tun and
# moves every packet between it and the UDP socket.
#
# tun, tap: pings cross the tunnel, and each device counts exactly those
# packets (and, for tap, the one ARP exchange); the veth carried them
# encapsulated.  When OpenVPN stops, its device goes.
#
# mktun: openvpn --mktun/--rmtun, which make and remove a persistent device
# with an owner and a group.

. "$(dirname "$0")/../lib/tt.sh"
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/_openvpn.sh"

A=ttova B=ttovb		# the two namespaces, and the veth ttova0-ttovb0
UNDER=198.18.20		# the veth's addresses: .1 in A, .2 in B

# veth_tx: packets and bytes the veth has sent out of A so far
veth_tx() {
	echo "$(ns_sysfs "$A" ttova0 statistics/tx_packets) $(ns_sysfs "$A" ttova0 statistics/tx_bytes)"
}

case_tun() {
	local p0 b0 p1 b1
	ovpn_pair "$A" "$B" "$UNDER" tun ttovpa ttovpb "198.18.21.1 198.18.21.2" "198.18.21.2 198.18.21.1"
	# OpenVPN still asks for IFF_ONE_QUEUE (0x2000), which the driver
	# keeps in the flags and otherwise ignores.
	tt_eq "$(ns_sysfs "$A" ttovpa tun_flags)" 0x3001 "ttovpa tun_flags"
	tt_eq "$(ns_sysfs "$B" ttovpb tun_flags)" 0x3001 "ttovpb tun_flags"
	read -r p0 b0 < <(veth_tx)

	# 3 x 84 bytes (default ping), then 2 x 1400 unfragmented.
	ns_ping "$A" 3 198.18.21.2
	ns_ping "$A" 2 198.18.21.2 -s 1372 -M "do"
	tt_eq "$(ns_counters "$A" ttovpa)" "tx 5/3052 rx 5/3052 dropped 0/0" "ttovpa counters"
	tt_eq "$(ns_counters "$B" ttovpb)" "tx 5/3052 rx 5/3052 dropped 0/0" "ttovpb counters"

	# Each request left A over the veth inside a bigger UDP datagram.
	read -r p1 b1 < <(veth_tx)
	((p1 - p0 >= 5 && b1 - b0 > 3052)) ||
		tt_fail "the veth sent $((p1 - p0)) packets, $((b1 - b0)) bytes out of $A during the pings; want at least 5 and more than 3052"
	ovpn_stop
}

case_tap() {
	local mac p0 b0 p1 b1
	ovpn_pair "$A" "$B" "$UNDER" tap ttovta ttovtb "198.18.22.1 255.255.255.0" "198.18.22.2 255.255.255.0"
	tt_eq "$(ns_sysfs "$A" ttovta tun_flags)" 0x3002 "ttovta tun_flags"
	tt_eq "$(ns_sysfs "$B" ttovtb tun_flags)" 0x3002 "ttovtb tun_flags"
	# B knows A's address for good, so that only A asks (once): B's own
	# entry would otherwise be probed again 5 s after its first use.
	mac=$(ns_sysfs "$A" ttovta address)
	tt_ok ip -n "$B" neigh replace 198.18.22.1 lladdr "$mac" dev ttovtb nud permanent
	# And A's entry, learnt from that one ARP exchange, stays reachable
	# (for 15 to 45 s by default, which slow pings may outlast) without
	# being probed again.
	tt_ok ip netns exec "$A" sysctl -qw net.ipv4.neigh.ttovta.base_reachable_time_ms=600000
	read -r p0 b0 < <(veth_tx)

	# One ARP request and its reply (42 bytes each), 3 x 98 bytes, and
	# 2 x 1414: 6 frames, 3164 bytes each way.
	ns_ping "$A" 3 198.18.22.2
	ns_ping "$A" 2 198.18.22.2 -s 1372 -M "do"
	tt_eq "$(ns_counters "$A" ttovta)" "tx 6/3164 rx 6/3164 dropped 0/0" "ttovta counters"
	tt_eq "$(ns_counters "$B" ttovtb)" "tx 6/3164 rx 6/3164 dropped 0/0" "ttovtb counters"
	tt_cmd ip -n "$A" neigh show 198.18.22.2 dev ttovta
	[[ $TT_OUT == *"lladdr $(ns_sysfs "$B" ttovtb address) "* ]] ||
		tt_fail "A's neighbour entry for 198.18.22.2: '$TT_OUT'"

	read -r p1 b1 < <(veth_tx)
	((p1 - p0 >= 6 && b1 - b0 > 3164)) ||
		tt_fail "the veth sent $((p1 - p0)) packets, $((b1 - b0)) bytes out of $A during the pings; want at least 6 and more than 3164"
	ovpn_stop
}

# mktun_one DEV TYPE FLAGS
mktun_one() {
	tt_ok ip netns exec "$A" openvpn --mktun --dev "$1" --dev-type "$2" --user nobody --group nogroup
	ns_link_exists "$A" "$1" || tt_fail "$1 not made"
	tt_eq "$(ns_sysfs "$A" "$1" tun_flags)" "$3" "$1 tun_flags"
	tt_eq "$(ns_sysfs "$A" "$1" owner)" 65534 "$1 owner"
	tt_eq "$(ns_sysfs "$A" "$1" group)" 65534 "$1 group"
	tt_ok ip netns exec "$A" openvpn --rmtun --dev "$1" --dev-type "$2"
	! ns_link_exists "$A" "$1" || tt_fail "$1 survived openvpn --rmtun"
}

case_mktun() {
	ns_need openvpn
	ns_add "$A"
	mktun_one ttovma tun 0x3801
	mktun_one ttovmb tap 0x3802
}

tt_run tun case_tun
tt_run tap case_tap
tt_run mktun case_mktun
tt_done
