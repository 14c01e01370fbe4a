// SPDX-License-Identifier: GPL-2.0
/*
 * tunhold: attach to (or create) a tun/tap device and hold it open, so that
 * a shell test can look at a device with queues attached.
 *
 *	tunhold [-n QUEUES] [-p] DEV tun|tap [pi] [vnet_hdr] [multi_queue]
 *
 * Opens /dev/net/tun QUEUES times (default 1) and attaches each fd to DEV
 * with the flags named (IFF_NO_PI unless "pi" is given); -p makes the device
 * persistent.  Once every queue is attached it prints
 * "tunhold: holding DEV (N queues)" on stdout, then sleeps until SIGINT or
 * SIGTERM and exits 0 (the fds close with it).  Any failure is reported on
 * stderr, with exit status 1.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define MAX_QUEUES 16

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: tunhold [-n QUEUES] [-p] DEV tun|tap "
			"[pi] [vnet_hdr] [multi_queue]\n");
	exit(1);
}

int main(int argc, char **argv)
{
	int queues = 1, persist = 0, flags = 0, no_pi = 1, opt;
	int fds[MAX_QUEUES] = { -1 };
	struct sigaction sa;
	sigset_t block, old;
	const char *dev;
	struct ifreq ifr;

	while ((opt = getopt(argc, argv, "n:p")) != -1) {
		switch (opt) {
		case 'n':
			queues = atoi(optarg);
			if (queues < 1 || queues > MAX_QUEUES)
				usage();
			break;
		case 'p':
			persist = 1;
			break;
		default:
			usage();
		}
	}
	if (argc - optind < 2 || strlen(argv[optind]) >= IFNAMSIZ)
		usage();
	dev = argv[optind++];
	for (; optind < argc; optind++) {
		const char *a = argv[optind];

		if (!strcmp(a, "tun"))
			flags |= IFF_TUN;
		else if (!strcmp(a, "tap"))
			flags |= IFF_TAP;
		else if (!strcmp(a, "pi"))
			no_pi = 0;
		else if (!strcmp(a, "vnet_hdr"))
			flags |= IFF_VNET_HDR;
		else if (!strcmp(a, "multi_queue"))
			flags |= IFF_MULTI_QUEUE;
		else
			usage();
	}
	if (no_pi)
		flags |= IFF_NO_PI;

	/* Blocked until sigsuspend(), so that none is missed. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	for (int i = 0; i < queues; i++) {
		fds[i] = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
		if (fds[i] < 0) {
			fprintf(stderr, "tunhold: /dev/net/tun: %s\n",
				strerror(errno));
			return 1;
		}
		memset(&ifr, 0, sizeof(ifr));
		memcpy(ifr.ifr_name, dev, strlen(dev));
		ifr.ifr_flags = (short)flags;
		if (ioctl(fds[i], TUNSETIFF, &ifr) < 0) {
			fprintf(stderr, "tunhold: TUNSETIFF %s (queue %d): %s\n",
				dev, i, strerror(errno));
			return 1;
		}
	}
	if (persist && ioctl(fds[0], TUNSETPERSIST, 1) < 0) {
		fprintf(stderr, "tunhold: TUNSETPERSIST: %s\n", strerror(errno));
		return 1;
	}
	printf("tunhold: holding %s (%d queue%s)\n", dev, queues,
	       queues == 1 ? "" : "s");
	fflush(stdout);
	sigdelset(&old, SIGINT);
	sigdelset(&old, SIGTERM);
	while (!stop)
		sigsuspend(&old);
	return 0;
}
