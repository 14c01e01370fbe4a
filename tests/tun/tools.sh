#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What the tools print about tun devices, to the byte: iproute2's
# `ip tuntap show` (plain, -d with the processes attached, -j) and
# `ip -d link show`, ethtool's reports and settings, and the sysfs
# attributes they rest on.  Every expected text is what Debian 12's
# iproute2 6.1 and ethtool 6.1 printed with the stock driver of the series.
#
# Outputs are compared after vis(): a tab shows as "\t", and a line that
# ends in spaces gets a "$" after them, so that the expected text below
# keeps them.  Only volatile fields are replaced: the ifindex at the start
# of `ip link` lines (N) and a tap's random MAC address (MAC).
#
# Devices are held open by tunhold (tests/tools); ip finds the processes
# attached to a device through the "iff:" line of /proc/PID/fdinfo.

. "$(dirname "$0")/../lib/tt.sh"

vis() {
	awk '{ gsub(/\t/, "\\t"); sub(/ +$/, "&$"); print }'
}

# norm: vis, and the ifindex and the MAC address made constant
norm() {
	vis | sed -E 's/^[0-9]+: /N: /; s/link\/ether ([0-9a-f]{2}:){5}[0-9a-f]{2}/link\/ether MAC/'
}

# want_out WHAT: $TT_OUT, normalised, must be stdin
want_out() {
	local want got
	want=$(cat)
	got=$(norm <<<"$TT_OUT")
	# One line, for the verdict: lines joined with " | ".
	[[ $got == "$want" ]] ||
		tt_fail "$1: got '${got//$'\n'/ | }', want '${want//$'\n'/ | }'"
}

# want_err WHAT: the same for $TT_ERR
want_err() {
	local want got
	want=$(cat)
	got=$(norm <<<"$TT_ERR")
	[[ $got == "$want" ]] ||
		tt_fail "$1 (stderr): got '${got//$'\n'/ | }', want '${want//$'\n'/ | }'"
}

# hold DEV TUNHOLD-ARGS...: run tunhold in the background until the case
# ends; $HOLD_PID is its pid.
HOLD_PIDS=
stop_holders() {
	local p
	for p in $HOLD_PIDS; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	HOLD_PIDS=
}
hold() {
	local out=$TT_TMP/hold.$1.$RANDOM i
	: >"$out"
	tunhold "$@" >"$out" 2>&1 &
	HOLD_PID=$!
	HOLD_PIDS+=" $HOLD_PID"
	trap stop_holders EXIT
	for ((i = 0; i < 600; i++)); do	# 30 s: a deadline only
		grep -q '^tunhold: holding' "$out" && return 0
		kill -0 "$HOLD_PID" 2>/dev/null || break
		sleep 0.05
	done
	tt_fail "tunhold $*: $(<"$out")"
}

# unhold PID: stop one holder now
unhold() {
	kill "$1" && wait "$1"
	HOLD_PIDS=${HOLD_PIDS/ $1/}
}

# tuntap_block DEV [ARGS]: DEV's lines of `ip ARGS tuntap show`
tuntap_block() {
	local dev=$1
	shift
	ip "$@" tuntap show | awk -v d="$dev:" '
		$1 == d { p = 1; print; next }
		/^\t/ && p { print; next }
		{ p = 0 }'
}

# mk DEV ip-tuntap-args...: a persistent device with IPv6 off
mk() {
	local dev=$1
	shift
	tt_defer_link "$dev"
	tt_ok ip tuntap add dev "$dev" "$@"
	echo 1 >"/proc/sys/net/ipv6/conf/$dev/disable_ipv6"
}

# The tail that iproute2 6.1 prints after the tun attributes.
TAIL1='numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 $'
TAIL256='numtxqueues 256 numrxqueues 256 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 $'

# ---- ip tuntap show ----

mk_all_kinds() {
	mk tttl0 mode tun
	mk tttl1 mode tap
	mk tttl2 mode tun multi_queue
	mk tttl3 mode tap vnet_hdr
	mk tttl4 mode tun pi
	mk tttl5 mode tap user 1234 group 4321
	mk tttl6 mode tap one_queue user nobody group nogroup
	mk tttl7 mode tap multi_queue vnet_hdr pi
}

ALL_KINDS='tttl0: tun persist
tttl1: tap persist
tttl2: tun multi_queue persist
tttl3: tap vnet_hdr persist
tttl4: tun pi persist filter
tttl5: tap persist user 1234 group 4321
tttl6: tap one_queue persist user 65534 group 65534
tttl7: tap pi multi_queue vnet_hdr persist filter'

case_tuntap_show() {
	mk_all_kinds
	# IFF_NOFILTER shares IFF_NO_PI's bit: a pi device says "filter";
	# names are resolved when given, printed as numbers.
	tt_ok ip tuntap show
	want_out "ip tuntap show" <<<"$ALL_KINDS"
	# list, lst and no verb at all are the same command.
	tt_ok ip tuntap list
	want_out "ip tuntap list" <<<"$ALL_KINDS"
	tt_ok ip tuntap lst
	want_out "ip tuntap lst" <<<"$ALL_KINDS"
	tt_ok ip tuntap
	want_out "ip tuntap" <<<"$ALL_KINDS"
	# show takes no selector: dev and mode are parsed and ignored, and
	# -d after the verb is not an option.
	tt_ok ip tuntap show dev tttl0
	want_out "ip tuntap show dev tttl0" <<<"$ALL_KINDS"
	tt_ok ip tuntap show mode tap
	want_out "ip tuntap show mode tap" <<<"$ALL_KINDS"
	tt_ok ip tuntap show -d
	want_out "ip tuntap show -d" <<<"$ALL_KINDS"
}

case_tuntap_show_json() {
	mk_all_kinds
	tt_ok ip -j tuntap show
	want_out "ip -j tuntap show" <<'EOF'
[{"ifname":"tttl0","flags":["tun","persist"]},{"ifname":"tttl1","flags":["tap","persist"]},{"ifname":"tttl2","flags":["tun","multi_queue","persist"]},{"ifname":"tttl3","flags":["tap","vnet_hdr","persist"]},{"ifname":"tttl4","flags":["tun","pi","persist","filter"]},{"ifname":"tttl5","flags":["tap","persist"],"user":1234,"group":4321},{"ifname":"tttl6","flags":["tap","one_queue","persist"],"user":65534,"group":65534},{"ifname":"tttl7","flags":["tap","pi","multi_queue","vnet_hdr","persist","filter"]}]
EOF
}

case_tuntap_show_detail_unattached() {
	mk_all_kinds
	tt_ok ip -d tuntap show
	want_out "ip -d tuntap show" <<'EOF'
tttl0: tun persist
\tAttached to processes:
tttl1: tap persist
\tAttached to processes:
tttl2: tun multi_queue persist
\tAttached to processes:
tttl3: tap vnet_hdr persist
\tAttached to processes:
tttl4: tun pi persist filter
\tAttached to processes:
tttl5: tap persist user 1234 group 4321
\tAttached to processes:
tttl6: tap one_queue persist user 65534 group 65534
\tAttached to processes:
tttl7: tap pi multi_queue vnet_hdr persist filter
\tAttached to processes:
EOF
}

case_tuntap_show_detail_attached() {
	local p
	# Not persistent: the device lives as long as tunhold.
	tt_defer_link tttl8
	hold tttl8 tun
	p=$HOLD_PID
	TT_OUT=$(tuntap_block tttl8 -d)
	want_out "ip -d tuntap show, tttl8" <<EOF
tttl8: tun
\\tAttached to processes:tunhold($p)
EOF
	TT_OUT=$(tuntap_block tttl8)
	want_out "ip tuntap show, tttl8" <<<"tttl8: tun"
	tt_ok ip -d -j tuntap show
	want_out "ip -d -j tuntap show" <<EOF
[{"ifname":"tttl8","flags":["tun"],"processes":["name":"tunhold","pid":$p]}]
EOF
	unhold "$p"
	tt_link_exists tttl8 && tt_fail "tttl8 outlived its only fd"
	return 0
}

case_tuntap_show_detail_queues() {
	local p1 p2
	mk tttl9 mode tap multi_queue
	hold tttl9 tap multi_queue -n 3
	p1=$HOLD_PID
	# One entry per attached fd, nothing between them.
	TT_OUT=$(tuntap_block tttl9 -d)
	want_out "three queues of one process" <<EOF
tttl9: tap multi_queue persist
\\tAttached to processes:tunhold($p1)tunhold($p1)tunhold($p1)
EOF
	hold tttl9 tap multi_queue
	p2=$HOLD_PID
	TT_OUT=$(tuntap_block tttl9 -d)
	want_out "and one of another" <<EOF
tttl9: tap multi_queue persist
\\tAttached to processes:tunhold($p1)tunhold($p1)tunhold($p1)tunhold($p2)
EOF
	unhold "$p1"
	TT_OUT=$(tuntap_block tttl9 -d)
	want_out "the first gone" <<EOF
tttl9: tap multi_queue persist
\\tAttached to processes:tunhold($p2)
EOF
	unhold "$p2"
	TT_OUT=$(tuntap_block tttl9 -d)
	want_out "none left" <<'EOF'
tttl9: tap multi_queue persist
\tAttached to processes:
EOF
}

case_tuntap_attach_rewrites_flags() {
	local p
	mk tttl10 mode tun pi
	TT_OUT=$(tuntap_block tttl10)
	want_out "before" <<<"tttl10: tun pi persist filter"
	# Attaching with IFF_NO_PI takes the device's pi away for good.
	hold tttl10 tun
	p=$HOLD_PID
	TT_OUT=$(tuntap_block tttl10 -d)
	want_out "attached without pi" <<EOF
tttl10: tun persist
\\tAttached to processes:tunhold($p)
EOF
	unhold "$p"
	TT_OUT=$(tuntap_block tttl10)
	want_out "after" <<<"tttl10: tun persist"
	tt_eq "$(tt_sysfs tttl10 tun_flags)" 0x1801 tun_flags
}

# ---- ip -d link show ----

case_link_detail_tun() {
	mk tttl11 mode tun
	tt_ok ip -d link show dev tttl11
	want_out "ip -d link show dev tttl11" <<EOF
N: tttl11: <POINTOPOINT,MULTICAST,NOARP> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 500
    link/none  promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \$
    tun type tun pi off vnet_hdr off persist on addrgenmode eui64 $TAIL1
EOF
}

case_link_detail_tap() {
	mk tttl12 mode tap
	tt_ok ip -d link show dev tttl12
	want_out "ip -d link show dev tttl12" <<EOF
N: tttl12: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether MAC brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65521 \$
    tun type tap pi off vnet_hdr off persist on addrgenmode eui64 $TAIL1
EOF
}

case_link_detail_multi_queue() {
	mk tttl13 mode tun multi_queue
	tt_ok ip -d link show dev tttl13
	want_out "no queue" <<EOF
N: tttl13: <POINTOPOINT,MULTICAST,NOARP> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 500
    link/none  promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \$
    tun type tun pi off vnet_hdr off multi_queue numqueues 0 numdisabled 0 persist on addrgenmode eui64 $TAIL256
EOF
	hold tttl13 tun multi_queue -n 3
	tt_ok ip -d link show dev tttl13
	want_out "three queues" <<EOF
N: tttl13: <POINTOPOINT,MULTICAST,NOARP> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 500
    link/none  promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \$
    tun type tun pi off vnet_hdr off multi_queue numqueues 3 numdisabled 0 persist on addrgenmode eui64 $TAIL256
EOF
}

case_link_detail_vnet_hdr_pi() {
	mk tttl14 mode tap vnet_hdr
	mk tttl15 mode tun pi
	mk tttl16 mode tap multi_queue vnet_hdr pi
	tt_cmd ip -d link show dev tttl14
	TT_OUT=$(sed -n 3p <<<"$TT_OUT")
	want_out tttl14 <<<"    tun type tap pi off vnet_hdr on persist on addrgenmode eui64 $TAIL1"
	tt_cmd ip -d link show dev tttl15
	TT_OUT=$(sed -n 3p <<<"$TT_OUT")
	want_out tttl15 <<<"    tun type tun pi on vnet_hdr off persist on addrgenmode eui64 $TAIL1"
	tt_cmd ip -d link show dev tttl16
	TT_OUT=$(sed -n 3p <<<"$TT_OUT")
	want_out tttl16 <<<"    tun type tap pi on vnet_hdr on multi_queue numqueues 0 numdisabled 0 persist on addrgenmode eui64 $TAIL256"
}

case_link_detail_user_group() {
	mk tttl17 mode tap user 1234 group 4321
	mk tttl18 mode tap user nobody group nogroup
	tt_cmd ip -d link show dev tttl17
	TT_OUT=$(sed -n 3p <<<"$TT_OUT")
	want_out "numeric ids" <<<"    tun type tap pi off vnet_hdr off persist on user 1234 group 4321 addrgenmode eui64 $TAIL1"
	# ip -d link names the ids it finds in /etc/passwd and /etc/group.
	tt_cmd ip -d link show dev tttl18
	TT_OUT=$(sed -n 3p <<<"$TT_OUT")
	want_out "named ids" <<<"    tun type tap pi off vnet_hdr off persist on user nobody group nogroup addrgenmode eui64 $TAIL1"
	tt_ok ip -d -j link show dev tttl17
	[[ $TT_OUT == *'"info_data":{"type":"tap","pi":false,"vnet_hdr":false,"multi_queue":false,"persist":true,"user":1234,"group":4321}'* ]] ||
		tt_fail "ip -d -j link show: $TT_OUT"
}

case_link_detail_persist_off() {
	tt_defer_link tttl19
	hold tttl19 tun
	echo 1 >/proc/sys/net/ipv6/conf/tttl19/disable_ipv6
	tt_ok ip link set dev tttl19 up
	# An fd is attached: carrier, and the state the driver does not know.
	# The qdisc is the kernel's default (fq_codel in Debian's config,
	# pfifo_fast in the debug lane's).
	local qdisc
	qdisc=$(</proc/sys/net/core/default_qdisc)
	tt_ok ip -d link show dev tttl19
	want_out "ip -d link show dev tttl19" <<EOF
N: tttl19: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu 1500 qdisc $qdisc state UNKNOWN mode DEFAULT group default qlen 500
    link/none  promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \$
    tun type tun pi off vnet_hdr off persist off addrgenmode eui64 $TAIL1
EOF
	tt_ok ip -d -j link show dev tttl19
	[[ $TT_OUT == *'"linkinfo":{"info_kind":"tun","info_data":{"type":"tun","pi":false,"vnet_hdr":false,"multi_queue":false,"persist":false}}'* ]] ||
		tt_fail "ip -d -j link show: $TT_OUT"
}

case_link_add_refused() {
	tt_defer_link tttl20
	tt_cmd ip link add tttl20 type tun
	tt_eq "$TT_RC" 2 "type tun, exit status"
	want_err "type tun" <<<"Error: tun/tap creation via rtnetlink is not supported."
	tt_cmd ip link add name tttl20 type tun mode tap
	tt_eq "$TT_RC" 2 "type tun mode tap, exit status"
	want_err "type tun mode tap" <<<"Error: tun/tap creation via rtnetlink is not supported."
	# There is no "tap" kind at all.
	tt_cmd ip link add tttl20 type tap
	tt_eq "$TT_RC" 2 "type tap, exit status"
	want_err "type tap" <<<"Error: Unknown device type."
	tt_link_exists tttl20 && tt_fail "tttl20 was created"
	# Changing an existing device through its kind is refused the same way.
	mk tttl21 mode tun
	tt_cmd ip link set dev tttl21 type tun
	tt_eq "$TT_RC" 2 "set type tun, exit status"
	want_err "set type tun" <<<"Error: tun/tap creation via rtnetlink is not supported."
	return 0
}

# ---- sysfs ----

# attrs DEV: the attributes, one "name=value" a line
attrs() {
	local a
	for a in tun_flags owner group type addr_len flags tx_queue_len mtu; do
		echo "$a=$(tt_sysfs "$1" "$a")"
	done
}

case_sysfs_attrs() {
	local p
	mk tttl22 mode tun
	mk tttl23 mode tap user 1234 group 4321
	TT_OUT=$(attrs tttl22)
	want_out tttl22 <<'EOF'
tun_flags=0x1801
owner=-1
group=-1
type=65534
addr_len=0
flags=0x1090
tx_queue_len=500
mtu=1500
EOF
	TT_OUT=$(attrs tttl23)
	want_out tttl23 <<'EOF'
tun_flags=0x1802
owner=1234
group=4321
type=1
addr_len=6
flags=0x1002
tx_queue_len=1000
mtu=1500
EOF
	# carrier cannot be read while the device is down.
	tt_cmd cat /sys/class/net/tttl22/carrier
	((TT_RC != 0)) || tt_fail "carrier of a down device read '$TT_OUT'"
	tt_ok ip link set dev tttl22 up mtu 1400 txqueuelen 42
	tt_ok ip link set dev tttl23 up
	tt_eq "$(tt_sysfs tttl22 flags)" 0x1091 "tttl22 flags, up"
	tt_eq "$(tt_sysfs tttl23 flags)" 0x1003 "tttl23 flags, up"
	tt_eq "$(tt_sysfs tttl22 mtu)" 1400 "tttl22 mtu"
	tt_eq "$(tt_sysfs tttl22 tx_queue_len)" 42 "tttl22 tx_queue_len"
	tt_eq "$(tt_sysfs tttl22 carrier)" 0 "tttl22 carrier, no fd"
	hold tttl22 tun
	p=$HOLD_PID
	tt_eq "$(tt_sysfs tttl22 carrier)" 1 "tttl22 carrier, attached"
	# Attaching is not a flag of its own.
	tt_eq "$(tt_sysfs tttl22 tun_flags)" 0x1801 "tttl22 tun_flags, attached"
	unhold "$p"
	tt_eq "$(tt_sysfs tttl22 carrier)" 0 "tttl22 carrier, detached"
}

# ---- ethtool ----

case_ethtool_driver_info() {
	mk tttl24 mode tun
	mk tttl25 mode tap
	tt_ok ethtool -i tttl24
	want_out "ethtool -i tttl24" <<'EOF'
driver: tun
version: 1.6
firmware-version: $
expansion-rom-version: $
bus-info: tun
supports-statistics: no
supports-test: no
supports-eeprom-access: no
supports-register-dump: no
supports-priv-flags: no
EOF
	# bus-info says which kind of device it is.
	tt_ok ethtool -i tttl25
	want_out "ethtool -i tttl25" <<'EOF'
driver: tun
version: 1.6
firmware-version: $
expansion-rom-version: $
bus-info: tap
supports-statistics: no
supports-test: no
supports-eeprom-access: no
supports-register-dump: no
supports-priv-flags: no
EOF
}

# settings DEV SPEED DUPLEX AUTONEG PORT MSGLVL MSGNAMES LINK: the text of
# `ethtool DEV` (MDI-X is shown for twisted pair only)
settings() {
	cat <<EOF
Settings for $1:
\\tSupported ports: [  ]
\\tSupported link modes:   Not reported
\\tSupported pause frame use: No
\\tSupports auto-negotiation: No
\\tSupported FEC modes: Not reported
\\tAdvertised link modes:  Not reported
\\tAdvertised pause frame use: No
\\tAdvertised auto-negotiation: No
\\tAdvertised FEC modes: Not reported
\\tSpeed: $2
\\tDuplex: $3
\\tAuto-negotiation: $4
\\tPort: $5
\\tPHYAD: 0
\\tTransceiver: internal
EOF
	[[ $5 == "Twisted Pair" ]] && echo '\tMDI-X: Unknown'
	echo "        Current message level: $6"
	# The names of the bits set, after 31 columns (30 when none is).
	if [[ -n $7 ]]; then
		printf '%31s%s\n' '' "$7"
	else
		printf '%30s$\n' ''
	fi
	echo "\\tLink detected: $8"
}

# want_settings WHAT DEV SPEED ...: `ethtool DEV` was $TT_OUT
want_settings() {
	want_out "$1" < <(settings "${@:2}")
}

# The default speed: 10Mb/s up to 6.1, 10000Mb/s in 6.12.
default_speed() {
	if [[ $KSERIES == 6.1 ]]; then echo 10Mb/s; else echo 10000Mb/s; fi
}

case_ethtool_link_settings() {
	local speed p
	speed=$(default_speed)
	mk tttl26 mode tun
	mk tttl27 mode tap
	tt_ok ethtool tttl26
	want_settings "ethtool tttl26" tttl26 "$speed" Full off "Twisted Pair" "0x00000000 (0)" "" no
	tt_ok ethtool tttl27
	want_settings "ethtool tttl27" tttl27 "$speed" Full off "Twisted Pair" "0x00000000 (0)" "" no
	# Link detected follows the carrier: up, with an fd attached.
	tt_ok ip link set dev tttl26 up
	tt_ok ethtool tttl26
	want_settings "ethtool tttl26, up without an fd" tttl26 "$speed" Full off "Twisted Pair" "0x00000000 (0)" "" no
	hold tttl26 tun
	p=$HOLD_PID
	tt_ok ethtool tttl26
	want_settings "ethtool tttl26, up and attached" tttl26 "$speed" Full off "Twisted Pair" "0x00000000 (0)" "" yes
	unhold "$p"
}

case_ethtool_set_link_settings() {
	local speed p
	speed=$(default_speed)
	mk tttl28 mode tap
	mk tttl29 mode tun
	tt_ok ethtool -s tttl28 speed 1000 duplex half
	tt_ok ethtool tttl28
	want_settings "speed 1000 duplex half" tttl28 1000Mb/s Half off "Twisted Pair" "0x00000000 (0)" "" no
	tt_ok ethtool -s tttl28 duplex full speed 2500
	tt_ok ethtool tttl28
	want_settings "speed 2500 duplex full" tttl28 2500Mb/s Full off "Twisted Pair" "0x00000000 (0)" "" no
	# Whatever is asked is kept, even autoneg on a device without any.
	tt_ok ethtool -s tttl28 autoneg on
	tt_ok ethtool -s tttl28 port fibre
	tt_ok ethtool tttl28
	want_settings "autoneg on, port fibre" tttl28 2500Mb/s Full on FIBRE "0x00000000 (0)" "" no
	# The settings belong to the device: they outlive an fd attached and
	# closed again, and the other device keeps its own.
	hold tttl28 tap
	p=$HOLD_PID
	unhold "$p"
	tt_ok ethtool tttl28
	want_settings "after an fd came and went" tttl28 2500Mb/s Full on FIBRE "0x00000000 (0)" "" no
	tt_ok ethtool tttl29
	want_settings "the other device" tttl29 "$speed" Full off "Twisted Pair" "0x00000000 (0)" "" no
}

case_ethtool_msglvl() {
	local speed
	speed=$(default_speed)
	mk tttl30 mode tap
	tt_ok ethtool -s tttl30 msglvl 0x7
	tt_ok ethtool tttl30
	want_settings "msglvl 0x7" tttl30 "$speed" Full off "Twisted Pair" "0x00000007 (7)" "drv probe link" no
	tt_ok ethtool -s tttl30 msglvl drv off
	tt_ok ethtool tttl30
	want_settings "msglvl drv off" tttl30 "$speed" Full off "Twisted Pair" "0x00000006 (6)" "probe link" no
	tt_ok ethtool -s tttl30 msglvl hw on
	tt_ok ethtool tttl30
	want_settings "msglvl hw on" tttl30 "$speed" Full off "Twisted Pair" "0x00002006 (8198)" "probe link hw" no
	tt_ok ethtool -s tttl30 msglvl 0
	tt_ok ethtool tttl30
	want_settings "msglvl 0" tttl30 "$speed" Full off "Twisted Pair" "0x00000000 (0)" "" no
}

# features: `ethtool -k` of a new tun or tap, which differ per series
features() {
	cat <<'EOF'
Features for DEV:
rx-checksumming: off [fixed]
tx-checksumming: off
\ttx-checksum-ipv4: off [fixed]
\ttx-checksum-ip-generic: off [requested on]
\ttx-checksum-ipv6: off [fixed]
\ttx-checksum-fcoe-crc: off [fixed]
\ttx-checksum-sctp: off [fixed]
scatter-gather: on
\ttx-scatter-gather: on
\ttx-scatter-gather-fraglist: on
tcp-segmentation-offload: off
\ttx-tcp-segmentation: off [requested on]
\ttx-tcp-ecn-segmentation: off [requested on]
\ttx-tcp-mangleid-segmentation: off
\ttx-tcp6-segmentation: off [requested on]
generic-segmentation-offload: on
generic-receive-offload: on
large-receive-offload: off [fixed]
rx-vlan-offload: off [fixed]
tx-vlan-offload: on
ntuple-filters: off [fixed]
receive-hashing: off [fixed]
highdma: off [fixed]
rx-vlan-filter: off [fixed]
vlan-challenged: off [fixed]
EOF
	# 6.12 no longer has LLTX and NETNS_LOCAL as features.
	[[ $KSERIES == 6.1 ]] && cat <<'EOF'
tx-lockless: on [fixed]
netns-local: off [fixed]
EOF
	cat <<'EOF'
tx-gso-robust: off [fixed]
tx-fcoe-segmentation: off [fixed]
tx-gre-segmentation: off [fixed]
tx-gre-csum-segmentation: off [fixed]
tx-ipxip4-segmentation: off [fixed]
tx-ipxip6-segmentation: off [fixed]
tx-udp_tnl-segmentation: off [fixed]
tx-udp_tnl-csum-segmentation: off [fixed]
tx-gso-partial: off [fixed]
tx-tunnel-remcsum-segmentation: off [fixed]
tx-sctp-segmentation: off [fixed]
tx-esp-segmentation: off [fixed]
EOF
	# USO: a feature of Linux's tun from 6.2 on, and of ours on 6.1 too
	# (a deliberate difference, Documentation/tun.rst).
	if [[ $KSERIES == 6.1 && ${TUN_IMPL:-} != ours ]]; then
		echo 'tx-udp-segmentation: off [fixed]'
	else
		echo 'tx-udp-segmentation: off [requested on]'
	fi
	echo 'tx-gso-list: off [fixed]'
	[[ $KSERIES == 6.1 ]] && echo 'fcoe-mtu: off [fixed]'
	cat <<'EOF'
tx-nocache-copy: off
loopback: off [fixed]
rx-fcs: off [fixed]
rx-all: off [fixed]
tx-vlan-stag-hw-insert: on
rx-vlan-stag-hw-parse: off [fixed]
rx-vlan-stag-filter: off [fixed]
l2-fwd-offload: off [fixed]
hw-tc-offload: off [fixed]
esp-hw-offload: off [fixed]
esp-tx-csum-hw-offload: off [fixed]
rx-udp_tunnel-port-offload: off [fixed]
tls-hw-tx-offload: off [fixed]
tls-hw-rx-offload: off [fixed]
rx-gro-hw: off [fixed]
tls-hw-record: off [fixed]
rx-gro-list: off
macsec-hw-offload: off [fixed]
rx-udp-gro-forwarding: off
hsr-tag-ins-offload: off [fixed]
hsr-tag-rm-offload: off [fixed]
hsr-fwd-offload: off [fixed]
hsr-dup-offload: off [fixed]
EOF
}

case_ethtool_features() {
	mk tttl31 mode tun
	mk tttl32 mode tap
	# Without TUNSETOFFLOAD the offloads are requested but not on.
	tt_ok ethtool -k tttl31
	want_out "ethtool -k tttl31" < <(features | sed 's/DEV/tttl31/')
	tt_ok ethtool -k tttl32
	want_out "ethtool -k tttl32" < <(features | sed 's/DEV/tttl32/')
	tt_ok ethtool --show-features tttl32
	want_out "ethtool --show-features tttl32" < <(features | sed 's/DEV/tttl32/')
	# Turning off what is requested: no longer requested.
	tt_ok ethtool -K tttl32 tx off
	tt_ok ethtool -k tttl32
	want_out "ethtool -K tttl32 tx off" < <(features | sed 's/DEV/tttl32/; s/\(tx-checksum-ip-generic: off\) \[requested on\]/\1/')
}

case_ethtool_timestamping() {
	mk tttl33 mode tun
	mk tttl34 mode tap
	tt_ok ethtool -T tttl33
	want_out "ethtool -T tttl33" <<'EOF'
Time stamping parameters for tttl33:
Capabilities:
\tsoftware-transmit
\tsoftware-receive
\tsoftware-system-clock
PTP Hardware Clock: none
Hardware Transmit Timestamp Modes: none
Hardware Receive Filter Modes: none
EOF
	tt_ok ethtool -T tttl34
	want_out "ethtool -T tttl34" <<'EOF'
Time stamping parameters for tttl34:
Capabilities:
\tsoftware-transmit
\tsoftware-receive
\tsoftware-system-clock
PTP Hardware Clock: none
Hardware Transmit Timestamp Modes: none
Hardware Receive Filter Modes: none
EOF
}

# coalesce DEV RX_FRAMES: the text of `ethtool -c DEV`
coalesce() {
	cat <<EOF
Coalesce parameters for $1:
Adaptive RX: n/a  TX: n/a
stats-block-usecs: n/a
sample-interval: n/a
pkt-rate-low: n/a
pkt-rate-high: n/a

rx-usecs: n/a
rx-frames: $2
rx-usecs-irq: n/a
rx-frames-irq: n/a

tx-usecs: n/a
tx-frames: n/a
tx-usecs-irq: n/a
tx-frames-irq: n/a

rx-usecs-low: n/a
rx-frame-low: n/a
tx-usecs-low: n/a
tx-frame-low: n/a

rx-usecs-high: n/a
rx-frame-high: n/a
tx-usecs-high: n/a
tx-frame-high: n/a

CQE mode RX: n/a  TX: n/a

EOF
}

case_ethtool_coalesce() {
	mk tttl35 mode tap
	tt_ok ethtool -c tttl35
	want_out "ethtool -c, new" < <(coalesce tttl35 0)
	# rx-frames is the rx batch; nothing else can be set.
	tt_ok ethtool -C tttl35 rx-frames 16
	tt_ok ethtool -c tttl35
	want_out "ethtool -c, rx-frames 16" < <(coalesce tttl35 16)
	tt_cmd ethtool -C tttl35 rx-usecs 5
	tt_eq "$TT_RC" 1 "rx-usecs 5, exit status"
	want_err "rx-usecs 5" <<'EOF'
netlink error: cannot modify an unsupported parameter (offset 36)
netlink error: Invalid argument
EOF
	tt_ok ethtool -c tttl35
	want_out "ethtool -c, after the refusal" < <(coalesce tttl35 16)
}

# channels DEV MAX CUR: the text of `ethtool -l DEV` (6.12)
channels() {
	cat <<EOF
Channel parameters for $1:
Pre-set maximums:
RX:\\t\\tn/a
TX:\\t\\tn/a
Other:\\t\\tn/a
Combined:\\t$2
Current hardware settings:
RX:\\t\\tn/a
TX:\\t\\tn/a
Other:\\t\\tn/a
Combined:\\t$3
EOF
}

case_ethtool_channels() {
	mk tttl36 mode tun
	mk tttl37 mode tap multi_queue
	tt_cmd ethtool -l tttl36
	if [[ $KSERIES == 6.1 ]]; then
		# No get_channels before 6.12.
		tt_eq "$TT_RC" 1 "ethtool -l, exit status"
		want_err "ethtool -l" <<<"netlink error: Operation not supported"
		return 0
	fi
	tt_eq "$TT_RC" 0 "ethtool -l tttl36, exit status"
	want_out "single queue, detached" < <(channels tttl36 1 0)
	tt_ok ethtool -l tttl37
	want_out "multi_queue, no queue" < <(channels tttl37 256 0)
	hold tttl37 tap multi_queue -n 3
	tt_ok ethtool -l tttl37
	want_out "multi_queue, three queues" < <(channels tttl37 256 3)
}

case_ethtool_unsupported() {
	mk tttl38 mode tap
	tt_cmd ethtool -S tttl38
	tt_eq "$TT_RC" 94 "-S, exit status"
	want_err "-S" <<<"no stats available"
	tt_cmd ethtool -g tttl38
	tt_eq "$TT_RC" 1 "-g, exit status"
	want_err "-g" <<<"netlink error: Operation not supported"
	tt_cmd ethtool -d tttl38
	tt_eq "$TT_RC" 74 "-d, exit status"
	want_err "-d" <<<"Cannot get register dump: Operation not supported"
	tt_cmd ethtool -e tttl38
	tt_eq "$TT_RC" 74 "-e, exit status"
	want_err "-e" <<<"Cannot get EEPROM data: Operation not supported"
	tt_cmd ethtool -r tttl38
	tt_eq "$TT_RC" 255 "-r, exit status"
	want_err "-r" <<<"Cannot restart autonegotiation: Operation not supported"
	tt_cmd ethtool -s tttl38 wol g
	tt_eq "$TT_RC" 75 "wol g, exit status"
	want_err "wol g" <<<"netlink error: Operation not supported"
	# A tap's random address is not a permanent one.
	tt_ok ethtool -P tttl38
	want_out "-P" <<<"Permanent address: not set"
}

tt_run tuntap_show case_tuntap_show
tt_run tuntap_show_json case_tuntap_show_json
tt_run tuntap_show_detail_unattached case_tuntap_show_detail_unattached
tt_run tuntap_show_detail_attached case_tuntap_show_detail_attached
tt_run tuntap_show_detail_queues case_tuntap_show_detail_queues
tt_run tuntap_attach_rewrites_flags case_tuntap_attach_rewrites_flags
tt_run link_detail_tun case_link_detail_tun
tt_run link_detail_tap case_link_detail_tap
tt_run link_detail_multi_queue case_link_detail_multi_queue
tt_run link_detail_vnet_hdr_pi case_link_detail_vnet_hdr_pi
tt_run link_detail_user_group case_link_detail_user_group
tt_run link_detail_persist_off case_link_detail_persist_off
tt_run link_add_type_tun_refused case_link_add_refused
tt_run sysfs_attrs case_sysfs_attrs
tt_run ethtool_driver_info case_ethtool_driver_info
tt_run ethtool_link_settings case_ethtool_link_settings
tt_run ethtool_set_link_settings case_ethtool_set_link_settings
tt_run ethtool_msglvl case_ethtool_msglvl
tt_run ethtool_features case_ethtool_features
tt_run ethtool_timestamping case_ethtool_timestamping
tt_run ethtool_coalesce case_ethtool_coalesce
tt_run ethtool_channels case_ethtool_channels
tt_run ethtool_unsupported case_ethtool_unsupported
tt_done
