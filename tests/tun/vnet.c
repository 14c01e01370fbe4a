// SPDX-License-Identifier: GPL-2.0
/*
 * IFF_VNET_HDR and the offloads: the struct virtio_net_hdr that precedes
 * every frame on the fd, TUNSETOFFLOAD and the device features it turns on,
 * TUNSETVNETHDRSZ and TUNSETVNETLE, for tun and tap.
 *
 * Read side: what header the driver writes in front of a frame the stack
 * sent (plain, checksum left to the reader, one TSO/USO frame for many
 * segments).  Write side: what header the driver accepts in front of a
 * frame it hands to the stack, and how it refuses a malformed one (errno,
 * and which counter moves).
 *
 * The device is 198.18.7.1/24; the fd plays the peer 198.18.7.2, for TCP
 * too: the cases that need a connection answer the kernel's SYN themselves.
 *
 * Every value here was established against the stock tun.ko of 6.1 and
 * 6.12.  A driver that does not advertise IFF_VNET_HDR in TUNGETFEATURES
 * has every case skipped (the stock driver must advertise it).
 */
#include "tt.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/virtio_net.h>

#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20
#endif
#ifndef TUN_F_USO6
#define TUN_F_USO6 0x40
#endif

#define VH_LEN ((int)sizeof(struct virtio_net_hdr))
/* from 6.2's UAPI on; the host's headers may be older */
#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4 5
#endif

#define DEV_IP "198.18.7.1"
#define PEER_IP "198.18.7.2"
#define PAYLOAD_LEN 32
#define ECHO_LEN (28 + PAYLOAD_LEN)
#define MSS 1000
#define PEER_PORT 5001
#define DEV_PORT 7000
#define SRC_PORT 4000


/*
 * UDP segmentation in the vnet header (TUN_F_USO4/6, gso_type 5): Linux
 * has it from 6.2; our tun.ko has it on every series, 6.1 included, as a
 * deliberate extension (programs such as wireguard-go probe for it). So on
 * 6.1 the expectation depends on the driver: stock refuses, ours accepts.
 * The kernel's own behaviour around it (e.g. UDP GSO needing checksum
 * offload on 6.1) stays keyed on the series alone.
 */
static int uso_supported(void)
{
	return tt_series_ge(6, 2) || !strcmp(tt_impl(), "ours");
}

static const uint8_t peer_mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x07, 0x02 };

static uint8_t payload[PAYLOAD_LEN];
static uint8_t bulk[8192];

/* ---- devices ---- */

static int is_tap(int flags)
{
	return (flags & (IFF_TUN | IFF_TAP)) == IFF_TAP;
}

/*
 * A fresh device, up, IPv6 off, 198.18.7.1/24; a tap also gets a permanent
 * neighbour entry for the peer, so that nothing but the frames a case
 * provokes ever reaches the fd.
 */
static const struct tt_devopts devopts = {
	.ip = DEV_IP,
	.peer_ip = PEER_IP,
	.peer_mac = peer_mac,
};

struct counters {
	unsigned long long rxp, rxb, rxd, rxfe, txp, txb, txd;
};

static int counters_eq(const char *dev, const struct counters *want)
{
	struct tt_stats st;
	long long fe;

	TT_SYS(tt_stats(dev, &st));
	fe = tt_sysfs_num(dev, "statistics/rx_frame_errors");
	TT_STATS_EQ(st, rx_packets, want->rxp);
	TT_STATS_EQ(st, rx_bytes, want->rxb);
	TT_STATS_EQ(st, rx_dropped, want->rxd);
	TT_EQ(fe, (long long)want->rxfe);
	TT_STATS_EQ(st, tx_packets, want->txp);
	TT_STATS_EQ(st, tx_bytes, want->txb);
	TT_STATS_EQ(st, tx_dropped, want->txd);
	return TT_PASS;
}

/* rx packets/bytes/dropped/frame_errors, tx packets/bytes/dropped. */
#define STATS(dev, a, b, c, d, e, f, g)                                        \
	TT_CALL(counters_eq(dev, &(struct counters){ a, b, c, d, e, f, g }))

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

static int set_offload(int fd, unsigned int bits)
{
	return ioctl(fd, TUNSETOFFLOAD, (unsigned long)bits);
}

/* ---- ethtool -k ---- */

/*
 * Each want[] is a whole line of `ethtool -k dev` without its indentation,
 * e.g. "tx-checksumming: on"; the line that starts with the same name must
 * read exactly that.
 */
static int features_are(const char *dev, const char *const *want, size_t n)
{
	static char out[16384];
	int st;

	st = tt_sh_out(out, sizeof(out), "ethtool -k %s 2>&1", dev);
	TT_CHECK(st == 0, "ethtool -k %s: status %d: %s", dev, st, out);
	for (size_t i = 0; i < n; i++) {
		const char *colon = strchr(want[i], ':');
		size_t nl = (size_t)(colon - want[i]) + 1;
		char line[128] = "";

		for (char *p = out; *p;) {
			char *e = strchr(p, '\n');
			size_t len = e ? (size_t)(e - p) : strlen(p);

			while (len && (*p == '\t' || *p == ' ')) {
				p++;
				len--;
			}
			if (len >= nl && !strncmp(p, want[i], nl)) {
				snprintf(line, sizeof(line), "%.*s", (int)len,
					 p);
				break;
			}
			p += len;
			if (*p == '\n')
				p++;
		}
		TT_CHECK(line[0], "ethtool -k %s has no line \"%.*s\"", dev,
			 (int)nl, want[i]);
		TT_CHECK(!strcmp(line, want[i]),
			 "ethtool -k %s: \"%s\", want \"%s\"", dev, line,
			 want[i]);
	}
	return TT_PASS;
}

static const char *onoff(int on)
{
	return on ? "on" : "off";
}

/*
 * The feature lines that TUNSETOFFLOAD(bits) must produce.  UFO has no
 * device feature any more: it is accepted and changes nothing.  USO
 * (NETIF_F_GSO_UDP_L4) is a user feature from 6.2 on; before, the line is
 * fixed off.
 */
static int features_of(const char *dev, unsigned int bits, int fresh)
{
	int csum = !!(bits & TUN_F_CSUM);
	int tso4 = csum && (bits & TUN_F_TSO4);
	int tso6 = csum && (bits & TUN_F_TSO6);
	int ecn = (tso4 || tso6) && (bits & TUN_F_TSO_ECN);
	int uso = csum && (bits & TUN_F_USO4) && (bits & TUN_F_USO6);
	/*
	 * A new device wants every user feature but has none until the
	 * first TUNSETOFFLOAD, which sets what it wants as well.
	 */
	const char *rq = fresh ? " [requested on]" : "";
	char l[8][64];
	const char *want[8];

	snprintf(l[0], 64, "tx-checksumming: %s", onoff(csum));
	snprintf(l[1], 64, "tx-checksum-ip-generic: %s%s", onoff(csum), rq);
	snprintf(l[2], 64, "tcp-segmentation-offload: %s",
		 onoff(tso4 || tso6));
	snprintf(l[3], 64, "tx-tcp-segmentation: %s%s", onoff(tso4), rq);
	snprintf(l[4], 64, "tx-tcp-ecn-segmentation: %s%s", onoff(ecn), rq);
	snprintf(l[5], 64, "tx-tcp6-segmentation: %s%s", onoff(tso6), rq);
	if (uso_supported())
		snprintf(l[6], 64, "tx-udp-segmentation: %s%s", onoff(uso),
			 rq);
	else
		snprintf(l[6], 64, "tx-udp-segmentation: off [fixed]");
	snprintf(l[7], 64, "scatter-gather: on");
	for (int i = 0; i < 8; i++)
		want[i] = l[i];
	return features_are(dev, want, 8);
}

static int offload_features_are(const char *dev, unsigned int bits)
{
	return features_of(dev, bits, 0);
}

/* ---- packets ---- */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static size_t ip4(uint8_t *b, uint32_t src, uint32_t dst, int proto,
		  size_t l4len)
{
	uint16_t c;

	memset(b, 0, 20);
	b[0] = 0x45;
	put16(b + 2, (uint16_t)(20 + l4len));
	put16(b + 4, 0x4321);
	b[6] = 0x40;	/* DF */
	b[8] = 64;
	b[9] = (uint8_t)proto;
	memcpy(b + 12, &src, 4);
	memcpy(b + 16, &dst, 4);
	c = tt_csum(b, 20);
	memcpy(b + 10, &c, 2);
	return 20;
}

/* Checksum of pseudo header + l4 (l4len bytes) as it is stored. */
static uint16_t l4_csum(const uint8_t *ip, const uint8_t *l4, size_t l4len)
{
	static uint8_t tmp[12 + 65536];

	memcpy(tmp, ip + 12, 8);
	tmp[8] = 0;
	tmp[9] = ip[9];
	put16(tmp + 10, (uint16_t)l4len);
	memcpy(tmp + 12, l4, l4len);
	return tt_csum(tmp, 12 + l4len);
}

/*
 * What a sender that leaves the checksum to the device stores in the
 * checksum field: the folded pseudo-header sum, not complemented.
 */
static uint16_t pseudo_partial(const uint8_t *ip, size_t l4len)
{
	uint8_t ph[12];

	memcpy(ph, ip + 12, 8);
	ph[8] = 0;
	ph[9] = ip[9];
	put16(ph + 10, (uint16_t)l4len);
	return (uint16_t)~tt_csum(ph, 12);
}

/* IPv4 + UDP with a valid checksum; returns the length. */
static size_t udp4(uint8_t *b, uint32_t src, uint32_t dst, uint16_t sport,
		   uint16_t dport, const void *data, size_t dlen)
{
	uint8_t *u = b + 20;
	uint16_t c;

	ip4(b, src, dst, IPPROTO_UDP, 8 + dlen);
	put16(u, sport);
	put16(u + 2, dport);
	put16(u + 4, (uint16_t)(8 + dlen));
	put16(u + 6, 0);
	memcpy(u + 8, data, dlen);
	c = l4_csum(b, u, 8 + dlen);
	if (!c)
		c = 0xffff;
	memcpy(u + 6, &c, 2);
	return 28 + dlen;
}

#define TH_SYN 0x02
#define TH_PSH 0x08
#define TH_ACK 0x10

/*
 * IPv4 + TCP (20 bytes, or 24 with an MSS option when mss != 0).  With
 * partial, the checksum field holds the pseudo-header sum only, as a
 * sender with checksum offload leaves it.  Returns the length.
 */
static size_t tcp4(uint8_t *b, uint32_t src, uint32_t dst, uint16_t sport,
		   uint16_t dport, uint32_t seq, uint32_t ack, int flags,
		   uint16_t mss, const void *data, size_t dlen, int partial)
{
	size_t thl = mss ? 24 : 20;
	uint8_t *t = b + 20;
	uint16_t c;

	ip4(b, src, dst, IPPROTO_TCP, thl + dlen);
	memset(t, 0, thl);
	put16(t, sport);
	put16(t + 2, dport);
	put32(t + 4, seq);
	put32(t + 8, ack);
	t[12] = (uint8_t)((thl / 4) << 4);
	t[13] = (uint8_t)flags;
	put16(t + 14, 65535);
	if (mss) {
		t[20] = 2;
		t[21] = 4;
		put16(t + 22, mss);
	}
	memcpy(t + thl, data, dlen);
	if (partial)
		c = pseudo_partial(b, thl + dlen);
	else
		c = l4_csum(b, t, thl + dlen);
	memcpy(t + 16, &c, 2);
	return 20 + thl + dlen;
}

/* The peer's echo requests and the exact replies the stack gives. */
static const struct tt_echo echo = {
	.dev_ip = DEV_IP,
	.peer_ip = PEER_IP,
	.id = 0x4243,
	.payload = payload,
	.plen = PAYLOAD_LEN,
	.peer_mac = peer_mac,
};

static int hdr_is(const uint8_t *p, int flags, int gso_type, int hdr_len,
		  int gso_size, int csum_start, int csum_offset)
{
	struct virtio_net_hdr h;

	memcpy(&h, p, VH_LEN);
	TT_EQ(h.flags, flags);
	TT_EQ(h.gso_type, gso_type);
	TT_EQ(h.hdr_len, hdr_len);
	TT_EQ(h.gso_size, gso_size);
	TT_EQ(h.csum_start, csum_start);
	TT_EQ(h.csum_offset, csum_offset);
	return TT_PASS;
}

static void mkhdr(uint8_t *p, int flags, int gso_type, int hdr_len,
		  int gso_size, int csum_start, int csum_offset)
{
	struct virtio_net_hdr h = {
		.flags = (uint8_t)flags,
		.gso_type = (uint8_t)gso_type,
		.hdr_len = (uint16_t)hdr_len,
		.gso_size = (uint16_t)gso_size,
		.csum_start = (uint16_t)csum_start,
		.csum_offset = (uint16_t)csum_offset,
	};

	memcpy(p, &h, VH_LEN);
}

/* A UDP socket bound to ip:port, non-blocking; deferred. */
static int udp_sock(const char *ip, uint16_t port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int s;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0)
		return -1;
	tt_defer_fd(s);
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = tt_ip4(ip);
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		return -1;
	return s;
}

/* A tun device with a vnet header, set up as devopts says; its fd in *fd. */
static int vnet_tun(const char *dev, int *fd)
{
	*fd = tt_mkdev(dev, IFF_TUN | IFF_NO_PI | IFF_VNET_HDR, &devopts);
	TT_SYS(*fd);
	return TT_PASS;
}

/* That device (*fd), and a UDP socket bound to DEV_IP:port (*s). */
static int vnet_tun_sock(const char *dev, uint16_t port, int *fd, int *s)
{
	TT_CALL(vnet_tun(dev, fd));
	*s = udp_sock(DEV_IP, port);
	TT_SYS(*s);
	return TT_PASS;
}

/* That device, and a socket that sends UDP_SEGMENT datagrams of MSS. */
static int udp_segment_setup(const char *dev, int *fd, int *s)
{
	int seg = MSS;

	TT_CALL(vnet_tun_sock(dev, SRC_PORT, fd, s));
	TT_SYS(setsockopt(*s, IPPROTO_UDP, UDP_SEGMENT, &seg, sizeof(seg)));
	return TT_PASS;
}

static ssize_t udp_send_to(int s, const char *ip, uint16_t port,
			   const void *data, size_t len)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };

	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = tt_ip4(ip);
	return sendto(s, data, len, 0, (struct sockaddr *)&sin, sizeof(sin));
}

/* Wait up to ms for a datagram on s. */
static ssize_t recv_timeout(int s, void *buf, size_t len, int ms)
{
	struct pollfd p = { .fd = s, .events = POLLIN };
	int r;

	r = poll(&p, 1, ms);
	if (r < 0)
		return -1;
	if (r == 0) {
		errno = ETIMEDOUT;
		return -1;
	}
	return recv(s, buf, len, 0);
}

/*
 * Complete a checksum the sender left to the device, as the virtio spec
 * says: the 16-bit one's complement checksum of everything from start to
 * the end, stored at start + offset.
 */
static void complete_csum(uint8_t *frame, size_t len, size_t start,
			  size_t offset)
{
	uint16_t c = tt_csum(frame + start, len - start);

	memcpy(frame + start + offset, &c, 2);
}

/* ---- the feature probe ---- */

static int have_vnet_hdr;

static int c_not_advertised(void)
{
	if (!strcmp(tt_impl(), "stock"))
		return tt_fail("the stock driver does not advertise "
			       "IFF_VNET_HDR");
	return tt_skip("driver does not advertise IFF_VNET_HDR");
}

/* ---- cases: flags and ioctls ---- */

static int flags_case(const char *name, int flags, long long want_sysfs)
{
	unsigned int features = 0;
	struct ifreq ifr;
	char out[2048];
	int fd, v;

	fd = tt_tun_open(0);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNGETFEATURES, &features));
	TT_CHECK(features & IFF_VNET_HDR, "features 0x%x", features);
	TT_SYS(tt_tun_setiff(fd, name, flags, NULL));
	memset(&ifr, 0, sizeof(ifr));
	TT_SYS(ioctl(fd, TUNGETIFF, &ifr));
	TT_EQ((unsigned short)ifr.ifr_flags, flags);
	TT_EQ(tt_sysfs_num(name, "tun_flags"), want_sysfs);
	/* rtnetlink says so too (IFLA_TUN_VNET_HDR). */
	TT_EQ(tt_sh_out(out, sizeof(out), "ip -d link show %s", name), 0);
	TT_CHECK(strstr(out, " vnet_hdr on "), "ip -d link: %s", out);
	/* The header is 10 bytes unless told otherwise, and native LE. */
	v = -1;
	TT_SYS(ioctl(fd, TUNGETVNETHDRSZ, &v));
	TT_EQ(v, VH_LEN);
	v = -1;
	TT_SYS(ioctl(fd, TUNGETVNETLE, &v));
	TT_EQ(v, 0);
	return TT_PASS;
}

static int c_flags(void)
{
	TT_CALL(flags_case("ttvn0", IFF_TUN | IFF_NO_PI | IFF_VNET_HDR, 0x5001));
	TT_CALL(flags_case("ttvn1", IFF_TAP | IFF_NO_PI | IFF_VNET_HDR, 0x5002));
	return TT_PASS;
}

static int c_hdrsz(void)
{
	int fd, v;

	fd = tt_tun_alloc("ttvn2", IFF_TUN | IFF_NO_PI | IFF_VNET_HDR, NULL);
	TT_SYS(fd);
	v = 12;
	TT_SYS(ioctl(fd, TUNSETVNETHDRSZ, &v));
	v = 0;
	TT_SYS(ioctl(fd, TUNGETVNETHDRSZ, &v));
	TT_EQ(v, 12);
	/* Anything shorter than struct virtio_net_hdr is refused... */
	v = 9;
	TT_ERRNO(ioctl(fd, TUNSETVNETHDRSZ, &v), EINVAL);
	v = 0;
	TT_ERRNO(ioctl(fd, TUNSETVNETHDRSZ, &v), EINVAL);
	v = -1;
	TT_ERRNO(ioctl(fd, TUNSETVNETHDRSZ, &v), EINVAL);
	/* ...and leaves the size as it was. */
	v = 0;
	TT_SYS(ioctl(fd, TUNGETVNETHDRSZ, &v));
	TT_EQ(v, 12);
	v = 10;
	TT_SYS(ioctl(fd, TUNSETVNETHDRSZ, &v));
	v = 0;
	TT_SYS(ioctl(fd, TUNGETVNETHDRSZ, &v));
	TT_EQ(v, 10);
	return TT_PASS;
}

/* ---- cases: TUNSETOFFLOAD ---- */

static int c_offload_default(void)
{
	int fd;

	TT_CALL(vnet_tun("ttvn3", &fd));
	TT_CALL(features_of("ttvn3", 0, 1));
	fd = tt_mkdev("ttvn4", IFF_TAP | IFF_NO_PI | IFF_VNET_HDR, &devopts);
	TT_SYS(fd);
	TT_CALL(features_of("ttvn4", 0, 1));
	/* TUNSETOFFLOAD(0) turns the wish off too. */
	TT_SYS(set_offload(fd, 0));
	TT_CALL(features_of("ttvn4", 0, 0));
	return TT_PASS;
}

static int offload_accepted(const char *dev, int flags)
{
	static const unsigned int both[] = {
		0,
		TUN_F_CSUM,
		TUN_F_CSUM | TUN_F_TSO4,
		TUN_F_CSUM | TUN_F_TSO6,
		TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN,
		TUN_F_CSUM | TUN_F_TSO6 | TUN_F_TSO_ECN,
		TUN_F_CSUM | TUN_F_UFO,
		TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN |
			TUN_F_UFO,
		0,
	};
	static const unsigned int uso[] = {
		TUN_F_CSUM | TUN_F_USO4 | TUN_F_USO6,
		TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN |
			TUN_F_UFO | TUN_F_USO4 | TUN_F_USO6,
		TUN_F_CSUM,
		0,
	};
	int fd;

	fd = tt_mkdev(dev, flags, &devopts);
	TT_SYS(fd);
	for (size_t i = 0; i < sizeof(both) / sizeof(both[0]); i++) {
		if (set_offload(fd, both[i]))
			return tt_fail("TUNSETOFFLOAD 0x%x: %s", both[i],
				       tt_errname(errno));
		TT_CALL(offload_features_are(dev, both[i]));
	}
	/* USO exists from 6.2 on, and only as the pair USO4|USO6. */
	if (!uso_supported())
		return TT_PASS;
	for (size_t i = 0; i < sizeof(uso) / sizeof(uso[0]); i++) {
		if (set_offload(fd, uso[i]))
			return tt_fail("TUNSETOFFLOAD 0x%x: %s", uso[i],
				       tt_errname(errno));
		TT_CALL(offload_features_are(dev, uso[i]));
	}
	return TT_PASS;
}

static int c_offload_accepted_tun(void)
{
	return offload_accepted("ttvn5", IFF_TUN | IFF_NO_PI | IFF_VNET_HDR);
}

static int c_offload_accepted_tap(void)
{
	return offload_accepted("ttvn6", IFF_TAP | IFF_NO_PI | IFF_VNET_HDR);
}

static int c_offload_refused(void)
{
	static const unsigned int bad[] = {
		TUN_F_TSO4,			/* TSO without CSUM */
		TUN_F_TSO6,
		TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN,
		TUN_F_TSO_ECN,
		TUN_F_UFO,			/* UFO without CSUM */
		TUN_F_CSUM | TUN_F_TSO_ECN,	/* ECN without TSO */
		TUN_F_USO4 | TUN_F_USO6,	/* USO without CSUM */
		TUN_F_CSUM | TUN_F_USO4,	/* only one of the pair */
		TUN_F_CSUM | TUN_F_USO6,
		0x80,				/* unknown bits */
		TUN_F_CSUM | 0x80,
		TUN_F_CSUM | TUN_F_TSO4 | 0x100,
		0x80000000u,
		0xffffffffu,
	};
	const unsigned int before = TUN_F_CSUM | TUN_F_TSO4;
	int fd;

	TT_CALL(vnet_tun("ttvn7", &fd));
	TT_SYS(set_offload(fd, before));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		if (set_offload(fd, bad[i]) != -1 || errno != EINVAL)
			return tt_fail("TUNSETOFFLOAD 0x%x: want EINVAL, "
				       "got %s", bad[i], tt_errname(errno));
		/* A refusal changes nothing. */
		TT_CALL(offload_features_are("ttvn7", before));
	}
	/* Without USO (stock 6.1) even the full pair is refused. */
	if (!uso_supported()) {
		TT_ERRNO(set_offload(fd, TUN_F_CSUM | TUN_F_USO4 |
					     TUN_F_USO6), EINVAL);
		TT_CALL(offload_features_are("ttvn7", before));
	}
	return TT_PASS;
}

static int c_offload_without_vnet_hdr(void)
{
	int fd;

	/* TUNSETOFFLOAD does not depend on IFF_VNET_HDR. */
	fd = tt_mkdev("ttvn8", IFF_TUN | IFF_NO_PI, &devopts);
	TT_SYS(fd);
	TT_SYS(set_offload(fd, TUN_F_CSUM | TUN_F_TSO4));
	TT_CALL(offload_features_are("ttvn8", TUN_F_CSUM | TUN_F_TSO4));
	TT_ERRNO(set_offload(fd, TUN_F_TSO4), EINVAL);
	return TT_PASS;
}

/* ---- cases: the read side ---- */

/*
 * A zero header in front of an echo request: received like a plain
 * frame; the reply comes back behind a header of zeros.  The counters
 * leave the header out.
 */
static int zero_hdr_echo(const char *dev, int flags)
{
	uint8_t req[VH_LEN + 14 + ECHO_LEN], buf[2048], mac[6];
	size_t l2 = is_tap(flags) ? 14 : 0, n;
	const uint8_t *m = NULL;
	ssize_t r;
	int fd;

	fd = tt_mkdev(dev, flags, &devopts);
	TT_SYS(fd);
	mkhdr(req, 0, 0, 0, 0, 0, 0);
	if (l2) {
		TT_SYS(tt_link_hwaddr(dev, mac));
		m = mac;
	}
	n = VH_LEN + tt_echo_request(req + VH_LEN, &echo, m, 1);
	TT_EQ(write(fd, req, n), (ssize_t)n);
	memset(buf, 0xee, sizeof(buf));
	r = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_EQ(r, (ssize_t)n);
	TT_CALL(hdr_is(buf, 0, VIRTIO_NET_HDR_GSO_NONE, 0, 0, 0, 0));
	TT_CALL(tt_echo_reply_check(buf + VH_LEN, (size_t)r - VH_LEN, &echo, m,
				    1));
	TT_CALL(queue_empty(fd));
	STATS(dev, 1, l2 + ECHO_LEN, 0, 0, 1, l2 + ECHO_LEN, 0);
	return TT_PASS;
}

static int c_zero_hdr_echo_tun(void)
{
	return zero_hdr_echo("ttvn10", IFF_TUN | IFF_NO_PI | IFF_VNET_HDR);
}

static int c_zero_hdr_echo_tap(void)
{
	return zero_hdr_echo("ttvn11", IFF_TAP | IFF_NO_PI | IFF_VNET_HDR);
}

/*
 * A datagram from a local socket to the peer, read with its header.
 * Without TUN_F_CSUM the stack has filled in the checksum: flags 0.  With
 * it, the checksum is left to the reader: NEEDS_CSUM, csum_start at the
 * UDP header (counted from the start of the frame), csum_offset 6, and
 * the field holds the pseudo-header sum.
 */
static int udp_read(const char *dev, int flags, unsigned int offload)
{
	uint8_t buf[2048], *ip;
	size_t l2 = is_tap(flags) ? 14 : 0, dl = 100;
	ssize_t r;
	int fd, s;

	fd = tt_mkdev(dev, flags, &devopts);
	TT_SYS(fd);
	TT_SYS(set_offload(fd, offload));
	s = udp_sock(DEV_IP, SRC_PORT);
	TT_SYS(s);
	TT_EQ(udp_send_to(s, PEER_IP, PEER_PORT, bulk, dl), (ssize_t)dl);
	r = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_EQ(r, (ssize_t)(VH_LEN + l2 + 28 + dl));
	ip = buf + VH_LEN + l2;
	TT_EQ(ip[9], IPPROTO_UDP);
	TT_EQ(get16(ip + 20), SRC_PORT);
	TT_EQ(get16(ip + 22), PEER_PORT);
	TT_EQ(get16(ip + 24), 8 + dl);
	TT_MEMEQ(ip + 28, bulk, dl);
	if (offload & TUN_F_CSUM) {
		TT_CALL(hdr_is(buf, VIRTIO_NET_HDR_F_NEEDS_CSUM,
			       VIRTIO_NET_HDR_GSO_NONE, 0, 0, l2 + 20, 6));
		TT_EQ(get16(ip + 26), ntohs(pseudo_partial(ip, 8 + dl)));
		TT_CHECK(l4_csum(ip, ip + 20, 8 + dl) != 0,
			 "the checksum is already complete");
		complete_csum(buf + VH_LEN, l2 + 28 + dl, l2 + 20, 6);
	} else {
		TT_CALL(hdr_is(buf, 0, VIRTIO_NET_HDR_GSO_NONE, 0, 0, 0, 0));
	}
	TT_EQ(l4_csum(ip, ip + 20, 8 + dl), 0);
	TT_CALL(queue_empty(fd));
	STATS(dev, 0, 0, 0, 0, 1, l2 + 28 + dl, 0);
	return TT_PASS;
}

static int c_udp_read_no_offload(void)
{
	return udp_read("ttvn12", IFF_TUN | IFF_NO_PI | IFF_VNET_HDR, 0);
}

static int c_udp_read_csum_tun(void)
{
	return udp_read("ttvn13", IFF_TUN | IFF_NO_PI | IFF_VNET_HDR,
			TUN_F_CSUM);
}

static int c_udp_read_csum_tap(void)
{
	return udp_read("ttvn14", IFF_TAP | IFF_NO_PI | IFF_VNET_HDR,
			TUN_F_CSUM);
}

/* A TCP client socket towards the peer, the fd answering for the peer. */
struct conn {
	int fd;		/* the tun fd */
	int sock;	/* the client socket */
	uint16_t cport;	/* its port */
	uint32_t cseq;	/* its next sequence number */
	uint32_t pseq;	/* the peer's next sequence number */
	unsigned long long txb;	/* bytes of the frames read so far */
	int resyn;	/* SYNs sent again before the SYN-ACK was seen */
};

#define PEER_ISS 0x10000000u

/* Read one frame (behind a 10-byte header) carrying TCP; 0 or failure. */
static int read_tcp(int fd, uint8_t *buf, size_t len, ssize_t *n, int ms)
{
	*n = tt_read_timeout(fd, buf, len, ms);
	TT_CHECK(*n >= VH_LEN + 40, "read: %zd %s", *n,
		 *n < 0 ? tt_errname(errno) : "(short)");
	TT_EQ(buf[VH_LEN + 9], IPPROTO_TCP);
	return TT_PASS;
}

/* Nonblocking connect; read the SYN; answer SYN-ACK (MSS); read the ACK. */
static int tcp_connect(struct conn *c, unsigned int offload)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	uint8_t buf[2048], *t;
	struct linger lg = { 1, 0 };
	struct ifreq ifr;
	socklen_t sl;
	ssize_t n;
	size_t len;
	int err;

	/*
	 * The case, the peer, never acknowledges data: with the usual 200 ms
	 * floor of its retransmission timeout the stack would send it again
	 * while a loaded guest is still reading the first copy.  A route
	 * with rto_min 60 s puts that beyond the case.
	 */
	memset(&ifr, 0, sizeof(ifr));
	TT_SYS(ioctl(c->fd, TUNGETIFF, &ifr));
	TT_EQ(tt_sh("ip route replace %s/32 dev %s rto_min 60s", PEER_IP,
		    ifr.ifr_name), 0);
	c->sock = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			 0);
	TT_SYS(c->sock);
	tt_defer_fd(c->sock);
	/* Closing resets the connection instead of lingering in FIN_WAIT. */
	TT_SYS(setsockopt(c->sock, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	sin.sin_port = htons(PEER_PORT);
	sin.sin_addr.s_addr = tt_ip4(PEER_IP);
	TT_ERRNO(connect(c->sock, (struct sockaddr *)&sin, sizeof(sin)),
		 EINPROGRESS);
	TT_CALL(read_tcp(c->fd, buf, sizeof(buf), &n, TT_WAIT_MS));
	t = buf + VH_LEN + 20;
	TT_EQ(t[13], TH_SYN);
	/* The SYN's checksum is left to the reader as well with CSUM. */
	if (offload & TUN_F_CSUM)
		TT_CALL(hdr_is(buf, VIRTIO_NET_HDR_F_NEEDS_CSUM,
			       VIRTIO_NET_HDR_GSO_NONE, 0, 0, 20, 16));
	else
		TT_CALL(hdr_is(buf, 0, VIRTIO_NET_HDR_GSO_NONE, 0, 0, 0, 0));
	c->txb = (size_t)n - VH_LEN;
	c->cport = get16(t);
	c->cseq = get32(t + 4) + 1;
	c->pseq = PEER_ISS + 1;
	mkhdr(buf, 0, 0, 0, 0, 0, 0);
	len = tcp4(buf + VH_LEN, tt_ip4(PEER_IP), tt_ip4(DEV_IP), PEER_PORT,
		   c->cport, PEER_ISS, c->cseq, TH_SYN | TH_ACK, MSS, NULL, 0,
		   0);
	TT_EQ(write(c->fd, buf, VH_LEN + len), (ssize_t)(VH_LEN + len));
	/*
	 * The SYN's own timeout is 1 s whatever the route says: a guest
	 * stalled that long has sent it again before it saw the SYN-ACK.
	 * Those copies come first, and count.
	 */
	for (;;) {
		TT_CALL(read_tcp(c->fd, buf, sizeof(buf), &n, TT_WAIT_MS));
		t = buf + VH_LEN + 20;
		if (t[13] != TH_SYN || get32(t + 4) != c->cseq - 1)
			break;
		tt_note("the SYN again");
		c->txb += (size_t)n - VH_LEN;
		c->resyn++;
	}
	TT_EQ(t[13], TH_ACK);
	TT_EQ(get32(t + 8), c->pseq);
	c->txb += (size_t)n - VH_LEN;
	err = -1;
	sl = sizeof(err);
	TT_SYS(getsockopt(c->sock, SOL_SOCKET, SO_ERROR, &err, &sl));
	TT_EQ(err, 0);
	return TT_PASS;
}

static int c_tcp_syn_csum(void)
{
	uint8_t buf[2048], *ip;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	size_t thl;
	ssize_t n;
	int fd, s;

	TT_CALL(vnet_tun("ttvn15", &fd));
	TT_SYS(set_offload(fd, TUN_F_CSUM));
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	TT_SYS(s);
	tt_defer_fd(s);
	sin.sin_port = htons(PEER_PORT);
	sin.sin_addr.s_addr = tt_ip4(PEER_IP);
	TT_ERRNO(connect(s, (struct sockaddr *)&sin, sizeof(sin)),
		 EINPROGRESS);
	TT_CALL(read_tcp(fd, buf, sizeof(buf), &n, TT_WAIT_MS));
	ip = buf + VH_LEN;
	thl = (size_t)(ip[32] >> 4) * 4;
	TT_EQ(ip[33], TH_SYN);
	TT_EQ((size_t)n, VH_LEN + 20 + thl);
	TT_CALL(hdr_is(buf, VIRTIO_NET_HDR_F_NEEDS_CSUM,
		       VIRTIO_NET_HDR_GSO_NONE, 0, 0, 20, 16));
	TT_EQ(get16(ip + 36), ntohs(pseudo_partial(ip, thl)));
	complete_csum(ip, 20 + thl, 20, 16);
	TT_EQ(l4_csum(ip, ip + 20, thl), 0);
	return TT_PASS;
}

/*
 * A 4000-byte send on a connection whose MSS is 1000.  With TSO4 the
 * stack hands over frames of several segments: GSO TCPV4, gso_size the
 * MSS, hdr_len the IP and TCP headers.  Without, frames of one segment.
 */
static int tcp_bulk(const char *dev, unsigned int offload)
{
	uint8_t buf[70000], *ip, *t;
	unsigned long long frames = 0, bytes = 0;
	size_t got = 0, total = 4000, thl, dl;
	int gso_frames = 0;
	struct conn c = { 0 };
	ssize_t n;

	TT_CALL(vnet_tun(dev, &c.fd));
	TT_SYS(set_offload(c.fd, offload));
	TT_CALL(tcp_connect(&c, offload));
	TT_EQ(send(c.sock, bulk, total, 0), (ssize_t)total);
	while (got < total) {
		TT_CALL(read_tcp(c.fd, buf, sizeof(buf), &n, TT_WAIT_MS));
		ip = buf + VH_LEN;
		t = ip + 20;
		thl = (size_t)(t[12] >> 4) * 4;
		dl = (size_t)n - VH_LEN - 20 - thl;
		tt_note("frame %llu: %zd bytes, %zu of data, gso_type %u "
			"gso_size %u hdr_len %u", frames, n, dl, buf[1],
			buf[4] | buf[5] << 8, buf[2] | buf[3] << 8);
		TT_EQ(thl, 20);
		TT_EQ(get16(ip + 2), n - VH_LEN);
		TT_EQ(get32(t + 4), c.cseq + got);
		TT_MEMEQ(t + thl, bulk + got, dl);
		/* The pseudo-header sum over the whole frame's length. */
		TT_EQ(get16(t + 16), ntohs(pseudo_partial(ip, thl + dl)));
		/* With TSO the first frame already carries several segments. */
		if (!frames && (offload & TUN_F_TSO4))
			TT_CHECK(dl > MSS, "first frame: %zu bytes of data", dl);
		if (dl > MSS) {
			TT_CALL(hdr_is(buf, VIRTIO_NET_HDR_F_NEEDS_CSUM,
				       VIRTIO_NET_HDR_GSO_TCPV4, 40, MSS, 20,
				       16));
			TT_EQ(dl % MSS, 0);
			gso_frames++;
		} else {
			TT_CALL(hdr_is(buf, VIRTIO_NET_HDR_F_NEEDS_CSUM,
				       VIRTIO_NET_HDR_GSO_NONE, 0, 0, 20, 16));
		}
		got += dl;
		frames++;
		bytes += (size_t)n - VH_LEN;
	}
	TT_EQ(got, total);
	if (offload & TUN_F_TSO4)
		TT_CHECK(gso_frames > 0, "no GSO frame in %llu frames",
			 frames);
	else
		TT_EQ(frames, total / MSS);
	TT_CALL(queue_empty(c.fd));
	/* One SYN-ACK in; SYN, ACK and the data frames out. */
	STATS(dev, 1, 44, 0, 0, 2 + c.resyn + frames, c.txb + bytes, 0);
	return TT_PASS;
}

static int c_tso4_read(void)
{
	return tcp_bulk("ttvn16", TUN_F_CSUM | TUN_F_TSO4);
}

static int c_tcp_no_tso_read(void)
{
	return tcp_bulk("ttvn17", TUN_F_CSUM);
}

/*
 * The other way: a TCPV4 GSO frame of three segments written into the fd
 * reaches the socket whole (no TUNSETOFFLOAD needed for that direction).  The header names the checksum as partial
 * and the field holds the pseudo-header sum, as a virtio guest sends it.
 */
static int c_tso4_write(void)
{
	uint8_t buf[VH_LEN + 40 + 3000], got[4000];
	struct conn c = { 0 };
	size_t len, total = 0;
	ssize_t n;

	TT_CALL(vnet_tun("ttvn18", &c.fd));
	TT_CALL(tcp_connect(&c, 0));
	mkhdr(buf, VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_GSO_TCPV4, 40,
	      MSS, 20, 16);
	len = tcp4(buf + VH_LEN, tt_ip4(PEER_IP), tt_ip4(DEV_IP), PEER_PORT,
		   c.cport, c.pseq, c.cseq, TH_ACK | TH_PSH, 0, bulk, 3000, 1);
	TT_EQ(write(c.fd, buf, VH_LEN + len), (ssize_t)(VH_LEN + len));
	while (total < 3000) {
		n = recv_timeout(c.sock, got + total, sizeof(got) - total,
				 TT_WAIT_MS);
		TT_CHECK(n > 0, "recv after %zu bytes: %s", total,
			 n < 0 ? tt_errname(errno) : "EOF");
		total += (size_t)n;
	}
	TT_EQ(total, 3000);
	TT_MEMEQ(got, bulk, 3000);
	/* One frame in each way besides the handshake: the data, its ACK. */
	TT_CALL(read_tcp(c.fd, buf, sizeof(buf), &n, TT_WAIT_MS));
	TT_EQ(buf[VH_LEN + 33], TH_ACK);
	TT_EQ(get32(buf + VH_LEN + 28), c.pseq + 3000);
	TT_CALL(queue_empty(c.fd));
	STATS("ttvn18", 2, 44 + len, 0, 0, 3 + c.resyn,
	      c.txb + (size_t)n - VH_LEN, 0);
	return TT_PASS;
}

/*
 * One frame of a UDP_SEGMENT send segmented before the device with
 * TUN_F_CSUM on: a datagram of MSS whose checksum is left to the reader.
 */
static int read_partial_segment(int fd, uint8_t *buf, size_t len)
{
	ssize_t r = tt_read_timeout(fd, buf, len, TT_WAIT_MS);

	TT_EQ(r, VH_LEN + 28 + MSS);
	TT_CALL(hdr_is(buf, VIRTIO_NET_HDR_F_NEEDS_CSUM,
		       VIRTIO_NET_HDR_GSO_NONE, 0, 0, 20, 6));
	return TT_PASS;
}

/*
 * UDP_SEGMENT: one send of 3000 bytes in segments of 1000.  Without USO
 * the stack segments it before the device: three frames, each with a
 * partial checksum.  Without TUN_F_CSUM, 6.1 refuses the send (EIO) and
 * 6.12 segments and checksums it in software.
 */
static int c_udp_segment_no_uso(void)
{
	uint8_t buf[4096], *ip;
	int fd, s, sw = 0;
	ssize_t r;

	TT_CALL(udp_segment_setup("ttvn19", &fd, &s));
	if (!tt_series_ge(6, 2)) {
		/* 6.1 needs checksum offload for UDP GSO. */
		TT_ERRNO(udp_send_to(s, PEER_IP, PEER_PORT, bulk, 3000), EIO);
	} else {
		/* 6.12 segments and checksums in software. */
		TT_EQ(udp_send_to(s, PEER_IP, PEER_PORT, bulk, 3000), 3000);
		for (int i = 0; i < 3; i++) {
			r = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
			TT_EQ(r, VH_LEN + 28 + MSS);
			TT_CALL(hdr_is(buf, 0, VIRTIO_NET_HDR_GSO_NONE, 0, 0, 0,
				       0));
			ip = buf + VH_LEN;
			TT_EQ(get16(ip + 24), 8 + MSS);
			TT_MEMEQ(ip + 28, bulk + i * MSS, MSS);
			TT_EQ(l4_csum(ip, ip + 20, 8 + MSS), 0);
		}
		sw = 3;
	}
	TT_SYS(set_offload(fd, TUN_F_CSUM));
	TT_EQ(udp_send_to(s, PEER_IP, PEER_PORT, bulk, 3000), 3000);
	for (int i = 0; i < 3; i++) {
		TT_CALL(read_partial_segment(fd, buf, sizeof(buf)));
		ip = buf + VH_LEN;
		TT_EQ(get16(ip + 2), 28 + MSS);
		TT_EQ(get16(ip + 24), 8 + MSS);
		TT_MEMEQ(ip + 28, bulk + i * MSS, MSS);
		TT_EQ(get16(ip + 26), ntohs(pseudo_partial(ip, 8 + MSS)));
		complete_csum(ip, 28 + MSS, 20, 6);
		TT_EQ(l4_csum(ip, ip + 20, 8 + MSS), 0);
	}
	TT_CALL(queue_empty(fd));
	STATS("ttvn19", 0, 0, 0, 0, 3 + sw, (3 + sw) * (28 + MSS), 0);
	return TT_PASS;
}

/*
 * With USO (6.2 and later) the same send leaves as one frame: GSO
 * UDP_L4, gso_size 1000.  6.1 has no USO: TUNSETOFFLOAD refuses it and
 * the send is segmented as above.
 */
static int c_uso_read(void)
{
	const unsigned int uso = TUN_F_CSUM | TUN_F_USO4 | TUN_F_USO6;
	uint8_t buf[4096], *ip;
	int fd, s;
	ssize_t r;

	TT_CALL(udp_segment_setup("ttvn20", &fd, &s));
	if (!uso_supported()) {
		TT_ERRNO(set_offload(fd, uso), EINVAL);
		TT_SYS(set_offload(fd, TUN_F_CSUM));
		TT_EQ(udp_send_to(s, PEER_IP, PEER_PORT, bulk, 3000), 3000);
		for (int i = 0; i < 3; i++)
			TT_CALL(read_partial_segment(fd, buf, sizeof(buf)));
		TT_CALL(queue_empty(fd));
		return TT_PASS;
	}
	TT_SYS(set_offload(fd, uso));
	TT_EQ(udp_send_to(s, PEER_IP, PEER_PORT, bulk, 3000), 3000);
	r = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_EQ(r, VH_LEN + 28 + 3000);
	TT_CALL(hdr_is(buf, VIRTIO_NET_HDR_F_NEEDS_CSUM,
		       VIRTIO_NET_HDR_GSO_UDP_L4, 28, MSS, 20, 6));
	ip = buf + VH_LEN;
	TT_EQ(get16(ip + 2), 28 + 3000);
	TT_EQ(get16(ip + 20), SRC_PORT);
	TT_EQ(get16(ip + 22), PEER_PORT);
	TT_EQ(get16(ip + 24), 8 + 3000);
	TT_EQ(get16(ip + 26), ntohs(pseudo_partial(ip, 8 + 3000)));
	TT_MEMEQ(ip + 28, bulk, 3000);
	TT_CALL(queue_empty(fd));
	STATS("ttvn20", 0, 0, 0, 0, 1, 28 + 3000, 0);
	return TT_PASS;
}

/*
 * A UDP_L4 GSO frame written in: 6.12 hands it to the stack, which
 * delivers three datagrams to the socket; 6.1 does not know the type and
 * refuses it as a frame error.
 */
static int c_uso_write(void)
{
	uint8_t buf[VH_LEN + 28 + 3000], got[2048];
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	size_t len;
	ssize_t r;
	int fd, s;

	TT_CALL(vnet_tun_sock("ttvn21", DEV_PORT, &fd, &s));
	mkhdr(buf, VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_GSO_UDP_L4, 28,
	      MSS, 20, 6);
	len = udp4(buf + VH_LEN, tt_ip4(PEER_IP), tt_ip4(DEV_IP), SRC_PORT,
		   DEV_PORT, bulk, 3000);
	{
		uint16_t c = pseudo_partial(buf + VH_LEN, 8 + 3000);

		memcpy(buf + VH_LEN + 26, &c, 2);
	}
	if (!uso_supported()) {
		TT_ERRNO(write(fd, buf, VH_LEN + len), EINVAL);
		STATS("ttvn21", 0, 0, 0, 1, 0, 0, 0);
		return TT_PASS;
	}
	TT_EQ(write(fd, buf, VH_LEN + len), (ssize_t)(VH_LEN + len));
	for (int i = 0; i < 3; i++) {
		r = recv_timeout(s, got, sizeof(got), TT_WAIT_MS);
		TT_CHECK(r >= 0, "datagram %d: %s", i, tt_errname(errno));
		TT_EQ(r, MSS);
		TT_MEMEQ(got, bulk + i * MSS, MSS);
	}
	TT_ERRNO(recvfrom(s, got, sizeof(got), 0, (struct sockaddr *)&from,
			  &fl), EAGAIN);
	STATS("ttvn21", 1, len, 0, 0, 0, 0, 0);
	return TT_PASS;
}

/* ---- cases: header size, short buffers, tun_pi, endianness ---- */

/*
 * TUNSETVNETHDRSZ 12 (struct virtio_net_hdr_mrg_rxbuf): 12 bytes of
 * header each way.  The driver fills in the first 10 and skips the last
 * two (num_buffers) on read, and ignores them on write.
 */
static int c_hdrsz_12(void)
{
	uint8_t req[12 + ECHO_LEN], buf[2048];
	int fd, v = 12;
	ssize_t r;

	TT_CALL(vnet_tun("ttvn22", &fd));
	TT_SYS(ioctl(fd, TUNSETVNETHDRSZ, &v));
	mkhdr(req, 0, 0, 0, 0, 0, 0);
	req[10] = 0xbe;
	req[11] = 0xef;
	tt_echo_request(req + 12, &echo, NULL, 1);
	TT_EQ(write(fd, req, sizeof(req)), sizeof(req));
	memset(buf, 0xee, sizeof(buf));
	r = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_EQ(r, 12 + ECHO_LEN);
	TT_CALL(hdr_is(buf, 0, VIRTIO_NET_HDR_GSO_NONE, 0, 0, 0, 0));
	TT_EQ(buf[10], 0xee);
	TT_EQ(buf[11], 0xee);
	TT_CALL(tt_echo_reply_check(buf + 12, ECHO_LEN, &echo, NULL, 1));
	/* Shorter than the 12-byte header: refused. */
	TT_ERRNO(write(fd, req, 11), EINVAL);
	/* A read with room for the header only: the frame is cut. */
	TT_EQ(write(fd, req, sizeof(req)), sizeof(req));
	memset(buf, 0xee, sizeof(buf));
	r = tt_read_timeout(fd, buf, 12, TT_WAIT_MS);
	TT_EQ(r, 12);
	TT_CALL(hdr_is(buf, 0, VIRTIO_NET_HDR_GSO_NONE, 0, 0, 0, 0));
	TT_CALL(queue_empty(fd));
	STATS("ttvn22", 2, 2 * ECHO_LEN, 0, 0, 2, 2 * ECHO_LEN, 0);
	return TT_PASS;
}

static int c_read_short(void)
{
	uint8_t req[VH_LEN + ECHO_LEN], buf[2048];
	struct pollfd p;
	ssize_t r;
	int fd;

	TT_CALL(vnet_tun("ttvn23", &fd));
	mkhdr(req, 0, 0, 0, 0, 0, 0);
	tt_echo_request(req + VH_LEN, &echo, NULL, 1);
	TT_EQ(write(fd, req, sizeof(req)), sizeof(req));
	p.fd = fd;
	p.events = POLLIN;
	TT_EQ(poll(&p, 1, TT_WAIT_MS), 1);
	/* No room for the header: EINVAL, and the frame is gone. */
	TT_ERRNO(read(fd, buf, VH_LEN - 1), EINVAL);
	TT_CALL(queue_empty(fd));
	STATS("ttvn23", 1, ECHO_LEN, 0, 0, 0, 0, 0);
	/* Room for the header and 20 bytes: cut there, counted whole. */
	TT_EQ(write(fd, req, sizeof(req)), sizeof(req));
	r = tt_read_timeout(fd, buf, VH_LEN + 20, TT_WAIT_MS);
	TT_EQ(r, VH_LEN + 20);
	TT_CALL(hdr_is(buf, 0, VIRTIO_NET_HDR_GSO_NONE, 0, 0, 0, 0));
	TT_EQ(buf[VH_LEN], 0x45);
	TT_EQ(get16(buf + VH_LEN + 2), ECHO_LEN);
	TT_CALL(queue_empty(fd));
	STATS("ttvn23", 2, 2 * ECHO_LEN, 0, 0, 1, ECHO_LEN, 0);
	return TT_PASS;
}

static int c_pi_then_hdr(void)
{
	uint8_t req[4 + VH_LEN + ECHO_LEN], buf[2048], *ip;
	struct tun_pi pi = { 0, htons(0x0800) };
	ssize_t r;
	int fd, s;

	fd = tt_mkdev("ttvn24", IFF_TUN | IFF_VNET_HDR, &devopts);
	TT_SYS(fd);
	/* Write: tun_pi, then the header, then the packet. */
	memcpy(req, &pi, 4);
	mkhdr(req + 4, 0, 0, 0, 0, 0, 0);
	tt_echo_request(req + 4 + VH_LEN, &echo, NULL, 1);
	TT_EQ(write(fd, req, sizeof(req)), sizeof(req));
	/* Read: the same order. */
	r = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_EQ(r, 4 + VH_LEN + ECHO_LEN);
	memcpy(&pi, buf, 4);
	TT_EQ(pi.flags, 0);
	TT_EQ(ntohs(pi.proto), 0x0800);
	TT_CALL(hdr_is(buf + 4, 0, VIRTIO_NET_HDR_GSO_NONE, 0, 0, 0, 0));
	TT_CALL(tt_echo_reply_check(buf + 4 + VH_LEN, ECHO_LEN, &echo, NULL,
				    1));
	/* csum_start counts from the packet, not from tun_pi. */
	TT_SYS(set_offload(fd, TUN_F_CSUM));
	s = udp_sock(DEV_IP, SRC_PORT);
	TT_SYS(s);
	TT_EQ(udp_send_to(s, PEER_IP, PEER_PORT, bulk, 100), 100);
	r = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_EQ(r, 4 + VH_LEN + 128);
	memcpy(&pi, buf, 4);
	TT_EQ(pi.flags, 0);
	TT_EQ(ntohs(pi.proto), 0x0800);
	TT_CALL(hdr_is(buf + 4, VIRTIO_NET_HDR_F_NEEDS_CSUM,
		       VIRTIO_NET_HDR_GSO_NONE, 0, 0, 20, 6));
	ip = buf + 4 + VH_LEN;
	complete_csum(ip, 128, 20, 6);
	TT_EQ(l4_csum(ip, ip + 20, 108), 0);
	/* A buffer that cuts the packet: TUN_PKT_STRIP, header intact. */
	TT_EQ(udp_send_to(s, PEER_IP, PEER_PORT, bulk, 100), 100);
	r = tt_read_timeout(fd, buf, 4 + VH_LEN + 20, TT_WAIT_MS);
	TT_EQ(r, 4 + VH_LEN + 20);
	memcpy(&pi, buf, 4);
	TT_EQ(pi.flags, TUN_PKT_STRIP);
	TT_CALL(hdr_is(buf + 4, VIRTIO_NET_HDR_F_NEEDS_CSUM,
		       VIRTIO_NET_HDR_GSO_NONE, 0, 0, 20, 6));
	/* tun_pi and a short header: refused. */
	TT_ERRNO(write(fd, req, 4 + VH_LEN - 1), EINVAL);
	TT_ERRNO(write(fd, req, 3), EINVAL);
	TT_CALL(queue_empty(fd));
	STATS("ttvn24", 1, ECHO_LEN, 0, 0, 3, ECHO_LEN + 2 * 128, 0);
	return TT_PASS;
}

static int c_vnet_le(void)
{
	uint8_t buf[2048], *ip;
	ssize_t r;
	int fd, s, v;

	TT_CALL(vnet_tun("ttvn25", &fd));
	v = 1;
	TT_SYS(ioctl(fd, TUNSETVNETLE, &v));
	v = -1;
	TT_SYS(ioctl(fd, TUNGETVNETLE, &v));
	TT_EQ(v, 1);
	/*
	 * No cross-endian support in Debian's kernels (the debug lane's has
	 * it: tun/ioctl's vnetbe case tests it there).
	 */
	if (tt_kconfig("CONFIG_TUN_VNET_CROSS_LE") != 'y') {
		v = 1;
		TT_ERRNO(ioctl(fd, TUNSETVNETBE, &v), EINVAL);
		TT_ERRNO(ioctl(fd, TUNGETVNETBE, &v), EINVAL);
	}
	/* Little endian is what x86 had already: the same bytes. */
	TT_SYS(set_offload(fd, TUN_F_CSUM));
	s = udp_sock(DEV_IP, SRC_PORT);
	TT_SYS(s);
	TT_EQ(udp_send_to(s, PEER_IP, PEER_PORT, bulk, 100), 100);
	r = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_EQ(r, VH_LEN + 128);
	TT_EQ(buf[6], 20);
	TT_EQ(buf[7], 0);
	TT_EQ(buf[8], 6);
	TT_EQ(buf[9], 0);
	ip = buf + VH_LEN;
	complete_csum(ip, 128, 20, 6);
	TT_EQ(l4_csum(ip, ip + 20, 108), 0);
	v = 0;
	TT_SYS(ioctl(fd, TUNSETVNETLE, &v));
	v = -1;
	TT_SYS(ioctl(fd, TUNGETVNETLE, &v));
	TT_EQ(v, 0);
	return TT_PASS;
}

/* ---- cases: the write side ---- */

/*
 * A datagram with a wrong checksum.  Marked NEEDS_CSUM, the stack takes
 * the checksum as the sender's to fill in and delivers it; without the
 * flag it is counted on the device and dropped by UDP.
 */
static int needs_csum_write(const char *dev, int flags)
{
	uint8_t f[VH_LEN + 14 + 28 + 48], got[128], mac[6];
	size_t l2 = is_tap(flags) ? 14 : 0, n;
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	uint8_t *ip = f + VH_LEN + l2;
	ssize_t r;
	int fd, s;

	fd = tt_mkdev(dev, flags, &devopts);
	TT_SYS(fd);
	s = udp_sock(DEV_IP, DEV_PORT);
	TT_SYS(s);
	if (l2) {
		TT_SYS(tt_link_hwaddr(dev, mac));
		tt_eth(f + VH_LEN, mac, peer_mac, 0x0800);
	}
	n = VH_LEN + l2 + udp4(ip, tt_ip4(PEER_IP), tt_ip4(DEV_IP), SRC_PORT,
			       DEV_PORT, bulk, 48);
	ip[26] ^= 0x5a;
	TT_CHECK(l4_csum(ip, ip + 20, 56) != 0, "checksum still valid");
	mkhdr(f, VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_GSO_NONE, 0, 0,
	      l2 + 20, 6);
	TT_EQ(write(fd, f, n), (ssize_t)n);
	r = recv_timeout(s, got, sizeof(got), TT_WAIT_MS);
	TT_CHECK(r >= 0, "recv: %s", tt_errname(errno));
	TT_EQ(r, 48);
	TT_MEMEQ(got, bulk, 48);
	mkhdr(f, 0, VIRTIO_NET_HDR_GSO_NONE, 0, 0, 0, 0);
	TT_EQ(write(fd, f, n), (ssize_t)n);
	TT_ERRNO(recv_timeout(s, got, sizeof(got), 300), ETIMEDOUT);
	TT_ERRNO(recvfrom(s, got, sizeof(got), 0, (struct sockaddr *)&from,
			  &fl), EAGAIN);
	TT_CALL(queue_empty(fd));
	STATS(dev, 2, 2 * (n - VH_LEN), 0, 0, 0, 0, 0);
	return TT_PASS;
}

static int c_needs_csum_write_tun(void)
{
	return needs_csum_write("ttvn26", IFF_TUN | IFF_NO_PI | IFF_VNET_HDR);
}

static int c_needs_csum_write_tap(void)
{
	return needs_csum_write("ttvn27", IFF_TAP | IFF_NO_PI | IFF_VNET_HDR);
}

/*
 * A 76-byte UDP packet (48 bytes of data, valid checksum) from the peer to
 * DEV_IP:DEV_PORT behind room for the header; returns header + packet.
 */
static size_t udp_frame(uint8_t *f)
{
	return VH_LEN + udp4(f + VH_LEN, tt_ip4(PEER_IP), tt_ip4(DEV_IP),
			     SRC_PORT, DEV_PORT, bulk, 48);
}

static int c_csum_beyond_frame(void)
{
	uint8_t f[256];
	size_t n;
	int fd;

	TT_CALL(vnet_tun("ttvn28", &fd));
	n = udp_frame(f);
	/*
	 * csum_start + csum_offset + 2 > 76 raises hdr_len past the frame:
	 * refused before anything counts.
	 */
	mkhdr(f, VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 0, 20, 56);
	TT_ERRNO(write(fd, f, n), EINVAL);
	mkhdr(f, VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 0, 76, 0);
	TT_ERRNO(write(fd, f, n), EINVAL);
	mkhdr(f, VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 0, 60, 0x7fff);
	TT_ERRNO(write(fd, f, n), EINVAL);
	STATS("ttvn28", 0, 0, 0, 0, 0, 0, 0);
	/*
	 * The raised hdr_len is 16 bits: 0xffff + 0xffff + 2 wraps to 0,
	 * passes that check and is refused later, as a frame error.
	 */
	mkhdr(f, VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 0, 0xffff, 0xffff);
	TT_ERRNO(write(fd, f, n), EINVAL);
	STATS("ttvn28", 0, 0, 0, 1, 0, 0, 0);
	/* Ending exactly at the end of the frame is accepted. */
	mkhdr(f, VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 0, 20, 54);
	TT_EQ(write(fd, f, n), (ssize_t)n);
	STATS("ttvn28", 1, 76, 0, 1, 0, 0, 0);
	return TT_PASS;
}

static int c_hdr_len_beyond_frame(void)
{
	uint8_t f[256];
	size_t n;
	int fd, s;

	TT_CALL(vnet_tun_sock("ttvn29", DEV_PORT, &fd, &s));
	n = udp_frame(f);
	mkhdr(f, 0, 0, 77, 0, 0, 0);
	TT_ERRNO(write(fd, f, n), EINVAL);
	mkhdr(f, 0, 0, 0xffff, 0, 0, 0);
	TT_ERRNO(write(fd, f, n), EINVAL);
	STATS("ttvn29", 0, 0, 0, 0, 0, 0, 0);
	/* hdr_len equal to the frame is fine. */
	mkhdr(f, 0, 0, 76, 0, 0, 0);
	TT_EQ(write(fd, f, n), (ssize_t)n);
	TT_EQ(recv_timeout(s, f, sizeof(f), TT_WAIT_MS), 48);
	STATS("ttvn29", 1, 76, 0, 0, 0, 0, 0);
	return TT_PASS;
}

static int c_gso_unknown(void)
{
	static const uint8_t types[] = { 2, 6, 0x7f, VIRTIO_NET_HDR_GSO_ECN };
	uint8_t f[256];
	size_t n;
	int fd;

	TT_CALL(vnet_tun("ttvn30", &fd));
	n = udp_frame(f);
	for (size_t i = 0; i < sizeof(types); i++) {
		mkhdr(f, VIRTIO_NET_HDR_F_NEEDS_CSUM, types[i], 28, 20, 20, 6);
		errno = 0;
		if (write(fd, f, n) != -1 || errno != EINVAL)
			return tt_fail("gso_type 0x%x: want EINVAL, got %s",
				       types[i], tt_errname(errno));
	}
	/* Each one a frame error, none a drop. */
	STATS("ttvn30", 0, 0, 0, sizeof(types), 0, 0, 0);
	return TT_PASS;
}

static int c_gso_size_zero(void)
{
	uint8_t f[VH_LEN + 40 + 3000];
	size_t len;
	int fd;

	TT_CALL(vnet_tun("ttvn31", &fd));
	len = tcp4(f + VH_LEN, tt_ip4(PEER_IP), tt_ip4(DEV_IP), PEER_PORT,
		   DEV_PORT, 1, 1, TH_ACK, 0, bulk, 3000, 1);
	mkhdr(f, VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_GSO_TCPV4, 40, 0,
	      20, 16);
	TT_ERRNO(write(fd, f, VH_LEN + len), EINVAL);
	mkhdr(f, 0, VIRTIO_NET_HDR_GSO_TCPV4, 40, 0, 0, 0);
	TT_ERRNO(write(fd, f, VH_LEN + len), EINVAL);
	STATS("ttvn31", 0, 0, 0, 2, 0, 0, 0);
	return TT_PASS;
}

/*
 * csum_start inside the IP header.  6.1 takes it; 6.12 requires the
 * checksummed part to start past a minimal IP header (frame error).
 * The datagram carries a valid checksum, so that 6.1's stack delivers it.
 */
static int c_csum_start_in_ip_header(void)
{
	uint8_t f[256], got[128];
	size_t n;
	int fd, s;

	TT_CALL(vnet_tun_sock("ttvn32", DEV_PORT, &fd, &s));
	n = udp_frame(f);
	mkhdr(f, VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 0, 10, 0);
	if (tt_series_ge(6, 2)) {
		TT_ERRNO(write(fd, f, n), EINVAL);
		STATS("ttvn32", 0, 0, 0, 1, 0, 0, 0);
		return TT_PASS;
	}
	TT_EQ(write(fd, f, n), (ssize_t)n);
	TT_EQ(recv_timeout(s, got, sizeof(got), TT_WAIT_MS), 48);
	TT_MEMEQ(got, bulk, 48);
	STATS("ttvn32", 1, 76, 0, 0, 0, 0, 0);
	return TT_PASS;
}

static int c_write_short(void)
{
	uint8_t f[256];
	int fd;

	TT_CALL(vnet_tun("ttvn33", &fd));
	memset(f, 0, sizeof(f));
	TT_ERRNO(write(fd, f, 0), EINVAL);
	TT_ERRNO(write(fd, f, 1), EINVAL);
	TT_ERRNO(write(fd, f, VH_LEN - 1), EINVAL);
	STATS("ttvn33", 0, 0, 0, 0, 0, 0, 0);
	/* A header and no packet: no IP version to go by, a drop. */
	TT_ERRNO(write(fd, f, VH_LEN), EINVAL);
	STATS("ttvn33", 0, 0, 1, 0, 0, 0, 0);
	return TT_PASS;
}

static int c_tap_write_short(void)
{
	uint8_t f[256], mac[6];
	int fd;

	fd = tt_mkdev("ttvn34", IFF_TAP | IFF_NO_PI | IFF_VNET_HDR, &devopts);
	TT_SYS(fd);
	TT_SYS(tt_link_hwaddr("ttvn34", mac));
	memset(f, 0, sizeof(f));
	TT_ERRNO(write(fd, f, VH_LEN - 1), EINVAL);
	/* Less than an Ethernet header behind the vnet header. */
	TT_ERRNO(write(fd, f, VH_LEN + 13), EINVAL);
	/* hdr_len, when given, must cover the Ethernet header. */
	tt_eth(f + VH_LEN, mac, peer_mac, 0x0800);
	mkhdr(f, 0, 0, 13, 0, 0, 0);
	TT_ERRNO(write(fd, f, VH_LEN + 14), EINVAL);
	STATS("ttvn34", 0, 0, 0, 0, 0, 0, 0);
	mkhdr(f, 0, 0, 14, 0, 0, 0);
	TT_EQ(write(fd, f, VH_LEN + 14), VH_LEN + 14);
	STATS("ttvn34", 1, 14, 0, 0, 0, 0, 0);
	return TT_PASS;
}

/*
 * Large frames behind a header that announces a linear part (hdr_len, or
 * NEEDS_CSUM, which raises hdr_len to cover the checksum): that part goes
 * in the skb's head and the rest in page fragments, at most MAX_SKB_FRAGS
 * (17) of them.  6.1 makes them single pages, so a rest of more than
 * 17 * 4096 bytes is refused with EMSGSIZE and counted in rx_dropped;
 * since 6.6 they are compound pages of up to 32K and all of these fit.
 * Without hdr_len the whole frame is linear on 6.1 (a kmalloc'd head):
 * accepted at any of these sizes.  Each accepted frame counts in rx; the
 * stack then drops it (IPv4 header checksum left wrong) without a word.
 */
#define BIGW_MAX 80000
#define BIGW_FRAGS (17 * 4096)

enum bigw_kind { BIGW_PLAIN, BIGW_HDR_LEN, BIGW_NEEDS_CSUM };

static int big_write_case(const char *dev, int flags)
{
	static uint8_t f[VH_LEN + BIGW_MAX];
	static const char *const kname[] = { "no hdr_len", "hdr_len",
					     "NEEDS_CSUM" };
	size_t l2 = is_tap(flags) ? 14 : 0, hdr = l2 + 28;
	/* Frame lengths, and whether 6.1's stock driver refuses them. */
	const struct {
		size_t len;
		int refused_61;
	} sizes[] = {
		{ 65000, 0 },
		{ hdr + BIGW_FRAGS, 0 },	/* a rest of exactly 17 pages */
		{ hdr + BIGW_FRAGS + 1, 1 },
		{ 70000, 1 },
		{ BIGW_MAX, 1 },
	};
	unsigned long long rxp = 0, rxb = 0, rxd = 0;
	uint8_t mac[6], *ip;
	int fd;

	fd = tt_mkdev(dev, flags, &devopts);
	TT_SYS(fd);
	ip = f + VH_LEN + l2;
	if (l2) {
		TT_SYS(tt_link_hwaddr(dev, mac));
		tt_eth(f + VH_LEN, mac, peer_mac, 0x0800);
	}
	for (size_t i = VH_LEN + l2; i < sizeof(f); i++)
		f[i] = (uint8_t)(i * 13 + i / 509);
	ip4(ip, tt_ip4(PEER_IP), tt_ip4(DEV_IP), 17, 65535 - 20);
	ip[10] ^= 0xa5;
	TT_CHECK(tt_csum(ip, 20) != 0, "IPv4 header checksum still valid");
	put16(ip + 20, SRC_PORT);
	put16(ip + 22, DEV_PORT);

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t len = sizes[i].len;

		for (int k = BIGW_PLAIN; k <= BIGW_NEEDS_CSUM; k++) {
			int refused = k != BIGW_PLAIN && sizes[i].refused_61 &&
				      !tt_series_ge(6, 6);
			ssize_t r;

			if (k == BIGW_NEEDS_CSUM)
				mkhdr(f, VIRTIO_NET_HDR_F_NEEDS_CSUM,
				      VIRTIO_NET_HDR_GSO_NONE, 0, 0,
				      (int)l2 + 20, 6);
			else
				mkhdr(f, 0, VIRTIO_NET_HDR_GSO_NONE,
				      k == BIGW_HDR_LEN ? (int)hdr : 0, 0, 0, 0);
			errno = 0;
			r = write(fd, f, VH_LEN + len);
			if (refused) {
				TT_CHECK(r == -1 && errno == EMSGSIZE,
					 "%zu bytes, %s: want EMSGSIZE, got "
					 "%zd %s", len, kname[k], r,
					 r < 0 ? tt_errname(errno) : "");
				rxd++;
			} else {
				TT_CHECK(r == (ssize_t)(VH_LEN + len),
					 "%zu bytes, %s: want %zu, got %zd %s",
					 len, kname[k], VH_LEN + len, r,
					 r < 0 ? tt_errname(errno) : "");
				rxp++;
				rxb += len;
			}
			STATS(dev, rxp, rxb, rxd, 0, 0, 0, 0);
		}
	}
	TT_CALL(queue_empty(fd));
	return TT_PASS;
}

static int c_big_write_tun(void)
{
	return big_write_case("ttvn35", IFF_TUN | IFF_NO_PI | IFF_VNET_HDR);
}

static int c_big_write_tap(void)
{
	return big_write_case("ttvn36", IFF_TAP | IFF_NO_PI | IFF_VNET_HDR);
}

int main(void)
{
	static const struct {
		const char *name;
		tt_case_fn fn;
	} cases[] = {
		{ "flags_and_defaults", c_flags },
		{ "vnet_hdr_sz", c_hdrsz },
		{ "offload_default_off", c_offload_default },
		{ "offload_accepted_tun", c_offload_accepted_tun },
		{ "offload_accepted_tap", c_offload_accepted_tap },
		{ "offload_refused_einval", c_offload_refused },
		{ "offload_without_vnet_hdr", c_offload_without_vnet_hdr },
		{ "zero_hdr_echo_tun", c_zero_hdr_echo_tun },
		{ "zero_hdr_echo_tap", c_zero_hdr_echo_tap },
		{ "udp_read_no_offload", c_udp_read_no_offload },
		{ "udp_read_csum_tun", c_udp_read_csum_tun },
		{ "udp_read_csum_tap", c_udp_read_csum_tap },
		{ "tcp_syn_read_csum", c_tcp_syn_csum },
		{ "tso4_read_gso_frame", c_tso4_read },
		{ "tcp_read_no_tso", c_tcp_no_tso_read },
		{ "tso4_write_gso_frame", c_tso4_write },
		{ "udp_segment_read_no_uso", c_udp_segment_no_uso },
		{ "uso_read_gso_frame", c_uso_read },
		{ "uso_write_gso_frame", c_uso_write },
		{ "vnet_hdr_sz_12", c_hdrsz_12 },
		{ "read_shorter_than_hdr", c_read_short },
		{ "pi_then_vnet_hdr", c_pi_then_hdr },
		{ "vnet_le_round_trip", c_vnet_le },
		{ "write_needs_csum_tun", c_needs_csum_write_tun },
		{ "write_needs_csum_tap", c_needs_csum_write_tap },
		{ "write_csum_beyond_frame_einval", c_csum_beyond_frame },
		{ "write_hdr_len_beyond_frame_einval", c_hdr_len_beyond_frame },
		{ "write_gso_unknown_type_einval", c_gso_unknown },
		{ "write_gso_size_zero_einval", c_gso_size_zero },
		{ "write_csum_start_in_ip_header", c_csum_start_in_ip_header },
		{ "write_shorter_than_hdr_einval", c_write_short },
		{ "tap_write_short_einval", c_tap_write_short },
		{ "write_large_linear_part_tun", c_big_write_tun },
		{ "write_large_linear_part_tap", c_big_write_tap },
	};
	unsigned int features = 0;
	int fd;

	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(0x30 + i);
	for (size_t i = 0; i < sizeof(bulk); i++)
		bulk[i] = (uint8_t)(i * 7 + i / 251);
	tt_init();
	if (tt_tun_node() == 0) {
		fd = open(TT_TUN_PATH, O_RDWR | O_CLOEXEC);
		if (fd >= 0) {
			if (ioctl(fd, TUNGETFEATURES, &features) == 0)
				have_vnet_hdr = !!(features & IFF_VNET_HDR);
			close(fd);
		}
	}
	tt_note("TUNGETFEATURES = 0x%x", features);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		tt_run(cases[i].name,
		       have_vnet_hdr ? cases[i].fn : c_not_advertised);
	return tt_done();
}
