// SPDX-License-Identifier: GPL-2.0
/*
 * IFF_NAPI and IFF_NAPI_FRAGS, rx batching (ethtool -c/-C rx-frames) and
 * software transmit timestamps.
 *
 * IFF_NAPI hands what is written into the fd to the stack from a NAPI
 * context of the queue; IFF_NAPI_FRAGS (tap only, with IFF_NAPI, for
 * CAP_NET_ADMIN in the initial user namespace) goes further: each iovec
 * of a writev() after the first becomes one page fragment of the skb,
 * which sets limits of its own on the iovecs.  Both are checked the only
 * way that matters from user space: frames written go in and come back
 * (an ICMP echo answered byte for byte, UDP datagrams counted at a
 * socket), with exact device counters and the errno of every refusal.
 *
 * rx-frames and the timestamps do not depend on NAPI and run on every
 * driver; the NAPI cases are skipped, with the reason, on a driver whose
 * TUNGETFEATURES lacks IFF_NAPI (never on stock, which must have it).
 *
 * The device is 198.18.14.1/24; the fd plays the peer 198.18.14.2.  Every
 * value here was established against the stock tun.ko of 6.1 and 6.12.
 */
#include "tt.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEV_IP "198.18.14.1"
#define PEER_IP "198.18.14.2"
#define RECV_PORT 5514
#define PEER_PORT 7514
#define SRC_PORT 4014
#define PAYLOAD_LEN 32
#define ECHO_LEN (28 + PAYLOAD_LEN)

#define UID_A 1234
#define GID_A 4321

/* The kernel's MAX_SKB_FRAGS (17 on both series) and PAGE_SIZE on x86. */
#define MAX_FRAGS 17
#define PAGE 4096
/*
 * The longest frame IFF_NAPI_FRAGS takes: ETH_MAX_MTU - NET_SKB_PAD -
 * NET_IP_ALIGN = 65535 - 64 - 0 on x86-64.
 */
#define FRAGS_MAX_LEN 65471

/* The kernel's NAPI_POLL_WEIGHT: the ceiling of rx-frames. */
#define POLL_WEIGHT 64

/* A burst: more frames than a NAPI poll takes, of BURST_PLEN bytes. */
#define BURST 100
#define BURST_PLEN 64

static const uint8_t peer_mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x0e, 0x02 };

static uint8_t payload[PAYLOAD_LEN];

/* ---- which cases run ---- */

static unsigned int features;
static tt_case_fn current;

/*
 * A NAPI case: skipped on a driver that does not advertise the flag,
 * failed on stock, which must advertise it.
 */
static int napi_gate(unsigned int need)
{
	if ((features & need) == need)
		return TT_PASS;
	if (!strcmp(tt_impl(), "stock"))
		return tt_fail("stock TUNGETFEATURES 0x%x lacks 0x%x", features,
			       need & ~features);
	if (!(features & IFF_NAPI))
		return tt_skip("driver does not advertise IFF_NAPI");
	return tt_skip("driver does not advertise IFF_NAPI_FRAGS");
}

static int run_napi_case(void)
{
	TT_CALL(napi_gate(IFF_NAPI));
	return current();
}

static int run_frags_case(void)
{
	TT_CALL(napi_gate(IFF_NAPI | IFF_NAPI_FRAGS));
	return current();
}

static void run_napi(const char *name, tt_case_fn fn)
{
	current = fn;
	tt_run(name, run_napi_case);
}

static void run_frags(const char *name, tt_case_fn fn)
{
	current = fn;
	tt_run(name, run_frags_case);
}

/* ---- devices ---- */

static int is_tap(int flags)
{
	return (flags & (IFF_TUN | IFF_TAP)) == IFF_TAP;
}

/*
 * Up, IPv6 off, DEV_IP/24; a tap also gets a permanent neighbour entry
 * for the peer, so that nothing but what a case provokes reaches the fd
 * (tt_mkdev(), tt_dev_setup()).
 */
static const struct tt_devopts devopts = {
	.ip = DEV_IP,
	.peer_ip = PEER_IP,
	.peer_mac = peer_mac,
};

/*
 * The MAC frames to name go to: a tap's own, read into mac, in *mp; none
 * (NULL) for a tun.
 */
static int dst_mac(const char *name, int flags, uint8_t mac[6],
		   const uint8_t **mp)
{
	*mp = NULL;
	if (!is_tap(flags))
		return TT_PASS;
	TT_SYS(tt_link_hwaddr(name, mac));
	*mp = mac;
	return TT_PASS;
}

/* TUNSETIFF of name and flags on fd; 0 or the errno. */
static int setiff_on(int fd, const char *name, int flags)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	ifr.ifr_flags = (short)flags;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		return errno;
	return 0;
}

/* TUNSETIFF on a new fd; 0 or the errno, the fd (if any) in *fdp. */
static int setiff_errno(const char *name, int flags, int *fdp)
{
	int fd = tt_tun_open(0);

	if (fdp)
		*fdp = fd;
	if (fd < 0)
		return errno;
	if (tt_tun_setiff(fd, name, flags, NULL) < 0)
		return errno;
	return 0;
}

/* TUNGETIFF's flags, or -1. */
static int getiff_flags(int fd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(fd, TUNGETIFF, &ifr) < 0)
		return -1;
	return (unsigned short)ifr.ifr_flags;
}

static int setqueue(int fd, int flags)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = (short)flags;
	return ioctl(fd, TUNSETQUEUE, &ifr);
}

struct counters {
	unsigned long long rxp, rxb, rxd, txp, txb, txd;
};

static int counters_eq(const char *dev, const struct counters *want)
{
	struct tt_stats st;

	TT_SYS(tt_stats(dev, &st));
	TT_STATS_EQ(st, rx_packets, want->rxp);
	TT_STATS_EQ(st, rx_bytes, want->rxb);
	TT_STATS_EQ(st, rx_dropped, want->rxd);
	TT_STATS_EQ(st, tx_packets, want->txp);
	TT_STATS_EQ(st, tx_bytes, want->txb);
	TT_STATS_EQ(st, tx_dropped, want->txd);
	/* Nothing here is ever a frame error. */
	TT_EQ(tt_sysfs_num(dev, "statistics/rx_frame_errors"), 0);
	return TT_PASS;
}

/* rx packets/bytes/dropped, tx packets/bytes/dropped. */
#define STATS(dev, a, b, c, d, e, f)                                           \
	TT_CALL(counters_eq(dev, &(struct counters){ a, b, c, d, e, f }))

/* Nothing more is queued on fd: a non-blocking read says EAGAIN. */
static int queue_empty(int fd)
{
	uint8_t buf[128];
	int fl = fcntl(fd, F_GETFL);

	TT_SYS(fcntl(fd, F_SETFL, fl | O_NONBLOCK));
	TT_ERRNO(read(fd, buf, sizeof(buf)), EAGAIN);
	TT_SYS(fcntl(fd, F_SETFL, fl));
	return TT_PASS;
}

/* ---- ICMP echo ---- */

/* Echo requests to the device; for a tap in Ethernet frames to its MAC. */
static const struct tt_echo echo = {
	.dev_ip = DEV_IP,
	.peer_ip = PEER_IP,
	.id = 0x4e41,
	.payload = payload,
	.plen = PAYLOAD_LEN,
	.peer_mac = peer_mac,
};

/* Read the reply to echo request seq and check it byte for byte. */
static int read_echo_reply(int fd, const uint8_t *mac, uint16_t seq)
{
	uint8_t buf[2048];
	ssize_t n;

	n = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_CHECK(n >= 0, "no echo reply %u: %s", seq, tt_errname(errno));
	return tt_echo_reply_check(buf, n, &echo, mac, seq);
}

/* ---- UDP to a socket on the device ---- */

#define BIG 70000
static uint8_t frame_buf[BIG], recv_buf[BIG], pattern_buf[BIG];

/* The payload of datagram seq: its number, then a pattern. */
static void pattern(uint8_t *p, uint16_t seq, size_t len)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(seq * 13 + i * 7 + i / 253);
	if (len >= 2) {
		p[0] = (uint8_t)(seq >> 8);
		p[1] = (uint8_t)seq;
	}
}

/*
 * PEER_IP:SRC_PORT -> DEV_IP:RECV_PORT with plen bytes of pattern(seq);
 * for a tap in an Ethernet frame to mac.  Above 1500 bytes of payload
 * the UDP checksum is left out (0), which IPv4 allows.  Returns the
 * length of the frame.
 */
static size_t udp_frame(uint8_t *buf, const uint8_t *mac, uint16_t seq,
			size_t plen)
{
	size_t off = mac ? tt_eth(buf, mac, peer_mac, 0x0800) : 0;

	pattern(pattern_buf, seq, plen);
	return off + tt_udp4(buf + off, tt_ip4(PEER_IP), tt_ip4(DEV_IP),
			     SRC_PORT, RECV_PORT, pattern_buf, plen);
}

/* A non-blocking UDP socket on DEV_IP:RECV_PORT with room for a lot. */
static int receiver(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int s, big = 8 << 20;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0)
		return tt_fail("socket: %s", tt_errname(errno));
	tt_defer_fd(s);
	if (setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)) < 0)
		return tt_fail("SO_RCVBUFFORCE: %s", tt_errname(errno));
	a.sin_addr.s_addr = tt_ip4(DEV_IP);
	a.sin_port = htons(RECV_PORT);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0)
		return tt_fail("bind: %s", tt_errname(errno));
	return s;
}

/* One datagram now (no waiting) or -1/EAGAIN. */
static ssize_t recv_now(int s, struct sockaddr_in *from)
{
	socklen_t fl = sizeof(*from);

	return recvfrom(s, recv_buf, sizeof(recv_buf), MSG_DONTWAIT,
			(struct sockaddr *)from, &fl);
}

/* A received datagram is exactly udp_frame(.., seq, plen)'s payload. */
static int check_datagram(ssize_t n, const struct sockaddr_in *from,
			  uint16_t seq, size_t plen)
{
	TT_EQ(n, (ssize_t)plen);
	TT_EQ(from->sin_addr.s_addr, tt_ip4(PEER_IP));
	TT_EQ(ntohs(from->sin_port), SRC_PORT);
	pattern(pattern_buf, seq, plen);
	TT_MEMEQ(recv_buf, pattern_buf, plen);
	return TT_PASS;
}

/* The next datagram (within TT_WAIT_MS) is udp_frame(.., seq, plen)'s. */
static int expect_datagram(int s, uint16_t seq, size_t plen)
{
	struct pollfd p = { .fd = s, .events = POLLIN };
	struct sockaddr_in from;
	ssize_t n;

	TT_CHECK(poll(&p, 1, TT_WAIT_MS) == 1, "datagram %u never arrived",
		 seq);
	n = recv_now(s, &from);
	TT_CHECK(n >= 0, "recv: %s", tt_errname(errno));
	return check_datagram(n, &from, seq, plen);
}

/*
 * Datagrams seq first .. first+count-1 of plen bytes all arrive, each
 * once, and nothing else: waits up to TT_WAIT_MS for the last of them.
 */
static int expect_datagrams(int s, uint16_t first, int count, size_t plen)
{
	static uint8_t seen[1024];
	struct pollfd p = { .fd = s, .events = POLLIN };
	long long until = tt_now_ms() + TT_WAIT_MS;
	struct sockaddr_in from;
	int got = 0, seq;
	ssize_t n;

	memset(seen, 0, sizeof(seen));
	while (got < count) {
		n = recv_now(s, &from);
		if (n < 0) {
			TT_CHECK(errno == EAGAIN, "recv: %s",
				 tt_errname(errno));
			TT_CHECK(tt_now_ms() < until,
				 "%d of %d datagrams arrived", got, count);
			poll(&p, 1, 50);
			continue;
		}
		TT_EQ(n, (ssize_t)plen);
		seq = recv_buf[0] << 8 | recv_buf[1];
		TT_CHECK(seq >= first && seq < first + count &&
			 !seen[seq - first],
			 "unexpected or repeated datagram %d", seq);
		seen[seq - first] = 1;
		TT_CALL(check_datagram(n, &from, (uint16_t)seq, plen));
		got++;
	}
	/* And no more. */
	tt_sleep_ms(50);
	TT_ERRNO(recv_now(s, &from), EAGAIN);
	return TT_PASS;
}

/*
 * Datagram seq written into fd is at the socket s as soon as write()
 * returns.
 */
static int arrives_at_once(int fd, int s, const uint8_t *mac, uint16_t seq)
{
	size_t len = udp_frame(frame_buf, mac, seq, BURST_PLEN);
	struct sockaddr_in from;
	ssize_t n;

	TT_EQ(write(fd, frame_buf, len), (ssize_t)len);
	n = recv_now(s, &from);
	TT_CHECK(n >= 0, "datagram %u not there after write(): %s", seq,
		 tt_errname(errno));
	return check_datagram(n, &from, seq, BURST_PLEN);
}

/*
 * Datagrams first .. first+BURST-1 written into fd back to back; the
 * length of each frame in *lenp.
 */
static int write_burst(int fd, const uint8_t *mac, uint16_t first,
		       size_t *lenp)
{
	for (int i = 0; i < BURST; i++) {
		*lenp = udp_frame(frame_buf, mac, (uint16_t)(first + i),
				  BURST_PLEN);
		TT_EQ(write(fd, frame_buf, *lenp), (ssize_t)*lenp);
	}
	return TT_PASS;
}

/* ---- writev() layouts ---- */

/*
 * Split buf[len] into n iovecs: the first of first bytes, the rest as
 * equal as they come (the last takes the remainder).
 */
static void split(struct iovec *iov, uint8_t *buf, size_t len, size_t first,
		  int n)
{
	size_t rest = len - first, each = n > 1 ? rest / (size_t)(n - 1) : 0;
	size_t off = first;

	iov[0] = (struct iovec){ buf, first };
	for (int i = 1; i < n; i++) {
		size_t l = i == n - 1 ? len - off : each;

		iov[i] = (struct iovec){ buf + off, l };
		off += l;
	}
}

/* iovecs of the given lengths (summing to the frame's length) over buf. */
static int layout(struct iovec *iov, uint8_t *buf, const size_t *lens, int n)
{
	size_t off = 0;

	for (int i = 0; i < n; i++) {
		iov[i] = (struct iovec){ buf + off, lens[i] };
		off += lens[i];
	}
	return n;
}

/* layout(), the lengths checked to add up to the frame's len. */
static int layout_frame(struct iovec *iov, uint8_t *buf, size_t len,
			const size_t *lens, int n)
{
	size_t sum = 0;

	for (int i = 0; i < n; i++)
		sum += lens[i];
	TT_EQ(sum, len);
	layout(iov, buf, lens, n);
	return TT_PASS;
}

/* ---- 1. IFF_NAPI ---- */

static int c_features(void)
{
	int fd = tt_tun_open(0);
	unsigned int f = 0;

	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNGETFEATURES, &f));
	TT_EQ(f & (IFF_NAPI | IFF_NAPI_FRAGS), IFF_NAPI | IFF_NAPI_FRAGS);
	return TT_PASS;
}

static int flags_case(const char *name, int flags, long long sysfs)
{
	struct ifreq ifr;
	int fd;

	fd = tt_tun_open(0);
	TT_SYS(fd);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	ifr.ifr_flags = (short)flags;
	TT_SYS(ioctl(fd, TUNSETIFF, &ifr));
	tt_defer_link(name);
	/* The request comes back as it was asked. */
	TT_STREQ(ifr.ifr_name, name);
	TT_EQ((unsigned short)ifr.ifr_flags, flags);
	/*
	 * TUNGETIFF: the device's flags; IFF_NOFILTER (no socket filter),
	 * which shares its bit with IFF_NO_PI, is always set there.
	 */
	TT_EQ(getiff_flags(fd), flags | IFF_NOFILTER);
	TT_EQ(tt_sysfs_num(name, "tun_flags"), sysfs);
	return TT_PASS;
}

static int c_napi_tun_flags(void)
{
	return flags_case("ttnp0", IFF_TUN | IFF_NO_PI | IFF_NAPI, 0x1011);
}

static int c_napi_tap_flags(void)
{
	return flags_case("ttnp1", IFF_TAP | IFF_NAPI, 0x0012);
}

static int echo_case(const char *name, int flags)
{
	uint8_t mac[6], req[14 + ECHO_LEN];
	const uint8_t *m;
	size_t len;
	int fd;

	fd = tt_mkdev(name, flags, &devopts);
	TT_SYS(fd);
	TT_CALL(dst_mac(name, flags, mac, &m));
	STATS(name, 0, 0, 0, 0, 0, 0);
	for (uint16_t seq = 1; seq <= 3; seq++) {
		len = tt_echo_request(req, &echo, m, seq);
		TT_EQ(write(fd, req, len), (ssize_t)len);
		TT_CALL(read_echo_reply(fd, m, seq));
		TT_CALL(queue_empty(fd));
		STATS(name, seq, seq * len, 0, seq, seq * len, 0);
	}
	return TT_PASS;
}

static int c_napi_tun_echo(void)
{
	return echo_case("ttnp2", IFF_TUN | IFF_NO_PI | IFF_NAPI);
}

static int c_napi_tap_echo(void)
{
	return echo_case("ttnp3", IFF_TAP | IFF_NO_PI | IFF_NAPI);
}

/*
 * More frames than a NAPI poll takes (64), written back to back: every
 * one reaches the socket, and the counters have them all.
 */
static int burst_case(const char *name, int flags)
{
	uint8_t mac[6];
	const uint8_t *m;
	size_t len = 0;
	int fd, s;

	fd = tt_mkdev(name, flags, &devopts);
	TT_SYS(fd);
	TT_CALL(dst_mac(name, flags, mac, &m));
	s = receiver();
	TT_SYS(s);
	TT_CALL(write_burst(fd, m, 0, &len));
	TT_CALL(expect_datagrams(s, 0, BURST, BURST_PLEN));
	STATS(name, BURST, BURST * len, 0, 0, 0, 0);
	return TT_PASS;
}

static int c_napi_tun_burst(void)
{
	return burst_case("ttnp4", IFF_TUN | IFF_NO_PI | IFF_NAPI);
}

static int c_napi_tap_burst(void)
{
	return burst_case("ttnp5", IFF_TAP | IFF_NO_PI | IFF_NAPI);
}

static int c_napi_tun_readv_writev(void)
{
	struct tun_pi pi = { 0, htons(0x0800) };
	uint8_t req[ECHO_LEN];
	struct iovec wv[4];
	int fd;

	fd = tt_mkdev("ttnp6", IFF_TUN | IFF_NAPI, &devopts);
	TT_SYS(fd);
	tt_echo_request(req, &echo, NULL, 9);
	/* tun_pi, then the packet in three pieces, cut inside headers. */
	wv[0] = (struct iovec){ &pi, 4 };
	wv[1] = (struct iovec){ req, 9 };
	wv[2] = (struct iovec){ req + 9, 17 };
	wv[3] = (struct iovec){ req + 26, ECHO_LEN - 26 };
	TT_EQ(writev(fd, wv, 4), 4 + ECHO_LEN);
	TT_CALL(tt_echo_reply_readv(fd, &echo, 9));
	STATS("ttnp6", 1, ECHO_LEN, 0, 1, ECHO_LEN, 0);
	return TT_PASS;
}

/*
 * Plain IFF_NAPI copies whatever the iovecs: twenty of them, more than
 * IFF_NAPI_FRAGS would take, some empty, make one frame.
 */
static int c_napi_tap_writev_many(void)
{
	uint8_t mac[6], req[14 + ECHO_LEN];
	struct iovec iov[20];
	size_t len;
	int fd;

	fd = tt_mkdev("ttnp7", IFF_TAP | IFF_NO_PI | IFF_NAPI, &devopts);
	TT_SYS(fd);
	TT_SYS(tt_link_hwaddr("ttnp7", mac));
	len = tt_echo_request(req, &echo, mac, 4);
	split(iov, req, len, 10, 18);
	iov[18] = (struct iovec){ req, 0 };
	iov[19] = iov[17];
	iov[17] = (struct iovec){ req, 0 };
	TT_EQ(writev(fd, iov, 20), (ssize_t)len);
	TT_CALL(read_echo_reply(fd, mac, 4));
	STATS("ttnp7", 1, len, 0, 1, len, 0);
	return TT_PASS;
}

/* ---- 2. IFF_NAPI_FRAGS ---- */

/* TUNSETIFF of name with flags is EINVAL, and no device is made. */
static int setiff_einval(const char *name, int flags)
{
	TT_EQ(setiff_errno(name, flags, NULL), EINVAL);
	TT_CHECK(!tt_link_exists(name), "%s was created", name);
	return TT_PASS;
}

static int c_frags_without_napi(void)
{
	return setiff_einval("ttnf0", IFF_TAP | IFF_NO_PI | IFF_NAPI_FRAGS);
}

static int c_frags_on_tun(void)
{
	return setiff_einval("ttnf1", IFF_TUN | IFF_NO_PI | IFF_NAPI |
				      IFF_NAPI_FRAGS);
}

struct try {
	int fd;
	const char *name;
	int flags;
};

/* In the dropped child: TUNSETIFF on the inherited fd; 0 or the errno. */
static int try_setiff(void *arg)
{
	struct try *t = arg;

	return setiff_on(t->fd, t->name, t->flags);
}

/* TUNSETIFF as UID_A/GID_A (no capabilities) on a fresh fd; 0 or errno. */
static int setiff_as_user(const char *name, int flags)
{
	struct try t = { tt_tun_open(0), name, flags };

	if (t.fd < 0)
		return 250;
	tt_defer_link(name);
	return tt_run_as(UID_A, GID_A, try_setiff, &t);
}

static int c_frags_unpriv_eperm(void)
{
	const int frags = IFF_TAP | IFF_NO_PI | IFF_NAPI | IFF_NAPI_FRAGS;
	int fd;

	/* Creating: no CAP_NET_ADMIN, EPERM. */
	TT_EQ(setiff_as_user("ttnf2", frags), EPERM);
	/* The capability is looked at before the flags make sense. */
	TT_EQ(setiff_as_user("ttnf2", IFF_TAP | IFF_NAPI_FRAGS), EPERM);
	TT_EQ(setiff_as_user("ttnf2", IFF_TUN | IFF_NAPI | IFF_NAPI_FRAGS),
	      EPERM);
	TT_CHECK(!tt_link_exists("ttnf2"), "ttnf2 was created");
	/*
	 * Attaching to a device the user owns is allowed, with IFF_NAPI
	 * too, but not with IFF_NAPI_FRAGS.
	 */
	fd = tt_tun_alloc("ttnf3", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNSETOWNER, UID_A));
	TT_SYS(ioctl(fd, TUNSETPERSIST, 1));
	tt_close(fd);
	TT_EQ(setiff_as_user("ttnf3", frags), EPERM);
	TT_EQ(setiff_as_user("ttnf3", IFF_TAP | IFF_NO_PI | IFF_NAPI), 0);
	return TT_PASS;
}

/*
 * In a child that made itself a user and network namespace: it has
 * CAP_NET_ADMIN over its netns, enough to make a device, but not in
 * the initial user namespace.  Exits with TUNSETIFF's errno (0 when it
 * worked), 200+ when the setting up failed.
 */
static int userns_child(int flags)
{
	int fd;

	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
		return 200;
	fd = open(TT_TUN_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 201;
	return setiff_on(fd, "ttnfns", flags);
}

static int in_userns(int flags)
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(userns_child(flags));
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int c_frags_userns_eperm(void)
{
	/* A plain NAPI tap: allowed in the child's own netns... */
	TT_EQ(in_userns(IFF_TAP | IFF_NO_PI | IFF_NAPI), 0);
	/* ...IFF_NAPI_FRAGS needs CAP_NET_ADMIN in the initial one. */
	TT_EQ(in_userns(IFF_TAP | IFF_NO_PI | IFF_NAPI | IFF_NAPI_FRAGS),
	      EPERM);
	return TT_PASS;
}

static int c_frags_flags(void)
{
	return flags_case("ttnf4", IFF_TAP | IFF_NO_PI | IFF_NAPI |
					   IFF_NAPI_FRAGS, 0x1032);
}

#define FRAGS_TAP (IFF_TAP | IFF_NO_PI | IFF_NAPI | IFF_NAPI_FRAGS)

/* A frags tap, prepared, its MAC in mac; the fd or a failure. */
static int frags_dev(const char *name, uint8_t mac[6])
{
	int fd = tt_mkdev(name, FRAGS_TAP, &devopts);

	if (fd < 0)
		return fd;
	if (tt_link_hwaddr(name, mac))
		return tt_fail("MAC of %s: %s", name, tt_errname(errno));
	return fd;
}

/* frags_dev(), its fd in *fdp, and a receiver() in *sp. */
static int frags_rx(const char *name, uint8_t mac[6], int *fdp, int *sp)
{
	*fdp = frags_dev(name, mac);
	TT_SYS(*fdp);
	*sp = receiver();
	TT_SYS(*sp);
	return TT_PASS;
}

/*
 * One echo frame written as the iovecs lens[] describe is answered; the
 * counters go up by one frame each way.
 */
static int frags_echo(int fd, const char *name, const uint8_t *mac,
		      uint16_t seq, const size_t *lens, int n, int done)
{
	uint8_t req[14 + ECHO_LEN];
	struct iovec iov[32];
	size_t len = tt_echo_request(req, &echo, mac, seq);

	TT_CALL(layout_frame(iov, req, len, lens, n));
	TT_EQ(writev(fd, iov, n), (ssize_t)len);
	TT_CALL(read_echo_reply(fd, mac, seq));
	TT_CALL(queue_empty(fd));
	STATS(name, done + 1, (done + 1) * len, 0, done + 1, (done + 1) * len,
	      0);
	return TT_PASS;
}

static int c_frags_echo_split(void)
{
	/* Frames of 14 + 60 bytes cut in 2, 3 and 4 iovecs. */
	static const size_t two[] = { 34, 40 };
	static const size_t three[] = { 14, 20, 40 };
	static const size_t four[] = { 20, 22, 2, 30 };
	uint8_t mac[6];
	int fd;

	fd = frags_dev("ttnf5", mac);
	TT_SYS(fd);
	TT_CALL(frags_echo(fd, "ttnf5", mac, 1, two, 2, 0));
	TT_CALL(frags_echo(fd, "ttnf5", mac, 2, three, 3, 1));
	TT_CALL(frags_echo(fd, "ttnf5", mac, 3, four, 4, 2));
	return TT_PASS;
}

static int c_frags_echo_single(void)
{
	static const size_t one[] = { 14 + ECHO_LEN };
	uint8_t mac[6];
	int fd;

	/* One iovec: all of it linear, write() as usual. */
	fd = frags_dev("ttnf6", mac);
	TT_SYS(fd);
	TT_CALL(frags_echo(fd, "ttnf6", mac, 1, one, 1, 0));
	return TT_PASS;
}

static int c_frags_short_first(void)
{
	/* Less than the Ethernet header in the first iovec. */
	static const size_t a[] = { 6, 8, 60 };
	/* None at all: the whole frame in fragments. */
	static const size_t b[] = { 0, 34, 40 };
	uint8_t mac[6];
	int fd;

	fd = frags_dev("ttnf7", mac);
	TT_SYS(fd);
	TT_CALL(frags_echo(fd, "ttnf7", mac, 1, a, 3, 0));
	TT_CALL(frags_echo(fd, "ttnf7", mac, 2, b, 3, 1));
	return TT_PASS;
}

static int c_frags_iovec_limit(void)
{
	uint8_t mac[6], req[14 + ECHO_LEN];
	struct iovec iov[MAX_FRAGS + 3];
	size_t len;
	int fd;

	fd = frags_dev("ttnf8", mac);
	TT_SYS(fd);
	len = tt_echo_request(req, &echo, mac, 1);
	/* The head and MAX_SKB_FRAGS fragments: 18 iovecs go. */
	split(iov, req, len, 34, MAX_FRAGS + 1);
	TT_EQ(writev(fd, iov, MAX_FRAGS + 1), (ssize_t)len);
	TT_CALL(read_echo_reply(fd, mac, 1));
	STATS("ttnf8", 1, len, 0, 1, len, 0);
	/* 19 do not, and the refusal counts as a drop. */
	len = tt_echo_request(req, &echo, mac, 2);
	split(iov, req, len, 34, MAX_FRAGS + 2);
	TT_ERRNO(writev(fd, iov, MAX_FRAGS + 2), EMSGSIZE);
	STATS("ttnf8", 1, len, 1, 1, len, 0);
	TT_ERRNO(tt_read_timeout(fd, req, sizeof(req), 200), ETIMEDOUT);
	return TT_PASS;
}

/*
 * A frags tap of flags whose frames start with a header of hlen bytes
 * (tun_pi, virtio_net_hdr), written in an iovec of its own: behind it,
 * the head and MAX_SKB_FRAGS fragments go and the reply comes back
 * (behind a header that is want_hdr, unless NULL); one fragment more is
 * EMSGSIZE, counted as a drop.
 */
static int frags_hdr_iovec(const char *name, int flags, void *hdr,
			   size_t hlen, const void *want_hdr)
{
	uint8_t mac[6], req[14 + ECHO_LEN], buf[2048];
	struct iovec iov[MAX_FRAGS + 3];
	size_t len;
	ssize_t n;
	int fd;

	fd = tt_mkdev(name, flags, &devopts);
	TT_SYS(fd);
	TT_SYS(tt_link_hwaddr(name, mac));
	len = tt_echo_request(req, &echo, mac, 1);
	iov[0] = (struct iovec){ hdr, hlen };
	split(iov + 1, req, len, 34, MAX_FRAGS + 1);
	TT_EQ(writev(fd, iov, MAX_FRAGS + 2), (ssize_t)(hlen + len));
	n = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_EQ(n, (ssize_t)(hlen + len));
	if (want_hdr)
		TT_MEMEQ(buf, want_hdr, hlen);
	TT_CALL(tt_echo_reply_check(buf + hlen, (size_t)n - hlen, &echo, mac,
				    1));
	len = tt_echo_request(req, &echo, mac, 2);
	split(iov + 1, req, len, 34, MAX_FRAGS + 2);
	TT_ERRNO(writev(fd, iov, MAX_FRAGS + 3), EMSGSIZE);
	STATS(name, 1, len, 1, 1, len, 0);
	return TT_PASS;
}

/*
 * With struct tun_pi, the 4 bytes are taken off the front before the
 * iovecs are counted: tun_pi in an iovec of its own does not count.
 */
static int c_frags_pi_iovec(void)
{
	struct tun_pi pi = { 0, htons(0x0800) };

	return frags_hdr_iovec("ttnf9", IFF_TAP | IFF_NAPI | IFF_NAPI_FRAGS,
			       &pi, 4, NULL);
}

/* UDP frames with a big payload, in chosen layouts. */
static int frags_udp(int fd, int s, const uint8_t *mac, uint16_t seq,
		     size_t plen, const size_t *lens, int n, int want_err)
{
	struct iovec iov[32];
	size_t len = udp_frame(frame_buf, mac, seq, plen);

	TT_CALL(layout_frame(iov, frame_buf, len, lens, n));
	if (want_err) {
		TT_ERRNO(writev(fd, iov, n), want_err);
		return TT_PASS;
	}
	TT_EQ(writev(fd, iov, n), (ssize_t)len);
	return expect_datagram(s, seq, plen);
}

static int c_frags_page_limit(void)
{
	/* 42 bytes of headers, then a page, then the rest. */
	static const size_t page[] = { 42, PAGE, 1000 };
	static const size_t over[] = { 42, PAGE + 1, 999 };
	static const size_t last_over[] = { 42, 999, PAGE + 1 };
	/* The first iovec is the linear part: it may be longer. */
	static const size_t big_head[] = { 42 + PAGE + 999, 1 };
	static const size_t empty[] = { 42, 0, 1000, PAGE };
	uint8_t mac[6];
	const size_t plen = PAGE + 1000, len = 42 + plen;
	int fd, s;

	TT_CALL(frags_rx("ttnf10", mac, &fd, &s));
	TT_CALL(frags_udp(fd, s, mac, 1, plen, page, 3, 0));
	STATS("ttnf10", 1, len, 0, 0, 0, 0);
	TT_CALL(frags_udp(fd, s, mac, 2, plen, over, 3, EINVAL));
	STATS("ttnf10", 1, len, 1, 0, 0, 0);
	TT_CALL(frags_udp(fd, s, mac, 3, plen, last_over, 3, EINVAL));
	STATS("ttnf10", 1, len, 2, 0, 0, 0);
	TT_CALL(frags_udp(fd, s, mac, 4, plen, empty, 4, EINVAL));
	STATS("ttnf10", 1, len, 3, 0, 0, 0);
	TT_CALL(frags_udp(fd, s, mac, 5, plen, big_head, 2, 0));
	STATS("ttnf10", 2, 2 * len, 3, 0, 0, 0);
	return TT_PASS;
}

static int c_frags_total_limit(void)
{
	/* A head of 4031 bytes and 15 full pages: the longest frame. */
	size_t lens[16];
	uint8_t mac[6];
	int fd, s;

	TT_CALL(frags_rx("ttnf11", mac, &fd, &s));
	lens[0] = FRAGS_MAX_LEN - 15 * PAGE;
	for (int i = 1; i < 16; i++)
		lens[i] = PAGE;
	TT_CALL(frags_udp(fd, s, mac, 1, FRAGS_MAX_LEN - 42, lens, 16, 0));
	STATS("ttnf11", 1, FRAGS_MAX_LEN, 0, 0, 0, 0);
	/* One byte more is refused, and counted as a drop. */
	lens[0]++;
	TT_CALL(frags_udp(fd, s, mac, 2, FRAGS_MAX_LEN + 1 - 42, lens, 16,
		       EMSGSIZE));
	STATS("ttnf11", 1, FRAGS_MAX_LEN, 1, 0, 0, 0);
	/* Even all in one iovec. */
	lens[0] = FRAGS_MAX_LEN + 1;
	TT_CALL(frags_udp(fd, s, mac, 3, FRAGS_MAX_LEN + 1 - 42, lens, 1,
		       EMSGSIZE));
	STATS("ttnf11", 1, FRAGS_MAX_LEN, 2, 0, 0, 0);
	return TT_PASS;
}

/*
 * The order of the checks: the count of iovecs and the total length
 * first (EMSGSIZE), the size of each fragment after (EINVAL).
 */
static int c_frags_check_order(void)
{
	size_t lens[MAX_FRAGS + 2];
	uint8_t mac[6];
	int fd, s;

	TT_CALL(frags_rx("ttnf13", mac, &fd, &s));
	/* 19 iovecs, one of them empty and one over a page. */
	lens[0] = 42;
	for (int i = 1; i < MAX_FRAGS + 2; i++)
		lens[i] = 100;
	lens[3] = 0;
	lens[4] = PAGE + 100;
	TT_CALL(frags_udp(fd, s, mac, 1, 100 * (MAX_FRAGS - 1) + PAGE + 100,
		       lens, MAX_FRAGS + 2, EMSGSIZE));
	/* Too long, with a fragment over a page. */
	lens[0] = FRAGS_MAX_LEN + 1 - 15 * PAGE - 1;
	for (int i = 1; i < 16; i++)
		lens[i] = PAGE;
	lens[2] = PAGE + 1;
	TT_CALL(frags_udp(fd, s, mac, 2, FRAGS_MAX_LEN + 1 - 42, lens, 16,
		       EMSGSIZE));
	STATS("ttnf13", 0, 0, 2, 0, 0, 0);
	return TT_PASS;
}

/*
 * Like tun_pi, the virtio_net_hdr is taken off the front: in an iovec
 * of its own it is not one of the 18.
 */
static int c_frags_vnet_hdr_iovec(void)
{
	uint8_t vh[10] = { 0 };

	/* A zero header in, a zero header back. */
	return frags_hdr_iovec("ttnf14", FRAGS_TAP | IFF_VNET_HDR, vh,
			       sizeof(vh), vh);
}

/* Nor does tun_pi count in the length: 4 + 65471 bytes go. */
static int c_frags_pi_length(void)
{
	struct tun_pi pi = { 0, htons(0x0800) };
	struct iovec iov[17];
	uint8_t mac[6];
	size_t len;
	int fd, s;

	fd = tt_mkdev("ttnf15", IFF_TAP | IFF_NAPI | IFF_NAPI_FRAGS, &devopts);
	TT_SYS(fd);
	TT_SYS(tt_link_hwaddr("ttnf15", mac));
	s = receiver();
	TT_SYS(s);
	iov[0] = (struct iovec){ &pi, 4 };
	for (int seq = 1; seq <= 2; seq++) {
		/* The longest frame, then one byte more. */
		len = udp_frame(frame_buf, mac, (uint16_t)seq,
				FRAGS_MAX_LEN - 42 + (seq - 1));
		iov[1] = (struct iovec){ frame_buf, len - 15 * PAGE };
		for (int i = 0; i < 15; i++)
			iov[2 + i] = (struct iovec){
				frame_buf + len - (size_t)(15 - i) * PAGE,
				PAGE
			};
		if (seq == 2) {
			TT_ERRNO(writev(fd, iov, 17), EMSGSIZE);
			break;
		}
		TT_EQ(writev(fd, iov, 17), (ssize_t)(4 + len));
		TT_CALL(expect_datagram(s, (uint16_t)seq, len - 42));
	}
	STATS("ttnf15", 1, FRAGS_MAX_LEN, 1, 0, 0, 0);
	return TT_PASS;
}

/* A frags tap takes bursts written with writev() too. */
static int c_frags_burst(void)
{
	static const size_t lens[] = { 42, 30, BURST_PLEN - 30 };
	struct iovec iov[3];
	uint8_t mac[6];
	size_t len = 0;
	int fd, s;

	TT_CALL(frags_rx("ttnf12", mac, &fd, &s));
	for (int i = 0; i < BURST; i++) {
		len = udp_frame(frame_buf, mac, (uint16_t)i, BURST_PLEN);
		layout(iov, frame_buf, lens, 3);
		TT_EQ(writev(fd, iov, 3), (ssize_t)len);
	}
	TT_CALL(expect_datagrams(s, 0, BURST, BURST_PLEN));
	STATS("ttnf12", BURST, BURST * len, 0, 0, 0, 0);
	return TT_PASS;
}

/* ---- 3. multiqueue ---- */

/* Queue fd of a multiqueue device, prepared once the first is attached. */
static int mq_attach(const char *name, int flags)
{
	int fd;

	fd = tt_tun_open(0);
	if (fd < 0)
		return tt_fail("open: %s", tt_errname(errno));
	if (tt_tun_setiff(fd, name, flags, NULL) < 0)
		return tt_fail("attaching a queue to %s: %s", name,
			       tt_errname(errno));
	return fd;
}

/* Two queues of a new multiqueue device in q[], and the device prepared. */
static int mq_dev(const char *name, int flags, int q[2])
{
	for (int i = 0; i < 2; i++) {
		q[i] = mq_attach(name, flags);
		TT_SYS(q[i]);
	}
	return tt_dev_setup(name, flags, &devopts);
}

/* Write datagram seq into fd as the device's frames go (frags: 3 iovecs). */
static ssize_t mq_write(int fd, const uint8_t *mac, int frags, uint16_t seq)
{
	size_t len = udp_frame(frame_buf, mac, seq, BURST_PLEN);
	struct iovec iov[3];

	if (!frags)
		return write(fd, frame_buf, len);
	iov[0] = (struct iovec){ frame_buf, 42 };
	iov[1] = (struct iovec){ frame_buf + 42, 20 };
	iov[2] = (struct iovec){ frame_buf + 62, len - 62 };
	return writev(fd, iov, 3);
}

static int mq_case(const char *name, int flags)
{
	int frags = !!(flags & IFF_NAPI_FRAGS), q[2], s;
	uint8_t mac[6];
	const uint8_t *m;
	size_t len;
	uint16_t seq = 0;

	TT_CALL(mq_dev(name, flags, q));
	TT_CALL(dst_mac(name, flags, mac, &m));
	len = udp_frame(frame_buf, m, 0, BURST_PLEN);
	s = receiver();
	TT_SYS(s);
	TT_EQ(tt_sysfs_num(name, "tun_flags"), flags);
	/* Both queues inject. */
	for (int i = 0; i < 2; i++) {
		TT_EQ(mq_write(q[i], m, frags, seq), (ssize_t)len);
		TT_CALL(expect_datagram(s, seq++, BURST_PLEN));
	}
	/*
	 * A detached queue's NAPI is disabled: its writes are refused with
	 * EBUSY, and that is no drop.  (Without NAPI they would go in.)
	 */
	TT_SYS(setqueue(q[1], IFF_DETACH_QUEUE));
	TT_ERRNO(mq_write(q[1], m, frags, seq), EBUSY);
	TT_EQ(mq_write(q[0], m, frags, seq), (ssize_t)len);
	TT_CALL(expect_datagram(s, seq++, BURST_PLEN));
	STATS(name, 3, 3 * len, 0, 0, 0, 0);
	/* Attached again, it works again. */
	TT_SYS(setqueue(q[1], IFF_ATTACH_QUEUE));
	TT_EQ(mq_write(q[1], m, frags, seq), (ssize_t)len);
	TT_CALL(expect_datagram(s, seq++, BURST_PLEN));
	/* Both detached and back, several times. */
	for (int round = 0; round < 3; round++) {
		TT_SYS(setqueue(q[0], IFF_DETACH_QUEUE));
		TT_SYS(setqueue(q[1], IFF_DETACH_QUEUE));
		TT_ERRNO(mq_write(q[0], m, frags, seq), EBUSY);
		TT_SYS(setqueue(q[1], IFF_ATTACH_QUEUE));
		TT_SYS(setqueue(q[0], IFF_ATTACH_QUEUE));
		for (int i = 0; i < 2; i++) {
			TT_EQ(mq_write(q[i], m, frags, seq), (ssize_t)len);
			TT_CALL(expect_datagram(s, seq++, BURST_PLEN));
		}
	}
	STATS(name, seq, seq * len, 0, 0, 0, 0);
	/* Closing a detached queue, then the device with it. */
	TT_SYS(setqueue(q[1], IFF_DETACH_QUEUE));
	tt_close(q[1]);
	TT_EQ(mq_write(q[0], m, frags, seq), (ssize_t)len);
	TT_CALL(expect_datagram(s, seq++, BURST_PLEN));
	return TT_PASS;
}

static int c_mq_napi_tun(void)
{
	return mq_case("ttnq0",
		       IFF_TUN | IFF_NO_PI | IFF_MULTI_QUEUE | IFF_NAPI);
}

static int c_mq_napi_tap(void)
{
	return mq_case("ttnq1",
		       IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE | IFF_NAPI);
}

static int c_mq_frags_tap(void)
{
	return mq_case("ttnq2", FRAGS_TAP | IFF_MULTI_QUEUE);
}

/* The device goes away with a detached NAPI queue still open. */
static int c_mq_napi_delete_detached(void)
{
	const int flags = IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE | IFF_NAPI;
	int q[2];

	TT_CALL(mq_dev("ttnq3", flags, q));
	TT_SYS(setqueue(q[1], IFF_DETACH_QUEUE));
	TT_EQ(tt_link_del("ttnq3"), 0);
	TT_CHECK(tt_link_wait("ttnq3", 0, TT_WAIT_MS), "ttnq3 is still there");
	/* Both fds are orphans now. */
	TT_ERRNO(write(q[0], "x", 1), EBADFD);
	TT_ERRNO(write(q[1], "x", 1), EBADFD);
	return TT_PASS;
}

/* ---- 4. software transmit timestamps ---- */

static long long ts_ns(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

/*
 * Send one datagram from sock and read its software transmit timestamp
 * off the error queue: SCM_TIMESTAMPING with ts[0] taken between the
 * send and now, and IP_RECVERR saying ENOMSG / TIMESTAMPING / SND with
 * OPT_ID's counter id.  The looped-back packet is loop_len bytes.
 */
static int one_tstamp(int sock, uint32_t id, size_t loop_len)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	char data[2048], ctl[512], msgbuf[16];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl,
		.msg_controllen = sizeof(ctl),
	};
	struct scm_timestamping *tss = NULL;
	struct sock_extended_err *ee = NULL;
	struct timespec before, after;
	struct pollfd p = { .fd = sock, .events = 0 };
	struct cmsghdr *cm;
	ssize_t n;

	to.sin_addr.s_addr = tt_ip4(PEER_IP);
	to.sin_port = htons(PEER_PORT);
	snprintf(msgbuf, sizeof(msgbuf), "tstamp-%u", id);
	clock_gettime(CLOCK_REALTIME, &before);
	TT_EQ(sendto(sock, msgbuf, 8, 0, (struct sockaddr *)&to, sizeof(to)),
	      8);
	TT_CHECK(poll(&p, 1, TT_WAIT_MS) == 1 && (p.revents & POLLERR),
		 "no timestamp on the error queue (revents 0x%x)", p.revents);
	n = recvmsg(sock, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
	clock_gettime(CLOCK_REALTIME, &after);
	TT_CHECK(n >= 0, "recvmsg(MSG_ERRQUEUE): %s", tt_errname(errno));
	TT_EQ(n, (ssize_t)loop_len);
	TT_MEMEQ(data + loop_len - 8, msgbuf, 8);
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_TIMESTAMPING)
			tss = (struct scm_timestamping *)CMSG_DATA(cm);
		else if (cm->cmsg_level == SOL_IP &&
			 cm->cmsg_type == IP_RECVERR)
			ee = (struct sock_extended_err *)CMSG_DATA(cm);
		else
			return tt_fail("unexpected cmsg level %d type %d",
				       cm->cmsg_level, cm->cmsg_type);
	}
	TT_CHECK(tss, "no SCM_TIMESTAMPING");
	TT_CHECK(ee, "no IP_RECVERR");
	TT_CHECK(ts_ns(&tss->ts[0]) >= ts_ns(&before) &&
		 ts_ns(&tss->ts[0]) <= ts_ns(&after),
		 "software timestamp %lld.%09ld not between %lld.%09ld and "
		 "%lld.%09ld", (long long)tss->ts[0].tv_sec,
		 tss->ts[0].tv_nsec, (long long)before.tv_sec, before.tv_nsec,
		 (long long)after.tv_sec, after.tv_nsec);
	TT_EQ(ts_ns(&tss->ts[1]), 0);
	TT_EQ(ts_ns(&tss->ts[2]), 0);
	TT_EQ(ee->ee_errno, ENOMSG);
	TT_EQ(ee->ee_origin, SO_EE_ORIGIN_TIMESTAMPING);
	TT_EQ(ee->ee_info, SCM_TSTAMP_SND);
	TT_EQ(ee->ee_data, id);
	return TT_PASS;
}

static int tstamp_case(const char *name, int flags, size_t loop_len)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd, s, val;
	char buf[64];

	fd = tt_mkdev(name, flags, &devopts);
	TT_SYS(fd);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	TT_SYS(s);
	tt_defer_fd(s);
	a.sin_addr.s_addr = tt_ip4(DEV_IP);
	a.sin_port = htons(SRC_PORT);
	TT_SYS(bind(s, (struct sockaddr *)&a, sizeof(a)));
	val = SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE |
	      SOF_TIMESTAMPING_OPT_ID;
	TT_SYS(setsockopt(s, SOL_SOCKET, SO_TIMESTAMPING, &val, sizeof(val)));
	for (uint32_t id = 0; id < 3; id++)
		TT_CALL(one_tstamp(s, id, loop_len));
	/* One timestamp a datagram, no more. */
	TT_ERRNO(recv(s, buf, sizeof(buf), MSG_ERRQUEUE | MSG_DONTWAIT),
		 EAGAIN);
	/* And the datagrams went out of the fd. */
	for (int i = 0; i < 3; i++)
		TT_EQ(tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS),
		      (ssize_t)loop_len);
	TT_CALL(queue_empty(fd));
	STATS(name, 0, 0, 0, 3, 3 * loop_len, 0);
	return TT_PASS;
}

static int c_tstamp_tun(void)
{
	/* The looped-back packet starts at the IP header. */
	return tstamp_case("ttnt0", IFF_TUN | IFF_NO_PI, 28 + 8);
}

static int c_tstamp_tap(void)
{
	/* ...and at the Ethernet header on a tap. */
	return tstamp_case("ttnt1", IFF_TAP | IFF_NO_PI, 14 + 28 + 8);
}

/* Without SOF_TIMESTAMPING_TX_SOFTWARE nothing reaches the error queue. */
static int c_tstamp_not_asked(void)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	struct pollfd p;
	char buf[64];
	int fd, s, val;

	fd = tt_mkdev("ttnt2", IFF_TUN | IFF_NO_PI, &devopts);
	TT_SYS(fd);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	TT_SYS(s);
	tt_defer_fd(s);
	val = SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_OPT_ID;
	TT_SYS(setsockopt(s, SOL_SOCKET, SO_TIMESTAMPING, &val, sizeof(val)));
	to.sin_addr.s_addr = tt_ip4(PEER_IP);
	to.sin_port = htons(PEER_PORT);
	TT_EQ(sendto(s, "tstamp-x", 8, 0, (struct sockaddr *)&to, sizeof(to)),
	      8);
	TT_EQ(tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS), 36);
	p = (struct pollfd){ .fd = s, .events = 0 };
	TT_EQ(poll(&p, 1, 200), 0);
	TT_ERRNO(recv(s, buf, sizeof(buf), MSG_ERRQUEUE | MSG_DONTWAIT),
		 EAGAIN);
	return TT_PASS;
}

/* ---- ethtool output ---- */

/*
 * Run a command; its output (stdout and stderr) with every run of blanks
 * made one space and the blanks at line ends dropped, in out.  Returns
 * the exit status.
 */
static int run_norm(char *out, size_t len, const char *cmd, const char *dev)
{
	char raw[8192];
	size_t o = 0;
	int st, blank = 0;

	st = tt_sh_out(raw, sizeof(raw), "%s %s 2>&1", cmd, dev);
	for (const char *p = raw; *p && o + 2 < len; p++) {
		if (*p == ' ' || *p == '\t') {
			blank = 1;
			continue;
		}
		if (blank && *p != '\n' && o && out[o - 1] != '\n')
			out[o++] = ' ';
		blank = 0;
		out[o++] = *p;
	}
	out[o] = 0;
	return st;
}

/* Show an output line by line, for the log. */
static void show(const char *what, const char *out)
{
	const char *p = out;

	tt_note("%s:", what);
	while (*p) {
		const char *e = strchr(p, '\n');
		int l = e ? (int)(e - p) : (int)strlen(p);

		tt_note("  |%.*s", l, p);
		p += l + (e ? 1 : 0);
	}
}

static int output_is(const char *cmd, const char *dev, int want_status,
		     const char *want)
{
	char out[8192];
	int st;

	st = run_norm(out, sizeof(out), cmd, dev);
	if (st != want_status || strcmp(out, want)) {
		show("got", out);
		show("want", want);
	}
	TT_CHECK(st == want_status, "%s %s: status %d, want %d", cmd, dev, st,
		 want_status);
	TT_CHECK(!strcmp(out, want), "%s %s: output differs (see above)",
		 cmd, dev);
	return TT_PASS;
}

/* `ethtool -T dev`: software timestamps only, no PHC. */
static int timestamping_is(const char *dev)
{
	char want[512];

	snprintf(want, sizeof(want),
		 "Time stamping parameters for %s:\n"
		 "Capabilities:\n"
		 "software-transmit\n"
		 "software-receive\n"
		 "software-system-clock\n"
		 "PTP Hardware Clock: none\n"
		 "Hardware Transmit Timestamp Modes: none\n"
		 "Hardware Receive Filter Modes: none\n", dev);
	return output_is("ethtool -T", dev, 0, want);
}

static int c_ethtool_T(void)
{
	TT_SYS(tt_mkdev("ttne0", IFF_TUN | IFF_NO_PI, &devopts));
	TT_CALL(timestamping_is("ttne0"));
	TT_SYS(tt_mkdev("ttne1", IFF_TAP | IFF_NO_PI, &devopts));
	TT_CALL(timestamping_is("ttne1"));
	return TT_PASS;
}

/* ---- 5. coalescing: rx-frames ---- */

/* The "rx-frames: N" of `ethtool -c dev`, or -1 (output shown). */
static long rx_frames(const char *dev)
{
	char out[8192];
	const char *p;
	int st;

	st = run_norm(out, sizeof(out), "ethtool -c", dev);
	p = strstr(out, "\nrx-frames: ");
	if (st || !p) {
		tt_note("ethtool -c %s: status %d", dev, st);
		show("output", out);
		return -1;
	}
	return strtol(p + 12, NULL, 10);
}

/* `ethtool -C dev rx-frames v` works and then -c reads back want. */
static int set_rx_frames(const char *dev, long v, long want)
{
	char out[8192], cmd[64];
	int st;

	snprintf(cmd, sizeof(cmd), "ethtool -C %s rx-frames %ld", dev, v);
	st = run_norm(out, sizeof(out), cmd, "");
	if (st)
		show("ethtool -C", out);
	TT_CHECK(st == 0, "%s: status %d", cmd, st);
	TT_STREQ(out, "");
	TT_EQ(rx_frames(dev), want);
	return TT_PASS;
}

static int c_coalesce_default(void)
{
	char want[2048];

	TT_SYS(tt_mkdev("ttnc0", IFF_TUN | IFF_NO_PI, &devopts));
	snprintf(want, sizeof(want),
		 "Coalesce parameters for ttnc0:\n"
		 "Adaptive RX: n/a TX: n/a\n"
		 "stats-block-usecs: n/a\n"
		 "sample-interval: n/a\n"
		 "pkt-rate-low: n/a\n"
		 "pkt-rate-high: n/a\n"
		 "\n"
		 "rx-usecs: n/a\n"
		 "rx-frames: 0\n"
		 "rx-usecs-irq: n/a\n"
		 "rx-frames-irq: n/a\n"
		 "\n"
		 "tx-usecs: n/a\n"
		 "tx-frames: n/a\n"
		 "tx-usecs-irq: n/a\n"
		 "tx-frames-irq: n/a\n"
		 "\n"
		 "rx-usecs-low: n/a\n"
		 "rx-frame-low: n/a\n"
		 "tx-usecs-low: n/a\n"
		 "tx-frame-low: n/a\n"
		 "\n"
		 "rx-usecs-high: n/a\n"
		 "rx-frame-high: n/a\n"
		 "tx-usecs-high: n/a\n"
		 "tx-frame-high: n/a\n"
		 "\n"
		 "CQE mode RX: n/a TX: n/a\n"
		 "\n");
	TT_CALL(output_is("ethtool -c", "ttnc0", 0, want));
	/* A tap the same. */
	TT_SYS(tt_mkdev("ttnc1", IFF_TAP | IFF_NO_PI, &devopts));
	TT_EQ(rx_frames("ttnc1"), 0);
	return TT_PASS;
}

static int c_coalesce_set(void)
{
	TT_SYS(tt_mkdev("ttnc2", IFF_TUN | IFF_NO_PI, &devopts));
	TT_CALL(set_rx_frames("ttnc2", 32, 32));
	TT_CALL(set_rx_frames("ttnc2", 1, 1));
	TT_CALL(set_rx_frames("ttnc2", 0, 0));
	/* Per device. */
	TT_SYS(tt_mkdev("ttnc3", IFF_TAP | IFF_NO_PI, &devopts));
	TT_CALL(set_rx_frames("ttnc3", 16, 16));
	TT_EQ(rx_frames("ttnc2"), 0);
	return TT_PASS;
}

static int c_coalesce_clamp(void)
{
	TT_SYS(tt_mkdev("ttnc4", IFF_TUN | IFF_NO_PI, &devopts));
	TT_CALL(set_rx_frames("ttnc4", POLL_WEIGHT, POLL_WEIGHT));
	TT_CALL(set_rx_frames("ttnc4", 0, 0));
	/* Above NAPI_POLL_WEIGHT: taken, as 64. */
	TT_CALL(set_rx_frames("ttnc4", POLL_WEIGHT + 1, POLL_WEIGHT));
	TT_CALL(set_rx_frames("ttnc4", 0, 0));
	TT_CALL(set_rx_frames("ttnc4", 1000000, POLL_WEIGHT));
	return TT_PASS;
}

static int c_coalesce_other_unsupported(void)
{
	static const char refused[] =
		"netlink error: cannot modify an unsupported parameter "
		"(offset %d)\n"
		"netlink error: Invalid argument\n";
	char want[256];

	TT_SYS(tt_mkdev("ttnc5", IFF_TUN | IFF_NO_PI, &devopts));
	TT_CALL(set_rx_frames("ttnc5", 8, 8));
	/*
	 * Only rx-frames is supported: anything else is refused whole, with
	 * EINVAL and the kernel's reason (the offset is that of the
	 * attribute in ethtool's request).
	 */
	snprintf(want, sizeof(want), refused, 36);
	TT_CALL(output_is("ethtool -C ttnc5 rx-usecs 10", "", 1, want));
	snprintf(want, sizeof(want), refused, 44);
	TT_CALL(output_is("ethtool -C ttnc5 rx-frames 12 tx-frames 3", "", 1,
		       want));
	TT_EQ(rx_frames("ttnc5"), 8);
	return TT_PASS;
}

/*
 * With rx-frames set, frames written with write() still arrive, each
 * before its write() returns: write() never holds a frame back for a
 * batch (only a writer that says more is coming, vhost-net's MSG_MORE,
 * gets batching).
 */
static int batch_case(const char *name, int flags)
{
	uint8_t mac[6];
	const uint8_t *m;
	size_t len = 0;
	int fd, s;
	uint16_t seq = 0;

	fd = tt_mkdev(name, flags, &devopts);
	TT_SYS(fd);
	TT_CALL(dst_mac(name, flags, mac, &m));
	s = receiver();
	TT_SYS(s);
	TT_CALL(set_rx_frames(name, 8, 8));
	/* Fewer than a batch: each is there as soon as write() returns. */
	for (int i = 0; i < 3; i++, seq++)
		TT_CALL(arrives_at_once(fd, s, m, seq));
	/* Many batches' worth, back to back: all of them. */
	TT_CALL(write_burst(fd, m, seq, &len));
	TT_CALL(expect_datagrams(s, seq, BURST, BURST_PLEN));
	STATS(name, 3 + BURST, (3 + BURST) * len, 0, 0, 0, 0);
	/* Non-blocking writes the same. */
	TT_SYS(fcntl(fd, F_SETFL, O_NONBLOCK));
	seq += BURST;
	TT_CALL(arrives_at_once(fd, s, m, seq));
	return TT_PASS;
}

static int c_batch_tun(void)
{
	return batch_case("ttnc6", IFF_TUN | IFF_NO_PI);
}

static int c_batch_tap(void)
{
	return batch_case("ttnc7", IFF_TAP | IFF_NO_PI);
}

/* ---- 6. counters kept from two CPUs ---- */

/*
 * Two threads, one on each CPU, share a queue's fd: each sends a datagram
 * to the peer through the device and reads a frame off the fd, then
 * writes a frame in, again and again.  rx (counted as a write hands the
 * frame on) and tx (counted as a read takes one) are per-CPU counters,
 * updated from process context on both CPUs at once; the totals must be
 * exact.  The written frames carry a wrong IPv4 header checksum, so the
 * stack drops them without a word back.
 *
 * Passing proves little by itself: a counter update preempted and moved
 * to the other CPU half way loses a count only once in a long while, and
 * Debian's kernels have no DEBUG_PREEMPT to complain about the unprotected
 * this_cpu access.  A kernel with CONFIG_DEBUG_PREEMPT splats on it (and
 * panic_on_warn fails the run): that is what proves it.
 */
#define TWO_CPU_ROUNDS 1500
#define TWO_CPU_PLEN 40
#define TWO_CPU_WLEN 60

struct two_cpu {
	pthread_t th;
	int fd, cpu, s;
	const uint8_t *pkt;
	char why[160];
};

static void *two_cpu_worker(void *arg)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	struct two_cpu *w = arg;
	uint8_t buf[2048];
	cpu_set_t set;
	ssize_t n;

	CPU_ZERO(&set);
	CPU_SET(w->cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set)) {
		snprintf(w->why, sizeof(w->why), "pinning to CPU %d", w->cpu);
		return NULL;
	}
	to.sin_addr.s_addr = tt_ip4(PEER_IP);
	to.sin_port = htons(PEER_PORT);
	for (int i = 0; i < TWO_CPU_ROUNDS; i++) {
		long long until = tt_now_ms() + 5000;

		if (sendto(w->s, payload, TWO_CPU_PLEN, 0,
			   (struct sockaddr *)&to, sizeof(to)) !=
		    TWO_CPU_PLEN) {
			snprintf(w->why, sizeof(w->why), "send %d: %s", i,
				 tt_errname(errno));
			return NULL;
		}
		/* the fd is non-blocking: the other thread may take it */
		while ((n = read(w->fd, buf, sizeof(buf))) < 0 &&
		       errno == EAGAIN && tt_now_ms() < until) {
			struct pollfd p = { .fd = w->fd, .events = POLLIN };

			poll(&p, 1, 100);
		}
		if (n != 28 + TWO_CPU_PLEN) {
			snprintf(w->why, sizeof(w->why), "read %d: %zd %s", i,
				 n, n < 0 ? tt_errname(errno) : "bytes");
			return NULL;
		}
		n = write(w->fd, w->pkt, TWO_CPU_WLEN);
		if (n != TWO_CPU_WLEN) {
			snprintf(w->why, sizeof(w->why), "write %d: %zd %s",
				 i, n, n < 0 ? tt_errname(errno) : "bytes");
			return NULL;
		}
	}
	snprintf(w->why, sizeof(w->why), "ok");
	return NULL;
}

static int two_cpu_case(const char *name, int flags)
{
	struct two_cpu w[2];
	uint8_t pkt[TWO_CPU_WLEN];
	const unsigned long long n = 2 * TWO_CPU_ROUNDS;
	int fd;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return tt_skip("needs two CPUs");
	fd = tt_mkdev(name, flags, &devopts);
	TT_SYS(fd);
	TT_SYS(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK));
	/* An IPv4 datagram to the device, its header checksum wrong. */
	tt_udp4(pkt, tt_ip4(PEER_IP), tt_ip4(DEV_IP), SRC_PORT, RECV_PORT,
		payload, TWO_CPU_WLEN - 28);
	pkt[10] ^= 0x5a;
	TT_CHECK(tt_csum(pkt, 20) != 0, "IPv4 header checksum still valid");
	for (int i = 0; i < 2; i++) {
		w[i] = (struct two_cpu){ .fd = fd, .cpu = i, .pkt = pkt };
		w[i].s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		TT_SYS(w[i].s);
		tt_defer_fd(w[i].s);
	}
	for (int i = 0; i < 2; i++)
		TT_EQ(pthread_create(&w[i].th, NULL, two_cpu_worker, &w[i]),
		      0);
	for (int i = 0; i < 2; i++)
		pthread_join(w[i].th, NULL);
	for (int i = 0; i < 2; i++)
		TT_CHECK(!strcmp(w[i].why, "ok"), "thread on CPU %d: %s", i,
			 w[i].why);
	TT_CALL(queue_empty(fd));
	STATS(name, n, n * TWO_CPU_WLEN, 0, n, n * (28 + TWO_CPU_PLEN), 0);
	return TT_PASS;
}

static int c_two_cpu_tun(void)
{
	return two_cpu_case("ttnk0", IFF_TUN | IFF_NO_PI);
}

static int c_two_cpu_napi_tun(void)
{
	return two_cpu_case("ttnk1", IFF_TUN | IFF_NO_PI | IFF_NAPI);
}

int main(void)
{
	int fd;

	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(0x40 + i);
	tt_init();
	fd = tt_tun_open(0);
	if (fd >= 0) {
		if (ioctl(fd, TUNGETFEATURES, &features) < 0)
			features = 0;
		tt_close(fd);
	}
	tt_note("TUNGETFEATURES = 0x%x", features);

	/* 1. IFF_NAPI */
	run_napi("napi_advertised", c_features);
	run_napi("napi_tun_flags", c_napi_tun_flags);
	run_napi("napi_tap_flags", c_napi_tap_flags);
	run_napi("napi_tun_echo", c_napi_tun_echo);
	run_napi("napi_tap_echo", c_napi_tap_echo);
	run_napi("napi_tun_burst", c_napi_tun_burst);
	run_napi("napi_tap_burst", c_napi_tap_burst);
	run_napi("napi_tun_readv_writev", c_napi_tun_readv_writev);
	run_napi("napi_tap_writev_many_iovecs", c_napi_tap_writev_many);
	/* 2. IFF_NAPI_FRAGS */
	run_frags("frags_without_napi_einval", c_frags_without_napi);
	run_frags("frags_on_tun_einval", c_frags_on_tun);
	run_frags("frags_unprivileged_eperm", c_frags_unpriv_eperm);
	run_frags("frags_user_namespace_eperm", c_frags_userns_eperm);
	run_frags("frags_flags", c_frags_flags);
	run_frags("frags_echo_split_2_3_4", c_frags_echo_split);
	run_frags("frags_echo_one_iovec", c_frags_echo_single);
	run_frags("frags_short_first_iovec", c_frags_short_first);
	run_frags("frags_18_iovecs_19_emsgsize", c_frags_iovec_limit);
	run_frags("frags_pi_iovec_not_counted", c_frags_pi_iovec);
	run_frags("frags_iovec_page_limit_einval", c_frags_page_limit);
	run_frags("frags_total_length_emsgsize", c_frags_total_limit);
	run_frags("frags_check_order", c_frags_check_order);
	run_frags("frags_vnet_hdr_iovec_not_counted", c_frags_vnet_hdr_iovec);
	run_frags("frags_pi_not_in_length", c_frags_pi_length);
	run_frags("frags_burst", c_frags_burst);
	/* 3. multiqueue */
	run_napi("mq_napi_tun_detach_attach", c_mq_napi_tun);
	run_napi("mq_napi_tap_detach_attach", c_mq_napi_tap);
	run_frags("mq_frags_tap_detach_attach", c_mq_frags_tap);
	run_napi("mq_napi_delete_with_detached", c_mq_napi_delete_detached);
	/* 4. timestamps */
	tt_run("tx_timestamp_tun", c_tstamp_tun);
	tt_run("tx_timestamp_tap", c_tstamp_tap);
	tt_run("tx_timestamp_not_asked", c_tstamp_not_asked);
	tt_run("ethtool_T", c_ethtool_T);
	/* 5. rx-frames */
	tt_run("coalesce_default", c_coalesce_default);
	tt_run("coalesce_set_rx_frames", c_coalesce_set);
	tt_run("coalesce_rx_frames_clamped_64", c_coalesce_clamp);
	tt_run("coalesce_other_params_refused", c_coalesce_other_unsupported);
	tt_run("rx_frames_tun_writes_arrive", c_batch_tun);
	tt_run("rx_frames_tap_writes_arrive", c_batch_tap);
	/* 6. counters from two CPUs */
	tt_run("counters_two_cpus_tun", c_two_cpu_tun);
	run_napi("counters_two_cpus_napi_tun", c_two_cpu_napi_tun);
	return tt_done();
}
