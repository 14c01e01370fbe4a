# SPDX-License-Identifier: GPL-2.0
# The guest's whole filesystem, one gzipped cpio per (ABI, tun implementation).
# Sourced by tests/vm/run.

# busybox supplies the small tools.  Not the network and module tools, whose
# busybox versions differ from the real ones the tests mean (ip, ping,
# modprobe, ...), and not sh: shell scripts get bash.
BUSYBOX_APPLETS=(
	'[' awk basename cat chmod chown chroot cmp cp cut date dd df diff dirname
	dmesg du echo egrep env expr false fgrep find free grep head hexdump
	hostname id kill killall ln ls md5sum mkdir mkfifo mknod mktemp mount mv nc
	nproc nsenter od pidof printf ps readlink realpath reboot rm rmdir sed seq
	setsid sha256sum sleep sort stat stty sync sysctl tac tail taskset tee test
	time timeout touch tr true truncate umount uname uniq unshare usleep wc
	xargs xxd yes
)

# Host programs copied with their libraries: path in the guest <- host path.
host_programs() {
	cat <<-EOF
		/bin/bash /bin/bash
		/sbin/ip $(command -v ip)
		/bin/ping $(command -v ping)
		/sbin/ethtool $(command -v ethtool)
		/usr/bin/kmod $(command -v kmod)
	EOF
}

# Debian programs the client tests (tests/tun/clients_*.sh) run, at their
# Debian paths, with their libraries.  None reads a data file the tests need.
# Optional: one the host lacks is left out with a note, and the cases that
# need it skip and say so.  .ci/run installs them all.
CLIENT_PROGRAMS=(/usr/sbin/openvpn /usr/bin/iperf3 /usr/bin/wireguard-go /usr/bin/wg)

# Extra stock modules in every guest, one name a line, '#' comments.
VM_MODULE_LIST=$VM_DIR/modules

# stage_copy_elf STAGE GUEST_PATH HOST_PATH: a program and the libraries ldd
# names, each at the path ldd gives (so no ld.so.cache is needed).
stage_copy_elf() {
	local stage=$1 dst=$2 src=$3 lib
	install -D -m 755 "$src" "$stage$dst" || return 1
	for lib in $(ldd "$src" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
		[[ -e $stage$lib ]] && continue
		install -D -m 755 "$(readlink -f "$lib")" "$stage$lib" || return 1
	done
}

# stage_module STAGE ABI REL: copy one stock module (decompressed) from the
# cached image to the same relative path, minus the compression suffix.
stage_module() {
	local stage=$1 abi=$2 rel=$3 from out
	from=$(kernel_moddir "$abi")/$rel
	out=$stage/lib/modules/$abi/${rel%.xz}
	out=${out%.zst}
	mkdir -p "$(dirname "$out")"
	case $rel in
	*.xz) xz -dc "$from" >"$out" ;;
	*.zst) zstd -qdc "$from" >"$out" ;;
	*) cp "$from" "$out" ;;
	esac
}

# stock_module_closure ABI NAME...: the image's paths (relative to its
# module dir) of the named modules and everything they depend on.  A name
# built into the kernel (modules.builtin: crc32c_generic in the debug
# kernel, where ext4 forces it in) needs nothing.
stock_module_closure() {
	local abi=$1 builtin
	shift
	builtin=$(kernel_moddir "$abi")/modules.builtin
	[[ -f $builtin ]] || builtin=/dev/null
	awk -v want="$*" -v builtin="$builtin" '
		function key(path,   b) {
			b = path; sub(/.*\//, "", b); sub(/\.ko(\.xz|\.zst|\.gz)?$/, "", b)
			gsub(/-/, "_", b); return b
		}
		BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) { k = w[i]; gsub(/-/, "_", k); need[k] = 1 } }
		BEGIN { while ((getline l < builtin) > 0) inside[key(l)] = 1 }
		{ p = $1; sub(/:$/, "", p); path[key(p)] = p; deps[key(p)] = "" ; for (i = 2; i <= NF; i++) deps[key(p)] = deps[key(p)] " " key($i) }
		END {
			do {
				more = 0
				for (k in need) if (!(k in done)) {
					done[k] = 1; more = 1
					if (!(k in path)) { if (!(k in inside)) print "MISSING " k; continue }
					print path[k]
					m = split(deps[k], d, " ")
					for (i = 1; i <= m; i++) need[d[i]] = 1
				}
			} while (more)
		}' "$(kernel_moddir "$abi")/modules.dep"
}

# build_initramfs ABI IMPL OUT: write OUT (gzipped newc cpio) for one VM.
# IMPL "ours" puts our tun.ko where Debian's lives, "stock" Debian's own.
build_initramfs() {
	local abi=$1 impl=$2 out=$3 dir stage mods a dst src rel f
	local -a want names
	dir=$(dirname "$out")
	stage=$dir/root
	rm -rf "$stage"
	mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,etc,proc,sys,dev,run,tmp,root,var,tests/vm} || return 1

	install -m 755 "$(command -v busybox)" "$stage/bin/busybox" || return 1
	for a in "${BUSYBOX_APPLETS[@]}"; do
		ln -s busybox "$stage/bin/$a"
	done
	while read -r dst src; do
		[[ -n $src ]] || { note "host program for $dst not found"; return 1; }
		stage_copy_elf "$stage" "$dst" "$src" || return 1
	done < <(host_programs)
	for src in "${CLIENT_PROGRAMS[@]}"; do
		if [[ -x $src ]]; then
			stage_copy_elf "$stage" "$src" "$src" || return 1
		else
			note "$src is not installed here: the tests that run it will skip"
		fi
	done
	install -D -m 644 "$(kernel_config "$abi")" "$stage/boot/config-$abi" || {
		note "no kernel config at $(kernel_config "$abi")"
		return 1
	}
	ln -s bash "$stage/bin/sh"
	ln -s ../../sbin/ip "$stage/usr/sbin/ip"
	ln -s ../sbin/ip "$stage/bin/ip"
	ln -s ../../bin/ping "$stage/usr/bin/ping"
	ln -s ../../sbin/ethtool "$stage/usr/sbin/ethtool"
	for a in modprobe insmod rmmod lsmod depmod modinfo; do
		ln -s ../usr/bin/kmod "$stage/sbin/$a"
	done

	# What ip, ping and friends read from /etc.
	printf 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$stage/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$stage/etc/group"
	printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$stage/etc/hosts"
	# dummy would make a dummy0 of its own when loaded, which the test
	# that asked for a dummy device never knows to delete.
	mkdir -p "$stage/etc/modprobe.d"
	echo 'options dummy numdummies=0' >"$stage/etc/modprobe.d/tunvm.conf"
	for f in /etc/protocols /etc/services /etc/iproute2 /usr/share/iproute2 /usr/lib/iproute2; do
		[[ -e $f ]] || continue
		mkdir -p "$stage$(dirname "$f")"
		cp -R "$f" "$stage$f"
	done

	# The bench and the tests.
	install -m 755 "$VM_DIR/init" "$stage/init"
	install -m 755 "$VM_DIR/guest-run" "$VM_DIR/demo" "$stage/tests/vm/" || return 1
	for a in tun policy tools; do
		mkdir -p "$stage/tests/$a"
		for f in "$REPO/tests/build/$a"/*; do
			[[ -f $f && -x $f ]] && install -m 755 "$f" "$stage/tests/$a/"
		done
		for f in "$REPO/tests/$a"/*.sh; do
			[[ -f $f ]] && install -m 755 "$f" "$stage/tests/$a/"
		done
	done
	[[ -d $REPO/tests/lib ]] && cp -R "$REPO/tests/lib" "$stage/tests/lib"

	# Modules: tun.ko (ours or Debian's) at Debian's path, tun_policy.ko and
	# tun_probe.ko in extra/, the stock modules either of ours needs, and the
	# extra list.
	mods=$stage/lib/modules/$abi
	mkdir -p "$mods/kernel/drivers/net" "$mods/extra"
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		[[ -f $(kernel_moddir "$abi")/$f ]] && cp "$(kernel_moddir "$abi")/$f" "$mods/"
	done
	if [[ $impl == ours ]]; then
		cp "$BUILD/$abi/src/tun.ko" "$mods/kernel/drivers/net/tun.ko" || return 1
		want=($(modinfo -F depends "$BUILD/$abi/src/tun.ko" | tr , ' '))
	else
		want=(tun)
	fi
	cp "$BUILD/$abi/src/tun_policy.ko" "$mods/extra/tun_policy.ko" || return 1
	# The test module, for `modprobe tun_probe` in its test only.
	cp "$BUILD/$abi/kmod/tun_probe.ko" "$mods/extra/tun_probe.ko" || return 1
	want+=($(modinfo -F depends "$BUILD/$abi/src/tun_policy.ko" | tr , ' '))
	[[ -f $VM_MODULE_LIST ]] && want+=($(sed 's/#.*//' "$VM_MODULE_LIST"))
	names=()
	for a in "${want[@]}"; do
		[[ $a == tun_policy || ($impl == ours && $a == tun) ]] || names+=("$a")
	done
	if ((${#names[@]})); then
		while read -r rel; do
			if [[ $rel == MISSING* ]]; then
				note "module ${rel#MISSING } is not in linux-image-$abi"
				return 1
			fi
			[[ $impl == ours && $rel == kernel/drivers/net/tun.ko* ]] && continue
			stage_module "$stage" "$abi" "$rel" || return 1
		done < <(stock_module_closure "$abi" "${names[@]}")
	fi
	depmod -b "$stage" "$abi" || return 1
	# The benchmark's VM holds Debian's tun.ko too (lib/bench.sh).
	if [[ $MODE == bench ]]; then
		bench_stage "$stage" "$abi" || return 1
	fi

	# tests/tun/install.sh: the staged `make modules_install` and Debian's
	# tun.ko, which that test puts back at its own path in a copy of this
	# module tree to have a stock system to install on.
	if [[ $impl == ours ]]; then
		build_install_stage "$abi" || return 1
		mkdir -p "$stage/tests/install/stock"
		cp -R "$BUILD/$abi/stage" "$stage/tests/install/stage" || return 1
		rel=$(cd "$(kernel_moddir "$abi")" && find kernel/drivers/net -name 'tun.ko*' | head -n 1)
		[[ -n $rel ]] || { note "no tun.ko in linux-image-$abi"; return 1; }
		stage_module "$stage/tests/install/stock" "$abi" "$rel" || return 1
	fi

	# /dev/console must exist before /init runs for the kernel to give it
	# a console; without root the guest reopens it after devtmpfs is up.
	((EUID == 0)) && mknod -m 600 "$stage/dev/console" c 5 1

	(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 >"$out"
	local st=("${PIPESTATUS[@]}")
	((st[0] == 0 && st[1] == 0))
}
