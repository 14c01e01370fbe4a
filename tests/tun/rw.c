// SPDX-License-Identifier: GPL-2.0
/*
 * The data path through the fd: what write() hands to the stack and what
 * read() returns, with and without struct tun_pi, for tun and tap, byte for
 * byte, with the errno of every refusal and the exact device counters.
 *
 * The device is 198.18.1.1/24 (RFC 2544 benchmarking space, never routed);
 * the fd plays the peer 198.18.1.2.  The kernel answers an echo request
 * written into the fd with a reply that comes back out of it.
 */
#include "tt.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#define DEV_IP "198.18.1.1"
#define PEER_IP "198.18.1.2"
#define PAYLOAD_LEN 32
#define ECHO_LEN (28 + PAYLOAD_LEN)

static const uint8_t peer_mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x02 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static uint8_t payload[PAYLOAD_LEN];

/* A fresh device, up, with IPv6 off and 198.18.1.1/24 (tt_mkdev()). */
static const struct tt_devopts devopts = { .ip = DEV_IP };

/* The fd's echo requests to the device, and the replies the stack gives. */
static const struct tt_echo echo = {
	.dev_ip = DEV_IP,
	.peer_ip = PEER_IP,
	.id = 0x4242,
	.payload = payload,
	.plen = PAYLOAD_LEN,
};

static int stats_eq(const char *dev, unsigned long long rxp,
		    unsigned long long rxb, unsigned long long rxd,
		    unsigned long long txp, unsigned long long txb,
		    unsigned long long txd)
{
	struct tt_stats st;

	TT_SYS(tt_stats(dev, &st));
	TT_STATS_EQ(st, rx_packets, rxp);
	TT_STATS_EQ(st, rx_bytes, rxb);
	TT_STATS_EQ(st, rx_dropped, rxd);
	TT_STATS_EQ(st, tx_packets, txp);
	TT_STATS_EQ(st, tx_bytes, txb);
	TT_STATS_EQ(st, tx_dropped, txd);
	return TT_PASS;
}

#define STATS(dev, a, b, c, d, e, f)                                           \
	do {                                                                   \
		int r_ = stats_eq(dev, a, b, c, d, e, f);                      \
		if (r_)                                                        \
			return r_;                                             \
	} while (0)
/* Nothing more is queued on fd: a non-blocking read says EAGAIN. */
static int queue_empty(int fd)
{
	uint8_t buf[64];
	int fl = fcntl(fd, F_GETFL);

	TT_SYS(fcntl(fd, F_SETFL, fl | O_NONBLOCK));
	TT_ERRNO(read(fd, buf, sizeof(buf)), EAGAIN);
	TT_SYS(fcntl(fd, F_SETFL, fl));
	return TT_PASS;
}

static int c_tun_nopi_echo(void)
{
	uint8_t req[ECHO_LEN], buf[2048];
	ssize_t n;
	int fd;

	fd = tt_mkdev("ttrw0", IFF_TUN | IFF_NO_PI, &devopts);
	TT_SYS(fd);
	STATS("ttrw0", 0, 0, 0, 0, 0, 0);
	TT_EQ(write(fd, req, tt_echo_request(req, &echo, NULL, 1)), ECHO_LEN);
	n = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_SYS(n);
	TT_CALL(tt_echo_reply_check(buf, (size_t)n, &echo, NULL, 1));
	TT_CALL(queue_empty(fd));
	STATS("ttrw0", 1, ECHO_LEN, 0, 1, ECHO_LEN, 0);
	/* And again: the counters add up. */
	TT_EQ(write(fd, req, tt_echo_request(req, &echo, NULL, 2)), ECHO_LEN);
	n = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_SYS(n);
	TT_CALL(tt_echo_reply_check(buf, (size_t)n, &echo, NULL, 2));
	STATS("ttrw0", 2, 2 * ECHO_LEN, 0, 2, 2 * ECHO_LEN, 0);
	return TT_PASS;
}

static int c_tun_pi_echo(void)
{
	uint8_t req[4 + ECHO_LEN], buf[2048];
	struct tun_pi pi;
	ssize_t n;
	int fd;

	fd = tt_mkdev("ttrw1", IFF_TUN, &devopts);
	TT_SYS(fd);
	pi.flags = 0;
	pi.proto = htons(0x0800);
	memcpy(req, &pi, 4);
	tt_echo_request(req + 4, &echo, NULL, 1);
	TT_EQ(write(fd, req, sizeof(req)), 4 + ECHO_LEN);
	n = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_EQ(n, 4 + ECHO_LEN);
	memcpy(&pi, buf, 4);
	TT_EQ(pi.flags, 0);
	TT_EQ(ntohs(pi.proto), 0x0800);
	TT_CALL(tt_echo_reply_check(buf + 4, (size_t)n - 4, &echo, NULL, 1));
	/* The counters do not include the 4 bytes of tun_pi. */
	STATS("ttrw1", 1, ECHO_LEN, 0, 1, ECHO_LEN, 0);
	return TT_PASS;
}

static int c_tun_pi_short_read(void)
{
	uint8_t req[4 + ECHO_LEN], buf[4 + 20];
	struct tun_pi pi = { 0, htons(0x0800) };
	ssize_t n;
	int fd;

	fd = tt_mkdev("ttrw2", IFF_TUN, &devopts);
	TT_SYS(fd);
	memcpy(req, &pi, 4);
	tt_echo_request(req + 4, &echo, NULL, 1);
	TT_EQ(write(fd, req, sizeof(req)), sizeof(req));
	/* Room for tun_pi and the IP header only. */
	n = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_EQ(n, sizeof(buf));
	memcpy(&pi, buf, 4);
	TT_EQ(pi.flags, TUN_PKT_STRIP);
	TT_EQ(ntohs(pi.proto), 0x0800);
	TT_EQ(buf[4], 0x45);
	TT_EQ(buf[4 + 2] << 8 | buf[4 + 3], ECHO_LEN);
	/* The rest of the packet is gone, and it counted in full. */
	TT_CALL(queue_empty(fd));
	STATS("ttrw2", 1, ECHO_LEN, 0, 1, ECHO_LEN, 0);
	return TT_PASS;
}

static int c_tun_pi_read_too_small(void)
{
	uint8_t req[4 + ECHO_LEN], buf[64];
	struct tun_pi pi = { 0, htons(0x0800) };
	struct pollfd p;
	int fd;

	fd = tt_mkdev("ttrw3", IFF_TUN, &devopts);
	TT_SYS(fd);
	memcpy(req, &pi, 4);
	tt_echo_request(req + 4, &echo, NULL, 1);
	TT_EQ(write(fd, req, sizeof(req)), sizeof(req));
	p.fd = fd;
	p.events = POLLIN;
	TT_EQ(poll(&p, 1, TT_WAIT_MS), 1);
	/* Not even room for tun_pi: EINVAL, and the packet is dropped. */
	TT_ERRNO(read(fd, buf, 3), EINVAL);
	TT_CALL(queue_empty(fd));
	STATS("ttrw3", 1, ECHO_LEN, 0, 0, 0, 0);
	return TT_PASS;
}

static int c_tun_nopi_short_read(void)
{
	uint8_t req[ECHO_LEN], buf[20];
	ssize_t n;
	int fd;

	fd = tt_mkdev("ttrw4", IFF_TUN | IFF_NO_PI, &devopts);
	TT_SYS(fd);
	TT_EQ(write(fd, req, tt_echo_request(req, &echo, NULL, 1)), ECHO_LEN);
	n = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_EQ(n, 20);
	TT_EQ(buf[0], 0x45);
	TT_EQ(buf[2] << 8 | buf[3], ECHO_LEN);
	TT_CALL(queue_empty(fd));
	STATS("ttrw4", 1, ECHO_LEN, 0, 1, ECHO_LEN, 0);
	return TT_PASS;
}

static int c_read_zero_len(void)
{
	uint8_t req[ECHO_LEN], buf[2048];
	struct pollfd p;
	ssize_t n;
	int fd;

	fd = tt_mkdev("ttrw5", IFF_TUN | IFF_NO_PI, &devopts);
	TT_SYS(fd);
	TT_EQ(write(fd, req, tt_echo_request(req, &echo, NULL, 7)), ECHO_LEN);
	p.fd = fd;
	p.events = POLLIN;
	TT_EQ(poll(&p, 1, TT_WAIT_MS), 1);
	/* A zero-length read returns 0 and leaves the packet queued. */
	TT_EQ(read(fd, buf, 0), 0);
	n = tt_read_timeout(fd, buf, sizeof(buf), 100);
	TT_SYS(n);
	TT_CALL(tt_echo_reply_check(buf, (size_t)n, &echo, NULL, 7));
	return TT_PASS;
}

static int c_readv_writev(void)
{
	struct tun_pi pi = { 0, htons(0x0800) };
	uint8_t req[ECHO_LEN];
	struct iovec wv[3];
	int fd;

	fd = tt_mkdev("ttrw6", IFF_TUN, &devopts);
	TT_SYS(fd);
	tt_echo_request(req, &echo, NULL, 3);
	/* tun_pi, then the packet split in the middle of the IP header. */
	wv[0] = (struct iovec){ &pi, 4 };
	wv[1] = (struct iovec){ req, 9 };
	wv[2] = (struct iovec){ req + 9, ECHO_LEN - 9 };
	TT_EQ(writev(fd, wv, 3), 4 + ECHO_LEN);
	TT_CALL(tt_echo_reply_readv(fd, &echo, 3));
	return TT_PASS;
}

static int c_write_bad_version(void)
{
	uint8_t req[ECHO_LEN];
	int fd;

	fd = tt_mkdev("ttrw7", IFF_TUN | IFF_NO_PI, &devopts);
	TT_SYS(fd);
	tt_echo_request(req, &echo, NULL, 1);
	req[0] = 0x55;
	TT_ERRNO(write(fd, req, ECHO_LEN), EINVAL);
	req[0] = 0x05;
	TT_ERRNO(write(fd, req, ECHO_LEN), EINVAL);
	STATS("ttrw7", 0, 0, 2, 0, 0, 0);
	return TT_PASS;
}

static int c_write_zero_len_nopi(void)
{
	uint8_t b = 0x45;
	int fd;

	fd = tt_mkdev("ttrw8", IFF_TUN | IFF_NO_PI, &devopts);
	TT_SYS(fd);
	TT_ERRNO(write(fd, &b, 0), EINVAL);
	STATS("ttrw8", 0, 0, 1, 0, 0, 0);
	return TT_PASS;
}

static int c_write_short_pi(void)
{
	uint8_t b[4] = { 0, 0, 0x08, 0x00 };
	int fd;

	fd = tt_mkdev("ttrw9", IFF_TUN, &devopts);
	TT_SYS(fd);
	/* Shorter than tun_pi: refused before anything is counted. */
	TT_ERRNO(write(fd, b, 0), EINVAL);
	TT_ERRNO(write(fd, b, 3), EINVAL);
	STATS("ttrw9", 0, 0, 0, 0, 0, 0);
	/*
	 * tun_pi alone is an empty packet; with tun_pi nothing looks at the
	 * packet, so it is taken (and the stack drops it).
	 */
	TT_EQ(write(fd, b, 4), 4);
	STATS("ttrw9", 1, 0, 0, 0, 0, 0);
	return TT_PASS;
}

static int c_write_pi_no_version_check(void)
{
	uint8_t req[4 + ECHO_LEN];
	struct tun_pi pi = { 0, htons(0x0800) };
	int fd;

	fd = tt_mkdev("ttrw10", IFF_TUN, &devopts);
	TT_SYS(fd);
	/* With tun_pi the protocol comes from pi.proto, not the packet. */
	memcpy(req, &pi, 4);
	tt_echo_request(req + 4, &echo, NULL, 1);
	req[4] = 0x55;
	TT_EQ(write(fd, req, sizeof(req)), sizeof(req));
	STATS("ttrw10", 1, ECHO_LEN, 0, 0, 0, 0);
	/* The stack drops it: nothing comes back. */
	TT_ERRNO(tt_read_timeout(fd, req, sizeof(req), 300), ETIMEDOUT);
	return TT_PASS;
}

static int c_write_ipv6_nopi(void)
{
	uint8_t pkt[40 + 8];
	int fd;

	fd = tt_mkdev("ttrw11", IFF_TUN | IFF_NO_PI, &devopts);
	TT_SYS(fd);
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x60;
	pkt[5] = 8;	/* payload length */
	pkt[6] = 59;	/* no next header */
	pkt[7] = 64;
	pkt[8] = 0xfe;
	pkt[9] = 0x80;
	pkt[23] = 2;
	pkt[24] = 0xfe;
	pkt[25] = 0x80;
	pkt[39] = 1;
	TT_EQ(write(fd, pkt, sizeof(pkt)), sizeof(pkt));
	STATS("ttrw11", 1, sizeof(pkt), 0, 0, 0, 0);
	return TT_PASS;
}

static int c_write_down_eio(void)
{
	uint8_t req[ECHO_LEN];
	int fd;

	fd = tt_mkdev("ttrw12", IFF_TUN | IFF_NO_PI, &devopts);
	TT_SYS(fd);
	TT_SYS(tt_link_up("ttrw12", 0));
	TT_ERRNO(write(fd, req, tt_echo_request(req, &echo, NULL, 1)), EIO);
	STATS("ttrw12", 0, 0, 1, 0, 0, 0);
	/* Up again, the same packet goes through. */
	TT_SYS(tt_link_up("ttrw12", 1));
	TT_EQ(write(fd, req, ECHO_LEN), ECHO_LEN);
	STATS("ttrw12", 1, ECHO_LEN, 1, 0, 0, 0);
	return TT_PASS;
}

static int c_write_large(void)
{
	static uint8_t big[65535];
	uint8_t *pkt = big;
	size_t len = 3000;
	int fd;

	fd = tt_mkdev("ttrw13", IFF_TUN | IFF_NO_PI, &devopts);
	TT_SYS(fd);
	/*
	 * Larger than the MTU and than a page: still one packet.  The IP
	 * header checksum no longer matches once tot_len is patched, so the
	 * stack drops them without an ICMP answer.
	 */
	memset(pkt, 0x11, len);
	tt_udp4(pkt, tt_ip4(PEER_IP), tt_ip4(DEV_IP), 1000, 9, pkt + 28, 0);
	pkt[2] = (uint8_t)(len >> 8);
	pkt[3] = (uint8_t)len;
	TT_EQ(write(fd, pkt, len), (ssize_t)len);
	/* The largest IPv4 packet. */
	len = 65535;
	pkt[2] = 0xff;
	pkt[3] = 0xff;
	TT_EQ(write(fd, pkt, len), (ssize_t)len);
	STATS("ttrw13", 2, 3000 + 65535, 0, 0, 0, 0);
	return TT_PASS;
}

static int c_write_huge(void)
{
	size_t len = 200000;
	uint8_t *pkt;
	ssize_t n;
	int fd, e;

	fd = tt_mkdev("ttrw14", IFF_TUN | IFF_NO_PI, &devopts);
	TT_SYS(fd);
	pkt = calloc(1, len);
	TT_CHECK(pkt, "out of memory");
	pkt[0] = 0x45;
	n = write(fd, pkt, len);
	e = errno;
	free(pkt);
	/* Stock takes it whole, on 6.1 (linear) as on 6.12 (frags). */
	TT_CHECK(n >= 0, "write(%zu): %s", len, tt_errname(e));
	TT_EQ(n, (ssize_t)len);
	STATS("ttrw14", 1, len, 0, 0, 0, 0);
	return TT_PASS;
}

/*
 * Where a write stops fitting an skb, and how it is refused. The two
 * series differ (see Documentation/tun.rst): 6.1 makes the whole frame
 * linear, so kmalloc's 4 MiB bounds it; 6.12 puts all but a page into
 * high-order fragments, which moves the bound past 4 MiB. Each refusal
 * counts rx_dropped.
 */
static int c_write_limit(void)
{
	const size_t fits = 4000000, edge = 4194304, over = 4800000;
	unsigned long long accepted = 0, bytes = 0, dropped = 0;
	uint8_t *pkt;
	int fd;

	fd = tt_mkdev("ttrw15", IFF_TUN | IFF_NO_PI, &devopts);
	TT_SYS(fd);
	pkt = calloc(1, over);
	TT_CHECK(pkt, "out of memory");
	pkt[0] = 0x45;

	if (write(fd, pkt, fits) != (ssize_t)fits) {
		free(pkt);
		TT_CHECK(0, "write(%zu) refused: %s", fits, tt_errname(errno));
	}
	accepted++;
	bytes += fits;

	if (tt_series_ge(6, 6)) {
		if (write(fd, pkt, edge) != (ssize_t)edge) {
			free(pkt);
			TT_CHECK(0, "write(%zu) refused: %s", edge,
				 tt_errname(errno));
		}
		accepted++;
		bytes += edge;
	} else {
		errno = 0;
		if (write(fd, pkt, edge) != -1 || errno != ENOBUFS) {
			free(pkt);
			TT_CHECK(0, "write(%zu): want ENOBUFS, got %s", edge,
				 tt_errname(errno));
		}
		dropped++;
	}

	errno = 0;
	if (write(fd, pkt, over) != -1 || errno != ENOBUFS) {
		free(pkt);
		TT_CHECK(0, "write(%zu): want ENOBUFS, got %s", over,
			 tt_errname(errno));
	}
	dropped++;
	free(pkt);

	STATS("ttrw15", accepted, bytes, dropped, 0, 0, 0);
	return TT_PASS;
}

static int c_tap_arp(void)
{
	uint8_t mac[6], req[42], buf[2048], want[42];
	ssize_t n;
	int fd;

	fd = tt_mkdev("ttrw20", IFF_TAP | IFF_NO_PI, &devopts);
	TT_SYS(fd);
	TT_SYS(tt_link_hwaddr("ttrw20", mac));
	tt_arp(req, 1, bcast, peer_mac, tt_ip4(PEER_IP),
	       (const uint8_t[6]){ 0 }, tt_ip4(DEV_IP));
	TT_EQ(write(fd, req, sizeof(req)), 42);
	n = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_SYS(n);
	tt_arp(want, 2, peer_mac, mac, tt_ip4(DEV_IP), peer_mac,
	       tt_ip4(PEER_IP));
	/* Not padded to the Ethernet minimum: 42 bytes exactly. */
	TT_EQ(n, 42);
	TT_MEMEQ(buf, want, 42);
	TT_CALL(queue_empty(fd));
	STATS("ttrw20", 1, 42, 0, 1, 42, 0);
	return TT_PASS;
}

static int c_tap_icmp_echo(void)
{
	uint8_t mac[6], req[14 + ECHO_LEN], buf[2048];
	ssize_t n;
	int fd;

	fd = tt_mkdev("ttrw21", IFF_TAP | IFF_NO_PI, &devopts);
	TT_SYS(fd);
	TT_SYS(tt_link_hwaddr("ttrw21", mac));
	TT_SYS(tt_neigh_add("ttrw21", PEER_IP, peer_mac));
	tt_eth(req, mac, peer_mac, 0x0800);
	tt_echo_request(req + 14, &echo, NULL, 5);
	TT_EQ(write(fd, req, sizeof(req)), sizeof(req));
	n = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_EQ(n, 14 + ECHO_LEN);
	TT_MEMEQ(buf, peer_mac, 6);
	TT_MEMEQ(buf + 6, mac, 6);
	TT_EQ(buf[12] << 8 | buf[13], 0x0800);
	TT_CALL(tt_echo_reply_check(buf + 14, (size_t)n - 14, &echo, NULL, 5));
	TT_CALL(queue_empty(fd));
	/* Tap counts the Ethernet header. */
	STATS("ttrw21", 1, 14 + ECHO_LEN, 0, 1, 14 + ECHO_LEN, 0);
	return TT_PASS;
}

static int c_tap_pi(void)
{
	uint8_t mac[6], req[4 + 42], buf[2048];
	struct tun_pi pi = { 0, htons(0x1234) };
	ssize_t n;
	int fd;

	fd = tt_mkdev("ttrw22", IFF_TAP, &devopts);
	TT_SYS(fd);
	TT_SYS(tt_link_hwaddr("ttrw22", mac));
	/* pi.proto is ignored on tap: the frame's own type counts. */
	memcpy(req, &pi, 4);
	tt_arp(req + 4, 1, bcast, peer_mac, tt_ip4(PEER_IP),
	       (const uint8_t[6]){ 0 }, tt_ip4(DEV_IP));
	TT_EQ(write(fd, req, sizeof(req)), sizeof(req));
	n = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_EQ(n, 4 + 42);
	memcpy(&pi, buf, 4);
	TT_EQ(pi.flags, 0);
	TT_EQ(ntohs(pi.proto), 0x0806);
	TT_EQ(buf[4 + 12] << 8 | buf[4 + 13], 0x0806);
	TT_EQ(buf[4 + 14 + 7], 2);
	STATS("ttrw22", 1, 42, 0, 1, 42, 0);
	return TT_PASS;
}

static int c_tap_short_frame(void)
{
	uint8_t f[64];
	int fd;

	fd = tt_mkdev("ttrw23", IFF_TAP | IFF_NO_PI, &devopts);
	TT_SYS(fd);
	memset(f, 0, sizeof(f));
	TT_ERRNO(write(fd, f, 0), EINVAL);
	TT_ERRNO(write(fd, f, 13), EINVAL);
	STATS("ttrw23", 0, 0, 0, 0, 0, 0);
	/*
	 * A bare header is a frame.  (IPv4, so that the stack drops it as a
	 * short IP packet: an unknown ethertype would count in rx_dropped.)
	 */
	tt_eth(f, bcast, peer_mac, 0x0800);
	TT_EQ(write(fd, f, 14), 14);
	STATS("ttrw23", 1, 14, 0, 0, 0, 0);
	return TT_PASS;
}

static int c_tap_other_host(void)
{
	static const uint8_t other[6] = { 0x02, 0, 0x5e, 0x10, 0, 0x99 };
	uint8_t req[14 + ECHO_LEN];
	int fd;

	fd = tt_mkdev("ttrw24", IFF_TAP | IFF_NO_PI, &devopts);
	TT_SYS(fd);
	TT_SYS(tt_neigh_add("ttrw24", PEER_IP, peer_mac));
	/* Addressed to another MAC: received, counted, not answered. */
	tt_eth(req, other, peer_mac, 0x0800);
	tt_echo_request(req + 14, &echo, NULL, 1);
	TT_EQ(write(fd, req, sizeof(req)), sizeof(req));
	TT_ERRNO(tt_read_timeout(fd, req, sizeof(req), 300), ETIMEDOUT);
	STATS("ttrw24", 1, sizeof(req), 0, 0, 0, 0);
	return TT_PASS;
}

/*
 * RWF_NOWAIT (preadv2/pwritev2, and io_uring's first, non-blocking try)
 * is honoured only on a file opened with FMODE_NOWAIT; on any other it is
 * EOPNOTSUPP before the driver sees the call.  Linux's driver has set it
 * on /dev/net/tun since 6.4, so 6.1 refuses both calls and 6.12 takes
 * them: a read of an empty queue is EAGAIN even on a blocking fd, a
 * queued frame reads at once, and a write goes through.
 */
static int c_rwf_nowait(void)
{
	uint8_t req[ECHO_LEN], buf[2048];
	struct iovec wv = { req, sizeof(req) };
	struct iovec rv = { buf, sizeof(buf) };
	struct pollfd p;
	ssize_t n;
	int fd;

	fd = tt_mkdev("ttrw25", IFF_TUN | IFF_NO_PI, &devopts);
	TT_SYS(fd);
	tt_echo_request(req, &echo, NULL, 7);
	if (!tt_series_ge(6, 4)) {
		TT_ERRNO(preadv2(fd, &rv, 1, -1, RWF_NOWAIT), EOPNOTSUPP);
		TT_ERRNO(pwritev2(fd, &wv, 1, -1, RWF_NOWAIT), EOPNOTSUPP);
		/* Refused before the driver: nothing was sent or queued. */
		TT_EQ(pwritev2(fd, &wv, 1, -1, 0), ECHO_LEN);
		p = (struct pollfd){ .fd = fd, .events = POLLIN };
		TT_EQ(poll(&p, 1, 2000), 1);
		TT_ERRNO(preadv2(fd, &rv, 1, -1, RWF_NOWAIT), EOPNOTSUPP);
		n = preadv2(fd, &rv, 1, -1, 0);
		TT_SYS(n);
		TT_CALL(tt_echo_reply_check(buf, (size_t)n, &echo, NULL, 7));
		STATS("ttrw25", 1, ECHO_LEN, 0, 1, ECHO_LEN, 0);
		return TT_PASS;
	}
	TT_ERRNO(preadv2(fd, &rv, 1, -1, RWF_NOWAIT), EAGAIN);
	TT_EQ(pwritev2(fd, &wv, 1, -1, RWF_NOWAIT), ECHO_LEN);
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	TT_EQ(poll(&p, 1, 2000), 1);
	n = preadv2(fd, &rv, 1, -1, RWF_NOWAIT);
	TT_SYS(n);
	TT_CALL(tt_echo_reply_check(buf, (size_t)n, &echo, NULL, 7));
	TT_ERRNO(preadv2(fd, &rv, 1, -1, RWF_NOWAIT), EAGAIN);
	STATS("ttrw25", 1, ECHO_LEN, 0, 1, ECHO_LEN, 0);
	return TT_PASS;
}

int main(void)
{
	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(0x30 + i);
	tt_init();
	tt_run("tun_nopi_echo", c_tun_nopi_echo);
	tt_run("tun_pi_echo", c_tun_pi_echo);
	tt_run("tun_pi_short_read_strip", c_tun_pi_short_read);
	tt_run("tun_pi_read_too_small_einval", c_tun_pi_read_too_small);
	tt_run("tun_nopi_short_read_truncates", c_tun_nopi_short_read);
	tt_run("read_zero_len", c_read_zero_len);
	tt_run("readv_writev", c_readv_writev);
	tt_run("write_bad_version_einval", c_write_bad_version);
	tt_run("write_zero_len_nopi_einval", c_write_zero_len_nopi);
	tt_run("write_short_pi_einval", c_write_short_pi);
	tt_run("write_pi_no_version_check", c_write_pi_no_version_check);
	tt_run("write_ipv6_nopi", c_write_ipv6_nopi);
	tt_run("write_down_eio", c_write_down_eio);
	tt_run("write_large", c_write_large);
	tt_run("write_huge", c_write_huge);
	tt_run("write_limit", c_write_limit);
	tt_run("tap_arp", c_tap_arp);
	tt_run("tap_icmp_echo", c_tap_icmp_echo);
	tt_run("tap_pi", c_tap_pi);
	tt_run("tap_short_frame_einval", c_tap_short_frame);
	tt_run("tap_other_host", c_tap_other_host);
	tt_run("rwf_nowait", c_rwf_nowait);
	return tt_done();
}
