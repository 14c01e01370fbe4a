// SPDX-License-Identifier: GPL-2.0
/*
 * tunrelay: attach to two existing tun devices and copy every packet read
 * from either one into the other, until SIGINT or SIGTERM.
 *
 *	tunrelay [NETNS:]DEV [NETNS:]DEV
 *
 * NETNS names a namespace under /run/netns, as made by "ip netns add".  A tun
 * queue lives in the namespace of the process that opened /dev/net/tun, and
 * TUNSETIFF looks the device up there, so the relay enters each device's
 * namespace just long enough to open and attach, then returns to its own.
 * Both devices are attached IFF_TUN | IFF_NO_PI: one read or write is one
 * bare IP packet.
 *
 * Once both queues are attached it prints "tunrelay: relaying ..." (scripts
 * wait for that line); on exit, packet and byte counts per direction.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

struct end {
	const char *arg;	/* as given, for messages */
	char netns[NAME_MAX + 1];
	char dev[IFNAMSIZ];
	int fd;
	/* packets read here and written to the other end */
	unsigned long long packets, bytes, dropped;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int parse_end(struct end *e, const char *arg)
{
	/* Device names cannot hold ':', namespace names can. */
	const char *colon = strrchr(arg, ':');
	const char *dev = colon ? colon + 1 : arg;
	size_t nslen = colon ? (size_t)(colon - arg) : 0;

	memset(e, 0, sizeof(*e));
	e->arg = arg;
	e->fd = -1;
	if (!*dev || strlen(dev) >= sizeof(e->dev) || nslen >= sizeof(e->netns) ||
	    (colon && !nslen)) {
		fprintf(stderr, "tunrelay: bad device '%s'\n", arg);
		return -1;
	}
	memcpy(e->netns, arg, nslen);
	e->netns[nslen] = '\0';
	strcpy(e->dev, dev);
	return 0;
}

static int enter_netns(const char *name)
{
	char path[PATH_MAX];
	int fd, ret;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "tunrelay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	ret = setns(fd, CLONE_NEWNET);
	if (ret)
		fprintf(stderr, "tunrelay: setns %s: %s\n", name, strerror(errno));
	close(fd);
	return ret;
}

/* Attach one queue of an existing device; @home is our own namespace. */
static int attach(struct end *e, int home)
{
	struct ifreq ifr;
	int ret = -1;

	if (e->netns[0] && enter_netns(e->netns))
		return -1;

	/*
	 * TUNSETIFF on a name that does not exist would quietly create a
	 * new device, so make sure it is there first.
	 */
	if (!if_nametoindex(e->dev)) {
		fprintf(stderr, "tunrelay: %s: no such device\n", e->arg);
		goto out_home;
	}
	e->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (e->fd < 0) {
		fprintf(stderr, "tunrelay: /dev/net/tun: %s\n", strerror(errno));
		goto out_home;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	strcpy(ifr.ifr_name, e->dev);
	if (ioctl(e->fd, TUNSETIFF, &ifr)) {
		fprintf(stderr, "tunrelay: TUNSETIFF %s: %s\n", e->arg, strerror(errno));
		close(e->fd);
		e->fd = -1;
		goto out_home;
	}
	ret = 0;

out_home:
	if (e->netns[0] && setns(home, CLONE_NEWNET)) {
		fprintf(stderr, "tunrelay: setns back: %s\n", strerror(errno));
		ret = -1;
	}
	return ret;
}

/* Move one packet from @from to @to; returns -1 when @from is unusable. */
static int relay_one(struct end *from, struct end *to)
{
	static unsigned char buf[65536];
	ssize_t n, w;

	n = read(from->fd, buf, sizeof(buf));
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		fprintf(stderr, "tunrelay: read %s: %s\n", from->arg, strerror(errno));
		return -1;
	}
	w = write(to->fd, buf, n);
	if (w != n) {
		/*
		 * A packet the other side refused is dropped, as a wire
		 * would; EIO is the other device being down.
		 */
		if (!from->dropped)
			fprintf(stderr, "tunrelay: write %s: %s%s\n", to->arg,
				w < 0 ? strerror(errno) : "short write",
				w < 0 && errno == EIO ? " (device down?)" : "");
		from->dropped++;
		return 0;
	}
	from->packets++;
	from->bytes += n;
	return 0;
}

int main(int argc, char **argv)
{
	struct end e[2];
	struct pollfd pfd[2];
	struct sigaction sa;
	sigset_t block, orig;
	int home, i, ret = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: tunrelay [NETNS:]DEV [NETNS:]DEV\n");
		return 2;
	}
	if (parse_end(&e[0], argv[1]) || parse_end(&e[1], argv[2]))
		return 2;

	home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0) {
		perror("tunrelay: /proc/self/ns/net");
		return 1;
	}
	if (attach(&e[0], home) || attach(&e[1], home))
		return 1;
	close(home);

	/*
	 * The signals stay blocked except inside ppoll(), so a stop request
	 * cannot slip in between the check of @stop and the wait.
	 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &orig);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	printf("tunrelay: relaying %s <-> %s\n", e[0].arg, e[1].arg);
	fflush(stdout);

	for (i = 0; i < 2; i++) {
		pfd[i].fd = e[i].fd;
		pfd[i].events = POLLIN;
	}
	while (!stop) {
		if (ppoll(pfd, 2, NULL, &orig) < 0) {
			if (errno == EINTR)
				continue;
			perror("tunrelay: ppoll");
			ret = 1;
			break;
		}
		for (i = 0; i < 2; i++) {
			if (pfd[i].revents & (POLLERR | POLLHUP | POLLNVAL)) {
				fprintf(stderr, "tunrelay: %s: device gone\n", e[i].arg);
				ret = 1;
				stop = 1;
			} else if (pfd[i].revents & POLLIN && relay_one(&e[i], &e[!i])) {
				ret = 1;
				stop = 1;
			}
		}
	}

	for (i = 0; i < 2; i++)
		printf("tunrelay: %s -> %s: %llu packets, %llu bytes, %llu dropped\n",
		       e[i].arg, e[!i].arg, e[i].packets, e[i].bytes, e[i].dropped);
	return ret;
}
