# SPDX-License-Identifier: GPL-2.0
#
# make                      build tun.ko and tun_policy.ko for KDIR
# make KDIR=/usr/src/linux-headers-<abi>
# make check [TUN=ours|stock|both] [SERIES="6.1 6.12"] [FILTER=glob]
#                           the test suite, in QEMU, on Debian's kernels
# make run                  the demo: ping across our tun device in a VM
# make sparse               the sparse checker over both modules
# make tools                tools/iproute/iproute, tun_policy's user-space tool
# make install [DESTDIR=] [PREFIX=/usr/local]
#                           installs the tool (PREFIX/sbin/iproute)

KDIR	?= /lib/modules/$(shell uname -r)/build
W	?= 1
TUN	?= both
SERIES	?= 6.1 6.12

VM_ARGS	= --tun "$(TUN)" --series "$(SERIES)" $(if $(FILTER),--filter "$(FILTER)")

.PHONY: all modules clean check run sparse tools install

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

run:
	tests/vm/run --mode run --tun ours --series "$(firstword $(SERIES))"
