# SPDX-License-Identifier: GPL-2.0
#
# tests/lib/fuzz.sh: the body of tun/fuzz and policy/fuzz, sourced after
# tt.sh with FUZZ_PROG set to the fuzzer to run (tunfuzz or tpolfuzz): the
# tunvm.fuzz_* knobs of the kernel command line, the run, and the two cases
# judged from the supervisor's verdict lines. The knobs and cases are
# described at the top of tests/tun/fuzz.sh.

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
