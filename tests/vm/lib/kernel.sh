# SPDX-License-Identifier: GPL-2.0
# Debian's kernels: which ABI a series is today, its image in the cache
# outside the repo, and its headers in /usr/src.  Sourced by tests/vm/run.

VM_CACHE=${TUN_VM_CACHE:-${HOME:-/root}/.cache/tun-vm}

# The metapackage that follows a series; its dependency names the ABI, which
# changes with every Debian kernel update, so it is never written down here.
kernel_metapackage() {
	case $1 in
	6.1) echo linux-image-amd64 ;;
	6.12) echo linux-image-6.12-amd64 ;;
	*) return 1 ;;
	esac
}

# kernel_abi SERIES: print the ABI, e.g. 6.1.0-56-amd64.  Series "debug"
# is the kernel lib/debug.sh built (debug_kernel_ensure first).
kernel_abi() {
	local meta abi
	if [[ $1 == debug ]]; then
		abi=$(debug_release)
		[[ -n $abi ]] || warn "the debug kernel is not built"
		[[ -n $abi ]] && echo "$abi"
		return
	fi
	meta=$(kernel_metapackage "$1") || {
		warn "unknown kernel series '$1' (known: 6.1 6.12 debug)"
		return 1
	}
	abi=$(apt-cache depends "$meta" 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\([0-9][^ ]*\)$/\1/p' | head -n 1)
	if [[ -z $abi ]]; then
		warn "apt-cache depends $meta names no linux-image (run apt-get update?)"
		return 1
	fi
	echo "$abi"
}

# kernel_is_debug ABI: true for the debug lane's own build.
kernel_is_debug() { [[ $1 == *"$DEBUG_LOCALVERSION" ]]; }

# Where an ABI's image is unpacked; the debug build's root/ has the same
# layout (lib/debug.sh).
kernel_dir() {
	if kernel_is_debug "$1"; then
		echo "$(debug_dir)/root"
	else
		echo "$VM_CACHE/$1"
	fi
}
kernel_vmlinuz() { echo "$(kernel_dir "$1")/boot/vmlinuz-$1"; }
kernel_moddir() { echo "$(kernel_dir "$1")/lib/modules/$1"; }
# The kernel's .config: in Debian's image, and in the debug lane's build
# tree. The guest has it as /boot/config-<release> (tt_kconfig()).
kernel_config() {
	if kernel_is_debug "$1"; then
		echo "$(debug_dir)/build/.config"
	else
		echo "$(kernel_dir "$1")/boot/config-$1"
	fi
}

# kernel_series ABI SERIES: the series the guest is told it runs (the tests
# choose between 6.1's and 6.12's behaviour by it): the debug kernel is
# Debian's 6.1 source.
kernel_series() {
	if [[ $2 == debug ]]; then echo 6.1; else echo "$2"; fi
}

# kernel_fetch ABI: unpack linux-image-ABI into the cache unless it is there.
# The package ships no modules.dep (its postinst makes one), so depmod runs
# here once: the initramfs builder reads it to close module dependencies.
kernel_fetch() {
	local abi=$1 dir tmp deb sandbox=()
	dir=$(kernel_dir "$abi")
	[[ -f $dir/.complete ]] && return 0

	mkdir -p "$VM_CACHE" || return 1
	tmp=$(mktemp -d "$VM_CACHE/.fetch-$abi.XXXXXX") || return 1
	# apt's download sandbox user cannot write into root's private
	# temporary directory; as root, download as root.
	((EUID == 0)) && sandbox=(-o APT::Sandbox::User=root)
	if ! (cd "$tmp" && apt-get -q "${sandbox[@]}" download "linux-image-$abi") >"$tmp/log" 2>&1; then
		sed 's/^/     | /' "$tmp/log"
		rm -rf "$tmp"
		return 1
	fi
	deb=$(echo "$tmp"/linux-image-*.deb)
	if ! dpkg-deb -x "$deb" "$tmp/root" ||
		! depmod -b "$tmp/root" "$abi"; then
		rm -rf "$tmp"
		return 1
	fi
	rm -rf "$dir"
	mv "$tmp/root" "$dir" && touch "$dir/.complete"
	rm -rf "$tmp"
	[[ -f $(kernel_vmlinuz "$abi") ]]
}

# The tree modules are built against: Debian's headers package, or the
# debug kernel's own build directory.
kernel_headers() {
	if kernel_is_debug "$1"; then
		echo "$(debug_dir)/build"
	else
		echo "/usr/src/linux-headers-$1"
	fi
}

# kernel_headers_ensure ABI: install linux-headers-ABI when missing.
kernel_headers_ensure() {
	local abi=$1
	[[ -f $(kernel_headers "$abi")/Makefile ]] && return 0
	note "installing linux-headers-$abi"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "linux-headers-$abi" >"$BUILD/apt-headers-$abi.log" 2>&1 || {
		sed 's/^/     | /' "$BUILD/apt-headers-$abi.log" | tail -n 20
		return 1
	}
	[[ -f $(kernel_headers "$abi")/Makefile ]]
}
