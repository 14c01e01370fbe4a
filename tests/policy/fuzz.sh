#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# policy/fuzz: tests/fuzz's tpolfuzz against tun_policy's netlink faces
# and hooks, for a small budget by default, a larger one from the kernel
# command line (the same knobs as tun/fuzz):
#
#	tunvm.fuzz_seconds=N	time budget (default 25)
#	tunvm.fuzz_seed=N	the seed (default 1)
#	tunvm.fuzz_threads=N	threads (default 3)
#	tunvm.fuzz_trace=1	every operation to /dev/kmsg (the console)
#	tunvm.fuzz_avoid=W,..	leave out what finds a known bug (tests/fuzz/README)
#	tunvm.fuzz_with=W,..	put in what finds a known bug of stock's too
#
# set with TUN_VM_APPEND, or `make fuzz SECONDS=600 SEED=N`.  Cases:
#	fuzz/<seed>		the fuzzer ran its budget and exited cleanly
#				(no invariant broke, no crash)
#	fuzz/<seed>/cleanup	every device and network namespace it made
#				is gone, and tun.ko (its traffic devices)
#				is no longer pinned
# A kernel splat fails the run through the bench's console scan.

. "$(dirname "$0")/../lib/tt.sh"

FUZZ_PROG=tpolfuzz
fuzz_seconds=25 fuzz_seed=1 fuzz_threads=3 fuzz_trace= fuzz_avoid=() fuzz_with=()
read -ra words </proc/cmdline
for w in "${words[@]}"; do
	case $w in
	tunvm.fuzz_seconds=*) fuzz_seconds=${w#*=} ;;
	tunvm.fuzz_seed=*) fuzz_seed=${w#*=} ;;
	tunvm.fuzz_threads=*) fuzz_threads=${w#*=} ;;
	tunvm.fuzz_trace=1) fuzz_trace=--trace ;;
	tunvm.fuzz_avoid=*) fuzz_avoid=(--avoid "${w#*=}") ;;
	tunvm.fuzz_with=*) fuzz_with=(--with "${w#*=}") ;;
	esac
done

command -v "$FUZZ_PROG" >/dev/null || { echo "not ok fuzz/$fuzz_seed: $FUZZ_PROG is not in the guest"; exit 1; }
"$FUZZ_PROG" --seed "$fuzz_seed" --seconds "$fuzz_seconds" \
	--threads "$fuzz_threads" $fuzz_trace "${fuzz_avoid[@]}" "${fuzz_with[@]}" 2>&1 | tee "$TT_TMP/out"

# verdict CASE WHAT: the supervisor's "# WHAT: ok|fail: why" line
verdict() {
	local line
	line=$(grep -m 1 "^# $2: " "$TT_TMP/out")
	if [[ $line == "# $2: ok"* ]]; then
		tt_run "$1" true
	else
		local why=${line#"# $2: fail: "}
		[[ -n $line ]] || why="the fuzzer printed no '$2' verdict"
		printf '%s' "$(grep -m 1 '^# FAIL' "$TT_TMP/out" | cut -c3-) $why" >"$TT_TMP/why"
		tt_run "$1" fuzz_failed
	fi
}
fuzz_failed() { tt_fail "$(<"$TT_TMP/why")"; }

verdict "fuzz/$fuzz_seed" exit
verdict "fuzz/$fuzz_seed/cleanup" cleanup
tt_done
