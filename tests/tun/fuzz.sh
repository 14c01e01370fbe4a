#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tun/fuzz: tests/fuzz's tunfuzz against /dev/net/tun, for a small budget
# by default (a smoke test, on the stock driver too), a larger one from
# the kernel command line:
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
#				is gone, and tun.ko is no longer pinned
# A kernel splat fails the run through the bench's console scan.

. "$(dirname "$0")/../lib/tt.sh"

FUZZ_PROG=tunfuzz
. "$(dirname "$0")/../lib/fuzz.sh"
