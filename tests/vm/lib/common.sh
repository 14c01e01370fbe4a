# SPDX-License-Identifier: GPL-2.0
# Shared by tests/vm/run and its other helpers: messages, the tally of
# results, and small utilities.  Sourced, never run.

say() { printf '%s\n' "$*"; }
note() { printf '   %s\n' "$*"; }
warn() { printf 'tests/vm: %s\n' "$*" >&2; }

# The tally.  Every verdict of the whole run goes through record(), so the
# closing line counts exactly what was reported above it.
N_PASS=0 N_FAIL=0 N_SKIP=0
FAILURES=()

# record PASS|FAIL|SKIP ID [REASON [LOG]]
record() {
	local status=$1 id=$2 reason=${3:-} log=${4:-}
	case $status in
	PASS) N_PASS=$((N_PASS + 1)) ;;
	SKIP) N_SKIP=$((N_SKIP + 1)) ;;
	*)
		N_FAIL=$((N_FAIL + 1))
		FAILURES+=("FAIL $id${reason:+: $reason}${log:+ (log: $log)}")
		;;
	esac
}

# elapsed START: whole seconds since START (a $SECONDS value)
elapsed() { echo $((SECONDS - $1)); }

# Print the lines of FILE matching a case-insensitive "warning:" or "error:",
# at most 40 of them; return 0 when there was any.
build_complaints() {
	grep -iE 'warning:|error:' "$1" | head -n 40 | sed 's/^/     | /'
	return "${PIPESTATUS[0]}"
}
