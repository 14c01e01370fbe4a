# SPDX-License-Identifier: GPL-2.0
# Building what goes into the VM: our modules, once per kernel ABI, and the
# user-space test programs, once per run.  Sourced by tests/vm/run.

# The module sources, relative to the repo root: whatever of these exists.
# The Makefile too, for its modules_install (build_install_stage).
MODULE_SOURCES=(Makefile Kbuild '*.c' '*.h' include tun policy)

# build_modules ABI: build tun.ko and tun_policy.ko against that ABI's headers
# in $BUILD/ABI/src.  W=1, and any warning fails the build: a warning that
# only one of the two kernels shows is how compat mistakes first surface.
# $TUN_VM_KBUILD adds make variables, e.g. TPOL_DEBUG=1 (see Kbuild).
build_modules() {
	local abi=$1 src=$BUILD/$1/src log=$BUILD/$1/build.log pat f ko
	mkdir -p "$src" || return 1
	if [[ ! -f $REPO/Kbuild ]]; then
		note "no Kbuild at the top of the repo"
		return 1
	fi

	# Replace the sources but keep the objects: cp -p keeps the mtimes,
	# so kbuild rebuilds only what changed.
	(
		cd "$src" || exit 1
		rm -rf Makefile Kbuild include tun policy ./*.c ./*.h
		cd "$REPO" || exit 1
		shopt -s nullglob
		for pat in "${MODULE_SOURCES[@]}"; do
			for f in $pat; do
				[[ -e $f ]] || continue
				cp -pR "$f" "$src/" || exit 1
			done
		done
	) || return 1

	if ! make -C "$(kernel_headers "$abi")" M="$src" W=1 ${TUN_VM_KBUILD:-} -j"$(nproc)" modules >"$log" 2>&1; then
		note "make failed ($log):"
		build_complaints "$log" || tail -n 20 "$log" | sed 's/^/     | /'
		return 1
	fi
	if grep -qi 'warning:' "$log"; then
		note "the build warned ($log):"
		build_complaints "$log"
		return 1
	fi
	for ko in tun tun_policy; do
		if [[ ! -f $src/$ko.ko ]]; then
			note "the build made no $ko.ko ($log)"
			return 1
		fi
	done
	check_symbol_versions "$abi" "$src/Module.symvers"
}

# build_install_stage ABI: `make modules_install` of the top Makefile, staged
# (INSTALL_MOD_PATH) in $BUILD/ABI/stage, with the release it derives from the
# headers.  tests/tun/install.sh installs that stage into the guest's own
# module tree, as `make install` would on a host running that kernel.
build_install_stage() {
	local abi=$1 stage=$BUILD/$1/stage log=$BUILD/$1/install.log ko
	rm -rf "$stage"
	if ! make -C "$BUILD/$abi/src" KDIR="$(kernel_headers "$abi")" \
		INSTALL_MOD_PATH="$stage" DEPMOD=depmod ${TUN_VM_KBUILD:-} \
		modules_install >"$log" 2>&1; then
		note "make modules_install failed ($log):"
		tail -n 20 "$log" | sed 's/^/     | /'
		return 1
	fi
	for ko in tun tun_policy; do
		if [[ ! -f $stage/lib/modules/$abi/updates/$ko.ko ]]; then
			note "make modules_install put no updates/$ko.ko under $stage/lib/modules/$abi ($log)"
			return 1
		fi
	done
}

# check_symbol_versions ABI SYMVERS: the CRCs of what our tun.ko exports
# must be those Debian's modules were built against (vhost_net.ko records
# them), or those modules refuse to load against ours.
check_symbol_versions() {
	local abi=$1 symvers=$2 ko tmp sym crc want bad=0
	ko=$(find "$(kernel_dir "$abi")/lib/modules/$abi/kernel/drivers/vhost" \
		-name 'vhost_net.ko*' 2>/dev/null | head -n 1)
	if [[ -z $ko ]]; then
		note "no vhost_net.ko in the image: symbol versions unchecked"
		return 0
	fi
	tmp=$BUILD/$abi/vhost_net.ko
	case $ko in
	*.xz) xz -dc "$ko" >"$tmp" ;;
	*.zst) zstd -qdc "$ko" >"$tmp" ;;
	*) cp "$ko" "$tmp" ;;
	esac || return 1
	while read -r want sym; do
		[[ $sym == tun_* ]] || continue
		crc=$(awk -v s="$sym" '$2 == s { print $1 }' "$symvers")
		if [[ $crc != "$want" ]]; then
			note "symbol version of $sym: ours ${crc:-missing}, vhost_net.ko wants $want"
			bad=1
		fi
	done < <(modprobe --dump-modversions "$tmp")
	return $bad
}

# build_test_kmod ABI: tests/kmod (tun_probe.ko, which only tests/tun/peek
# loads) in $BUILD/ABI/kmod, W=1 and warning-free like ours.  It calls
# tun_get_socket(): modpost takes the symbol's CRC from our Module.symvers
# (KBUILD_EXTRA_SYMBOLS), and that CRC must be the one Debian's tun.ko
# exports (vhost_net.ko records it), or the module would load against our
# tun.ko and not against the stock one.
build_test_kmod() {
	local abi=$1 dir=$BUILD/$1/kmod log=$BUILD/$1/kmod.log
	local sym want got bad=0
	rm -rf "$dir"
	mkdir -p "$dir" || return 1
	cp -p "$REPO"/tests/kmod/Kbuild "$REPO"/tests/kmod/*.[ch] "$dir/" || return 1
	if ! make -C "$(kernel_headers "$abi")" M="$dir" W=1 \
		KBUILD_EXTRA_SYMBOLS="$BUILD/$abi/src/Module.symvers" \
		-j"$(nproc)" modules >"$log" 2>&1; then
		note "make failed ($log):"
		build_complaints "$log" || tail -n 20 "$log" | sed 's/^/     | /'
		return 1
	fi
	if grep -qi 'warning:' "$log"; then
		note "the build warned ($log):"
		build_complaints "$log"
		return 1
	fi
	if [[ ! -f $BUILD/$abi/vhost_net.ko ]]; then
		note "no vhost_net.ko to check tun_probe.ko's symbol versions against"
		return 1
	fi
	for sym in tun_get_socket; do
		want=$(modprobe --dump-modversions "$BUILD/$abi/vhost_net.ko" |
			awk -v s="$sym" '$2 == s { print $1 }')
		got=$(modprobe --dump-modversions "$dir/tun_probe.ko" |
			awk -v s="$sym" '$2 == s { print $1 }')
		if [[ -z $want || $got != "$want" ]]; then
			note "symbol version of $sym: tun_probe.ko ${got:-missing}, vhost_net.ko ${want:-missing}"
			bad=1
		fi
	done
	return $bad
}

# build_tests: the static test programs under tests/build/.  tests/Makefile
# is the real recipe; without it (while the suite is being written) only the
# self-contained tools in tests/tools/*.c are compiled, each on its own.
build_tests() {
	local log=$BUILD/tests.log c grp out
	if [[ -f $REPO/tests/Makefile ]]; then
		if ! make -C "$REPO/tests" -j"$(nproc)" >"$log" 2>&1; then
			note "make -C tests failed ($log):"
			build_complaints "$log" || tail -n 20 "$log" | sed 's/^/     | /'
			return 1
		fi
		return 0
	fi
	: >"$log"
	for c in "$REPO"/tests/tools/*.c; do
		[[ -f $c ]] || continue
		grp=$(basename "$(dirname "$c")")
		out=$REPO/tests/build/$grp/$(basename "$c" .c)
		mkdir -p "$(dirname "$out")"
		if ! gcc -static -O2 -Wall -Wextra -Werror -o "$out" "$c" >>"$log" 2>&1; then
			note "compiling $c failed ($log):"
			build_complaints "$log"
			return 1
		fi
	done
}
