# SPDX-License-Identifier: GPL-2.0
#
# make                      build tun.ko and tun_policy.ko for KDIR
# make KDIR=/usr/src/linux-headers-<abi>
# make check [TUN=ours|stock|both] [SERIES="6.1 6.12"] [FILTER=glob]
#            [REPEAT=N]     the test suite, in QEMU, on Debian's kernels
#                           (REPEAT: N rounds in each VM, to find a flake)
# make fuzz [SECONDS=600] [SEED=N] [THREADS=N] [AVOID=..] [WITH=..]
#           [TUN=..] [SERIES=..]
#                           only the fuzz tests (tun/fuzz, policy/fuzz), with
#                           that budget each (tests/fuzz/README)
# make run                  the demo: ping across our tun device in a VM
# make bench [SERIES=..] [ROUNDS=5] [SECONDS=3] [FILTER=row-glob]
#                           the benchmark: our tun.ko against Debian's in one
#                           VM per series, ratios (tests/bench/README)
# make check-debug [TUN=] [FILTER=]
#                           the suite on Debian's 6.1 source built with KASAN,
#                           lockdep and kmemleak (built once, cached; opt-in)
# make debug-kernel         only build (or find cached) that kernel
# make sparse               the sparse checker over both modules
# make tools                tools/iproute/iproute, tun_policy's user-space tool
# make bench-lpm [LPM_ARGS=] the class-lookup benchmark, on the host (tests/bench/lpm)
# make install [KDIR=] [KERNELRELEASE=] [DESTDIR=|INSTALL_MOD_PATH=]
#              [PREFIX=/usr/local]
#                           both modules into /lib/modules/<release>/updates/
#                           and depmod (-b when staged), then the tool and
#                           its man page (PREFIX/sbin/iproute, iproute(8))
# make modules_install      only the modules part of that
# make uninstall [same variables]
#                           removes what install put there, and depmod
# make docs-check           Documentation/*.rst through docutils, strictly,
#                           and iproute(8) through groff -ww (and mandoc)
# make clean                the build's products; make distclean: also .build/,
#                           the VMs' work (never while a VM runs)

KDIR	?= /lib/modules/$(shell uname -r)/build
W	?= 1
TUN	?= both
SERIES	?= 6.1 6.12

# The release the modules are built for, as the kernel calls itself (uname -r
# there): UTS_RELEASE, not include/config/kernel.release, which Debian's 6.1
# headers fill with the upstream version (6.1.192 beside 6.1.0-57-amd64).
KERNELRELEASE ?= $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
# A staged install (a package build, the tests) names its root by either.
MOD_ROOT = $(DESTDIR)$(INSTALL_MOD_PATH)
MOD_DIR	= $(MOD_ROOT)/lib/modules/$(KERNELRELEASE)/updates
DEPMOD	?= /sbin/depmod
MODULES	= tun.ko tun_policy.ko
PYTHON3	?= python3

VM_ARGS	= --tun "$(TUN)" --series "$(SERIES)" $(if $(FILTER),--filter "$(FILTER)") \
	  $(if $(REPEAT),--repeat "$(REPEAT)")

.PHONY: all modules clean distclean check check-debug debug-kernel fuzz run sparse tools install \
	modules_install uninstall modules_uninstall docs-check bench-lpm

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=$(W) modules

sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=$(W) C=2 modules

tools:
	$(MAKE) -C tools/iproute

install: modules_install tools
	$(MAKE) -C tools/iproute install

# updates/ comes before the kernel's own tree in depmod's default search
# order, so modprobe and the autoload pick these over the stock tun.ko.
# depmod gets -b for a staged root: the release's own tree is then the
# stage's, not the running system's.
modules_install: modules
	@test -n "$(KERNELRELEASE)" || { echo "no UTS_RELEASE in $(KDIR): set KERNELRELEASE"; exit 1; }
	install -d $(MOD_DIR)
	install -m 644 $(MODULES) $(MOD_DIR)/
	$(DEPMOD) $(if $(MOD_ROOT),-b $(MOD_ROOT)) $(KERNELRELEASE)

uninstall: modules_uninstall
	$(MAKE) -C tools/iproute uninstall

modules_uninstall:
	@test -n "$(KERNELRELEASE)" || { echo "no UTS_RELEASE in $(KDIR): set KERNELRELEASE"; exit 1; }
	rm -f $(addprefix $(MOD_DIR)/,$(MODULES))
	rmdir --ignore-fail-on-non-empty $(MOD_DIR) 2>/dev/null || true
	$(DEPMOD) $(if $(MOD_ROOT),-b $(MOD_ROOT)) $(KERNELRELEASE)

# docutils in strict mode: any warning (a broken table, an unknown role, a
# title underline too short) fails.
docs-check:
	@for f in Documentation/*.rst; do \
		echo "  DOCS    $$f"; \
		$(PYTHON3) -m docutils --strict --report=2 --halt=2 $$f /dev/null || exit 1; \
	done
	$(MAKE) -C tools/iproute man-check

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools/iproute clean
	rm -rf tests/build

# .build/ holds the VMs' work (their initramfs, consoles and results, the
# bench's too) and is in use while one runs: only distclean removes it.
distclean: clean
	rm -rf .build

check:
	tests/vm/run --mode check $(VM_ARGS)

check-debug:
	tests/vm/run --mode check --tun "$(TUN)" --series debug $(if $(FILTER),--filter "$(FILTER)")

debug-kernel:
	tests/vm/debug/build

# The budget travels on the kernel command line; each test may run for it
# and its cleanup, and the VM for both tests.
SECONDS	?= 60
SEED	?= 1
THREADS	?= 3
FUZZ_APPEND = tunvm.fuzz_seconds=$(SECONDS) tunvm.fuzz_seed=$(SEED) \
	tunvm.fuzz_threads=$(THREADS) $(if $(AVOID),tunvm.fuzz_avoid=$(AVOID)) $(if $(WITH),tunvm.fuzz_with=$(WITH)) \
	tunvm.test_timeout=$(shell echo $$(($(SECONDS) + 400)))

fuzz:
	TUN_VM_APPEND="$(strip $(TUN_VM_APPEND) $(FUZZ_APPEND))" \
	TUN_VM_TIMEOUT=$(shell echo $$((2 * $(SECONDS) + 1200))) \
	tests/vm/run --mode check --tun "$(TUN)" --series "$(SERIES)" --filter '*/fuzz'

bench-lpm:
	tests/bench/lpm/run $(LPM_ARGS)

run:
	tests/vm/run --mode run --tun ours --series "$(firstword $(SERIES))"

# Not a test: it reports figures and fails only when the harness broke.
# SECONDS here defaults to 3, not to fuzz's 60, unless given.
.PHONY: bench
bench:
	tests/vm/run --mode bench --series "$(SERIES)" --rounds "$(or $(ROUNDS),5)" \
		--seconds "$(if $(filter file,$(origin SECONDS)),3,$(SECONDS))" \
		$(if $(FILTER),--filter "$(FILTER)")
