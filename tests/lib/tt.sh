# SPDX-License-Identifier: GPL-2.0
# tt.sh: the shell side of tests/lib, for tests written in bash.
#
# Source it, define one function per case, then:
#
#	tt_run NAME FUNCTION	# one "ok/not ok/skip NAME" line per case
#	...
#	tt_done			# exit status: 0 unless a case failed
#
# A case runs in a subshell; tt_fail/tt_skip leave it at once with a reason.
# Devices registered with tt_defer_link are deleted after the case, pass or
# fail.

TT_TMP=$(mktemp -d /tmp/tt.XXXXXX) || exit 1
TT_PASS=0 TT_FAILED=0 TT_SKIPPED=0
export TT_TMP

# Stale devices of an earlier, interrupted run would break exact checks.
tt_base_links=$(ip -o link show | awk -F': ' '{ n = $2; sub(/@.*/, "", n); print n }')

tt_fail() {
	printf '%s' "$*" >"$TT_TMP/reason"
	exit 1
}

tt_skip() {
	printf '%s' "$*" >"$TT_TMP/reason"
	exit 77
}

tt_note() {
	printf '# %s\n' "$*"
}

tt_defer_link() {
	printf '%s\n' "$1" >>"$TT_TMP/links"
}

# tt_eq GOT WANT WHAT
tt_eq() {
	[[ $1 == "$2" ]] || tt_fail "$3: got '$1', want '$2'"
}

# tt_cmd CMD...: run CMD, leaving $TT_OUT (stdout), $TT_ERR (stderr) and
# $TT_RC (exit status).  Never fails by itself.
tt_cmd() {
	TT_OUT=$("$@" 2>"$TT_TMP/err")
	TT_RC=$?
	TT_ERR=$(<"$TT_TMP/err")
}

# tt_ok CMD...: CMD must exit 0.
tt_ok() {
	tt_cmd "$@"
	((TT_RC == 0)) || tt_fail "'$*' exited $TT_RC: $TT_ERR"
}

# tt_sysfs DEV ATTR: print /sys/class/net/DEV/ATTR
tt_sysfs() {
	cat "/sys/class/net/$1/$2" 2>/dev/null
}

tt_link_exists() {
	[[ -e /sys/class/net/$1 ]]
}

tt_run() {
	local name=$1 fn=$2 rc reason l
	: >"$TT_TMP/reason"
	: >"$TT_TMP/links"
	("$fn")
	rc=$?
	reason=$(<"$TT_TMP/reason")
	while read -r l; do
		[[ -n $l ]] && tt_link_exists "$l" && ip link del dev "$l" 2>/dev/null
	done <"$TT_TMP/links"
	case $rc in
	0)
		TT_PASS=$((TT_PASS + 1))
		echo "ok $name"
		;;
	77)
		TT_SKIPPED=$((TT_SKIPPED + 1))
		echo "skip $name: ${reason:-(no reason)}"
		;;
	*)
		TT_FAILED=$((TT_FAILED + 1))
		echo "not ok $name: ${reason:-exit status $rc}"
		;;
	esac
}

tt_done() {
	local l left=
	for l in $(ip -o link show | awk -F': ' '{ n = $2; sub(/@.*/, "", n); print n }'); do
		grep -qxF -- "$l" <<<"$tt_base_links" && continue
		left+="$l "
		ip link del dev "$l" 2>/dev/null
	done
	if [[ -n $left ]]; then
		TT_FAILED=$((TT_FAILED + 1))
		echo "not ok no_leftover_devices: devices left behind: $left"
	else
		TT_PASS=$((TT_PASS + 1))
		echo "ok no_leftover_devices"
	fi
	rm -rf "$TT_TMP"
	tt_note "$TT_PASS ok, $TT_FAILED not ok, $TT_SKIPPED skipped"
	((TT_FAILED == 0))
}
