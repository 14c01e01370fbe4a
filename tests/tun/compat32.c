// SPDX-License-Identifier: GPL-2.0
/*
 * The 32-bit ioctl path: this program is built with -m32 (tests/Makefile
 * does that for every *32.c), so each ioctl reaches the driver through its
 * compat_ioctl on the 64-bit kernel.
 *
 * What differs for a 32-bit caller: struct ifreq is 32 bytes, not 40, and
 * the driver must copy exactly that much each way (the cases put the ifreq
 * right before an inaccessible page, or in front of guard bytes, to see
 * it); an argument passed by value is 32 bits wide; struct sock_fprog has a
 * 32-bit pointer, and so TUNATTACHFILTER has another number, which the
 * driver does not know.  Everything else must behave as for a 64-bit
 * caller.
 *
 * Frames reach a tap from an AF_PACKET socket (ethertype 0x88b5, IEEE's
 * "local experimental"); the devices have IPv6 off and no address, but for
 * the tun that answers pings (198.18.8.1/24).
 */
#include "tt.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <linux/virtio_net.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

_Static_assert(sizeof(long) == 4 && sizeof(void *) == 4,
	       "compat32.c must be built with -m32");
_Static_assert(sizeof(struct ifreq) == 32, "a 32-bit struct ifreq");
_Static_assert(sizeof(struct sock_fprog) == 8, "a 32-bit struct sock_fprog");

#define ETH_TEST 0x88b5
#define FRAME_LEN 64
#define TUN_IP "198.18.8.1"
#define PEER_IP "198.18.8.2"

#define UID_A 1234
#define GID_A 4321

static const uint8_t src_mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x0c, 0x01 };
static const uint8_t mac_a[6] = { 0x02, 0x00, 0x5e, 0x10, 0x0c, 0xaa };
static const uint8_t mac_b[6] = { 0x02, 0x00, 0x5e, 0x10, 0x0c, 0xbb };

/* ---- where the ifreq lies ---- */

/*
 * Two pages, the second inaccessible; edge_ifreq() is the 32 bytes that end
 * the first one.  A driver that copied a 64-bit ifreq would fault there.
 */
static uint8_t *edge_pages;
static long page_size;

static struct ifreq *edge_ifreq(void)
{
	struct ifreq *ifr =
		(struct ifreq *)(edge_pages + page_size - sizeof(struct ifreq));

	memset(ifr, 0, sizeof(*ifr));
	return ifr;
}

/* An ifreq followed by 16 guard bytes, all filled with fill. */
struct guarded {
	struct ifreq ifr;
	uint8_t guard[16];
};

static void guarded_init(struct guarded *g, uint8_t fill)
{
	memset(g, fill, sizeof(*g));
}

static int guard_intact(const struct guarded *g, uint8_t fill)
{
	for (size_t i = 0; i < sizeof(g->guard); i++)
		TT_CHECK(g->guard[i] == fill,
			 "byte %zu after the 32-byte ifreq was written: 0x%02x",
			 i, g->guard[i]);
	return TT_PASS;
}

static void set_name(struct ifreq *ifr, const char *name)
{
	memset(ifr->ifr_name, 0, IFNAMSIZ);
	memcpy(ifr->ifr_name, name, strnlen(name, IFNAMSIZ));
}

/* ---- devices and frames ---- */

static size_t mkframe(uint8_t *buf, const uint8_t dst[6], uint8_t tag)
{
	tt_eth(buf, dst, src_mac, ETH_TEST);
	for (size_t i = 14; i < FRAME_LEN; i++)
		buf[i] = (uint8_t)(tag + i);
	return FRAME_LEN;
}

static int expect_frame(int fd, const uint8_t *want, size_t len)
{
	uint8_t buf[2048];
	ssize_t n;

	n = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_CHECK(n >= 0, "no frame: %s", tt_errname(errno));
	TT_EQ(n, len);
	TT_MEMEQ(buf, want, len);
	return TT_PASS;
}

static int expect_nothing(int fd)
{
	uint8_t buf[2048];
	ssize_t n;

	n = tt_read_timeout(fd, buf, sizeof(buf), 200);
	TT_CHECK(n < 0, "read a frame of %zd bytes, want nothing", n);
	TT_CHECK(errno == ETIMEDOUT, "read: %s, want nothing",
		 tt_errname(errno));
	return TT_PASS;
}

/* `ip -d link show DEV` contains want. */
static int link_detail_has(const char *dev, const char *want)
{
	char out[4096];

	TT_EQ(tt_sh_out(out, sizeof(out), "ip -d link show dev %s", dev), 0);
	TT_CHECK(strstr(out, want), "ip -d link show dev %s lacks \"%s\": %s",
		 dev, want, out);
	return TT_PASS;
}

/* ---- cases ---- */

static int c_getfeatures(void)
{
	uint32_t buf[2] = { 0xa5a5a5a5, 0xa5a5a5a5 };
	int fd = tt_tun_open(0);

	TT_SYS(fd);
	TT_EQ(ioctl(fd, TUNGETFEATURES, buf), 0);
	TT_EQ(buf[0], IFF_TUN | IFF_TAP | IFF_NO_PI | IFF_ONE_QUEUE |
			      IFF_VNET_HDR | IFF_MULTI_QUEUE | IFF_NAPI |
			      IFF_NAPI_FRAGS | IFF_NO_CARRIER);
	/* An unsigned int, and nothing more. */
	TT_EQ(buf[1], 0xa5a5a5a5);
	return TT_PASS;
}

static int c_setiff_ifreq32(void)
{
	struct guarded g;
	struct ifreq *ifr;
	int fd;

	/* At the edge: TUNSETIFF reads and writes back exactly 32 bytes. */
	fd = tt_tun_open(0);
	TT_SYS(fd);
	ifr = edge_ifreq();
	set_name(ifr, "tttc0");
	ifr->ifr_flags = IFF_TUN | IFF_NO_PI;
	TT_EQ(ioctl(fd, TUNSETIFF, ifr), 0);
	tt_defer_link("tttc0");
	TT_STREQ(ifr->ifr_name, "tttc0");
	TT_CHECK(tt_link_exists("tttc0"), "tttc0 not created");
	TT_EQ(tt_sysfs_num("tttc0", "tun_flags"), IFF_TUN | IFF_NO_PI);

	/* A template: the name comes back, the rest as it was sent. */
	fd = tt_tun_open(0);
	TT_SYS(fd);
	guarded_init(&g, 0xa5);
	set_name(&g.ifr, "tttc%d");
	g.ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	TT_EQ(ioctl(fd, TUNSETIFF, &g.ifr), 0);
	tt_defer_link(g.ifr.ifr_name);
	TT_CHECK(!strncmp(g.ifr.ifr_name, "tttc", 4) &&
			 strcmp(g.ifr.ifr_name, "tttc%d") &&
			 tt_link_exists(g.ifr.ifr_name),
		 "TUNSETIFF gave back \"%.16s\"", g.ifr.ifr_name);
	TT_EQ((unsigned short)g.ifr.ifr_flags, IFF_TAP | IFF_NO_PI);
	for (size_t i = 18; i < 32; i++)
		TT_EQ(((uint8_t *)&g.ifr)[i], 0xa5);
	TT_CALL(guard_intact(&g, 0xa5));
	return TT_PASS;
}

static int c_getiff_ifreq32(void)
{
	struct guarded g;
	struct ifreq *ifr;
	int fd;

	fd = tt_tun_alloc("tttc1", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	guarded_init(&g, 0x5a);
	TT_EQ(ioctl(fd, TUNGETIFF, &g.ifr), 0);
	TT_STREQ(g.ifr.ifr_name, "tttc1");
	TT_EQ((unsigned short)g.ifr.ifr_flags, IFF_TUN | IFF_NO_PI);
	/* The whole 32 bytes are the driver's: zero past the name and flags. */
	for (size_t i = strlen("tttc1"); i < IFNAMSIZ; i++)
		TT_EQ(g.ifr.ifr_name[i], 0);
	for (size_t i = 18; i < 32; i++)
		TT_EQ(((uint8_t *)&g.ifr)[i], 0);
	TT_CALL(guard_intact(&g, 0x5a));
	/* And at the edge. */
	ifr = edge_ifreq();
	TT_EQ(ioctl(fd, TUNGETIFF, ifr), 0);
	TT_STREQ(ifr->ifr_name, "tttc1");
	return TT_PASS;
}

static int c_setifindex(void)
{
	unsigned int idx = 4242;
	int fd = tt_tun_open(0);

	TT_SYS(fd);
	/* The ifindex is read through a pointer, as an unsigned int. */
	TT_EQ(ioctl(fd, TUNSETIFINDEX, &idx), 0);
	TT_SYS(tt_tun_setiff(fd, "tttc2", IFF_TUN | IFF_NO_PI, NULL));
	TT_EQ(if_nametoindex("tttc2"), 4242);
	return TT_PASS;
}

static int c_persist(void)
{
	int fd;

	fd = tt_tun_alloc("tttc3", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_EQ(ioctl(fd, TUNSETPERSIST, 1), 0);
	TT_EQ(tt_sysfs_num("tttc3", "tun_flags"), 0x1802 | IFF_PERSIST);
	tt_close(fd);
	TT_CHECK(tt_link_exists("tttc3"), "persistent tttc3 went with its fd");
	fd = tt_tun_alloc("tttc3", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_EQ(ioctl(fd, TUNSETPERSIST, 0), 0);
	TT_EQ(tt_sysfs_num("tttc3", "tun_flags"), 0x1002);
	tt_close(fd);
	TT_CHECK(tt_link_wait("tttc3", 0, TT_WAIT_MS), "tttc3 outlived its fd");
	return TT_PASS;
}

static int c_owner_group(void)
{
	char buf[32];
	int fd;

	fd = tt_tun_alloc("tttc4", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_EQ(ioctl(fd, TUNSETOWNER, UID_A), 0);
	TT_EQ(ioctl(fd, TUNSETGROUP, GID_A), 0);
	TT_SYS(tt_sysfs_read("tttc4", "owner", buf, sizeof(buf)));
	TT_STREQ(buf, "1234");
	TT_SYS(tt_sysfs_read("tttc4", "group", buf, sizeof(buf)));
	TT_STREQ(buf, "4321");
	/* 32 bits of -1 are (uid_t)-1, which is no uid. */
	TT_ERRNO(ioctl(fd, TUNSETOWNER, -1L), EINVAL);
	TT_ERRNO(ioctl(fd, TUNSETGROUP, 0xffffffffUL), EINVAL);
	TT_SYS(tt_sysfs_read("tttc4", "owner", buf, sizeof(buf)));
	TT_STREQ(buf, "1234");
	TT_SYS(tt_sysfs_read("tttc4", "group", buf, sizeof(buf)));
	TT_STREQ(buf, "4321");
	return TT_PASS;
}

static int c_sndbuf(void)
{
	int v[2] = { 0x5a5a5a5a, 0x5a5a5a5a };
	int fd;

	fd = tt_tun_alloc("tttc5", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_EQ(ioctl(fd, TUNGETSNDBUF, v), 0);
	TT_EQ(v[0], INT_MAX);
	TT_EQ(v[1], 0x5a5a5a5a);
	v[0] = 65536;
	TT_EQ(ioctl(fd, TUNSETSNDBUF, v), 0);
	v[0] = 0;
	TT_EQ(ioctl(fd, TUNGETSNDBUF, v), 0);
	TT_EQ(v[0], 65536);
	v[0] = 0;
	TT_ERRNO(ioctl(fd, TUNSETSNDBUF, v), EINVAL);
	v[0] = -1;
	TT_ERRNO(ioctl(fd, TUNSETSNDBUF, v), EINVAL);
	TT_EQ(ioctl(fd, TUNGETSNDBUF, v), 0);
	TT_EQ(v[0], 65536);
	return TT_PASS;
}

struct txflt {
	struct tun_filter f;
	uint8_t addr[2][6];
};

static int c_txfilter(void)
{
	uint8_t fa[FRAME_LEN], fb[FRAME_LEN];
	struct txflt t;
	int fd, err;

	fd = tt_tun_alloc("tttc6", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	memset(&t, 0, sizeof(t));
	t.f.count = 1;
	memcpy(t.addr[0], mac_a, 6);
	/* A tun has no MAC filter. */
	TT_ERRNO(ioctl(fd, TUNSETTXFILTER, &t), EINVAL);

	fd = tt_mkdev("tttc7", IFF_TAP | IFF_NO_PI, NULL);
	if (fd < 0)
		return TT_FAIL;
	/* The answer is the number of exact addresses taken. */
	TT_EQ(ioctl(fd, TUNSETTXFILTER, &t), 1);
	mkframe(fb, mac_b, 1);
	mkframe(fa, mac_a, 2);
	err = tt_send_frame("tttc7", fb, FRAME_LEN);
	TT_CHECK(!err, "send: %s", tt_errname(-err));
	err = tt_send_frame("tttc7", fa, FRAME_LEN);
	TT_CHECK(!err, "send: %s", tt_errname(-err));
	/* Only the frame to the address in the filter comes through. */
	TT_CALL(expect_frame(fd, fa, FRAME_LEN));
	TT_CALL(expect_nothing(fd));
	TT_EQ(tt_sysfs_num("tttc7", "statistics/tx_dropped"), 1);
	/* Two addresses: the other frame passes too. */
	t.f.count = 2;
	memcpy(t.addr[1], mac_b, 6);
	TT_EQ(ioctl(fd, TUNSETTXFILTER, &t), 2);
	err = tt_send_frame("tttc7", fb, FRAME_LEN);
	TT_CHECK(!err, "send: %s", tt_errname(-err));
	TT_CALL(expect_frame(fd, fb, FRAME_LEN));
	return TT_PASS;
}

static int c_hwaddr(void)
{
	struct guarded g;
	struct ifreq *ifr;
	uint8_t mac[6];
	char buf[32];
	int fd;

	fd = tt_tun_alloc("tttc8", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(tt_link_hwaddr("tttc8", mac));
	guarded_init(&g, 0xa5);
	/* The fd names the device; the name in the request is not read. */
	set_name(&g.ifr, "nosuchdev");
	TT_EQ(ioctl(fd, SIOCGIFHWADDR, &g.ifr), 0);
	TT_EQ(g.ifr.ifr_hwaddr.sa_family, ARPHRD_ETHER);
	TT_MEMEQ(g.ifr.ifr_hwaddr.sa_data, mac, 6);
	TT_STREQ(g.ifr.ifr_name, "nosuchdev");
	TT_CALL(guard_intact(&g, 0xa5));

	ifr = edge_ifreq();
	ifr->ifr_hwaddr.sa_family = ARPHRD_ETHER;
	memcpy(ifr->ifr_hwaddr.sa_data, mac_a, 6);
	TT_EQ(ioctl(fd, SIOCSIFHWADDR, ifr), 0);
	TT_SYS(tt_sysfs_read("tttc8", "address", buf, sizeof(buf)));
	TT_STREQ(buf, "02:00:5e:10:0c:aa");
	ifr = edge_ifreq();
	TT_EQ(ioctl(fd, SIOCGIFHWADDR, ifr), 0);
	TT_MEMEQ(ifr->ifr_hwaddr.sa_data, mac_a, 6);

	/* A tun's hardware address is empty, of type "none". */
	fd = tt_tun_alloc("tttc9", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	ifr = edge_ifreq();
	TT_EQ(ioctl(fd, SIOCGIFHWADDR, ifr), 0);
	TT_EQ(ifr->ifr_hwaddr.sa_family, ARPHRD_NONE);
	return TT_PASS;
}

/* `ethtool -k DEV` has the line want (less its indentation). */
static int feature_is(const char *dev, const char *want)
{
	char out[16384], pat[128];

	snprintf(pat, sizeof(pat), "\n\t%s\n", want);
	TT_EQ(tt_sh_out(out + 1, sizeof(out) - 1,
			"ethtool -k %s | sed 's/^\\t*/\\t/'", dev), 0);
	out[0] = '\n';
	TT_CHECK(strstr(out, pat), "ethtool -k %s has no line \"%s\"", dev,
		 want);
	return TT_PASS;
}

static int c_offload(void)
{
	int fd;

	fd = tt_tun_alloc("tttc10", IFF_TAP | IFF_NO_PI | IFF_VNET_HDR, NULL);
	TT_SYS(fd);
	TT_EQ(ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6),
	      0);
	TT_CALL(feature_is("tttc10", "tx-checksum-ip-generic: on"));
	TT_CALL(feature_is("tttc10", "tx-tcp-segmentation: on"));
	TT_CALL(feature_is("tttc10", "tx-tcp6-segmentation: on"));
	TT_CALL(feature_is("tttc10", "tx-tcp-ecn-segmentation: off"));
	/* A bit the driver does not know: refused, nothing changes. */
	TT_ERRNO(ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | 0x10000), EINVAL);
	TT_CALL(feature_is("tttc10", "tx-tcp-segmentation: on"));
	TT_EQ(ioctl(fd, TUNSETOFFLOAD, 0), 0);
	TT_CALL(feature_is("tttc10", "tx-checksum-ip-generic: off"));
	TT_CALL(feature_is("tttc10", "tx-tcp-segmentation: off"));
	return TT_PASS;
}

static int c_vnethdrsz(void)
{
	int v[2] = { 0x5a5a5a5a, 0x5a5a5a5a };
	int fd;

	fd = tt_tun_alloc("tttc11", IFF_TUN | IFF_NO_PI | IFF_VNET_HDR, NULL);
	TT_SYS(fd);
	TT_EQ(ioctl(fd, TUNGETVNETHDRSZ, v), 0);
	TT_EQ(v[0], sizeof(struct virtio_net_hdr));
	TT_EQ(v[1], 0x5a5a5a5a);
	v[0] = 12;
	TT_EQ(ioctl(fd, TUNSETVNETHDRSZ, v), 0);
	v[0] = 0;
	TT_EQ(ioctl(fd, TUNGETVNETHDRSZ, v), 0);
	TT_EQ(v[0], 12);
	v[0] = 8;
	TT_ERRNO(ioctl(fd, TUNSETVNETHDRSZ, v), EINVAL);
	TT_EQ(ioctl(fd, TUNGETVNETHDRSZ, v), 0);
	TT_EQ(v[0], 12);
	return TT_PASS;
}

static int setqueue(int fd, int flags)
{
	struct ifreq *ifr = edge_ifreq();

	ifr->ifr_flags = (short)flags;
	return ioctl(fd, TUNSETQUEUE, ifr);
}

static int c_setqueue(void)
{
	struct ifreq ifr;
	int a, b;

	a = tt_tun_alloc("tttc12", IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE,
			 NULL);
	TT_SYS(a);
	b = tt_tun_alloc("tttc12", IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE,
			 NULL);
	TT_SYS(b);
	TT_CALL(link_detail_has("tttc12", "multi_queue numqueues 2 numdisabled 0"));
	TT_EQ(setqueue(b, IFF_DETACH_QUEUE), 0);
	TT_CALL(link_detail_has("tttc12", "multi_queue numqueues 1 numdisabled 1"));
	memset(&ifr, 0, sizeof(ifr));
	TT_EQ(ioctl(b, TUNGETIFF, &ifr), 0);
	TT_EQ((unsigned short)ifr.ifr_flags,
	      IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE | IFF_DETACH_QUEUE);
	/* Detached already. */
	TT_ERRNO(setqueue(b, IFF_DETACH_QUEUE), EINVAL);
	TT_EQ(setqueue(b, IFF_ATTACH_QUEUE), 0);
	TT_CALL(link_detail_has("tttc12", "multi_queue numqueues 2 numdisabled 0"));
	TT_ERRNO(setqueue(a, 0), EINVAL);
	return TT_PASS;
}

static int c_rw_tun(void)
{
	uint8_t req[128], buf[2048], pl[32];
	size_t len;
	ssize_t n;
	int fd, err;

	fd = tt_tun_alloc("tttc13", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	err = tt_link_prepare("tttc13", TUN_IP, 24, NULL);
	TT_CHECK(!err, "preparing tttc13: %s", tt_errname(-err));
	memset(pl, 0x3c, sizeof(pl));
	len = tt_icmp4_echo(req, tt_ip4(PEER_IP), tt_ip4(TUN_IP), 8, 0x3232, 1,
			    pl, sizeof(pl));
	TT_EQ(write(fd, req, len), len);
	n = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_EQ(n, len);
	TT_EQ(buf[9], 1);	/* ICMP */
	TT_MEMEQ(buf + 12, req + 16, 4);
	TT_MEMEQ(buf + 16, req + 12, 4);
	TT_EQ(buf[20], 0);	/* echo reply */
	TT_MEMEQ(buf + 24, req + 24, 4 + sizeof(pl));
	TT_EQ(tt_sysfs_num("tttc13", "statistics/rx_packets"), 1);
	TT_EQ(tt_sysfs_num("tttc13", "statistics/rx_bytes"), len);
	TT_EQ(tt_sysfs_num("tttc13", "statistics/tx_packets"), 1);
	TT_EQ(tt_sysfs_num("tttc13", "statistics/tx_bytes"), len);
	return TT_PASS;
}

static int c_rw_tap_vnet_hdr(void)
{
	uint8_t frame[FRAME_LEN], buf[2048], wbuf[sizeof(struct virtio_net_hdr) +
						   FRAME_LEN];
	struct virtio_net_hdr zero;
	ssize_t n;
	int fd, err, s;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };

	fd = tt_mkdev("tttc14", IFF_TAP | IFF_NO_PI | IFF_VNET_HDR, NULL);
	if (fd < 0)
		return TT_FAIL;
	/* Out: the frame behind a 10-byte header with nothing in it. */
	mkframe(frame, mac_a, 7);
	err = tt_send_frame("tttc14", frame, FRAME_LEN);
	TT_CHECK(!err, "send: %s", tt_errname(-err));
	n = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_EQ(n, sizeof(zero) + FRAME_LEN);
	memset(&zero, 0, sizeof(zero));
	TT_MEMEQ(buf, &zero, sizeof(zero));
	TT_MEMEQ(buf + sizeof(zero), frame, FRAME_LEN);

	/* In: a frame written behind the header reaches a packet socket. */
	s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_TEST));
	TT_SYS(s);
	tt_defer_fd(s);
	sll.sll_protocol = htons(ETH_TEST);
	sll.sll_ifindex = (int)if_nametoindex("tttc14");
	TT_SYS(bind(s, (struct sockaddr *)&sll, sizeof(sll)));
	mkframe(frame, src_mac, 9);
	memcpy(wbuf, &zero, sizeof(zero));
	memcpy(wbuf + sizeof(zero), frame, FRAME_LEN);
	TT_EQ(write(fd, wbuf, sizeof(wbuf)), sizeof(wbuf));
	n = tt_read_timeout(s, buf, sizeof(buf), TT_WAIT_MS);
	TT_EQ(n, FRAME_LEN);
	TT_MEMEQ(buf, frame, FRAME_LEN);
	return TT_PASS;
}

static int c_attachfilter(void)
{
	struct sock_filter accept_all = BPF_STMT(BPF_RET | BPF_K, 0xffff);
	struct sock_fprog p = { .len = 1, .filter = &accept_all };
	int fd;

	fd = tt_tun_alloc("tttc15", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	/*
	 * TUNATTACHFILTER and TUNGETFILTER carry the size of struct
	 * sock_fprog in their number: 8 here, 16 for the kernel.  The driver
	 * knows only its own number, so a 32-bit caller gets what any unknown
	 * ioctl gets: no classic filter from a 32-bit program.
	 */
	TT_EQ(_IOC_SIZE(TUNATTACHFILTER), 8);
	TT_ERRNO(ioctl(fd, TUNATTACHFILTER, &p), EINVAL);
	return TT_PASS;
}

static int c_skns(void)
{
	struct stat self, got;
	int fd, ns;

	fd = tt_tun_alloc("tttc16", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(stat("/proc/self/ns/net", &self));
	ns = ioctl(fd, SIOCGSKNS);
	TT_SYS(ns);
	tt_defer_fd(ns);
	TT_SYS(fstat(ns, &got));
	TT_EQ(got.st_ino, self.st_ino);
	ns = ioctl(fd, TUNGETDEVNETNS);
	TT_SYS(ns);
	tt_defer_fd(ns);
	TT_SYS(fstat(ns, &got));
	TT_EQ(got.st_ino, self.st_ino);
	return TT_PASS;
}

int main(void)
{
	tt_init();
	page_size = sysconf(_SC_PAGESIZE);
	edge_pages = mmap(NULL, 2 * page_size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (edge_pages == MAP_FAILED ||
	    mprotect(edge_pages + page_size, page_size, PROT_NONE)) {
		printf("not ok setup: mmap: %s\n", tt_errname(errno));
		return 1;
	}
	tt_run("getfeatures", c_getfeatures);
	tt_run("setiff_ifreq32", c_setiff_ifreq32);
	tt_run("getiff_ifreq32", c_getiff_ifreq32);
	tt_run("setifindex", c_setifindex);
	tt_run("persist", c_persist);
	tt_run("owner_group", c_owner_group);
	tt_run("sndbuf", c_sndbuf);
	tt_run("txfilter", c_txfilter);
	tt_run("hwaddr", c_hwaddr);
	tt_run("offload", c_offload);
	tt_run("vnethdrsz", c_vnethdrsz);
	tt_run("setqueue", c_setqueue);
	tt_run("rw_tun", c_rw_tun);
	tt_run("rw_tap_vnet_hdr", c_rw_tap_vnet_hdr);
	tt_run("attachfilter", c_attachfilter);
	tt_run("skns", c_skns);
	return tt_done();
}
