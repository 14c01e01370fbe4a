// SPDX-License-Identifier: GPL-2.0
/*
 * Reproducer of the second splat tunfuzz found (fuzz/README, xdp_mq): a
 * frame written to a queue detached with TUNSETQUEUE keeps the queue's
 * old index, and generic XDP WARNs "received packet on queue 2, but
 * number of RX queues is 2".  Stock tun.ko does the same.  Build as
 * napi_frags_xdp.c says.
 */
#include "tt.h"
#include "fuzz.h"
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(void)
{
	int fd[3], prog, err;
	struct ifreq ifr;
	uint8_t f[60];
	char name[IFNAMSIZ];
	ssize_t r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (unshare(CLONE_NEWNET)) { perror("unshare"); return 1; }
	for (int i = 0; i < 3; i++) {
		fd[i] = tt_tun_alloc("fzq0", IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE, name);
		if (fd[i] < 0) { printf("# setiff %d: %s\n", i, tt_errname(errno)); return 1; }
	}
	tt_link_noipv6(name);
	tt_link_up(name, 1);
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_DETACH_QUEUE;
	err = ioctl(fd[2], TUNSETQUEUE, &ifr);
	printf("# detach queue 2: %s; real_num_rx now via sysfs\n", err ? tt_errname(errno) : "0");
	prog = tt_bpf_const_prog(BPF_PROG_TYPE_XDP, 2 /* XDP_PASS */);
	err = fz_link_xdp((int)if_nametoindex(name), prog, XDP_FLAGS_SKB_MODE);
	printf("# generic xdp attach: %s\n", tt_errname(err));
	memset(f, 0xff, 6);
	memcpy(f + 6, "\x02\x00\x00\x00\x00\x01\x08\x00", 8);
	memset(f + 14, 0x45, sizeof(f) - 14);
	r = write(fd[2], f, sizeof(f));
	printf("# write on the disabled queue: %zd %s\n", r, r < 0 ? tt_errname(errno) : "");
	r = write(fd[0], f, sizeof(f));
	printf("# write on queue 0: %zd %s\n", r, r < 0 ? tt_errname(errno) : "");
	printf("ok repro2_survived\n");
	return 0;
}
