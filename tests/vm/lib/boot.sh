# SPDX-License-Identifier: GPL-2.0
# Booting one VM and judging it.  Sourced by tests/vm/run.

VM_TIMEOUT=${TUN_VM_TIMEOUT:-900}

# Console lines that fail a run whatever the tests said.  With
# panic_on_warn=1 and oops=panic most of these also end the VM early.
KERNEL_TROUBLE='Oops|WARNING:|BUG:|refcount_t|unregister_netdevice: waiting|Kernel panic|general protection fault|kernel BUG|UBSAN:'

# boot_vm SERIES ABI IMPL DIR: boot DIR/initramfs.cpio.gz, leaving
# DIR/console.log (ttyS0) and DIR/results (ttyS1).
boot_vm() {
	local series=$1 abi=$2 impl=$3 dir=$4 rc
	local -a cmd
	local append="console=ttyS0 panic=-1 oops=panic panic_on_warn=1"
	append+=" tunvm.mode=$MODE tunvm.series=$series tunvm.impl=$impl"
	[[ -n $FILTER ]] && append+=" tunvm.filter=$FILTER"
	# tun_policy does not use tun: when our driver's VM runs too, the
	# policy tests run there only, not again beside the stock driver.
	[[ $impl == stock && " $IMPLS " == *" ours "* ]] && append+=" tunvm.groups=tun"
	[[ -n ${TUN_VM_APPEND:-} ]] && append+=" $TUN_VM_APPEND"

	rm -f "$dir/results" "$dir/console.log"
	cmd=(timeout "$VM_TIMEOUT" qemu-system-x86_64
		-accel "tcg,thread=single" -nographic -no-reboot -nodefaults
		-m 1G -smp 2
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
	tr -d '\r' <"$1" | awk -v re="$KERNEL_TROUBLE" '
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
	local status id reason line trouble done=0 p=$N_PASS f=$N_FAIL s=$N_SKIP

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
		((qrc == 124)) && reason+=" (killed after ${VM_TIMEOUT}s)"
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
