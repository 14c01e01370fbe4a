#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# iproute2 against the driver: `ip tuntap add/del/show` (which go through
# /dev/net/tun and read /sys/class/net/*/tun_flags back), `ip -d link`
# (the rtnl_link_ops fill_info), and the refusal of `ip link add type tun`.
# The expected text is what Debian 12's iproute2 prints with the stock driver.

. "$(dirname "$0")/../lib/tt.sh"

# show_line DEV: the line of `ip tuntap show` for DEV
show_line() {
	ip tuntap show | grep "^$1: "
}

case_add_tun() {
	tt_defer_link ttsh0
	tt_ok ip tuntap add dev ttsh0 mode tun
	tt_link_exists ttsh0 || tt_fail "ttsh0 not created"
	tt_eq "$(tt_sysfs ttsh0 tun_flags)" 0x1801 tun_flags
	tt_eq "$(tt_sysfs ttsh0 type)" 65534 type
	tt_eq "$(show_line ttsh0)" "ttsh0: tun persist" "ip tuntap show"
}

case_add_tap() {
	tt_defer_link ttsh1
	tt_ok ip tuntap add dev ttsh1 mode tap
	tt_eq "$(tt_sysfs ttsh1 tun_flags)" 0x1802 tun_flags
	tt_eq "$(tt_sysfs ttsh1 type)" 1 type
	tt_eq "$(show_line ttsh1)" "ttsh1: tap persist" "ip tuntap show"
}

case_add_pi() {
	tt_defer_link ttsh2
	tt_ok ip tuntap add dev ttsh2 mode tun pi
	tt_eq "$(tt_sysfs ttsh2 tun_flags)" 0x801 tun_flags
	# IFF_NOFILTER is IFF_NO_PI's bit, so iproute2 also says "filter".
	tt_eq "$(show_line ttsh2)" "ttsh2: tun pi persist filter" "ip tuntap show"
}

case_add_one_queue() {
	tt_defer_link ttsh3
	tt_ok ip tuntap add dev ttsh3 mode tap one_queue
	tt_eq "$(tt_sysfs ttsh3 tun_flags)" 0x3802 tun_flags
	tt_eq "$(show_line ttsh3)" "ttsh3: tap one_queue persist" "ip tuntap show"
}

case_add_existing() {
	tt_defer_link ttsh4
	tt_ok ip tuntap add dev ttsh4 mode tun
	# iproute2 asks for IFF_TUN_EXCL.
	tt_cmd ip tuntap add dev ttsh4 mode tun
	tt_eq "$TT_RC" 1 "second add, exit status"
	tt_eq "$TT_ERR" "ioctl(TUNSETIFF): Device or resource busy" "second add"
	tt_cmd ip tuntap add dev ttsh4 mode tap
	tt_eq "$TT_RC" 1 "add as tap, exit status"
	tt_eq "$TT_ERR" "ioctl(TUNSETIFF): Device or resource busy" "add as tap"
	tt_eq "$(tt_sysfs ttsh4 tun_flags)" 0x1801 "tun_flags after the refusals"
}

case_del() {
	tt_defer_link ttsh5
	tt_ok ip tuntap add dev ttsh5 mode tun
	tt_cmd ip tuntap del dev ttsh5 mode tap
	tt_eq "$TT_RC" 1 "del as tap, exit status"
	tt_eq "$TT_ERR" "ioctl(TUNSETIFF): Invalid argument" "del as tap"
	tt_link_exists ttsh5 || tt_fail "del as tap removed the device"
	tt_ok ip tuntap del dev ttsh5 mode tun
	! tt_link_exists ttsh5 || tt_fail "ttsh5 survived ip tuntap del"
	[[ -z $(show_line ttsh5) ]] || tt_fail "ip tuntap show still lists ttsh5"
}

case_del_nonexistent() {
	tt_defer_link ttsh6
	# Attaching by name creates, unpersisting and closing destroys.
	tt_ok ip tuntap del dev ttsh6 mode tun
	! tt_link_exists ttsh6 || tt_fail "ttsh6 exists"
}

case_del_tap() {
	tt_defer_link ttsh7
	tt_ok ip tuntap add dev ttsh7 mode tap
	tt_ok ip tuntap del dev ttsh7 mode tap
	! tt_link_exists ttsh7 || tt_fail "ttsh7 survived ip tuntap del"
}

case_link_add_refused() {
	tt_defer_link ttsh8
	tt_cmd ip link add ttsh8 type tun
	tt_eq "$TT_RC" 2 "exit status"
	tt_eq "$TT_ERR" "Error: tun/tap creation via rtnetlink is not supported." stderr
	! tt_link_exists ttsh8 || tt_fail "ttsh8 created"
}

# detail DEV: the "tun type ..." part of ip -d link show DEV, up to persist
detail() {
	ip -d link show dev "$1" | grep -o 'tun type .* persist o[nf]*'
}

case_link_detail() {
	tt_defer_link ttsh9
	tt_defer_link ttsh10
	tt_defer_link ttsh11
	tt_ok ip tuntap add dev ttsh9 mode tun
	tt_ok ip tuntap add dev ttsh10 mode tap
	tt_ok ip tuntap add dev ttsh11 mode tun pi
	tt_eq "$(detail ttsh9)" "tun type tun pi off vnet_hdr off persist on" "ttsh9"
	tt_eq "$(detail ttsh10)" "tun type tap pi off vnet_hdr off persist on" "ttsh10"
	tt_eq "$(detail ttsh11)" "tun type tun pi on vnet_hdr off persist on" "ttsh11"
	ip -d link show dev ttsh9 | grep -q ' user ' && tt_fail "an owner is shown"
	return 0
}

case_link_del() {
	tt_defer_link ttsh12
	tt_ok ip tuntap add dev ttsh12 mode tap
	tt_ok ip link del dev ttsh12
	! tt_link_exists ttsh12 || tt_fail "ttsh12 survived ip link del"
}

# wait_operstate DEV STATE: within 30 s, or fail
wait_operstate() {
	local i
	for ((i = 0; i < 300; i++)); do
		[[ $(tt_sysfs "$1" operstate) == "$2" ]] && return 0
		sleep 0.1
	done
	tt_fail "$1: operstate $(tt_sysfs "$1" operstate), want $2"
}

case_link_config() {
	tt_defer_link ttsh13
	tt_ok ip tuntap add dev ttsh13 mode tun
	tt_ok ip link set dev ttsh13 mtu 1400 txqueuelen 42 up
	tt_ok ip addr add 198.18.6.1/24 dev ttsh13
	tt_eq "$(tt_sysfs ttsh13 mtu)" 1400 mtu
	tt_eq "$(tt_sysfs ttsh13 tx_queue_len)" 42 tx_queue_len
	tt_cmd ip -o -4 addr show dev ttsh13
	[[ $TT_OUT == *"inet 198.18.6.1/24 "* ]] || tt_fail "address: $TT_OUT"
	# Up but no fd attached: no carrier.  (operstate, and with it
	# IFF_RUNNING, follows through linkwatch, up to a second later.)
	tt_eq "$(tt_sysfs ttsh13 carrier)" 0 carrier
	wait_operstate ttsh13 down
	tt_cmd ip link show dev ttsh13
	[[ $TT_OUT == *"<NO-CARRIER,POINTOPOINT,MULTICAST,NOARP,UP>"*"state DOWN"* ]] ||
		tt_fail "link flags: $TT_OUT"
	# MTU limits: 68 .. 65535.
	tt_cmd ip link set dev ttsh13 mtu 67
	tt_eq "$TT_RC" 2 "mtu 67, exit status"
	tt_ok ip link set dev ttsh13 mtu 68
	tt_ok ip link set dev ttsh13 mtu 65535
	tt_cmd ip link set dev ttsh13 mtu 65536
	tt_eq "$TT_RC" 2 "mtu 65536, exit status"
	tt_eq "$(tt_sysfs ttsh13 mtu)" 65535 "mtu after the refusals"
}

case_tap_mtu_limits() {
	tt_defer_link ttsh14
	tt_ok ip tuntap add dev ttsh14 mode tap
	tt_ok ip link set dev ttsh14 mtu 68
	# 65535 less the Ethernet header.
	tt_ok ip link set dev ttsh14 mtu 65521
	tt_cmd ip link set dev ttsh14 mtu 65522
	tt_eq "$TT_RC" 2 "mtu 65522, exit status"
	tt_ok ip link set dev ttsh14 address 02:11:22:33:44:55
	tt_eq "$(tt_sysfs ttsh14 address)" 02:11:22:33:44:55 address
}

case_multi_queue() {
	tt_defer_link ttsh15
	tt_ok ip tuntap add dev ttsh15 mode tun multi_queue
	tt_eq "$(tt_sysfs ttsh15 tun_flags)" 0x1901 tun_flags
	tt_eq "$(show_line ttsh15)" "ttsh15: tun multi_queue persist" "ip tuntap show"
}

case_show_after_del() {
	tt_ok ip tuntap show
	grep -q '^ttsh' <<<"$TT_OUT" && tt_fail "left over: $TT_OUT"
	return 0
}

tt_run add_tun case_add_tun
tt_run add_tap case_add_tap
tt_run add_pi case_add_pi
tt_run add_one_queue case_add_one_queue
tt_run add_existing_ebusy case_add_existing
tt_run del case_del
tt_run del_nonexistent case_del_nonexistent
tt_run del_tap case_del_tap
tt_run link_add_type_tun_refused case_link_add_refused
tt_run link_detail case_link_detail
tt_run link_del case_link_del
tt_run link_config case_link_config
tt_run tap_mtu_limits case_tap_mtu_limits
tt_run multi_queue case_multi_queue
tt_run show_after_del case_show_after_del
tt_done
