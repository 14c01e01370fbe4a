# SPDX-License-Identifier: GPL-2.0
# _openvpn.sh: a pair of OpenVPN peers for clients_openvpn.sh and
# clients_iperf3.sh (a helper, not a test: guest-run skips names starting
# with "_").  Source it after tt.sh and ../lib/netns.sh; inside a case:
#
#	ovpn_pair NS_A NS_B NET TYPE DEV_A DEV_B "IFCONFIG_A" "IFCONFIG_B"
#	ovpn_stop
#
# ovpn_pair makes the namespaces NS_A and NS_B, a veth pair between them
# (${NS_A}0 with NET.1/24, ${NS_B}0 with NET.2/24) and a static key, then
# runs one Debian openvpn in each: peer to peer over UDP port 1194, the
# static key (OpenVPN 2.6's simplest mode; it warns that 2.7 will drop it),
# --dev-type TYPE (tun or tap), the device named DEV_A or DEV_B and set up
# by OpenVPN itself from --ifconfig IFCONFIG_A or IFCONFIG_B.  It returns
# once both peers say "Initialization Sequence Completed", their pids in
# OVPN_A and OVPN_B.
#
# ovpn_stop sends both SIGTERM: each must exit 0 and its device go with it.

# ovpn_peer NETNS NAME DEV TYPE LOCAL REMOTE IFCONFIG-ARG...: one end, in the
# background.  --ping 1: a keepalive over UDP every second, so that the
# peers find each other at once (otherwise the next sign of life after a
# lost one is 10 s away); keepalives never enter the device.
ovpn_peer() {
	local ns=$1 name=$2 dev=$3 type=$4 local=$5 remote=$6
	shift 6
	ns_bg "$ns" "$name" openvpn --dev "$dev" --dev-type "$type" \
		--proto udp --local "$local" --lport 1194 --remote "$remote" --rport 1194 \
		--secret "$TT_TMP/static.key" --cipher AES-256-CBC --auth SHA256 \
		--ping 1 --ifconfig "$@" --verb 3
}

ovpn_pair() {
	local net=$3 type=$4
	OVPN_NS_A=$1 OVPN_NS_B=$2 OVPN_DEV_A=$5 OVPN_DEV_B=$6
	ns_need openvpn
	ns_add "$1" "$2"
	ns_veth "$1" "${1}0" "$2" "${2}0" "$net"
	tt_ok openvpn --genkey secret "$TT_TMP/static.key"
	# shellcheck disable=SC2086 # IFCONFIG_A/B are two words each
	ovpn_peer "$1" openvpn-a "$5" "$type" "$net.1" "$net.2" $7
	OVPN_A=$NS_PID
	# shellcheck disable=SC2086
	ovpn_peer "$2" openvpn-b "$6" "$type" "$net.2" "$net.1" $8
	OVPN_B=$NS_PID
	ns_wait_log "$OVPN_A" openvpn-a "Initialization Sequence Completed" 60
	ns_wait_log "$OVPN_B" openvpn-b "Initialization Sequence Completed" 60
}

ovpn_stop() {
	ns_stop "$OVPN_A"
	tt_eq $? 0 "openvpn in $OVPN_NS_A, exit status after SIGTERM"
	ns_stop "$OVPN_B"
	tt_eq $? 0 "openvpn in $OVPN_NS_B, exit status after SIGTERM"
	! ns_link_exists "$OVPN_NS_A" "$OVPN_DEV_A" || tt_fail "$OVPN_DEV_A outlived its openvpn"
	! ns_link_exists "$OVPN_NS_B" "$OVPN_DEV_B" || tt_fail "$OVPN_DEV_B outlived its openvpn"
}
