#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Workload (a) through TUNSETRING's rings against plain read()/write() on
# the same driver: tests/tools/ring_fwd, in its own namespace. A
# benchmark, not a check of behaviour: it runs only when the kernel
# command line asks for it (TUN_VM_APPEND="tunvm.ring_bench=1", sizes and
# runs from tunvm.ring_bench_sizes= and tunvm.ring_bench_runs=), and
# skips, saying so, otherwise. Its BENCH lines go to the console log.

. "$(dirname "$0")/../lib/tt.sh"

arg() {
	sed -n "s/.*\btunvm\.$1=\([^ ]*\).*/\1/p" /proc/cmdline
}

c_ring_fwd() {
	[[ $(arg ring_bench) == 1 ]] ||
		tt_skip "a benchmark: boot with tunvm.ring_bench=1 to run it"
	local sizes runs out
	sizes=$(arg ring_bench_sizes)
	runs=$(arg ring_bench_runs)
	out=$(ring_fwd -s "${sizes:-64,512,1400}" -r "${runs:-3}" -t 3) ||
		tt_fail "ring_fwd failed"
	printf '%s\n' "$out" | sed 's/^/# /'
	grep -q '^BENCH name=a-rw/' <<<"$out" || tt_fail "no rw measurement"
	if [[ $TUN_IMPL == ours ]]; then
		grep -q '^BENCH name=a-ring/' <<<"$out" ||
			tt_fail "no ring measurement"
	fi
}

tt_run ring_fwd c_ring_fwd
tt_done
