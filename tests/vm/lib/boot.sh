# SPDX-License-Identifier: GPL-2.0
# Booting one VM and judging it.  Sourced by tests/vm/run.

VM_TIMEOUT=${TUN_VM_TIMEOUT:-1800}

# Slab debugging on Debian's kernels (both build SLUB_DEBUG and
# PAGE_POISONING in, off until asked): red zones, poison, sanity checks
# and owner tracking on every cache, freed pages poisoned, and on 6.12
# (CONFIG_KFENCE=y, sample interval 0 there) KFENCE sampling every
# millisecond.  A use-after-free or overflow in tun.ko then shows as a
# report on the console instead of passing unseen.  TUN_VM_SLAB_DEBUG=0
# turns it off (the debug series has KASAN instead and never takes it).
SLAB_DEBUG=${TUN_VM_SLAB_DEBUG:-1}

# slab_debug_append SERIES: the kernel command line words for SERIES.
slab_debug_append() {
	[[ $SLAB_DEBUG == 1 ]] || return 0
	case $1 in
	6.1) echo "slub_debug=FZPU page_poison=1" ;;
	6.12) echo "slub_debug=FZPU page_poison=1 kfence.sample_interval=1" ;;
	esac
}

# Console lines that fail a run whatever the tests said, one extended
# regex each.  With panic_on_warn=1 and oops=panic most of these also end
# the VM early (KFENCE's and KASAN's reports too); slub's and lockdep's
# reports are no WARN(): the VM goes on and the scan below catches them.
# Where a message comes from is noted for the formats that are not obvious.
KERNEL_TROUBLE_RES=(
	'Oops' 'WARNING:' 'BUG:' 'kernel BUG' 'Kernel panic'
	'general protection fault' 'refcount_t' 'UBSAN:'
	'unregister_netdevice: waiting'
	# mm/slub.c, slab_bug(): "BUG <cache> (Not tainted): <what>" (no
	# colon after BUG), then e.g. "Poison overwritten", "Object already
	# free", "Freepointer corrupt" as what.
	'BUG [^ ]+ \((Not tainted|Tainted: [^)]*)\): '
	'(Poison|Redzone|Padding) overwritten' 'Object already free'
	'Free(pointer|chain) corrupt'
	# kernel/hung_task.c ("INFO: task x:1 blocked for more than"), RCU
	# stalls (kernel/rcu/tree_stall.h), slub before 5.14.
	'INFO: '
	# mm/kfence/report.c ("BUG: KFENCE: use-after-free read in f+0x1/0x2")
	# and mm/kasan/report.c ("BUG: KASAN: slab-use-after-free in f"):
	# BUG: covers both; named for the reader.
	'BUG: KFENCE:' 'BUG: KASAN:'
	# kernel/locking/lockdep.c prints these after "WARNING: " (pr_warn,
	# not WARN(): panic_on_warn does not stop the VM for them).
	'possible circular locking dependency' 'possible recursive locking'
	'inconsistent lock state' 'suspicious RCU usage'
	'lock order detected' 'possible irq lock inversion'
	'Invalid wait context' 'bad unlock balance' 'held lock freed'
	# kernel/sched/core.c, lib/smp_processor_id.c ("BUG: using
	# smp_processor_id() in preemptible [00000000] code: x/1", also
	# "__this_cpu_read()" and friends)
	'sleeping function called from invalid context'
	'scheduling while atomic' 'in preemptible \[[0-9a-f]+\] code'
	# lib/debugobjects.c
	'ODEBUG: '
	# mm/kmemleak.c: the scan's summary in dmesg, and each object as
	# the guest prints /sys/kernel/debug/kmemleak after its scan.
	'suspected memory leaks' 'unreferenced object 0x'
)
KERNEL_TROUBLE=$(IFS='|'; echo "${KERNEL_TROUBLE_RES[*]}")

# The debug series (lib/debug.sh): KASAN and lockdep under TCG are several
# times slower than Debian's kernels, so a VM and each test get longer.
# Every report is wanted, not only the first: no panic_on_warn (a WARN
# still fails the run through the console scan), KASAN in multi-shot.
# Writing "scan" to kmemleak after the last rmmod is guest-run's
# (tunvm.kmemleak=1).  TUN_VM_DEBUG_PANIC=1 stops at the first WARN again.
DEBUG_VM_TIMEOUT=${TUN_VM_DEBUG_TIMEOUT:-5400}
DEBUG_TEST_TIMEOUT=900

# debug_append: the kernel command line words of the debug series.
debug_append() {
	local a="kasan_multi_shot tunvm.kmemleak=1 tunvm.tag=debug"
	a+=" tunvm.test_timeout=$DEBUG_TEST_TIMEOUT"
	if [[ ${TUN_VM_DEBUG_PANIC:-0} == 1 ]]; then
		a+=" panic_on_warn=1"
	else
		a+=" panic_on_warn=0"
	fi
	echo "$a"
}

# boot_vm SERIES ABI IMPL DIR: boot DIR/initramfs.cpio.gz, leaving
# DIR/console.log (ttyS0) and DIR/results (ttyS1).
boot_vm() {
	local series=$1 abi=$2 impl=$3 dir=$4 rc a timeout=$VM_TIMEOUT mem=1G
	local -a cmd
	# no_timer_check: under TCG on a loaded host the IO-APIC timer test
	# can miss its ticks and panic the boot ("IO-APIC + timer doesn't
	# work"); the timer works, the check is what fails.
	local append="console=ttyS0 panic=-1 oops=panic panic_on_warn=1"
	append+=" no_timer_check"
	append+=" tunvm.mode=$MODE tunvm.series=$(kernel_series "$abi" "$series")"
	append+=" tunvm.impl=$impl"
	if [[ $MODE == bench ]]; then
		append+=" $(bench_append)"
		timeout=$(bench_vm_timeout)
	fi
	[[ -n $FILTER ]] && append+=" tunvm.filter=$FILTER"
	if [[ $series == debug ]]; then
		# (a later panic_on_warn= overrides the first)
		append+=" $(debug_append)"
		timeout=$DEBUG_VM_TIMEOUT mem=2G
	elif [[ $MODE != bench ]]; then
		# (the bench measures both drivers as they run in production)
		a=$(slab_debug_append "$series")
		[[ -n $a ]] && append+=" $a"
	fi
	if ((REPEAT > 1)); then
		append+=" tunvm.repeat=$REPEAT"
		timeout=$((timeout * REPEAT))
	fi
	# tun_policy does not use tun: when our driver's VM runs too, the
	# policy tests run there only, not again beside the stock driver.
	[[ $impl == stock && " $IMPLS " == *" ours "* ]] && append+=" tunvm.groups=tun"
	[[ -n ${TUN_VM_APPEND:-} ]] && append+=" $TUN_VM_APPEND"

	rm -f "$dir/console.log"
	[[ $MODE == bench ]] || rm -f "$dir/results"
	cmd=(timeout "$timeout" qemu-system-x86_64
		-accel "tcg,thread=single" -nographic -no-reboot -nodefaults
		-m "$mem" -smp 2
		-kernel "$(kernel_vmlinuz "$abi")" -initrd "$dir/initramfs.cpio.gz"
		-append "$append"
		-serial stdio -serial "file:$dir/results")
	# stdin is never the terminal: qemu would put it in raw mode.  The
	# firmware's terminal escapes (it resets and clears the screen) go.
	"${cmd[@]}" </dev/null 2>&1 |
		LC_ALL=C sed -u -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b[c]//g' |
		if ((VERBOSE)); then tee "$dir/console.log"; else cat >"$dir/console.log"; fi
	rc=${PIPESTATUS[0]}
	return "$rc"
}

# console_trouble LOG: print the first console lines showing kernel trouble.
# The guest prefixes test output with "[name] ", so a test that prints such a
# word is not mistaken for the kernel, unless a kernel timestamp follows the
# prefix (a kernel message that landed in the middle of a test's line).
console_trouble() {
	# The regex goes through the environment: awk -v would eat its
	# backslashes.
	tr -d '\r' <"$1" | TROUBLE_RE=$KERNEL_TROUBLE awk '
		BEGIN { re = ENVIRON["TROUBLE_RE"] }
		{
			s = $0
			if (s ~ /^\[[A-Za-z][^]]*\] /) {
				i = match(s, /\[ *[0-9]+\.[0-9]+\]/)
				if (!i) next
				s = substr(s, i)
			}
			if (s ~ re && n++ < 3) print s
		}'
}

# judge_vm SERIES IMPL DIR QEMU_RC: count DIR/results and the console.
judge_vm() {
	local series=$1 impl=$2 dir=$3 qrc=$4 log=$3/console.log
	local status id reason line trouble t done=0 p=$N_PASS f=$N_FAIL s=$N_SKIP

	if [[ -f $dir/results ]]; then
		while IFS= read -r line; do
			line=${line%$'\r'}
			case $line in
			DONE) done=1 ;;
			"RESULT "*)
				read -r _ status id reason <<<"$line"
				case $status in
				PASS | SKIP) record "$status" "$id" "$reason" ;;
				*) record FAIL "$id" "$reason" "$log" ;;
				esac
				[[ $status == FAIL ]] && note "FAIL $id${reason:+: $reason}"
				;;
			esac
		done <"$dir/results"
	fi
	if ((!done)); then
		reason="the guest never finished"
		t=$VM_TIMEOUT
		[[ $series == debug ]] && t=$DEBUG_VM_TIMEOUT
		((qrc == 124)) && reason+=" (killed after ${t}s)"
		((qrc != 124 && qrc != 0)) && reason+=" (qemu exit $qrc)"
		record FAIL "$series/$impl/vm" "$reason" "$log"
		note "FAIL $series/$impl/vm: $reason"
	fi
	trouble=$(console_trouble "$log")
	if [[ -n $trouble ]]; then
		reason=$(head -n 1 <<<"$trouble")
		record FAIL "$series/$impl/kernel" "console shows: $reason" "$log"
		note "FAIL $series/$impl/kernel: console shows:"
		sed 's/^/     | /' <<<"$trouble"
	fi
	note "$series/$impl: $((N_PASS - p)) passed, $((N_FAIL - f)) failed, $((N_SKIP - s)) skipped"
}
