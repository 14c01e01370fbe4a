#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# WireGuard in user space (Debian's wireguard-go, configured with
# wireguard-tools' wg, both unmodified) on the driver.  Two wireguard-go
# instances in two network namespaces joined by a veth pair, each the peer of
# the other over UDP on the veth; each makes its own tun device through
# /dev/net/tun.
#
# ping: pings cross the tunnel (the first one waits for the handshake), and
# each tun device counts exactly those packets; the veth carried them
# encapsulated.  When wireguard-go stops, its device and its socket go.
#
# Debian 12's wireguard-go (0.0.20220316) predates wireguard-go's use of
# IFF_VNET_HDR and the offloads, and leaves IFF_NO_PI out: it asks for IFF_TUN
# alone (tun_flags 0x1), so every packet it reads or writes carries the 4-byte
# struct tun_pi in front.

. "$(dirname "$0")/../lib/tt.sh"
. "$(dirname "$0")/../lib/netns.sh"

A=ttwga B=ttwgb		# the namespaces, and the veth ttwga0-ttwgb0
UNDER=198.18.28		# the veth's addresses: .1 in A, .2 in B
OVER=198.18.29		# the tunnel's: .1 on ttwgta in A, .2 on ttwgtb in B
PORT=51820
SOCKETS=/var/run/wireguard

# started PID DEV: wireguard-go (PID) listens on its UAPI socket, or is gone
started() {
	[[ -S $SOCKETS/$2.sock ]] || ns_gone "$1"
}

# wg_up NETNS DEV N PEER_N: wireguard-go for DEV in NETNS, its own address
# $OVER.N, its peer's $OVER.PEER_N at $UNDER.PEER_N; pid in NS_PID.
wg_up() {
	local ns=$1 dev=$2 n=$3 peer=$4 pid
	ns_bg "$ns" "wireguard-go-$dev" env LOG_LEVEL=verbose wireguard-go -f "$dev"
	pid=$NS_PID
	NS_FILES+=("$SOCKETS/$dev.sock")
	ns_wait_for 30 "$dev's UAPI socket" started "$pid" "$dev"
	ns_alive "$pid" ||
		tt_fail "wireguard-go for $dev exited: $(grep -m 1 ERROR "$TT_TMP/wireguard-go-$dev.log" ||
			tail -n 1 "$TT_TMP/wireguard-go-$dev.log")"
	ns_link_exists "$ns" "$dev" || tt_fail "wireguard-go made no $dev"
	tt_ok ip netns exec "$ns" wg set "$dev" listen-port "$PORT" private-key "$TT_TMP/$n.key" \
		peer "$(<"$TT_TMP/$peer.pub")" endpoint "$UNDER.$peer:$PORT" allowed-ips "$OVER.$peer/32"
	tt_ok ip -n "$ns" addr add "$OVER.$n/24" dev "$dev"
	tt_ok ip -n "$ns" link set "$dev" up
	NS_PID=$pid
}

# veth_tx: packets and bytes the veth has sent out of A so far
veth_tx() {
	echo "$(ns_sysfs "$A" ttwga0 statistics/tx_packets) $(ns_sysfs "$A" ttwga0 statistics/tx_bytes)"
}

case_ping() {
	local n pid_a pid_b p0 b0 p1 b1 hs
	ns_need wireguard-go wg
	ns_add "$A" "$B"
	ns_veth "$A" ttwga0 "$B" ttwgb0 "$UNDER"
	for n in 1 2; do
		tt_cmd wg genkey
		((TT_RC == 0)) || tt_fail "wg genkey exited $TT_RC: $TT_ERR"
		printf '%s\n' "$TT_OUT" >"$TT_TMP/$n.key"
		wg pubkey <"$TT_TMP/$n.key" >"$TT_TMP/$n.pub" || tt_fail "wg pubkey failed"
	done
	wg_up "$A" ttwgta 1 2
	pid_a=$NS_PID
	wg_up "$B" ttwgtb 2 1
	pid_b=$NS_PID
	tt_eq "$(ns_sysfs "$A" ttwgta tun_flags)" 0x1 "ttwgta tun_flags"
	tt_eq "$(ns_sysfs "$B" ttwgtb tun_flags)" 0x1 "ttwgtb tun_flags"
	tt_eq "$(ns_sysfs "$A" ttwgta mtu)" 1420 "ttwgta mtu"
	read -r p0 b0 < <(veth_tx)

	# 3 x 84 bytes (default ping), then 2 x 1400 unfragmented.
	ns_ping "$A" 3 "$OVER.2"
	ns_ping "$A" 2 "$OVER.2" -s 1372 -M "do"
	tt_eq "$(ns_counters "$A" ttwgta)" "tx 5/3052 rx 5/3052 dropped 0/0" "ttwgta counters"
	tt_eq "$(ns_counters "$B" ttwgtb)" "tx 5/3052 rx 5/3052 dropped 0/0" "ttwgtb counters"

	# The handshake, then each request inside a bigger UDP datagram.
	read -r p1 b1 < <(veth_tx)
	((p1 - p0 >= 6 && b1 - b0 > 3052)) ||
		tt_fail "the veth sent $((p1 - p0)) packets, $((b1 - b0)) bytes out of $A during the pings; want at least 6 and more than 3052"
	tt_ok ip netns exec "$A" wg show ttwgta latest-handshakes
	hs=${TT_OUT##*[[:space:]]}
	[[ $TT_OUT == "$(<"$TT_TMP/2.pub")"[[:space:]]* && $hs -gt 0 ]] ||
		tt_fail "wg show ttwgta latest-handshakes: '$TT_OUT'"

	ns_stop "$pid_a"
	tt_eq $? 0 "wireguard-go in $A, exit status after SIGTERM"
	ns_stop "$pid_b"
	tt_eq $? 0 "wireguard-go in $B, exit status after SIGTERM"
	! ns_link_exists "$A" ttwgta || tt_fail "ttwgta outlived wireguard-go"
	! ns_link_exists "$B" ttwgtb || tt_fail "ttwgtb outlived wireguard-go"
	[[ ! -e $SOCKETS/ttwgta.sock && ! -e $SOCKETS/ttwgtb.sock ]] ||
		tt_fail "wireguard-go left its socket behind"
}

tt_run ping case_ping
tt_done
