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

# kernel_abi SERIES: print the ABI, e.g. 6.1.0-56-amd64.
kernel_abi() {
	local meta abi
	meta=$(kernel_metapackage "$1") || {
		warn "unknown kernel series '$1' (known: 6.1 6.12)"
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

kernel_dir() { echo "$VM_CACHE/$1"; }
kernel_vmlinuz() { echo "$VM_CACHE/$1/boot/vmlinuz-$1"; }
kernel_moddir() { echo "$VM_CACHE/$1/lib/modules/$1"; }

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

kernel_headers() { echo "/usr/src/linux-headers-$1"; }

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
