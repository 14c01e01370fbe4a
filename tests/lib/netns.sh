# SPDX-License-Identifier: GPL-2.0
# netns.sh: network namespaces and background programs for the bash tests
# that drive real programs (tests/tun/clients_*.sh).  Source it after tt.sh.
# Inside a case:
#
#	ns_need PROGRAM...		# skip the case unless the guest has them
#	ns_add NETNS...			# fresh namespaces: lo up, IPv6 off
#	ns_veth NS1 DEV1 NS2 DEV2 NET	# veth pair, NET.1/24 and NET.2/24,
#					# MAC addresses $(ns_mac NET 1) and 2
#	ns_mac NET N			# the MAC address of NET.N's veth end
#	ns_bg NETNS NAME CMD...		# CMD in NETNS in the background, its
#					# output in $TT_TMP/NAME.log, pid in
#					# $NS_PID
#	ns_wait_log PID NAME TEXT SECS	# until NAME.log has TEXT
#	ns_wait_for SECS WHAT CMD...	# until CMD succeeds
#	ns_stop PID			# SIGTERM, SIGKILL after 5 s; its status
#	ns_gone PID			# PID has exited
#	ns_ping NETNS COUNT DST [ARG...] # COUNT requests, all answered, or fail
#	ns_counters NETNS DEV		# "tx P/B rx P/B dropped T/R"
#	ns_sysfs NETNS DEV ATTR		# /sys/class/net/DEV/ATTR there
#	ns_link_exists NETNS DEV
#
# ns_add arms an EXIT trap in the case's subshell: whatever ns_bg started is
# stopped, the files named in NS_FILES are removed and the namespaces are
# deleted (and every device in them with them), pass or fail; when the case
# failed, the tail of each program's log (and of each file added to NS_LOGS)
# is printed as "# " comments first.

NS_NAMES=() NS_PIDS=() NS_LOGS=() NS_FILES=()

ns_need() {
	local p
	for p; do
		command -v "$p" >/dev/null ||
			tt_skip "no $p in the guest (tests/vm/lib/initramfs.sh copies it when the host has it installed)"
	done
}

ns_alive() {
	local st
	read -r st 2>/dev/null <"/proc/$1/stat" || return 1
	st=${st##*) }
	[[ ${st%% *} != Z ]]
}

ns_gone() {
	! ns_alive "$1"
}

# ns_stop PID: returns PID's exit status (143 for SIGTERM, 137 for SIGKILL).
ns_stop() {
	local pid=$1 i rc p left=()
	if ns_alive "$pid"; then
		kill -TERM "$pid" 2>/dev/null
		for ((i = 0; i < 50; i++)); do
			ns_alive "$pid" || break
			sleep 0.1
		done
		ns_alive "$pid" && kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	rc=$?
	for p in "${NS_PIDS[@]}"; do
		[[ $p == "$pid" ]] || left+=("$p")
	done
	NS_PIDS=("${left[@]}")
	return "$rc"
}

ns_cleanup() {
	local i ns log
	for ((i = ${#NS_PIDS[@]} - 1; i >= 0; i--)); do
		ns_stop "${NS_PIDS[i]}"
	done
	if [[ -s $TT_TMP/reason ]]; then
		for log in "${NS_LOGS[@]}"; do
			[[ -s $log ]] || continue
			tail -n 30 "$log" | sed "s|^|# ${log##*/}: |"
		done
	fi
	rm -f "${NS_FILES[@]}"
	for ns in "${NS_NAMES[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	NS_NAMES=() NS_LOGS=() NS_FILES=()
}

ns_add() {
	local ns
	trap ns_cleanup EXIT
	for ns; do
		ip netns add "$ns" || tt_fail "ip netns add $ns failed"
		NS_NAMES+=("$ns")
		# Every device made in here from now on starts without IPv6:
		# the counters the cases check see only their own traffic.
		ip netns exec "$ns" bash -c 'echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6 &&
			echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6' ||
			tt_fail "cannot turn IPv6 off in $ns"
		ip -n "$ns" link set lo up || tt_fail "cannot bring lo up in $ns"
	done
}

# 02 (locally administered), the three octets of NET, 00, N
ns_mac() {
	local a b c
	IFS=. read -r a b c <<<"$1"
	printf '02:%02x:%02x:%02x:00:%02x\n' "$a" "$b" "$c" "$2"
}

# One ip per namespace (-batch): under TCG every program started counts.
ns_veth() {
	tt_ok ip -n "$1" -b - <<-EOF
		link add $2 address $(ns_mac "$5" 1) type veth peer name $4 address $(ns_mac "$5" 2) netns $3
		addr add $5.1/24 dev $2
		link set $2 up
	EOF
	tt_ok ip -n "$3" -b - <<-EOF
		addr add $5.2/24 dev $4
		link set $4 up
	EOF
}

ns_bg() {
	local ns=$1 log=$TT_TMP/$2.log
	shift 2
	NS_LOGS+=("$log")
	# ip netns exec execs CMD: $! is CMD itself.
	ip netns exec "$ns" "$@" </dev/null >"$log" 2>&1 &
	NS_PID=$!
	NS_PIDS+=("$NS_PID")
}

ns_wait_log() {
	local pid=$1 log=$TT_TMP/$2.log text=$3 secs=$4 i
	for ((i = 0; i < secs * 10; i++)); do
		grep -qF -- "$text" "$log" 2>/dev/null && return 0
		ns_alive "$pid" || tt_fail "$2 exited before saying '$text': $(tail -n 1 "$log")"
		sleep 0.1
	done
	tt_fail "$2 did not say '$text' within $secs s"
}

ns_wait_for() {
	local secs=$1 what=$2 i
	shift 2
	for ((i = 0; i < secs * 10; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	tt_fail "$what: not within $secs s"
}

# One echo request at a time, each given 30 s for its reply: exactly COUNT
# requests go out (callers count them on the devices) and a reply slowed by
# load is still waited for.  One ping -c COUNT does neither: with -w it sends
# more than COUNT while replies are slower than its interval, and without it
# it waits for the last reply only twice the slowest round trip so far.
ns_ping() {
	local ns=$1 n=$2 dst=$3 out
	shift 3
	out=$(ip netns exec "$ns" bash -c '
		n=$1 dst=$2
		shift 2
		for ((i = 1; i <= n; i++)); do
			out=$(ping -n -q -c 1 -W 30 "$@" "$dst" 2>&1)
			[[ $out == *"1 packets transmitted, 1 received,"* ]] || {
				echo "ping $i of $n: $(grep -m 1 -e transmitted -e ping: <<<"$out")"
				exit 1
			}
		done' _ "$n" "$dst" "$@" 2>&1) ||
		tt_fail "$n pings $* $dst in $ns: $out"
}

ns_counters() {
	ip netns exec "$1" bash -c 'cd "/sys/class/net/$1/statistics" &&
		echo "tx $(<tx_packets)/$(<tx_bytes) rx $(<rx_packets)/$(<rx_bytes) dropped $(<tx_dropped)/$(<rx_dropped)"' _ "$2"
}

ns_sysfs() {
	ip netns exec "$1" cat "/sys/class/net/$2/$3" 2>/dev/null
}

ns_link_exists() {
	ip -n "$1" link show dev "$2" >/dev/null 2>&1
}
