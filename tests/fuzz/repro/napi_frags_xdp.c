// SPDX-License-Identifier: GPL-2.0
/*
 * Reproducer of the first bug tunfuzz found (fuzz/README, napi_frags):
 * on our tun.ko, a native XDP program that does not pass a frame written
 * to an IFF_NAPI_FRAGS queue leaves the freed skb in napi->skb, and the
 * next write reuses it: "kernel BUG at mm/slub.c" in kfree from
 * tun_get_user, on 6.1 and 6.12.  The stock driver survives all writes.
 * Not built by default (it would panic the VM); by hand, from tests/:
 *
 *	gcc -O2 -D_GNU_SOURCE -Ilib -Ifuzz -static -o build/tools/fzrepro \
 *	    fuzz/repro/napi_frags_xdp.c fuzz/fuzz.c build/lib/tt.o \
 *	    build/lib/nl.o -lpthread
 *
 * and run `fzrepro [xdp-verdict [writes]]` in the guest (default 1: DROP).
 */
// Reproducer: XDP (native, XDP_DROP) on a tap with IFF_NAPI_FRAGS, frames written in 2 segments.
#include "tt.h"
#include "fuzz.h"
#include <fcntl.h>
#include <linux/bpf.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char name[IFNAMSIZ];
	uint8_t a[64], b[200];
	struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	int ret = argc > 1 ? atoi(argv[1]) : 1;
	int fd, prog, err, n = argc > 2 ? atoi(argv[2]) : 20;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (unshare(CLONE_NEWNET)) { perror("unshare"); return 1; }
	fd = tt_tun_alloc("fzr0", IFF_TAP | IFF_NO_PI | IFF_NAPI | IFF_NAPI_FRAGS, name);
	if (fd < 0) { printf("# setiff: %s\n", tt_errname(errno)); return 1; }
	tt_link_noipv6(name);
	tt_link_up(name, 1);
	prog = tt_bpf_const_prog(BPF_PROG_TYPE_XDP, ret);
	err = fz_link_xdp((int)if_nametoindex(name), prog, 0);
	printf("# xdp attach (ret %d): %s\n", ret, tt_errname(err));
	memset(a, 0xff, 6);
	memcpy(a + 6, "\x02\x00\x00\x00\x00\x01\x08\x00", 8);
	memset(a + 14, 0x45, 50);
	memset(b, 0x11, sizeof(b));
	for (int i = 0; i < n; i++) {
		ssize_t r = writev(fd, iov, 2);
		printf("# write %d: %zd %s\n", i, r, r < 0 ? tt_errname(errno) : "");
	}
	printf("ok repro_survived\n");
	return 0;
}
