// SPDX-License-Identifier: GPL-2.0
/*
 * Traffic between network namespaces through tun fds.
 *
 * ping_between_netns: two children each unshare a netns and create a tun
 * device in it (198.18.4.1/24 and 198.18.4.2/24); they hand their fds to the
 * parent, which relays packets between the two.  Three pings from the first
 * namespace must succeed, and afterwards each device has counted exactly
 * the three requests and the three replies.
 *
 * move_to_netns: a device made in the initial netns is moved into a child's
 * netns; the fd keeps working there, and when the netns goes away the device
 * goes with it and the fd reports it.
 */
#include "tt.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define A_IP "198.18.4.1"
#define B_IP "198.18.4.2"
#define PING_LEN 84		/* 20 IP + 8 ICMP + 56 default payload */

struct child {
	pid_t pid;
	int sock;		/* parent's end of the control socket */
};

/* ---- the child: a netns of its own, driven over a unix socket ---- */

static void child_main(int sock, const char *dev, const char *ip,
		       int create, const char *ping_dst)
{
	char cmd, res;
	int fd = -1, err;

	if (unshare(CLONE_NEWNET) < 0)
		_exit(10);
	if (tt_lo_up())
		_exit(11);
	if (create) {
		fd = tt_tun_alloc(dev, IFF_TUN | IFF_NO_PI, NULL);
		if (fd < 0)
			_exit(12);
		if (tt_link_prepare(dev, ip, 24, NULL))
			_exit(13);
		if (tt_send_fd(sock, fd))
			_exit(14);
		/* The parent's copy keeps the device alive. */
		close(fd);
	} else {
		res = 'R';
		if (write(sock, &res, 1) != 1)
			_exit(15);
	}
	while (read(sock, &cmd, 1) == 1) {
		switch (cmd) {
		case 'c':	/* configure a device moved in here */
			err = tt_link_prepare(dev, ip, 24, NULL);
			res = err ? 'E' : 'K';
			break;
		case 'p':
			/*
			 * One request at a time, each given 30 s: ping -c 3
			 * waits for the last reply only twice the slowest
			 * round trip so far, which load can exceed.
			 */
			err = tt_sh("for i in 1 2 3; do ping -c 1 -W 30 %s "
				    ">/dev/null 2>&1 || exit; done", ping_dst);
			res = (char)('0' + (err < 0 ? 9 : err > 8 ? 8 : err));
			break;
		default:
			_exit(0);
		}
		if (write(sock, &res, 1) != 1)
			_exit(16);
	}
	_exit(0);
}

static int start_child(struct child *c, const char *dev, const char *ip,
		       int create, const char *ping_dst)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	fflush(stdout);
	c->pid = fork();
	if (c->pid < 0)
		return -errno;
	if (c->pid == 0) {
		close(sv[0]);
		child_main(sv[1], dev, ip, create, ping_dst);
	}
	close(sv[1]);
	c->sock = sv[0];
	tt_defer_pid(c->pid);
	tt_defer_fd(c->sock);
	return 0;
}

static char child_cmd(struct child *c, char cmd)
{
	char res;

	if (write(c->sock, &cmd, 1) != 1 || read(c->sock, &res, 1) != 1)
		return 0;
	return res;
}

/* ---- the relay ---- */

struct relay {
	int fd[2];
	volatile int stop;
	unsigned long packets[2];	/* read from fd[i], written to the other */
	unsigned long long bytes[2];
	int error;
};

static void *relay_main(void *arg)
{
	struct relay *r = arg;
	uint8_t buf[65536];

	while (!r->stop) {
		struct pollfd p[2] = {
			{ .fd = r->fd[0], .events = POLLIN },
			{ .fd = r->fd[1], .events = POLLIN },
		};

		if (poll(p, 2, 50) < 0)
			continue;
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (!(p[i].revents & POLLIN))
				continue;
			n = read(r->fd[i], buf, sizeof(buf));
			if (n <= 0)
				continue;
			if (write(r->fd[!i], buf, (size_t)n) != n)
				r->error = errno ? errno : EIO;
			r->packets[i]++;
			r->bytes[i] += (unsigned long long)n;
		}
	}
	return NULL;
}

static int ns_stats(pid_t pid, const char *dev, unsigned long long pk,
		    unsigned long long by)
{
	struct tt_stats st;
	int err;

	err = tt_stats_proc(pid, dev, &st);
	TT_CHECK(!err, "stats of %s: %s", dev, tt_errname(-err));
	TT_STATS_EQ(st, tx_packets, pk);
	TT_STATS_EQ(st, tx_bytes, by);
	TT_STATS_EQ(st, rx_packets, pk);
	TT_STATS_EQ(st, rx_bytes, by);
	TT_STATS_EQ(st, tx_dropped, 0);
	TT_STATS_EQ(st, rx_dropped, 0);
	return TT_PASS;
}

static int c_ping_between_netns(void)
{
	static struct relay r;
	struct child a, b;
	pthread_t th;
	char res;
	int err;

	err = start_child(&a, "ttnsa", A_IP, 1, B_IP);
	TT_CHECK(!err, "fork: %s", tt_errname(-err));
	err = start_child(&b, "ttnsb", B_IP, 1, A_IP);
	TT_CHECK(!err, "fork: %s", tt_errname(-err));
	memset(&r, 0, sizeof(r));
	r.fd[0] = tt_recv_fd(a.sock);
	TT_CHECK(r.fd[0] >= 0, "no fd from the first netns");
	tt_defer_fd(r.fd[0]);
	r.fd[1] = tt_recv_fd(b.sock);
	TT_CHECK(r.fd[1] >= 0, "no fd from the second netns");
	tt_defer_fd(r.fd[1]);
	/* Neither device is visible here. */
	TT_CHECK(!tt_link_exists("ttnsa") && !tt_link_exists("ttnsb"),
		 "a namespaced device shows in the initial netns");

	TT_EQ(pthread_create(&th, NULL, relay_main, &r), 0);
	res = child_cmd(&a, 'p');
	r.stop = 1;
	pthread_join(th, NULL);
	TT_CHECK(res == '0', "ping failed (exit %c)", res ? res : '?');
	TT_EQ(r.error, 0);
	TT_EQ(r.packets[0], 3);
	TT_EQ(r.packets[1], 3);
	TT_EQ(r.bytes[0], 3 * PING_LEN);
	TT_EQ(r.bytes[1], 3 * PING_LEN);
	TT_CALL(ns_stats(a.pid, "ttnsa", 3, 3 * PING_LEN));
	TT_CALL(ns_stats(b.pid, "ttnsb", 3, 3 * PING_LEN));
	return TT_PASS;
}

static int c_move_to_netns(void)
{
	uint8_t req[60], buf[2048], pl[32];
	struct tt_stats st;
	struct pollfd p;
	struct child c;
	long long until;
	char res;
	ssize_t n;
	int fd, err, st_;

	fd = tt_tun_alloc("ttnsm", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	err = start_child(&c, "ttnsm", A_IP, 0, NULL);
	TT_CHECK(!err, "fork: %s", tt_errname(-err));
	TT_CHECK(read(c.sock, &res, 1) == 1 && res == 'R', "child not ready");
	TT_EQ(tt_sh("ip link set dev ttnsm netns %d", (int)c.pid), 0);
	TT_CHECK(!tt_link_exists("ttnsm"), "ttnsm still in the initial netns");
	TT_EQ(child_cmd(&c, 'c'), 'K');

	/* The fd, opened here, now feeds a device over there. */
	memset(pl, 0x5a, sizeof(pl));
	tt_icmp4_echo(req, tt_ip4(B_IP), tt_ip4(A_IP), 8, 7, 1, pl, sizeof(pl));
	TT_EQ(write(fd, req, sizeof(req)), 60);
	n = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_EQ(n, 60);
	TT_EQ(buf[20], 0);	/* echo reply */
	TT_CHECK(!memcmp(buf + 12, req + 16, 4), "reply not from " A_IP);
	err = tt_stats_proc(c.pid, "ttnsm", &st);
	TT_CHECK(!err, "stats: %s", tt_errname(-err));
	TT_STATS_EQ(st, rx_packets, 1);
	TT_STATS_EQ(st, rx_bytes, 60);
	TT_STATS_EQ(st, tx_packets, 1);
	TT_STATS_EQ(st, tx_bytes, 60);

	/* The netns goes, and the device with it: the fd sees that. */
	child_cmd(&c, 'q');
	waitpid(c.pid, &st_, 0);
	until = tt_now_ms() + TT_WAIT_MS;
	do {
		p.fd = fd;
		p.events = POLLIN | POLLOUT;
		p.revents = 0;
		poll(&p, 1, 0);
		if (p.revents == POLLERR)
			break;
		tt_sleep_ms(20);
	} while (tt_now_ms() < until);
	TT_EQ(p.revents, POLLERR);
	/*
	 * POLLERR comes as soon as the unregistration starts; the fd is
	 * unbound a little later (ndo_uninit), and a blocking read in
	 * between would sleep until then and fail with EFAULT. Read without
	 * blocking: EAGAIN while the window lasts, then EBADFD for good.
	 */
	TT_SYS(fcntl(fd, F_SETFL, O_NONBLOCK));
	until = tt_now_ms() + TT_WAIT_MS;
	while (read(fd, buf, sizeof(buf)) < 0 && errno == EAGAIN &&
	       tt_now_ms() < until)
		tt_sleep_ms(20);
	TT_ERRNO(read(fd, buf, sizeof(buf)), EBADFD);
	TT_CHECK(!tt_link_exists("ttnsm"), "ttnsm came back");
	return TT_PASS;
}

int main(void)
{
	tt_init();
	tt_run("ping_between_netns", c_ping_between_netns);
	tt_run("move_to_netns", c_move_to_netns);
	return tt_done();
}
