// SPDX-License-Identifier: GPL-2.0
/*
 * Multiqueue: IFF_MULTI_QUEUE devices, more fds attached to them by name,
 * TUNSETQUEUE with IFF_DETACH_QUEUE / IFF_ATTACH_QUEUE, and how packets are
 * spread over the queues and injected from them.
 *
 * What the device shows of its queues is checked three ways: the queue
 * directories in /sys/class/net/NAME/queues (real_num_tx/rx_queues), the
 * "multi_queue numqueues N numdisabled M" of `ip -d link show`, and where
 * packets really arrive.  Traffic is made by UDP sockets on the device's
 * address 198.18.12.1/24 sending to 198.18.12.2, one flow per source port;
 * packets written into a queue fd come from 198.18.12.2 and are received by
 * a socket bound on the device's address.
 *
 * A driver that does not advertise IFF_MULTI_QUEUE in TUNGETFEATURES gets
 * every case skipped, with the reason.  Stock always advertises it, so on
 * stock nothing is ever skipped.
 */
#include "tt.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define DEV_IP "198.18.12.1"
#define PEER_IP "198.18.12.2"
#define PEER_PORT 7777
#define RECV_PORT 5555
#define UDP_PLEN 8
#define UDP_LEN (28 + UDP_PLEN)

#define MQ_TUN (IFF_TUN | IFF_NO_PI | IFF_MULTI_QUEUE)
#define MQ_TAP (IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE)
/* The kernel's MAX_TAP_QUEUES. */
#define MAX_QUEUES 256
#define ARPHRD_NONE_ 65534
#define ARPHRD_ETHER_ 1
#define ALL_EVENTS (POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM)

/* ---- running the cases ---- */

static int mq_advertised;
static tt_case_fn current;

/*
 * More fds than tt's registry holds (the 256-queue case): kept here and
 * closed after every case, before tt's own cleanup deletes the devices.
 */
static int many_fds[MAX_QUEUES + 8];
static int n_many;

static void close_many(void)
{
	while (n_many > 0)
		close(many_fds[--n_many]);
}

static int run_current(void)
{
	int r;

	if (!mq_advertised)
		return tt_skip("driver does not advertise IFF_MULTI_QUEUE");
	r = current();
	close_many();
	return r;
}

static void run(const char *name, tt_case_fn fn)
{
	current = fn;
	tt_run(name, run_current);
}

/* ---- helpers ---- */

/* TUNSETIFF keeping the answer: 0 or -1/errno. */
static int setiff(int fd, const char *name, int flags, struct ifreq *ifr)
{
	memset(ifr, 0, sizeof(*ifr));
	snprintf(ifr->ifr_name, IFNAMSIZ, "%s", name);
	ifr->ifr_flags = (short)flags;
	if (ioctl(fd, TUNSETIFF, ifr) < 0)
		return -1;
	tt_defer_link(ifr->ifr_name);
	return 0;
}

/* TUNSETQUEUE: 0 or -1/errno. */
static int setqueue(int fd, int flags)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = (short)flags;
	return ioctl(fd, TUNSETQUEUE, &ifr);
}

/* TUNGETIFF's flags, or -1/errno. */
static int getiff_flags(int fd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(fd, TUNGETIFF, &ifr) < 0)
		return -1;
	return (unsigned short)ifr.ifr_flags;
}

/* Open (O_NONBLOCK) and attach one queue of name; the fd, or a failure. */
static int attach(const char *name, int flags)
{
	struct ifreq ifr;
	int fd;

	fd = tt_tun_open(O_NONBLOCK);
	if (fd < 0)
		return tt_fail("open: %s", tt_errname(errno));
	if (setiff(fd, name, flags, &ifr) < 0)
		return tt_fail("attaching a queue to %s: %s", name,
			       tt_errname(errno));
	/* An attachment answers with what it was asked. */
	TT_STREQ(ifr.ifr_name, name);
	TT_EQ((unsigned short)ifr.ifr_flags, flags);
	return fd;
}

/* A multiqueue device with n queues in fds[], up, no IPv6, DEV_IP/24. */
static int mq_dev(const char *name, int flags, int n, int *fds)
{
	int err;

	for (int i = 0; i < n; i++) {
		fds[i] = attach(name, flags);
		if (fds[i] < 0)
			return TT_FAIL;
	}
	err = tt_link_prepare(name, DEV_IP, 24, NULL);
	if (err)
		return tt_fail("configuring %s: %s", name, tt_errname(-err));
	return TT_PASS;
}

/*
 * The queue directories of a device: how many "tx-N" (or "rx-N") there are,
 * or -1 when they are not exactly tx-0 .. tx-(count-1).
 */
static int queue_dirs(const char *name, const char *kind)
{
	char path[128];
	struct dirent *de;
	int count = 0, top = -1, idx;
	size_t kl = strlen(kind);
	DIR *d;

	snprintf(path, sizeof(path), "/sys/class/net/%s/queues", name);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, kind, kl) || de->d_name[kl] != '-')
			continue;
		idx = atoi(de->d_name + kl + 1);
		count++;
		if (idx > top)
			top = idx;
	}
	closedir(d);
	return top + 1 == count ? count : -1;
}

static int check_queue_dirs(const char *name, int want)
{
	int tx = queue_dirs(name, "tx"), rx = queue_dirs(name, "rx");

	TT_CHECK(tx == want && rx == want,
		 "%s/queues: %d tx and %d rx directories, want %d of each "
		 "(-1: not numbered 0..n-1)", name, tx, rx, want);
	return TT_PASS;
}

/* The "tun type ... persist on|off" part of `ip -d link show`. */
static int ip_detail(const char *name, char *out, size_t len)
{
	size_t n;

	if (tt_sh_out(out, len,
		      "ip -d link show dev %s | "
		      "grep -o 'tun type .* persist o[nf]*'", name))
		return tt_fail("ip -d link show dev %s failed", name);
	n = strlen(out);
	while (n && out[n - 1] == '\n')
		out[--n] = 0;
	return TT_PASS;
}

static int check_detail(const char *name, const char *want)
{
	char out[512];

	TT_CALL(ip_detail(name, out, sizeof(out)));
	TT_STREQ(out, want);
	return TT_PASS;
}

/* numqueues and numdisabled as `ip -d link show` prints them. */
static int check_numqueues(const char *name, int kind, int nq, int nd,
			   int persist)
{
	char want[256];

	snprintf(want, sizeof(want),
		 "tun type %s pi off vnet_hdr off multi_queue numqueues %d "
		 "numdisabled %d persist %s",
		 kind == IFF_TAP ? "tap" : "tun", nq, nd,
		 persist ? "on" : "off");
	return check_detail(name, want);
}

/* Send count datagrams from DEV_IP:sport to PEER_IP:PEER_PORT. */
static int send_flow(uint16_t sport, int count)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	static const char payload[UDP_PLEN] = "mq-flow";
	int s;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	TT_SYS(s);
	tt_defer_fd(s);
	a.sin_addr.s_addr = tt_ip4(DEV_IP);
	a.sin_port = htons(sport);
	TT_SYS(bind(s, (struct sockaddr *)&a, sizeof(a)));
	a.sin_addr.s_addr = tt_ip4(PEER_IP);
	a.sin_port = htons(PEER_PORT);
	for (int i = 0; i < count; i++)
		TT_EQ(sendto(s, payload, UDP_PLEN, 0, (struct sockaddr *)&a,
			     sizeof(a)), UDP_PLEN);
	tt_close(s);
	return TT_PASS;
}

/* One datagram of send_flow() as read from a queue; *sport gets its port. */
static int check_flow_packet(const uint8_t *p, ssize_t n, int *sport)
{
	TT_EQ(n, UDP_LEN);
	TT_EQ(p[0], 0x45);
	TT_EQ(p[9], 17);
	TT_CHECK(!memcmp(p + 12, (uint32_t[]){ tt_ip4(DEV_IP) }, 4),
		 "source is not " DEV_IP);
	TT_CHECK(!memcmp(p + 16, (uint32_t[]){ tt_ip4(PEER_IP) }, 4),
		 "destination is not " PEER_IP);
	TT_EQ(p[22] << 8 | p[23], PEER_PORT);
	TT_MEMEQ(p + 28, "mq-flow", UDP_PLEN);
	*sport = p[20] << 8 | p[21];
	return TT_PASS;
}

#define FLOW_BASE 10000
#define MAX_FLOWS 128

/*
 * Read every queue dry.  got[q] counts the packets of queue q; flow_q[f]
 * records the queue of flow FLOW_BASE + f (-1 before its first packet) and
 * the case fails if one flow shows up on two queues.
 */
static int drain_flows(const int *fds, int nq, int *got, int *flow_q,
		       int nflows)
{
	uint8_t buf[2048];
	ssize_t n;
	int sport, f;

	for (int q = 0; q < nq; q++) {
		got[q] = 0;
		while ((n = read(fds[q], buf, sizeof(buf))) >= 0) {
			TT_CALL(check_flow_packet(buf, n, &sport));
			f = sport - FLOW_BASE;
			TT_CHECK(f >= 0 && f < nflows,
				 "queue %d: unexpected source port %d", q,
				 sport);
			TT_CHECK(flow_q[f] < 0 || flow_q[f] == q,
				 "flow %d arrived on queues %d and %d", sport,
				 flow_q[f], q);
			flow_q[f] = q;
			got[q]++;
		}
		TT_CHECK(errno == EAGAIN, "queue %d: read: %s", q,
			 tt_errname(errno));
	}
	return TT_PASS;
}

/* Nothing to read on fd. */
static int check_empty(int fd)
{
	uint8_t buf[2048];

	TT_ERRNO(read(fd, buf, sizeof(buf)), EAGAIN);
	return TT_PASS;
}

/* A non-blocking UDP socket on DEV_IP:RECV_PORT. */
static int receiver(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int s;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0)
		return tt_fail("socket: %s", tt_errname(errno));
	tt_defer_fd(s);
	a.sin_addr.s_addr = tt_ip4(DEV_IP);
	a.sin_port = htons(RECV_PORT);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0)
		return tt_fail("bind: %s", tt_errname(errno));
	return s;
}

/* Write PEER_IP:sport -> DEV_IP:RECV_PORT carrying tag into fd. */
static int inject(int fd, uint16_t sport, uint8_t tag)
{
	uint8_t pkt[64], payload[4] = { 'm', 'q', ':', tag };
	size_t len;

	len = tt_udp4(pkt, tt_ip4(PEER_IP), tt_ip4(DEV_IP), sport, RECV_PORT,
		      payload, sizeof(payload));
	TT_EQ(write(fd, pkt, len), (ssize_t)len);
	return TT_PASS;
}

#define INJECT_LEN (28 + 4)

/* The socket has exactly the datagram inject(.., sport, tag) sent. */
static int check_injected(int s, uint16_t sport, uint8_t tag)
{
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	uint8_t buf[64], want[4] = { 'm', 'q', ':', tag };

	TT_EQ(recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl),
	      4);
	TT_MEMEQ(buf, want, 4);
	TT_EQ(ntohs(from.sin_port), sport);
	TT_EQ(from.sin_addr.s_addr, tt_ip4(PEER_IP));
	return TT_PASS;
}

static int stats_of(const char *name, struct tt_stats *st)
{
	int err = tt_stats(name, st);

	if (err)
		return tt_fail("statistics of %s: %s", name, tt_errname(-err));
	return TT_PASS;
}

/* ---- creation and attachment ---- */

static int create_case(int kind, const char *tmpl, const char *want_name,
		       long long want_flags, long long want_type)
{
	struct ifreq ifr;
	char name[IFNAMSIZ];
	int fd;

	fd = tt_tun_open(0);
	TT_SYS(fd);
	TT_SYS(setiff(fd, tmpl, kind | IFF_NO_PI | IFF_MULTI_QUEUE, &ifr));
	/* The name is filled in; the flags come back as they were asked. */
	TT_STREQ(ifr.ifr_name, want_name);
	TT_EQ((unsigned short)ifr.ifr_flags,
	      kind | IFF_NO_PI | IFF_MULTI_QUEUE);
	snprintf(name, sizeof(name), "%s", ifr.ifr_name);
	TT_EQ(tt_sysfs_num(name, "type"), want_type);
	TT_EQ(tt_sysfs_num(name, "tun_flags"), want_flags);
	TT_EQ(getiff_flags(fd), kind | IFF_NO_PI | IFF_MULTI_QUEUE);
	/* One queue attached: one tx and one rx queue directory. */
	TT_CALL(check_queue_dirs(name, 1));
	TT_CALL(check_numqueues(name, kind, 1, 0, 0));
	return TT_PASS;
}

static int c_create_tun(void)
{
	return create_case(IFF_TUN, "ttmq%d", "ttmq0", 0x1101, ARPHRD_NONE_);
}

static int c_create_tap(void)
{
	return create_case(IFF_TAP, "ttmqtap%d", "ttmqtap0", 0x1102,
			   ARPHRD_ETHER_);
}

static int attach_case(const char *name, int flags, int kind)
{
	int fds[4];

	for (int i = 0; i < 4; i++) {
		fds[i] = attach(name, flags);
		TT_SYS(fds[i]);
		TT_CALL(check_queue_dirs(name, i + 1));
		TT_CALL(check_numqueues(name, kind, i + 1, 0, 0));
	}
	TT_EQ(tt_sysfs_num(name, "tun_flags"), flags);
	for (int i = 0; i < 4; i++)
		TT_EQ(getiff_flags(fds[i]), flags);
	/* Each close takes one queue away. */
	for (int i = 3; i > 0; i--) {
		tt_close(fds[i]);
		TT_CALL(check_queue_dirs(name, i));
		TT_CALL(check_numqueues(name, kind, i, 0, 0));
	}
	return TT_PASS;
}

static int c_attach_tun_by_name(void)
{
	return attach_case("ttmqa", MQ_TUN, IFF_TUN);
}

static int c_attach_tap_by_name(void)
{
	return attach_case("ttmqb", MQ_TAP, IFF_TAP);
}

static int c_ip_detail(void)
{
	char out[512];
	int a, b;

	a = attach("ttmqd", MQ_TUN);
	TT_SYS(a);
	b = attach("ttmqd", MQ_TUN);
	TT_SYS(b);
	TT_SYS(attach("ttmqd", MQ_TUN));
	TT_CALL(check_detail("ttmqd", "tun type tun pi off vnet_hdr off "
			  "multi_queue numqueues 3 numdisabled 0 persist off"));
	TT_SYS(setqueue(b, IFF_DETACH_QUEUE));
	TT_CALL(check_detail("ttmqd", "tun type tun pi off vnet_hdr off "
			  "multi_queue numqueues 2 numdisabled 1 persist off"));
	/* The device has room for 256 queues whatever is attached. */
	TT_EQ(tt_sh_out(out, sizeof(out),
			"ip -d link show dev ttmqd | "
			"grep -o 'numtxqueues [0-9]* numrxqueues [0-9]*'"), 0);
	TT_STREQ(out, "numtxqueues 256 numrxqueues 256\n");
	/* A single-queue device says nothing of queues. */
	TT_SYS(attach("ttmqs", IFF_TUN | IFF_NO_PI));
	TT_CALL(check_detail("ttmqs", "tun type tun pi off vnet_hdr off "
			  "persist off"));
	TT_EQ(tt_sh_out(out, sizeof(out),
			"ip -d link show dev ttmqs | "
			"grep -o 'numtxqueues [0-9]* numrxqueues [0-9]*'"), 0);
	TT_STREQ(out, "numtxqueues 1 numrxqueues 1\n");
	return TT_PASS;
}

/* Open and attach one more queue, kept in many_fds: 0 or -1/errno. */
static int attach_many(const char *name)
{
	struct ifreq ifr;
	int fd, e;

	fd = open(TT_TUN_PATH, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	if (setiff(fd, name, MQ_TUN, &ifr) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	many_fds[n_many++] = fd;
	return 0;
}

static int c_queue_limit(void)
{
	int five;

	for (int i = 0; i < MAX_QUEUES; i++)
		if (attach_many("ttmql") < 0)
			return tt_fail("queue %d: TUNSETIFF: %s", i + 1,
				       tt_errname(errno));
	TT_CALL(check_queue_dirs("ttmql", MAX_QUEUES));
	TT_CALL(check_numqueues("ttmql", IFF_TUN, MAX_QUEUES, 0, 0));
	/* The 257th. */
	TT_ERRNO(attach_many("ttmql"), E2BIG);
	/* A detached queue still holds its place... */
	five = many_fds[5];
	TT_SYS(setqueue(five, IFF_DETACH_QUEUE));
	TT_CALL(check_queue_dirs("ttmql", MAX_QUEUES - 1));
	TT_CALL(check_numqueues("ttmql", IFF_TUN, MAX_QUEUES - 1, 1, 0));
	TT_ERRNO(attach_many("ttmql"), E2BIG);
	/* ...and gets it back. */
	TT_SYS(setqueue(five, IFF_ATTACH_QUEUE));
	TT_CALL(check_numqueues("ttmql", IFF_TUN, MAX_QUEUES, 0, 0));
	TT_CALL(check_queue_dirs("ttmql", MAX_QUEUES));
	/* Room again once one is closed. */
	close(many_fds[--n_many]);
	TT_SYS(attach_many("ttmql"));
	TT_CALL(check_numqueues("ttmql", IFF_TUN, MAX_QUEUES, 0, 0));
	return TT_PASS;
}

static int c_attach_without_mq(void)
{
	TT_SYS(attach("ttmqn", MQ_TUN));
	TT_ERRNO(tt_tun_alloc("ttmqn", IFF_TUN | IFF_NO_PI, NULL), EINVAL);
	TT_ERRNO(tt_tun_alloc("ttmqn", IFF_TUN, NULL), EINVAL);
	/* The type is checked as well. */
	TT_ERRNO(tt_tun_alloc("ttmqn", MQ_TAP, NULL), EINVAL);
	TT_CALL(check_numqueues("ttmqn", IFF_TUN, 1, 0, 0));
	TT_CALL(check_queue_dirs("ttmqn", 1));
	return TT_PASS;
}

static int c_mq_to_single_queue(void)
{
	int fd;

	fd = attach("ttmqsq", IFF_TUN | IFF_NO_PI);
	TT_SYS(fd);
	/* EINVAL, not the EBUSY of a second single-queue attachment. */
	TT_ERRNO(tt_tun_alloc("ttmqsq", MQ_TUN, NULL), EINVAL);
	TT_ERRNO(tt_tun_alloc("ttmqsq", IFF_TUN | IFF_MULTI_QUEUE, NULL),
		 EINVAL);
	TT_EQ(tt_sysfs_num("ttmqsq", "tun_flags"), 0x1001);
	/* It is the device that refuses: once gone, the name takes it. */
	tt_close(fd);
	TT_CHECK(tt_link_wait("ttmqsq", 0, TT_WAIT_MS), "ttmqsq survived");
	TT_SYS(attach("ttmqsq", MQ_TUN));
	TT_EQ(tt_sysfs_num("ttmqsq", "tun_flags"), 0x1101);
	return TT_PASS;
}

static int c_later_attach_keeps_flags(void)
{
	int a, b, s;

	/* The first queue sets the device's flags; later ones do not. */
	TT_CALL(mq_dev("ttmqk", MQ_TUN, 1, &a));
	b = attach("ttmqk", IFF_TUN | IFF_MULTI_QUEUE);
	TT_SYS(b);
	TT_EQ(tt_sysfs_num("ttmqk", "tun_flags"), 0x1101);
	TT_EQ(getiff_flags(b), MQ_TUN);
	TT_CALL(check_numqueues("ttmqk", IFF_TUN, 2, 0, 0));
	/* So the new queue takes packets without struct tun_pi. */
	s = receiver();
	TT_SYS(s);
	TT_CALL(inject(b, 40001, 'b'));
	TT_CALL(check_injected(s, 40001, 'b'));
	return TT_PASS;
}

/* ---- TUNSETQUEUE ---- */

static int c_detach_queue(void)
{
	int fds[3];

	TT_CALL(mq_dev("ttmqq", MQ_TUN, 3, fds));
	TT_EQ(setqueue(fds[1], IFF_DETACH_QUEUE), 0);
	/* TUNGETIFF tells a detached fd by IFF_DETACH_QUEUE. */
	TT_EQ(getiff_flags(fds[1]), MQ_TUN | IFF_DETACH_QUEUE);
	TT_EQ(getiff_flags(fds[0]), MQ_TUN);
	TT_EQ(getiff_flags(fds[2]), MQ_TUN);
	TT_EQ(tt_sysfs_num("ttmqq", "tun_flags"), 0x1101);
	TT_CALL(check_numqueues("ttmqq", IFF_TUN, 2, 1, 0));
	TT_CALL(check_queue_dirs("ttmqq", 2));
	TT_EQ(setqueue(fds[0], IFF_DETACH_QUEUE), 0);
	TT_CALL(check_numqueues("ttmqq", IFF_TUN, 1, 2, 0));
	TT_CALL(check_queue_dirs("ttmqq", 1));
	/* Even the last attached queue may go. */
	TT_EQ(setqueue(fds[2], IFF_DETACH_QUEUE), 0);
	TT_CALL(check_numqueues("ttmqq", IFF_TUN, 0, 3, 0));
	/* There is always at least one queue directory. */
	TT_CALL(check_queue_dirs("ttmqq", 1));
	TT_CHECK(tt_link_exists("ttmqq"), "ttmqq vanished");
	return TT_PASS;
}

static int c_detach_twice(void)
{
	int fds[2];

	TT_CALL(mq_dev("ttmqt", MQ_TUN, 2, fds));
	TT_SYS(setqueue(fds[0], IFF_DETACH_QUEUE));
	TT_ERRNO(setqueue(fds[0], IFF_DETACH_QUEUE), EINVAL);
	TT_CALL(check_numqueues("ttmqt", IFF_TUN, 1, 1, 0));
	TT_EQ(getiff_flags(fds[0]), MQ_TUN | IFF_DETACH_QUEUE);
	return TT_PASS;
}

static int c_single_queue_setqueue(void)
{
	int fd, mq;

	fd = attach("ttmqsq", IFF_TUN | IFF_NO_PI);
	TT_SYS(fd);
	TT_ERRNO(setqueue(fd, IFF_DETACH_QUEUE), EINVAL);
	TT_ERRNO(setqueue(fd, IFF_ATTACH_QUEUE), EINVAL);
	TT_EQ(getiff_flags(fd), IFF_TUN | IFF_NO_PI);
	/* The same requests on the only queue of a multiqueue device work. */
	mq = attach("ttmqsq1", MQ_TUN);
	TT_SYS(mq);
	TT_EQ(setqueue(mq, IFF_DETACH_QUEUE), 0);
	TT_EQ(setqueue(mq, IFF_ATTACH_QUEUE), 0);
	TT_CALL(check_numqueues("ttmqsq1", IFF_TUN, 1, 0, 0));
	return TT_PASS;
}

static int c_attach_queue(void)
{
	int fds[3];

	TT_CALL(mq_dev("ttmqr", MQ_TUN, 3, fds));
	TT_SYS(setqueue(fds[0], IFF_DETACH_QUEUE));
	TT_SYS(setqueue(fds[2], IFF_DETACH_QUEUE));
	TT_CALL(check_numqueues("ttmqr", IFF_TUN, 1, 2, 0));
	TT_EQ(setqueue(fds[0], IFF_ATTACH_QUEUE), 0);
	TT_EQ(getiff_flags(fds[0]), MQ_TUN);
	TT_CALL(check_numqueues("ttmqr", IFF_TUN, 2, 1, 0));
	TT_CALL(check_queue_dirs("ttmqr", 2));
	/* Both flags: IFF_ATTACH_QUEUE is the one that counts. */
	TT_EQ(setqueue(fds[2], IFF_ATTACH_QUEUE | IFF_DETACH_QUEUE), 0);
	TT_EQ(getiff_flags(fds[2]), MQ_TUN);
	TT_CALL(check_numqueues("ttmqr", IFF_TUN, 3, 0, 0));
	TT_CALL(check_queue_dirs("ttmqr", 3));
	return TT_PASS;
}

static int c_attach_attached(void)
{
	int fds[2];

	TT_CALL(mq_dev("ttmqe", MQ_TUN, 2, fds));
	TT_ERRNO(setqueue(fds[0], IFF_ATTACH_QUEUE), EINVAL);
	TT_ERRNO(setqueue(fds[0], IFF_ATTACH_QUEUE | IFF_DETACH_QUEUE),
		 EINVAL);
	/* Once re-attached it is an attached fd again. */
	TT_SYS(setqueue(fds[1], IFF_DETACH_QUEUE));
	TT_SYS(setqueue(fds[1], IFF_ATTACH_QUEUE));
	TT_ERRNO(setqueue(fds[1], IFF_ATTACH_QUEUE), EINVAL);
	TT_CALL(check_numqueues("ttmqe", IFF_TUN, 2, 0, 0));
	return TT_PASS;
}

static int c_setqueue_no_flag(void)
{
	int fds[2];

	TT_CALL(mq_dev("ttmqz", MQ_TUN, 2, fds));
	TT_ERRNO(setqueue(fds[0], 0), EINVAL);
	TT_ERRNO(setqueue(fds[0], MQ_TUN), EINVAL);
	TT_SYS(setqueue(fds[1], IFF_DETACH_QUEUE));
	TT_ERRNO(setqueue(fds[1], 0), EINVAL);
	TT_ERRNO(setqueue(fds[1], MQ_TUN), EINVAL);
	TT_CALL(check_numqueues("ttmqz", IFF_TUN, 1, 1, 0));
	return TT_PASS;
}

static int c_setqueue_unattached(void)
{
	int fd;

	fd = tt_tun_open(0);
	TT_SYS(fd);
	/* EINVAL, where most ioctls of an unattached fd say EBADFD. */
	TT_ERRNO(setqueue(fd, IFF_ATTACH_QUEUE), EINVAL);
	TT_ERRNO(setqueue(fd, IFF_DETACH_QUEUE), EINVAL);
	TT_ERRNO(setqueue(fd, 0), EINVAL);
	/* The fd is still free to make a device. */
	TT_SYS(tt_tun_setiff(fd, "ttmqu", MQ_TUN, NULL));
	TT_CALL(check_numqueues("ttmqu", IFF_TUN, 1, 0, 0));
	return TT_PASS;
}

static int c_setiff_detached(void)
{
	struct ifreq ifr;
	int fds[2];

	TT_CALL(mq_dev("ttmqf", MQ_TUN, 2, fds));
	TT_SYS(setqueue(fds[1], IFF_DETACH_QUEUE));
	/* A detached fd still belongs to its device. */
	TT_ERRNO(setiff(fds[1], "ttmqf", MQ_TUN, &ifr), EEXIST);
	TT_ERRNO(setiff(fds[1], "ttmqf2", MQ_TUN, &ifr), EEXIST);
	TT_ERRNO(setiff(fds[1], "ttmqf3", IFF_TAP | IFF_NO_PI, &ifr), EEXIST);
	TT_CHECK(!tt_link_exists("ttmqf2") && !tt_link_exists("ttmqf3"),
		 "a device was created");
	TT_CALL(check_numqueues("ttmqf", IFF_TUN, 1, 1, 0));
	TT_EQ(getiff_flags(fds[1]), MQ_TUN | IFF_DETACH_QUEUE);
	return TT_PASS;
}

static short poll_now(int fd)
{
	struct pollfd p = { .fd = fd, .events = ALL_EVENTS };

	if (poll(&p, 1, 0) < 0)
		return -1;
	return p.revents;
}

static int c_detached_io(void)
{
	struct tt_stats st;
	int fds[2], s;

	TT_CALL(mq_dev("ttmqio", MQ_TUN, 2, fds));
	s = receiver();
	TT_SYS(s);
	TT_SYS(setqueue(fds[1], IFF_DETACH_QUEUE));
	/* Never readable... */
	TT_CALL(send_flow(FLOW_BASE, 20));
	TT_CALL(check_empty(fds[1]));
	TT_EQ(poll_now(fds[1]), POLLOUT | POLLWRNORM);
	/* ...but still writable: a write injects the packet. */
	TT_CALL(inject(fds[1], 40002, 'd'));
	TT_CALL(check_injected(s, 40002, 'd'));
	TT_CALL(stats_of("ttmqio", &st));
	TT_STATS_EQ(st, rx_packets, 1);
	TT_STATS_EQ(st, rx_bytes, INJECT_LEN);
	TT_STATS_EQ(st, tx_dropped, 0);
	/* Everything went to the attached queue. */
	for (int i = 0; i < 20; i++) {
		uint8_t buf[2048];
		int sport;

		TT_CALL(check_flow_packet(buf, read(fds[0], buf, sizeof(buf)),
				       &sport));
	}
	TT_CALL(check_empty(fds[0]));
	return TT_PASS;
}

static int c_detach_discards_pending(void)
{
	struct tt_stats st;
	int fds[2];

	TT_CALL(mq_dev("ttmqp", MQ_TUN, 2, fds));
	/* Only fds[0] attached: it gets all five. */
	TT_SYS(setqueue(fds[1], IFF_DETACH_QUEUE));
	TT_CALL(send_flow(FLOW_BASE, 5));
	TT_SYS(setqueue(fds[1], IFF_ATTACH_QUEUE));
	TT_SYS(setqueue(fds[0], IFF_DETACH_QUEUE));
	TT_SYS(setqueue(fds[0], IFF_ATTACH_QUEUE));
	/* Detaching threw them away, counted nowhere. */
	TT_CALL(check_empty(fds[0]));
	TT_CALL(check_empty(fds[1]));
	TT_CALL(stats_of("ttmqp", &st));
	TT_STATS_EQ(st, tx_packets, 0);
	TT_STATS_EQ(st, tx_dropped, 0);
	return TT_PASS;
}

static int c_all_detached_drops(void)
{
	struct tt_stats st;
	int fds[2];

	TT_CALL(mq_dev("ttmqx", MQ_TUN, 2, fds));
	TT_SYS(setqueue(fds[0], IFF_DETACH_QUEUE));
	TT_SYS(setqueue(fds[1], IFF_DETACH_QUEUE));
	TT_CALL(send_flow(FLOW_BASE, 7));
	TT_CALL(stats_of("ttmqx", &st));
	TT_STATS_EQ(st, tx_dropped, 7);
	TT_STATS_EQ(st, tx_packets, 0);
	/* The carrier stays on. */
	TT_EQ(tt_sysfs_num("ttmqx", "carrier"), 1);
	TT_SYS(setqueue(fds[0], IFF_ATTACH_QUEUE));
	TT_CALL(check_empty(fds[0]));
	/* And traffic flows again. */
	TT_CALL(send_flow(FLOW_BASE, 3));
	TT_CALL(stats_of("ttmqx", &st));
	TT_STATS_EQ(st, tx_dropped, 7);
	for (int i = 0; i < 3; i++) {
		uint8_t buf[2048];
		int sport;

		TT_CALL(check_flow_packet(buf, read(fds[0], buf, sizeof(buf)),
				       &sport));
	}
	return TT_PASS;
}

/* ---- traffic ---- */

#define NQ 4
#define NFLOWS 64
#define PER_FLOW 4

/*
 * NFLOWS flows of PER_FLOW datagrams over a device with NQ queues, of which
 * fds[skip] (if skip >= 0) is detached: every packet arrives once, each flow
 * on one queue, more than one queue used, none on the detached one.
 */
static int spread_case(const char *name, int skip)
{
	int fds[NQ], got[NQ], flow_q[NFLOWS], used = 0, total = 0;
	struct tt_stats st;

	TT_CALL(mq_dev(name, MQ_TUN, NQ, fds));
	if (skip >= 0)
		TT_SYS(setqueue(fds[skip], IFF_DETACH_QUEUE));
	for (int f = 0; f < NFLOWS; f++) {
		flow_q[f] = -1;
		TT_CALL(send_flow(FLOW_BASE + f, PER_FLOW));
	}
	TT_CALL(drain_flows(fds, NQ, got, flow_q, NFLOWS));
	for (int q = 0; q < NQ; q++) {
		tt_note("queue %d: %d packets", q, got[q]);
		total += got[q];
		used += got[q] > 0;
	}
	for (int f = 0; f < NFLOWS; f++)
		TT_CHECK(flow_q[f] >= 0, "flow %d never arrived",
			 FLOW_BASE + f);
	if (skip >= 0)
		TT_EQ(got[skip], 0);
	TT_CHECK(used > 1, "all %d flows arrived on one queue", NFLOWS);
	TT_CALL(stats_of(name, &st));
	TT_EQ(total + st.tx_dropped, NFLOWS * PER_FLOW);
	TT_EQ(total, NFLOWS * PER_FLOW);
	TT_STATS_EQ(st, tx_packets, NFLOWS * PER_FLOW);
	TT_STATS_EQ(st, tx_bytes, NFLOWS * PER_FLOW * UDP_LEN);
	if (skip >= 0) {
		/* Nothing waits on it either once it is back. */
		TT_SYS(setqueue(fds[skip], IFF_ATTACH_QUEUE));
		TT_CALL(check_empty(fds[skip]));
	}
	return TT_PASS;
}

static int c_spread(void)
{
	return spread_case("ttmqs0", -1);
}

static int c_spread_detached(void)
{
	return spread_case("ttmqs1", 1);
}

/*
 * TUNSETSTEERINGEBPF: the program's return value, modulo the number of
 * queues, picks the queue of every packet; -1 goes back to flow hashing.
 */
static int c_steering_ebpf(void)
{
	int fds[NQ], got[NQ], flow_q[NFLOWS], prog, none = -1, used = 0;
	const int pick[2] = { 3, 6 };	/* 6 % NQ: queue 2 */

	TT_CALL(mq_dev("ttmqeb", MQ_TUN, NQ, fds));
	for (int round = 0; round < 2; round++) {
		prog = tt_bpf_const_prog(BPF_PROG_TYPE_SOCKET_FILTER,
					 pick[round]);
		TT_CHECK(prog >= 0, "BPF_PROG_LOAD: %s", tt_errname(errno));
		tt_defer_fd(prog);
		TT_SYS(ioctl(fds[0], TUNSETSTEERINGEBPF, &prog));
		for (int f = 0; f < 16; f++) {
			flow_q[f] = -1;
			TT_CALL(send_flow(FLOW_BASE + f, 2));
		}
		TT_CALL(drain_flows(fds, NQ, got, flow_q, 16));
		for (int q = 0; q < NQ; q++)
			TT_EQ(got[q], q == pick[round] % NQ ? 32 : 0);
	}
	/* without a program, flows spread again */
	TT_SYS(ioctl(fds[0], TUNSETSTEERINGEBPF, &none));
	for (int f = 0; f < NFLOWS; f++) {
		flow_q[f] = -1;
		TT_CALL(send_flow(FLOW_BASE + f, 1));
	}
	TT_CALL(drain_flows(fds, NQ, got, flow_q, NFLOWS));
	for (int q = 0; q < NQ; q++)
		used += got[q] > 0;
	TT_CHECK(used > 1, "all %d flows arrived on one queue", NFLOWS);
	return TT_PASS;
}

/*
 * The program's return value is cut to 16 bits before the modulo: 0x10001
 * on three queues is queue 1 (0x0001 % 3), not queue 2 (65537 % 3).
 */
static int c_steering_ebpf_u16(void)
{
	int fds[3], got[3], flow_q[8], prog;

	TT_CALL(mq_dev("ttmqeu", MQ_TUN, 3, fds));
	prog = tt_bpf_const_prog(BPF_PROG_TYPE_SOCKET_FILTER, 0x10001);
	TT_CHECK(prog >= 0, "BPF_PROG_LOAD: %s", tt_errname(errno));
	tt_defer_fd(prog);
	TT_SYS(ioctl(fds[0], TUNSETSTEERINGEBPF, &prog));
	for (int f = 0; f < 8; f++) {
		flow_q[f] = -1;
		TT_CALL(send_flow(FLOW_BASE + f, 2));
	}
	TT_CALL(drain_flows(fds, 3, got, flow_q, 8));
	TT_EQ(got[0], 0);
	TT_EQ(got[1], 16);
	TT_EQ(got[2], 0);
	return TT_PASS;
}

/*
 * Send the UDP datagram PEER_IP:sport -> DEV_IP:RECV_PORT out of @dev (a
 * tun) from a packet socket with PACKET_QDISC_BYPASS: that path asks the
 * driver's ndo_select_queue whatever the number of queues, where the
 * stack's own skips it on a device with one.  The packet is left in @pkt.
 */
static int send_bypass(const char *dev, uint16_t sport, uint8_t *pkt,
		       size_t *len)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_IP),
	};
	static const char payload[4] = "byp";
	int s, one = 1;

	*len = tt_udp4(pkt, tt_ip4(PEER_IP), tt_ip4(DEV_IP), sport, RECV_PORT,
		       payload, sizeof(payload));
	sll.sll_ifindex = (int)if_nametoindex(dev);
	TT_CHECK(sll.sll_ifindex > 0, "no %s", dev);
	s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	TT_SYS(s);
	tt_defer_fd(s);
	TT_SYS(setsockopt(s, SOL_PACKET, PACKET_QDISC_BYPASS, &one,
			  sizeof(one)));
	TT_EQ(sendto(s, pkt, *len, 0, (struct sockaddr *)&sll, sizeof(sll)),
	      (ssize_t)*len);
	tt_close(s);
	return TT_PASS;
}

/*
 * With one queue the steering program still runs on every packet the
 * driver is asked to place (its side effects happen: here, the count it
 * keeps in an array map), though the answer can only be queue 0.
 */
static int c_steering_ebpf_one_queue(void)
{
	uint8_t pkt[64], buf[2048];
	int fd, map, prog;
	uint64_t runs;
	size_t len;

	TT_CALL(mq_dev("ttmqe1", MQ_TUN, 1, &fd));
	map = tt_bpf_array_map(1);
	TT_CHECK(map >= 0, "BPF_MAP_CREATE: %s", tt_errname(errno));
	tt_defer_fd(map);
	prog = tt_bpf_counting_prog(BPF_PROG_TYPE_SOCKET_FILTER, map, 5);
	TT_CHECK(prog >= 0, "BPF_PROG_LOAD: %s", tt_errname(errno));
	tt_defer_fd(prog);
	TT_SYS(ioctl(fd, TUNSETSTEERINGEBPF, &prog));
	for (int i = 0; i < 3; i++) {
		TT_CALL(send_bypass("ttmqe1", (uint16_t)(FLOW_BASE + i), pkt,
				    &len));
		TT_EQ(tt_read_timeout(fd, buf, sizeof(buf), 2000),
		      (ssize_t)len);
		TT_MEMEQ(buf, pkt, len);
		TT_SYS(tt_bpf_map_read(map, 0, &runs));
		TT_EQ(runs, (uint64_t)i + 1);
	}
	TT_CALL(check_empty(fd));
	return TT_PASS;
}

static int c_ring_per_queue(void)
{
	int fds[NQ], got[NQ], flow_q[1] = { -1 }, hit = 0;
	struct tt_stats st;

	TT_CALL(mq_dev("ttmqg", MQ_TUN, NQ, fds));
	/* Every queue's ring is tx_queue_len long (resized with it). */
	TT_SYS(tt_link_txqlen("ttmqg", 4));
	TT_CALL(send_flow(FLOW_BASE, 10));
	TT_CALL(stats_of("ttmqg", &st));
	TT_STATS_EQ(st, tx_dropped, 6);
	TT_CALL(drain_flows(fds, NQ, got, flow_q, 1));
	for (int q = 0; q < NQ; q++) {
		TT_CHECK(got[q] == 0 || got[q] == 4,
			 "queue %d had %d packets", q, got[q]);
		hit += got[q] == 4;
	}
	TT_EQ(hit, 1);
	TT_CALL(stats_of("ttmqg", &st));
	TT_STATS_EQ(st, tx_packets, 4);
	TT_STATS_EQ(st, tx_dropped, 6);
	return TT_PASS;
}

static int c_write_every_queue(void)
{
	struct tt_stats st;
	int fds[NQ], s;

	TT_CALL(mq_dev("ttmqw", MQ_TUN, NQ, fds));
	s = receiver();
	TT_SYS(s);
	/* Each packet names its queue, and is received as it was sent. */
	for (int i = 0; i < 3; i++) {
		for (int q = 0; q < NQ; q++) {
			uint16_t sport = (uint16_t)(41000 + q);
			uint8_t tag = (uint8_t)('0' + q);

			TT_CALL(inject(fds[q], sport, tag));
			TT_CALL(check_injected(s, sport, tag));
		}
	}
	TT_CALL(stats_of("ttmqw", &st));
	TT_STATS_EQ(st, rx_packets, 3 * NQ);
	TT_STATS_EQ(st, rx_bytes, 3 * NQ * INJECT_LEN);
	TT_STATS_EQ(st, rx_dropped, 0);
	TT_STATS_EQ(st, tx_packets, 0);
	return TT_PASS;
}

/*
 * A flow first seen written into queue q is answered on queue q: the
 * driver learns the queue of each flow from the writes.
 */
static int c_reply_follows_writer(void)
{
	int fds[NQ], s, n;
	uint8_t buf[2048];
	char tmp[16];
	struct sockaddr_in from;
	socklen_t fl;

	TT_CALL(mq_dev("ttmqh", MQ_TUN, NQ, fds));
	s = receiver();
	TT_SYS(s);
	for (int i = 0; i < 4 * NQ; i++) {
		int q = i % NQ;

		TT_CALL(inject(fds[q], (uint16_t)(42000 + i), 'h'));
		fl = sizeof(from);
		TT_EQ(recvfrom(s, tmp, sizeof(tmp), 0,
			       (struct sockaddr *)&from, &fl), 4);
		TT_EQ(sendto(s, "re", 2, 0, (struct sockaddr *)&from, fl), 2);
	}
	for (int q = 0; q < NQ; q++) {
		for (int k = 0; k < 4; k++) {
			n = (int)read(fds[q], buf, sizeof(buf));
			TT_CHECK(n == 30, "queue %d, reply %d: read %d (%s)",
				 q, k, n, n < 0 ? tt_errname(errno) : "");
			TT_EQ(buf[9], 17);
			TT_EQ((buf[22] << 8 | buf[23]) % NQ, q);
			TT_EQ(buf[20] << 8 | buf[21], RECV_PORT);
		}
		TT_CALL(check_empty(fds[q]));
	}
	return TT_PASS;
}

/* ---- closing ---- */

static int c_close_one_by_one(void)
{
	int fds[3];

	TT_CALL(mq_dev("ttmqc", MQ_TUN, 3, fds));
	tt_close(fds[1]);
	TT_CALL(check_numqueues("ttmqc", IFF_TUN, 2, 0, 0));
	TT_CALL(check_queue_dirs("ttmqc", 2));
	tt_close(fds[0]);
	TT_CALL(check_numqueues("ttmqc", IFF_TUN, 1, 0, 0));
	TT_CALL(check_queue_dirs("ttmqc", 1));
	TT_EQ(tt_sysfs_num("ttmqc", "carrier"), 1);
	tt_close(fds[2]);
	TT_CHECK(tt_link_wait("ttmqc", 0, TT_WAIT_MS),
		 "ttmqc survived its last queue");
	return TT_PASS;
}

static int c_close_detached_last(void)
{
	int fds[3];

	TT_CALL(mq_dev("ttmqcd", MQ_TUN, 3, fds));
	TT_SYS(setqueue(fds[1], IFF_DETACH_QUEUE));
	TT_SYS(setqueue(fds[2], IFF_DETACH_QUEUE));
	tt_close(fds[0]);
	/* Detached queues keep the device, and its carrier. */
	tt_sleep_ms(100);
	TT_CHECK(tt_link_exists("ttmqcd"), "ttmqcd went with its last "
		 "attached queue");
	TT_CALL(check_numqueues("ttmqcd", IFF_TUN, 0, 2, 0));
	TT_CALL(check_queue_dirs("ttmqcd", 1));
	TT_EQ(tt_sysfs_num("ttmqcd", "carrier"), 1);
	tt_close(fds[2]);
	tt_sleep_ms(100);
	TT_CHECK(tt_link_exists("ttmqcd"), "ttmqcd went with a detached "
		 "queue still open");
	TT_CALL(check_numqueues("ttmqcd", IFF_TUN, 0, 1, 0));
	tt_close(fds[1]);
	TT_CHECK(tt_link_wait("ttmqcd", 0, TT_WAIT_MS),
		 "ttmqcd survived its last (detached) queue");
	return TT_PASS;
}

/* ---- persistent devices from iproute2 ---- */

static int c_persistent_tun(void)
{
	char out[256];
	int a, b;

	tt_defer_link("ttmqip");
	TT_EQ(tt_sh("ip tuntap add dev ttmqip mode tun multi_queue"), 0);
	TT_EQ(tt_sysfs_num("ttmqip", "tun_flags"), 0x1901);
	TT_CALL(check_numqueues("ttmqip", IFF_TUN, 0, 0, 1));
	TT_CALL(check_queue_dirs("ttmqip", 1));
	TT_EQ(tt_sh_out(out, sizeof(out), "ip tuntap show | grep '^ttmqip:'"),
	      0);
	TT_STREQ(out, "ttmqip: tun multi_queue persist\n");
	TT_ERRNO(tt_tun_alloc("ttmqip", IFF_TUN | IFF_NO_PI, NULL), EINVAL);
	a = attach("ttmqip", MQ_TUN);
	TT_SYS(a);
	b = attach("ttmqip", MQ_TUN);
	TT_SYS(b);
	TT_CALL(check_numqueues("ttmqip", IFF_TUN, 2, 0, 1));
	TT_CALL(check_queue_dirs("ttmqip", 2));
	TT_EQ(tt_sysfs_num("ttmqip", "tun_flags"), 0x1901);
	TT_SYS(setqueue(b, IFF_DETACH_QUEUE));
	TT_CALL(check_numqueues("ttmqip", IFF_TUN, 1, 1, 1));
	tt_close(a);
	tt_close(b);
	tt_sleep_ms(100);
	TT_CHECK(tt_link_exists("ttmqip"), "the persistent device went");
	TT_CALL(check_numqueues("ttmqip", IFF_TUN, 0, 0, 1));
	TT_CALL(check_queue_dirs("ttmqip", 1));
	/* iproute2 must be told multi_queue to delete it too. */
	TT_EQ(tt_sh("ip tuntap del dev ttmqip mode tun 2>/dev/null"), 1);
	TT_CHECK(tt_link_exists("ttmqip"), "deleted without multi_queue");
	TT_EQ(tt_sh("ip tuntap del dev ttmqip mode tun multi_queue"), 0);
	TT_CHECK(!tt_link_exists("ttmqip"), "ttmqip survived ip tuntap del");
	return TT_PASS;
}

static int c_persistent_tap_first_attach(void)
{
	char out[256];
	int a;

	tt_defer_link("ttmqipt");
	TT_EQ(tt_sh("ip tuntap add dev ttmqipt mode tap multi_queue"), 0);
	TT_EQ(tt_sysfs_num("ttmqipt", "tun_flags"), 0x1902);
	TT_CALL(check_numqueues("ttmqipt", IFF_TAP, 0, 0, 1));
	/* The first queue of an empty device sets its flags again... */
	a = attach("ttmqipt", IFF_TAP | IFF_MULTI_QUEUE);
	TT_SYS(a);
	TT_EQ(tt_sysfs_num("ttmqipt", "tun_flags"), 0x902);
	/* ...the next ones do not. */
	TT_SYS(attach("ttmqipt", MQ_TAP));
	TT_EQ(tt_sysfs_num("ttmqipt", "tun_flags"), 0x902);
	TT_CALL(ip_detail("ttmqipt", out, sizeof(out)));
	TT_STREQ(out, "tun type tap pi on vnet_hdr off multi_queue "
		 "numqueues 2 numdisabled 0 persist on");
	TT_EQ(tt_sh_out(out, sizeof(out), "ip tuntap show | grep '^ttmqipt:'"),
	      0);
	TT_STREQ(out, "ttmqipt: tap pi multi_queue persist filter\n");
	return TT_PASS;
}

int main(void)
{
	unsigned int features = 0;
	int fd;

	tt_init();
	fd = tt_tun_open(0);
	if (fd >= 0) {
		if (ioctl(fd, TUNGETFEATURES, &features) < 0)
			features = 0;
		tt_close(fd);
	}
	tt_note("TUNGETFEATURES = 0x%x", features);
	/* Stock advertises it: there, a lack of it must fail, not skip. */
	mq_advertised = (features & IFF_MULTI_QUEUE) ||
			!strcmp(tt_impl(), "stock");

	run("create_tun", c_create_tun);
	run("create_tap", c_create_tap);
	run("attach_tun_by_name", c_attach_tun_by_name);
	run("attach_tap_by_name", c_attach_tap_by_name);
	run("ip_detail_numqueues", c_ip_detail);
	run("queue_limit_256_e2big", c_queue_limit);
	run("attach_without_multi_queue_einval", c_attach_without_mq);
	run("multi_queue_to_single_queue_einval", c_mq_to_single_queue);
	run("later_attach_keeps_device_flags", c_later_attach_keeps_flags);
	run("detach_queue", c_detach_queue);
	run("detach_twice_einval", c_detach_twice);
	run("single_queue_setqueue_einval", c_single_queue_setqueue);
	run("attach_queue_reattaches", c_attach_queue);
	run("attach_attached_fd_einval", c_attach_attached);
	run("setqueue_no_flag_einval", c_setqueue_no_flag);
	run("setqueue_unattached_einval", c_setqueue_unattached);
	run("setiff_on_detached_eexist", c_setiff_detached);
	run("detached_queue_io", c_detached_io);
	run("detach_discards_pending", c_detach_discards_pending);
	run("all_queues_detached_drop", c_all_detached_drops);
	run("traffic_spreads_by_flow", c_spread);
	run("steering_ebpf_picks_queue", c_steering_ebpf);
	run("steering_ebpf_return_cut_to_u16", c_steering_ebpf_u16);
	run("steering_ebpf_runs_on_one_queue", c_steering_ebpf_one_queue);
	run("detached_queue_gets_no_traffic", c_spread_detached);
	run("ring_per_queue_txqueuelen", c_ring_per_queue);
	run("write_from_every_queue", c_write_every_queue);
	run("reply_follows_writer_queue", c_reply_follows_writer);
	run("close_queues_one_by_one", c_close_one_by_one);
	run("close_detached_last", c_close_detached_last);
	run("persistent_tun_multi_queue", c_persistent_tun);
	run("persistent_tap_first_attach_sets_flags",
	    c_persistent_tap_first_attach);
	return tt_done();
}
