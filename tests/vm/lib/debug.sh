# SPDX-License-Identifier: GPL-2.0
# The debug lane's kernel (series "debug", make check-debug): Debian's
# linux-source-6.1 built once per machine with tests/vm/debug/config (KASAN,
# lockdep, kmemleak, ...) into the cache, laid out like an unpacked Debian
# image (root/boot/vmlinuz-<release>, root/lib/modules/<release>/) so that
# kernel.sh, build.sh and initramfs.sh treat it as one more ABI, with its
# build tree (build/) standing in for the headers.  Sourced by tests/vm/run
# (and by tests/vm/debug/build, which runs the build on its own).

DEBUG_SOURCE_PKG=linux-source-6.1
DEBUG_FRAGMENT=$VM_DIR/debug/config
# Every release this lane builds ends so (CONFIG_LOCALVERSION in the
# fragment): kernel.sh tells a debug ABI from a Debian one by it.
DEBUG_LOCALVERSION=-tunvm-debug

# debug_source_version: the installed linux-source-6.1's Debian version.
debug_source_version() {
	dpkg-query -W -f '${Version}' "$DEBUG_SOURCE_PKG" 2>/dev/null
}

# debug_key: what the cache is keyed on, a short hash of the source
# package's version, the fragment and this recipe's own version (bump
# DEBUG_RECIPE when the steps below change what they produce).
DEBUG_RECIPE=1
debug_key() {
	{
		echo "recipe $DEBUG_RECIPE"
		echo "source $(debug_source_version)"
		cat "$DEBUG_FRAGMENT"
	} | sha256sum | cut -c1-12
}

# debug_dir: the cache directory of the kernel the fragment describes today
# (set once by debug_kernel_ensure: the initramfs builder asks per module).
DEBUG_DIR=
debug_dir_set() {
	DEBUG_DIR=$VM_CACHE/debug-$(debug_source_version)-$(debug_key)
}
debug_dir() {
	[[ -n $DEBUG_DIR ]] || debug_dir_set
	echo "$DEBUG_DIR"
}

# debug_release: the kernel release of the cached build (after
# debug_kernel_ensure), e.g. 6.1.192-tunvm-debug.
debug_release() {
	cat "$(debug_dir)/release" 2>/dev/null
}

# debug_config_check CONFIG: every line of the fragment holds in CONFIG
# after olddefconfig.  A value Kconfig refused (an unmet dependency, a
# choice that went elsewhere) is named, and fails the build.
debug_config_check() {
	local cfg=$1 line sym val have bad=0
	while IFS= read -r line; do
		[[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]] || continue
		sym=${BASH_REMATCH[1]} val=${BASH_REMATCH[2]}
		have=$(sed -n "s/^$sym=//p" "$cfg")
		if [[ $val == n ]]; then
			[[ -z $have ]] && continue
		elif [[ $have == "$val" ]]; then
			continue
		fi
		note "config: the fragment says $sym=$val, the kernel has ${have:-it unset}"
		bad=1
	done <"$DEBUG_FRAGMENT"
	return $bad
}

# debug_tools_present: what building the kernel takes beyond the bench's
# own tools (flex, bison, bc, libelf and OpenSSL headers, pahole for BTF).
debug_tools_present() {
	command -v flex >/dev/null && command -v bison >/dev/null &&
		command -v bc >/dev/null && command -v pahole >/dev/null &&
		[[ -f /usr/include/libelf.h && -f /usr/include/openssl/ssl.h ]]
}

# debug_kernel_ensure: build the debug kernel into debug_dir unless a
# complete build is there.  Niced, -j$(nproc): the machine is shared.
# $TUN_VM_DEBUG_JOBS overrides the job count.
debug_kernel_ensure() {
	local dir src build root log tarball jobs lock rc
	debug_dir_set
	dir=$DEBUG_DIR
	if [[ -f $dir/.complete ]]; then
		note "debug kernel: cached in $dir ($(debug_release))"
		return 0
	fi
	if [[ -z $(debug_source_version) ]] || ! debug_tools_present; then
		note "installing $DEBUG_SOURCE_PKG and what building it takes"
		mkdir -p "$BUILD"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			"$DEBUG_SOURCE_PKG" flex bison bc libelf-dev libssl-dev dwarves \
			>"$BUILD/apt-debug.log" 2>&1 || {
			tail -n 20 "$BUILD/apt-debug.log" | sed 's/^/     | /'
			return 1
		}
		debug_dir_set
		dir=$DEBUG_DIR
	fi
	tarball=$(dpkg -L "$DEBUG_SOURCE_PKG" | grep -m1 '/linux-source-.*\.tar\.')
	if [[ ! -f $tarball ]]; then
		note "$DEBUG_SOURCE_PKG ships no tarball in /usr/src"
		return 1
	fi
	jobs=${TUN_VM_DEBUG_JOBS:-$(nproc)}
	src=$dir/src build=$dir/build root=$dir/root log=$dir/build.log
	mkdir -p "$dir" || return 1
	# One build at a time per directory: a second run waits for the first
	# and then finds it complete.
	exec {lock}>"$dir/.lock" || return 1
	if ! flock -n "$lock"; then
		note "debug kernel: another run is building it; waiting"
		flock "$lock"
	fi
	if [[ -f $dir/.complete ]]; then
		exec {lock}>&-
		note "debug kernel: built meanwhile in $dir ($(debug_release))"
		return 0
	fi
	debug_build "$dir" "$tarball" "$jobs"
	rc=$?
	exec {lock}>&-
	return $rc
}

# debug_build DIR TARBALL JOBS: the build itself, under debug_kernel_ensure's
# lock.
debug_build() {
	local dir=$1 tarball=$2 jobs=$3 src build root log rel t=$SECONDS
	src=$dir/src build=$dir/build root=$dir/root log=$dir/build.log
	note "debug kernel: building in $dir (log: $log); tens of minutes"
	echo "== debug_build started $(date -u '+%F %T') UTC" >>"$log"
	# An interrupted build resumes: the source is unpacked once, and make
	# picks up where it stopped.
	if [[ ! -f $src/.unpacked ]]; then
		rm -rf "$src"
		mkdir -p "$src"
		if ! tar -xf "$tarball" -C "$src" --strip-components=1 >>"$log" 2>&1; then
			note "cannot unpack $tarball"
			return 1
		fi
		touch "$src/.unpacked"
	fi
	mkdir -p "$build"
	# The config is made anew each time (it is seconds): defconfig, the
	# fragment on top (a later line wins), olddefconfig for the rest.
	if ! {
		make -C "$src" O="$build" defconfig &&
			cat "$DEBUG_FRAGMENT" >>"$build/.config" &&
			make -C "$src" O="$build" olddefconfig
	} >>"$log" 2>&1; then
		note "configuring failed ($log)"
		return 1
	fi
	debug_config_check "$build/.config" || return 1
	if ! nice -n 10 make -C "$src" O="$build" -j"$jobs" all >>"$log" 2>&1; then
		note "the debug kernel did not build ($log):"
		grep -E 'error:|Error [0-9]' "$log" | head -n 20 | sed 's/^/     | /'
		return 1
	fi
	rel=$(make -s -C "$src" O="$build" kernelrelease 2>>"$log")
	if [[ $rel != *"$DEBUG_LOCALVERSION" ]]; then
		note "the debug kernel's release '$rel' lacks $DEBUG_LOCALVERSION"
		return 1
	fi
	# Stripped of DWARF (BTF stays): they go into every initramfs.
	rm -rf "$root"
	mkdir -p "$root/boot"
	if ! make -C "$src" O="$build" INSTALL_MOD_PATH="$root" INSTALL_MOD_STRIP=1 \
		DEPMOD="$(command -v depmod)" modules_install >>"$log" 2>&1; then
		note "modules_install failed ($log)"
		return 1
	fi
	cp "$build/arch/x86/boot/bzImage" "$root/boot/vmlinuz-$rel" || return 1
	# Debian's image ships modules.dep made by its postinst, ours by
	# modules_install: the same file either way.
	echo "$rel" >"$dir/release"
	touch "$root/.complete" "$dir/.complete"
	note "debug kernel: $rel built in $(elapsed "$t") s, $(du -sh "$dir" | cut -f1) in $dir"
}
