# SPDX-License-Identifier: GPL-2.0
#
# make                      build tun.ko and tun_policy.ko for KDIR
# make KDIR=/usr/src/linux-headers-<abi>
# make check [TUN=ours|stock|both] [SERIES="6.1 6.12"] [FILTER=glob]
#                           the test suite, in QEMU, on Debian's kernels
# make fuzz [SECONDS=600] [SEED=N] [THREADS=N] [AVOID=..] [WITH=..]
#           [TUN=..] [SERIES=..]
#                           only the fuzz tests (tun/fuzz, policy/fuzz), with
#                           that budget each (tests/fuzz/README)
# make run                  the demo: ping across our tun device in a VM
# make check-debug [TUN=] [FILTER=]
#                           the suite on Debian's 6.1 source built with KASAN,
#                           lockdep and kmemleak (built once, cached; opt-in)
# make debug-kernel         only build (or find cached) that kernel
# make sparse               the sparse checker over both modules
# make tools                tools/iproute/iproute, tun_policy's user-space tool
# make bench-lpm [LPM_ARGS=] the class-lookup benchmark, on the host (tests/bench/lpm)
# make install [DESTDIR=] [PREFIX=/usr/local]
#                           installs the tool (PREFIX/sbin/iproute)

KDIR	?= /lib/modules/$(shell uname -r)/build
W	?= 1
TUN	?= both
SERIES	?= 6.1 6.12

VM_ARGS	= --tun "$(TUN)" --series "$(SERIES)" $(if $(FILTER),--filter "$(FILTER)")

.PHONY: all modules clean check check-debug debug-kernel fuzz run sparse tools install bench-lpm

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=$(W) modules

sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=$(W) C=2 modules

tools:
	$(MAKE) -C tools/iproute

install: tools
	$(MAKE) -C tools/iproute install

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools/iproute clean
	rm -rf .build tests/build

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
