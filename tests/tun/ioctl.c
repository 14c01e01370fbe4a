// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration ioctls of an attached tun fd, besides TUNSETIFF and
 * ownership (iff.c, owner.c, persist.c):
 *
 *   TUNSETLINK                     device type and addr_len
 *   TUNSETTXFILTER                 the tap's destination MAC filter
 *   TUNATTACHFILTER/TUNDETACHFILTER/TUNGETFILTER
 *                                  a classic BPF filter on what the reader gets
 *   TUNGETVNETHDRSZ/TUNSETVNETHDRSZ, TUNGETVNETLE/TUNSETVNETLE,
 *   TUNGETVNETBE/TUNSETVNETBE      the virtio-net header knobs
 *   TUNGETSNDBUF/TUNSETSNDBUF, TUNSETDEBUG, TUNSETNOCSUM, TUNSETCARRIER
 *   SIOCGIFHWADDR/SIOCSIFHWADDR    on the fd itself
 *   SIOCGSKNS, TUNGETDEVNETNS      namespace fds
 *   TUNSETSTEERINGEBPF/TUNSETFILTEREBPF
 *   /proc/self/fdinfo/<fd>         the "iff:" line
 *
 * Frames reach a tap from an AF_PACKET socket bound to it (ethertype 0x88b5,
 * IEEE's "local experimental"), so the destination MAC is whatever the case
 * wants; a frame the device drops counts in tx_dropped at once, a frame the
 * reader gets counts in tx_packets when it is read.  The devices have no
 * address and IPv6 off, so nothing else ever crosses them.
 */
#include "tt.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/bpf.h>
#include <linux/ethtool.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <linux/nsfs.h>
#include <linux/sockios.h>
#include <net/if_arp.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef ARPHRD_IP6GRE
#define ARPHRD_IP6GRE 823
#endif

#define ETH_TEST 0x88b5		/* IEEE local experimental ethertype */
#define ETH_TEST2 0x88b6
#define FRAME_LEN 64

#define UID_U 1234
#define GID_U 4321

static const uint8_t src_mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x09, 0x01 };
static const uint8_t mac_a[6] = { 0x02, 0x00, 0x5e, 0x10, 0x09, 0xaa };
static const uint8_t mac_b[6] = { 0x02, 0x00, 0x5e, 0x10, 0x09, 0xbb };
static const uint8_t mcast_m[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x42 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* ---- children report through a shared page ---- */

static char *child_msg;		/* MAP_SHARED, set up in main() */

static int cfail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int cfail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(child_msg, 512, fmt, ap);
	va_end(ap);
	return 1;
}

/* Run fn(arg) in a child with all privileges; 0 or tt_fail(its message). */
static int in_child(int (*fn)(void *), void *arg)
{
	pid_t pid;
	int st;

	child_msg[0] = 0;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return tt_fail("fork: %s", tt_errname(errno));
	if (pid == 0)
		_exit(fn(arg) & 0xff);
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return tt_fail("child died");
	if (WEXITSTATUS(st))
		return tt_fail("child: %s", child_msg[0] ? child_msg : "exit");
	return TT_PASS;
}

/* The same after dropping to UID_U/GID_U (and so every capability). */
static int as_user(int (*fn)(void *), void *arg)
{
	int r;

	child_msg[0] = 0;
	r = tt_run_as(UID_U, GID_U, fn, arg);
	if (r == 254)
		return tt_fail("cannot drop to uid %d", UID_U);
	if (r)
		return tt_fail("child: %s", child_msg[0] ? child_msg : "exit");
	return TT_PASS;
}

/* ---- devices and frames ---- */

/* A persistent device, not attached to any fd (for the re-attach cases). */
static int mkpersist(const char *name, int flags)
{
	int fd;

	fd = tt_tun_alloc(name, flags, NULL);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNSETPERSIST, 1));
	tt_close(fd);
	return TT_PASS;
}

/* A 64-byte Ethernet frame to dst; tag makes the payload unique. */
static size_t mkframe(uint8_t *buf, const uint8_t dst[6], uint16_t type,
		      uint8_t tag)
{
	tt_eth(buf, dst, src_mac, type);
	for (size_t i = 14; i < FRAME_LEN; i++)
		buf[i] = (uint8_t)(tag + i);
	return FRAME_LEN;
}

/* Send a test frame to dst; the frame is left in out. */
static int send_to(const char *dev, const uint8_t dst[6], uint8_t tag,
		   uint8_t *out)
{
	size_t len = mkframe(out, dst, ETH_TEST, tag);
	int err = tt_send_frame(dev, out, len);

	TT_CHECK(!err, "sending on %s: %s", dev, tt_errname(-err));
	return TT_PASS;
}

/*
 * The reader gets exactly want (len bytes of frame), behind struct tun_pi
 * when pi (whose proto is the frame's ethertype).
 */
static int expect_frame(int fd, int pi, const uint8_t *want, size_t len)
{
	uint8_t buf[2048];
	ssize_t n;

	n = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_CHECK(n >= 0, "no frame: %s", tt_errname(errno));
	TT_EQ(n, len + (pi ? 4 : 0));
	if (pi) {
		TT_EQ(buf[0] << 8 | buf[1], 0);
		TT_EQ(buf[2] << 8 | buf[3], want[12] << 8 | want[13]);
	}
	TT_MEMEQ(buf + (pi ? 4 : 0), want, len);
	return TT_PASS;
}

/* Nothing reaches the reader within 200 ms. */
static int expect_nothing(int fd)
{
	uint8_t buf[2048];
	ssize_t n;

	n = tt_read_timeout(fd, buf, sizeof(buf), 200);
	if (n >= 0) {
		tt_hexdump("unexpected frame", buf, (size_t)n);
		return tt_fail("read a frame of %zd bytes, want nothing", n);
	}
	TT_CHECK(errno == ETIMEDOUT, "read: %s, want nothing",
		 tt_errname(errno));
	return TT_PASS;
}

/* statistics/ATTR of dev reaches want within TT_WAIT_MS. */
static int stat_is(const char *dev, const char *attr, long long want)
{
	char path[64];
	long long v, until = tt_now_ms() + TT_WAIT_MS;

	snprintf(path, sizeof(path), "statistics/%s", attr);
	for (;;) {
		v = tt_sysfs_num(dev, path);
		if (v == want || tt_now_ms() >= until)
			break;
		tt_sleep_ms(10);
	}
	TT_CHECK(v == want, "%s %s = %lld, want %lld", dev, attr, v, want);
	return TT_PASS;
}

#define STAT(dev, attr, want) TT_CALL(stat_is(dev, attr, want))

static int getiff_flags(int fd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(fd, TUNGETIFF, &ifr) < 0)
		return -1;
	return (unsigned short)ifr.ifr_flags;
}

/* ---- TUNSETLINK ---- */

static int c_setlink_tun_to_ether(void)
{
	char buf[64];
	int fd;

	fd = tt_tun_alloc("ttiolk0", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_EQ(tt_sysfs_num("ttiolk0", "type"), ARPHRD_NONE);
	TT_EQ(tt_sysfs_num("ttiolk0", "addr_len"), 0);
	/* The argument is the type itself, not a pointer to it. */
	TT_EQ(ioctl(fd, TUNSETLINK, ARPHRD_ETHER), 0);
	TT_EQ(tt_sysfs_num("ttiolk0", "type"), ARPHRD_ETHER);
	TT_EQ(tt_sysfs_num("ttiolk0", "addr_len"), 6);
	TT_SYS(tt_sysfs_read("ttiolk0", "address", buf, sizeof(buf)));
	TT_STREQ(buf, "00:00:00:00:00:00");
	/* Still a tun device to the fd: TUNGETIFF does not change. */
	TT_EQ(getiff_flags(fd), IFF_TUN | IFF_NO_PI);
	return TT_PASS;
}

static int setlink_case(int fd, const char *dev, unsigned long type,
			long long want_type, long long want_alen)
{
	TT_EQ(ioctl(fd, TUNSETLINK, type), 0);
	TT_EQ(tt_sysfs_num(dev, "type"), want_type);
	TT_EQ(tt_sysfs_num(dev, "addr_len"), want_alen);
	return TT_PASS;
}

static int c_setlink_addr_len(void)
{
	int fd;

	fd = tt_tun_alloc("ttiolk1", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	/* addr_len follows the type: 4 for IPv4 tunnels, 16 for IPv6 ones. */
	TT_CALL(setlink_case(fd, "ttiolk1", ARPHRD_IPGRE, ARPHRD_IPGRE, 4));
	TT_CALL(setlink_case(fd, "ttiolk1", ARPHRD_TUNNEL, ARPHRD_TUNNEL, 4));
	TT_CALL(setlink_case(fd, "ttiolk1", ARPHRD_SIT, ARPHRD_SIT, 4));
	TT_CALL(setlink_case(fd, "ttiolk1", ARPHRD_IP6GRE, ARPHRD_IP6GRE, 16));
	TT_CALL(setlink_case(fd, "ttiolk1", ARPHRD_TUNNEL6, ARPHRD_TUNNEL6, 16));
	TT_CALL(setlink_case(fd, "ttiolk1", ARPHRD_PPP, ARPHRD_PPP, 0));
	/* A type the driver does not know: accepted, no address. */
	TT_CALL(setlink_case(fd, "ttiolk1", 0x4242, 0x4242, 0));
	/* Only the low 16 bits count: dev->type is an unsigned short. */
	TT_CALL(setlink_case(fd, "ttiolk1", 0x10000 | ARPHRD_IPGRE, ARPHRD_IPGRE,
			  4));
	TT_CALL(setlink_case(fd, "ttiolk1", ARPHRD_NONE, ARPHRD_NONE, 0));
	return TT_PASS;
}

static int c_setlink_tap_to_none(void)
{
	int fd;

	fd = tt_tun_alloc("ttiolk2", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_EQ(tt_sysfs_num("ttiolk2", "addr_len"), 6);
	TT_CALL(setlink_case(fd, "ttiolk2", ARPHRD_NONE, ARPHRD_NONE, 0));
	TT_CALL(setlink_case(fd, "ttiolk2", ARPHRD_ETHER, ARPHRD_ETHER, 6));
	return TT_PASS;
}

static int c_setlink_up_ebusy(void)
{
	int fd;

	fd = tt_mkdev("ttiolk3", IFF_TUN | IFF_NO_PI, NULL);
	if (fd < 0)
		return TT_FAIL;
	TT_ERRNO(ioctl(fd, TUNSETLINK, ARPHRD_ETHER), EBUSY);
	TT_EQ(tt_sysfs_num("ttiolk3", "type"), ARPHRD_NONE);
	TT_EQ(tt_sysfs_num("ttiolk3", "addr_len"), 0);
	/* Down again, the same request goes through. */
	TT_SYS(tt_link_up("ttiolk3", 0));
	TT_CALL(setlink_case(fd, "ttiolk3", ARPHRD_ETHER, ARPHRD_ETHER, 6));
	return TT_PASS;
}

static int c_setlink_unattached_ebadfd(void)
{
	int fd = tt_tun_open(0);

	TT_SYS(fd);
	TT_ERRNO(ioctl(fd, TUNSETLINK, ARPHRD_ETHER), EBADFD);
	/* Attached, the same fd may. */
	TT_SYS(tt_tun_setiff(fd, "ttiolk4", IFF_TUN | IFF_NO_PI, NULL));
	TT_CALL(setlink_case(fd, "ttiolk4", ARPHRD_ETHER, ARPHRD_ETHER, 6));
	return TT_PASS;
}

/* ---- TUNSETTXFILTER ---- */

struct txflt {
	struct tun_filter f;
	uint8_t addr[16][6];
};

static int set_txfilter(int fd, int flags, int count, const uint8_t (*addr)[6])
{
	struct txflt t;

	memset(&t, 0, sizeof(t));
	t.f.flags = (uint16_t)flags;
	t.f.count = (uint16_t)count;
	for (int i = 0; i < count && i < 16; i++)
		memcpy(t.addr[i], addr[i], 6);
	return ioctl(fd, TUNSETTXFILTER, &t);
}

/*
 * The 6-bit bucket of a multicast address in the filter's hash: the top
 * bits of the big-endian Ethernet CRC (bit-reversed little-endian CRC-32,
 * without the final inversion).
 */
static int mc_bucket(const uint8_t addr[6])
{
	uint32_t crc = 0xffffffff, rev = 0;

	for (int i = 0; i < 6; i++) {
		crc ^= addr[i];
		for (int b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (crc & 1 ? 0xedb88320 : 0);
	}
	for (int b = 0; b < 32; b++)
		if (crc & (1u << b))
			rev |= 1u << (31 - b);
	return (int)(rev >> 26);
}

static int c_txfilter_tun_einval(void)
{
	int fd;

	fd = tt_tun_alloc("ttiotf0", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_ERRNO(set_txfilter(fd, 0, 1, &mac_a), EINVAL);
	TT_ERRNO(set_txfilter(fd, 0, 0, NULL), EINVAL);
	/* Checked before the argument is read. */
	TT_ERRNO(ioctl(fd, TUNSETTXFILTER, (void *)8), EINVAL);
	fd = tt_tun_open(0);
	TT_SYS(fd);
	TT_ERRNO(set_txfilter(fd, 0, 1, &mac_a), EBADFD);
	/* The same request on a tap is taken. */
	fd = tt_tun_alloc("ttiotfa", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_EQ(set_txfilter(fd, 0, 1, &mac_a), 1);
	return TT_PASS;
}

static int c_txfilter_none_passes_all(void)
{
	uint8_t f[FRAME_LEN];
	int fd;

	fd = tt_mkdev("ttiotf1", IFF_TAP | IFF_NO_PI, NULL);
	if (fd < 0)
		return TT_FAIL;
	TT_CALL(send_to("ttiotf1", mac_a, 1, f));
	TT_CALL(expect_frame(fd, 0, f, FRAME_LEN));
	TT_CALL(send_to("ttiotf1", mac_b, 2, f));
	TT_CALL(expect_frame(fd, 0, f, FRAME_LEN));
	TT_CALL(send_to("ttiotf1", mcast_m, 3, f));
	TT_CALL(expect_frame(fd, 0, f, FRAME_LEN));
	TT_CALL(send_to("ttiotf1", bcast, 4, f));
	TT_CALL(expect_frame(fd, 0, f, FRAME_LEN));
	STAT("ttiotf1", "tx_packets", 4);
	STAT("ttiotf1", "tx_bytes", 4 * FRAME_LEN);
	STAT("ttiotf1", "tx_dropped", 0);
	return TT_PASS;
}

static int c_txfilter_exact(void)
{
	uint8_t f[FRAME_LEN];
	int fd;

	fd = tt_mkdev("ttiotf2", IFF_TAP | IFF_NO_PI, NULL);
	if (fd < 0)
		return TT_FAIL;
	/* The return value is the number of exact filters. */
	TT_EQ(set_txfilter(fd, 0, 1, &mac_a), 1);
	TT_CALL(send_to("ttiotf2", mac_b, 1, f));
	TT_CALL(expect_nothing(fd));
	STAT("ttiotf2", "tx_dropped", 1);
	TT_CALL(send_to("ttiotf2", mac_a, 2, f));
	TT_CALL(expect_frame(fd, 0, f, FRAME_LEN));
	STAT("ttiotf2", "tx_packets", 1);
	STAT("ttiotf2", "tx_bytes", FRAME_LEN);
	STAT("ttiotf2", "tx_dropped", 1);
	/* Multicast and broadcast have no exact match and no hash bit. */
	TT_CALL(send_to("ttiotf2", mcast_m, 3, f));
	TT_CALL(send_to("ttiotf2", bcast, 4, f));
	TT_CALL(expect_nothing(fd));
	STAT("ttiotf2", "tx_dropped", 3);
	STAT("ttiotf2", "tx_packets", 1);
	return TT_PASS;
}

static int c_txfilter_two_exact(void)
{
	const uint8_t two[2][6] = {
		{ 0x02, 0x00, 0x5e, 0x10, 0x09, 0xaa },
		{ 0x02, 0x00, 0x5e, 0x10, 0x09, 0xbb },
	};
	const uint8_t other[6] = { 0x02, 0x00, 0x5e, 0x10, 0x09, 0xcc };
	uint8_t f[FRAME_LEN];
	int fd;

	fd = tt_mkdev("ttiotf3", IFF_TAP | IFF_NO_PI, NULL);
	if (fd < 0)
		return TT_FAIL;
	TT_EQ(set_txfilter(fd, 0, 2, two), 2);
	TT_CALL(send_to("ttiotf3", two[1], 1, f));
	TT_CALL(expect_frame(fd, 0, f, FRAME_LEN));
	TT_CALL(send_to("ttiotf3", two[0], 2, f));
	TT_CALL(expect_frame(fd, 0, f, FRAME_LEN));
	TT_CALL(send_to("ttiotf3", other, 3, f));
	TT_CALL(expect_nothing(fd));
	STAT("ttiotf3", "tx_packets", 2);
	STAT("ttiotf3", "tx_dropped", 1);
	return TT_PASS;
}

static int c_txfilter_count0_disables(void)
{
	uint8_t f[FRAME_LEN];
	int fd;

	fd = tt_mkdev("ttiotf4", IFF_TAP | IFF_NO_PI, NULL);
	if (fd < 0)
		return TT_FAIL;
	TT_EQ(set_txfilter(fd, 0, 1, &mac_a), 1);
	TT_CALL(send_to("ttiotf4", mac_b, 1, f));
	TT_CALL(expect_nothing(fd));
	/* Count 0 turns the filter off, even with ALLMULTI asked. */
	TT_EQ(set_txfilter(fd, TUN_FLT_ALLMULTI, 0, NULL), 0);
	TT_CALL(send_to("ttiotf4", mac_b, 2, f));
	TT_CALL(expect_frame(fd, 0, f, FRAME_LEN));
	TT_CALL(send_to("ttiotf4", bcast, 3, f));
	TT_CALL(expect_frame(fd, 0, f, FRAME_LEN));
	STAT("ttiotf4", "tx_dropped", 1);
	STAT("ttiotf4", "tx_packets", 2);
	return TT_PASS;
}

static int c_txfilter_allmulti(void)
{
	uint8_t f[FRAME_LEN];
	int fd;

	fd = tt_mkdev("ttiotf5", IFF_TAP | IFF_NO_PI, NULL);
	if (fd < 0)
		return TT_FAIL;
	TT_EQ(set_txfilter(fd, TUN_FLT_ALLMULTI, 1, &mac_a), 1);
	TT_CALL(send_to("ttiotf5", mcast_m, 1, f));
	TT_CALL(expect_frame(fd, 0, f, FRAME_LEN));
	TT_CALL(send_to("ttiotf5", bcast, 2, f));
	TT_CALL(expect_frame(fd, 0, f, FRAME_LEN));
	TT_CALL(send_to("ttiotf5", mac_a, 3, f));
	TT_CALL(expect_frame(fd, 0, f, FRAME_LEN));
	/* Unicast still has to match exactly. */
	TT_CALL(send_to("ttiotf5", mac_b, 4, f));
	TT_CALL(expect_nothing(fd));
	STAT("ttiotf5", "tx_packets", 3);
	STAT("ttiotf5", "tx_dropped", 1);
	return TT_PASS;
}

static int c_txfilter_nine_multicast_hashed(void)
{
	uint8_t addr[9][6], other[6], f[FRAME_LEN];
	int fd;

	/* Eight exact unicast addresses, then a multicast one: hashed. */
	for (int i = 0; i < 8; i++) {
		memcpy(addr[i], mac_a, 6);
		addr[i][5] = (uint8_t)(0x10 + i);
	}
	memcpy(addr[8], mcast_m, 6);
	/* A multicast address in another bucket of the hash. */
	memcpy(other, mcast_m, 6);
	for (other[5] = 0x43; mc_bucket(other) == mc_bucket(mcast_m);)
		other[5]++;
	TT_CHECK(mc_bucket(bcast) != mc_bucket(mcast_m),
		 "broadcast shares the bucket of the test group");

	fd = tt_mkdev("ttiotf6", IFF_TAP | IFF_NO_PI, NULL);
	if (fd < 0)
		return TT_FAIL;
	TT_EQ(set_txfilter(fd, 0, 9, (const uint8_t(*)[6])addr), 8);
	TT_CALL(send_to("ttiotf6", addr[7], 1, f));
	TT_CALL(expect_frame(fd, 0, f, FRAME_LEN));
	TT_CALL(send_to("ttiotf6", mcast_m, 2, f));
	TT_CALL(expect_frame(fd, 0, f, FRAME_LEN));
	TT_CALL(send_to("ttiotf6", other, 3, f));
	TT_CALL(send_to("ttiotf6", bcast, 4, f));
	TT_CALL(send_to("ttiotf6", mac_b, 5, f));
	TT_CALL(expect_nothing(fd));
	STAT("ttiotf6", "tx_packets", 2);
	STAT("ttiotf6", "tx_dropped", 3);
	return TT_PASS;
}

static int c_txfilter_nine_unicast_disables(void)
{
	uint8_t addr[9][6], f[FRAME_LEN];
	int fd;

	for (int i = 0; i < 9; i++) {
		memcpy(addr[i], mac_a, 6);
		addr[i][5] = (uint8_t)(0x10 + i);
	}
	fd = tt_mkdev("ttiotf7", IFF_TAP | IFF_NO_PI, NULL);
	if (fd < 0)
		return TT_FAIL;
	TT_EQ(set_txfilter(fd, 0, 1, &mac_a), 1);
	/* A ninth unicast address cannot be hashed: no filter at all, 0. */
	TT_EQ(set_txfilter(fd, 0, 9, (const uint8_t(*)[6])addr), 0);
	TT_CALL(send_to("ttiotf7", mac_b, 1, f));
	TT_CALL(expect_frame(fd, 0, f, FRAME_LEN));
	TT_CALL(send_to("ttiotf7", bcast, 2, f));
	TT_CALL(expect_frame(fd, 0, f, FRAME_LEN));
	STAT("ttiotf7", "tx_dropped", 0);
	return TT_PASS;
}

static int c_txfilter_efault(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	struct tun_filter *t;
	uint8_t *map, f[FRAME_LEN];
	int fd;

	fd = tt_mkdev("ttiotf8", IFF_TAP | IFF_NO_PI, NULL);
	if (fd < 0)
		return TT_FAIL;
	TT_ERRNO(ioctl(fd, TUNSETTXFILTER, (void *)8), EFAULT);
	/* A readable header whose addresses lie in an unmapped page. */
	map = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TT_CHECK(map != MAP_FAILED, "mmap: %s", tt_errname(errno));
	munmap(map + pg, pg);
	t = (struct tun_filter *)(map + pg - sizeof(*t));
	t->flags = 0;
	t->count = 1;
	errno = 0;
	if (ioctl(fd, TUNSETTXFILTER, t) != -1 || errno != EFAULT) {
		int e = errno;

		munmap(map, pg);
		return tt_fail("addresses unreadable: got %s, want EFAULT",
			       tt_errname(e));
	}
	munmap(map, pg);
	/* Nothing was filtered. */
	TT_CALL(send_to("ttiotf8", mac_b, 1, f));
	TT_CALL(expect_frame(fd, 0, f, FRAME_LEN));
	return TT_PASS;
}

static int c_txfilter_survives_reattach(void)
{
	uint8_t f[FRAME_LEN];
	int fd;

	TT_CALL(mkpersist("ttiotf9", IFF_TAP | IFF_NO_PI));
	fd = tt_tun_alloc("ttiotf9", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_EQ(set_txfilter(fd, 0, 1, &mac_a), 1);
	tt_close(fd);
	/* The filter belongs to the device, not to the fd. */
	fd = tt_mkdev("ttiotf9", IFF_TAP | IFF_NO_PI, NULL);
	if (fd < 0)
		return TT_FAIL;
	TT_CALL(send_to("ttiotf9", mac_b, 1, f));
	TT_CALL(expect_nothing(fd));
	TT_CALL(send_to("ttiotf9", mac_a, 2, f));
	TT_CALL(expect_frame(fd, 0, f, FRAME_LEN));
	STAT("ttiotf9", "tx_dropped", 1);
	return TT_PASS;
}

/* ---- TUNATTACHFILTER, TUNDETACHFILTER, TUNGETFILTER ---- */

static struct sock_filter drop_all[] = {
	BPF_STMT(BPF_RET | BPF_K, 0),
};
static struct sock_filter accept_all[] = {
	BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
};
static struct sock_filter first20[] = {
	BPF_STMT(BPF_RET | BPF_K, 20),
};
static struct sock_filter only_test_type[] = {
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_TEST, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 0xffff),
	BPF_STMT(BPF_RET | BPF_K, 0),
};
static struct sock_filter no_ret[] = {
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
};

#define FPROG(a) { .len = sizeof(a) / sizeof(a[0]), .filter = (a) }

static int c_sockfilter_tun_einval(void)
{
	struct sock_fprog p = FPROG(accept_all);
	int fd;

	fd = tt_tun_alloc("ttiosf0", IFF_TUN, NULL);
	TT_SYS(fd);
	TT_ERRNO(ioctl(fd, TUNATTACHFILTER, &p), EINVAL);
	TT_ERRNO(ioctl(fd, TUNDETACHFILTER, 0), EINVAL);
	TT_ERRNO(ioctl(fd, TUNGETFILTER, &p), EINVAL);
	TT_ERRNO(ioctl(fd, TUNATTACHFILTER, (void *)8), EINVAL);
	/* Nothing got attached: IFF_NOFILTER still shows. */
	TT_EQ(getiff_flags(fd), IFF_TUN | IFF_NOFILTER);
	fd = tt_tun_open(0);
	TT_SYS(fd);
	TT_ERRNO(ioctl(fd, TUNATTACHFILTER, &p), EBADFD);
	TT_ERRNO(ioctl(fd, TUNDETACHFILTER, 0), EBADFD);
	TT_ERRNO(ioctl(fd, TUNGETFILTER, &p), EBADFD);
	/* The same three on a tap are taken. */
	fd = tt_tun_alloc("ttiosfc", IFF_TAP, NULL);
	TT_SYS(fd);
	TT_EQ(ioctl(fd, TUNATTACHFILTER, &p), 0);
	TT_EQ(ioctl(fd, TUNGETFILTER, &p), 0);
	TT_EQ(ioctl(fd, TUNDETACHFILTER, 0), 0);
	return TT_PASS;
}

static int c_sockfilter_get_default(void)
{
	struct sock_fprog p;
	int fd;

	fd = tt_tun_alloc("ttiosf1", IFF_TAP, NULL);
	TT_SYS(fd);
	memset(&p, 0xa5, sizeof(p));
	TT_EQ(ioctl(fd, TUNGETFILTER, &p), 0);
	TT_EQ(p.len, 0);
	TT_CHECK(p.filter == NULL, "filter pointer %p, want NULL", p.filter);
	/* Detaching when nothing is attached is fine. */
	TT_EQ(ioctl(fd, TUNDETACHFILTER, 0), 0);
	TT_EQ(getiff_flags(fd), IFF_TAP | IFF_NOFILTER);
	return TT_PASS;
}

static int c_sockfilter_drop_all(void)
{
	struct sock_fprog p = FPROG(drop_all), got;
	uint8_t f[FRAME_LEN];
	int fd;

	/* Without IFF_NO_PI, whose bit IFF_NOFILTER shares. */
	fd = tt_mkdev("ttiosf2", IFF_TAP, NULL);
	if (fd < 0)
		return TT_FAIL;
	TT_EQ(getiff_flags(fd), IFF_TAP | IFF_NOFILTER);
	TT_EQ(ioctl(fd, TUNATTACHFILTER, &p), 0);
	TT_EQ(getiff_flags(fd), IFF_TAP);
	/* sysfs shows device flags only: no filter bit there. */
	TT_EQ(tt_sysfs_num("ttiosf2", "tun_flags"), IFF_TAP);
	memset(&got, 0, sizeof(got));
	TT_EQ(ioctl(fd, TUNGETFILTER, &got), 0);
	TT_EQ(got.len, 1);
	TT_CHECK(got.filter == drop_all, "filter pointer %p, want %p",
		 got.filter, drop_all);
	TT_CALL(send_to("ttiosf2", mac_a, 1, f));
	TT_CALL(send_to("ttiosf2", bcast, 2, f));
	TT_CALL(expect_nothing(fd));
	STAT("ttiosf2", "tx_dropped", 2);
	STAT("ttiosf2", "tx_packets", 0);
	return TT_PASS;
}

static int c_sockfilter_accept_all(void)
{
	struct sock_fprog p = FPROG(accept_all);
	uint8_t f[FRAME_LEN];
	int fd;

	fd = tt_mkdev("ttiosf3", IFF_TAP, NULL);
	if (fd < 0)
		return TT_FAIL;
	TT_EQ(ioctl(fd, TUNATTACHFILTER, &p), 0);
	TT_EQ(getiff_flags(fd), IFF_TAP);
	TT_CALL(send_to("ttiosf3", mac_b, 1, f));
	TT_CALL(expect_frame(fd, 1, f, FRAME_LEN));
	STAT("ttiosf3", "tx_packets", 1);
	STAT("ttiosf3", "tx_bytes", FRAME_LEN);
	STAT("ttiosf3", "tx_dropped", 0);
	return TT_PASS;
}

static int c_sockfilter_truncates(void)
{
	struct sock_fprog p = FPROG(first20);
	uint8_t f[FRAME_LEN];
	int fd;

	fd = tt_mkdev("ttiosf4", IFF_TAP | IFF_NO_PI, NULL);
	if (fd < 0)
		return TT_FAIL;
	TT_EQ(ioctl(fd, TUNATTACHFILTER, &p), 0);
	/* The filter's verdict is a length: the reader gets 20 bytes. */
	TT_CALL(send_to("ttiosf4", mac_a, 1, f));
	TT_CALL(expect_frame(fd, 0, f, 20));
	STAT("ttiosf4", "tx_packets", 1);
	STAT("ttiosf4", "tx_bytes", 20);
	return TT_PASS;
}

static int c_sockfilter_by_ethertype(void)
{
	struct sock_fprog p = FPROG(only_test_type);
	uint8_t f[FRAME_LEN];
	int fd;

	fd = tt_mkdev("ttiosf5", IFF_TAP | IFF_NO_PI, NULL);
	if (fd < 0)
		return TT_FAIL;
	TT_EQ(ioctl(fd, TUNATTACHFILTER, &p), 0);
	/* The program sees the frame from its Ethernet header on. */
	mkframe(f, mac_a, ETH_TEST2, 1);
	TT_EQ(tt_send_frame("ttiosf5", f, FRAME_LEN), 0);
	TT_CALL(expect_nothing(fd));
	STAT("ttiosf5", "tx_dropped", 1);
	TT_CALL(send_to("ttiosf5", mac_a, 2, f));
	TT_CALL(expect_frame(fd, 0, f, FRAME_LEN));
	STAT("ttiosf5", "tx_packets", 1);
	return TT_PASS;
}

static int c_sockfilter_detach(void)
{
	struct sock_fprog p = FPROG(drop_all), got;
	uint8_t f[FRAME_LEN];
	int fd;

	fd = tt_mkdev("ttiosf6", IFF_TAP, NULL);
	if (fd < 0)
		return TT_FAIL;
	TT_EQ(ioctl(fd, TUNATTACHFILTER, &p), 0);
	TT_CALL(send_to("ttiosf6", mac_a, 1, f));
	TT_CALL(expect_nothing(fd));
	TT_EQ(ioctl(fd, TUNDETACHFILTER, 0), 0);
	TT_EQ(getiff_flags(fd), IFF_TAP | IFF_NOFILTER);
	TT_CALL(send_to("ttiosf6", mac_a, 2, f));
	TT_CALL(expect_frame(fd, 1, f, FRAME_LEN));
	STAT("ttiosf6", "tx_dropped", 1);
	STAT("ttiosf6", "tx_packets", 1);
	/* TUNGETFILTER still reports the last program attached. */
	memset(&got, 0, sizeof(got));
	TT_EQ(ioctl(fd, TUNGETFILTER, &got), 0);
	TT_EQ(got.len, 1);
	TT_CHECK(got.filter == drop_all, "filter pointer %p, want %p",
		 got.filter, drop_all);
	/* Detaching twice is fine. */
	TT_EQ(ioctl(fd, TUNDETACHFILTER, 0), 0);
	return TT_PASS;
}

static int c_sockfilter_replace(void)
{
	struct sock_fprog d = FPROG(drop_all), a = FPROG(accept_all), got;
	uint8_t f[FRAME_LEN];
	int fd;

	fd = tt_mkdev("ttiosf7", IFF_TAP | IFF_NO_PI, NULL);
	if (fd < 0)
		return TT_FAIL;
	TT_EQ(ioctl(fd, TUNATTACHFILTER, &d), 0);
	TT_EQ(ioctl(fd, TUNATTACHFILTER, &a), 0);
	TT_CALL(send_to("ttiosf7", mac_a, 1, f));
	TT_CALL(expect_frame(fd, 0, f, FRAME_LEN));
	memset(&got, 0, sizeof(got));
	TT_EQ(ioctl(fd, TUNGETFILTER, &got), 0);
	TT_CHECK(got.filter == accept_all, "filter pointer %p, want %p",
		 got.filter, accept_all);
	return TT_PASS;
}

static int c_sockfilter_invalid(void)
{
	struct sock_fprog empty = { .len = 0, .filter = drop_all };
	struct sock_fprog bad = FPROG(no_ret), got;
	struct sock_fprog a = FPROG(accept_all);
	uint8_t f[FRAME_LEN];
	int fd;

	fd = tt_mkdev("ttiosf8", IFF_TAP, NULL);
	if (fd < 0)
		return TT_FAIL;
	TT_ERRNO(ioctl(fd, TUNATTACHFILTER, (void *)8), EFAULT);
	TT_ERRNO(ioctl(fd, TUNATTACHFILTER, &empty), EINVAL);
	TT_ERRNO(ioctl(fd, TUNATTACHFILTER, &bad), EINVAL);
	TT_EQ(getiff_flags(fd), IFF_TAP | IFF_NOFILTER);
	/* The refused program is what TUNGETFILTER reports from then on. */
	memset(&got, 0, sizeof(got));
	TT_EQ(ioctl(fd, TUNGETFILTER, &got), 0);
	TT_EQ(got.len, 1);
	TT_CHECK(got.filter == no_ret, "filter pointer %p, want %p",
		 got.filter, no_ret);
	/* A good program replaces a refused one with no trace of it. */
	TT_EQ(ioctl(fd, TUNATTACHFILTER, &a), 0);
	TT_CALL(send_to("ttiosf8", mac_a, 1, f));
	TT_CALL(expect_frame(fd, 1, f, FRAME_LEN));
	return TT_PASS;
}

static int c_sockfilter_reattach(void)
{
	struct sock_fprog p = FPROG(drop_all);
	uint8_t f[FRAME_LEN], buf[64];
	char name[IFNAMSIZ];
	struct ifreq ifr;
	int fd, fd2, fd3;

	/*
	 * The device comes up only once re-attached: a carrier change while
	 * up would (de)activate its qdisc behind our back.
	 */
	TT_CALL(mkpersist("ttiosf9", IFF_TAP));
	fd = tt_tun_alloc("ttiosf9", IFF_TAP, NULL);
	TT_SYS(fd);
	TT_EQ(ioctl(fd, TUNATTACHFILTER, &p), 0);
	tt_close(fd);
	/*
	 * Re-attaching without IFF_NOFILTER re-applies the program to the new
	 * fd... and, that succeeding, tun_attach() returns before the fd is
	 * attached: TUNSETIFF says 0 and names the device, yet the fd has no
	 * device and the device no queue (its frames are dropped).
	 */
	fd2 = tt_tun_open(0);
	TT_SYS(fd2);
	TT_EQ(tt_tun_setiff(fd2, "ttiosf9", IFF_TAP, name), 0);
	TT_STREQ(name, "ttiosf9");
	if (!strcmp(tt_impl(), "ours")) {
		/*
		 * A deliberate difference (Documentation/tun.rst): our driver
		 * attaches the fd it said it attached, with the device's
		 * filter on it. So the fd works, the filter drops, and the
		 * queue is taken.
		 */
		TT_EQ(getiff_flags(fd2), IFF_TAP | IFF_PERSIST);
		TT_SYS(tt_link_prepare("ttiosf9", NULL, 0, NULL));
		TT_CALL(send_to("ttiosf9", mac_a, 1, f));
		TT_CALL(expect_nothing(fd2));
		STAT("ttiosf9", "tx_dropped", 1);
		STAT("ttiosf9", "tx_packets", 0);
		TT_ERRNO(tt_tun_alloc("ttiosf9", IFF_TAP | IFF_NOFILTER, NULL),
			 EBUSY);
		return TT_PASS;
	}
	memset(&ifr, 0, sizeof(ifr));
	TT_ERRNO(ioctl(fd2, TUNGETIFF, &ifr), EBADFD);
	TT_ERRNO(read(fd2, buf, sizeof(buf)), EBADFD);
	TT_SYS(tt_link_prepare("ttiosf9", NULL, 0, NULL));
	TT_CALL(send_to("ttiosf9", mac_a, 1, f));
	STAT("ttiosf9", "tx_dropped", 1);
	/* The queue is still free: IFF_NOFILTER attaches, with no filter. */
	fd3 = tt_tun_alloc("ttiosf9", IFF_TAP | IFF_NOFILTER, NULL);
	TT_SYS(fd3);
	TT_EQ(getiff_flags(fd3), IFF_TAP | IFF_NO_PI | IFF_PERSIST);
	TT_CALL(send_to("ttiosf9", mac_a, 2, f));
	TT_CALL(expect_frame(fd3, 0, f, FRAME_LEN));
	STAT("ttiosf9", "tx_packets", 1);
	return TT_PASS;
}

static int c_sockfilter_nofilter_reattach(void)
{
	struct sock_fprog p = FPROG(drop_all);
	uint8_t f[FRAME_LEN];
	int fd;

	TT_CALL(mkpersist("ttiosfa", IFF_TAP | IFF_NO_PI));
	fd = tt_mkdev("ttiosfa", IFF_TAP | IFF_NO_PI, NULL);
	if (fd < 0)
		return TT_FAIL;
	TT_EQ(ioctl(fd, TUNATTACHFILTER, &p), 0);
	TT_CALL(send_to("ttiosfa", mac_a, 1, f));
	TT_CALL(expect_nothing(fd));
	/* Down first: no carrier change while up (see sockfilter_reattach). */
	TT_SYS(tt_link_up("ttiosfa", 0));
	tt_close(fd);
	/* IFF_NO_PI is IFF_NOFILTER: the program stays behind. */
	fd = tt_tun_alloc("ttiosfa", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(tt_link_up("ttiosfa", 1));
	TT_CALL(send_to("ttiosfa", mac_a, 2, f));
	TT_CALL(expect_frame(fd, 0, f, FRAME_LEN));
	STAT("ttiosfa", "tx_dropped", 1);
	STAT("ttiosfa", "tx_packets", 1);
	return TT_PASS;
}

static int c_sockfilter_detached_not_reapplied(void)
{
	struct sock_fprog p = FPROG(drop_all);
	uint8_t f[FRAME_LEN];
	int fd;

	TT_CALL(mkpersist("ttiosfb", IFF_TAP));
	fd = tt_tun_alloc("ttiosfb", IFF_TAP, NULL);
	TT_SYS(fd);
	TT_EQ(ioctl(fd, TUNATTACHFILTER, &p), 0);
	TT_EQ(ioctl(fd, TUNDETACHFILTER, 0), 0);
	tt_close(fd);
	/* After TUNDETACHFILTER a plain re-attach works normally. */
	fd = tt_mkdev("ttiosfb", IFF_TAP, NULL);
	if (fd < 0)
		return TT_FAIL;
	TT_EQ(getiff_flags(fd), IFF_TAP | IFF_NOFILTER | IFF_PERSIST);
	TT_CALL(send_to("ttiosfb", mac_a, 1, f));
	TT_CALL(expect_frame(fd, 1, f, FRAME_LEN));
	return TT_PASS;
}

/* ---- the virtio-net header knobs ---- */

static int c_vnethdrsz_default(void)
{
	int fd, sz = -1;

	fd = tt_tun_alloc("ttiovh0", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_EQ(ioctl(fd, TUNGETVNETHDRSZ, &sz), 0);
	TT_EQ(sz, 10);
	/* Whether IFF_VNET_HDR is on does not matter. */
	fd = tt_tun_alloc("ttiovh1", IFF_TUN | IFF_VNET_HDR, NULL);
	TT_SYS(fd);
	sz = -1;
	TT_EQ(ioctl(fd, TUNGETVNETHDRSZ, &sz), 0);
	TT_EQ(sz, 10);
	fd = tt_tun_open(0);
	TT_SYS(fd);
	TT_ERRNO(ioctl(fd, TUNGETVNETHDRSZ, &sz), EBADFD);
	TT_ERRNO(ioctl(fd, TUNSETVNETHDRSZ, &sz), EBADFD);
	return TT_PASS;
}

static int vnethdrsz_is(int fd, int want)
{
	int sz = -1;

	TT_EQ(ioctl(fd, TUNGETVNETHDRSZ, &sz), 0);
	TT_EQ(sz, want);
	return TT_PASS;
}

static int c_vnethdrsz_set(void)
{
	int fd, sz;

	fd = tt_tun_alloc("ttiovh2", IFF_TAP | IFF_NO_PI | IFF_VNET_HDR, NULL);
	TT_SYS(fd);
	sz = 12;
	TT_EQ(ioctl(fd, TUNSETVNETHDRSZ, &sz), 0);
	TT_CALL(vnethdrsz_is(fd, 12));
	/* Below sizeof(struct virtio_net_hdr): refused, nothing changes. */
	sz = 9;
	TT_ERRNO(ioctl(fd, TUNSETVNETHDRSZ, &sz), EINVAL);
	sz = 0;
	TT_ERRNO(ioctl(fd, TUNSETVNETHDRSZ, &sz), EINVAL);
	sz = -12;
	TT_ERRNO(ioctl(fd, TUNSETVNETHDRSZ, &sz), EINVAL);
	TT_CALL(vnethdrsz_is(fd, 12));
	TT_ERRNO(ioctl(fd, TUNSETVNETHDRSZ, (void *)8), EFAULT);
	/* 10 itself is fine, and there is no upper bound. */
	sz = 10;
	TT_EQ(ioctl(fd, TUNSETVNETHDRSZ, &sz), 0);
	TT_CALL(vnethdrsz_is(fd, 10));
	sz = 4096;
	TT_EQ(ioctl(fd, TUNSETVNETHDRSZ, &sz), 0);
	TT_CALL(vnethdrsz_is(fd, 4096));
	sz = INT_MAX;
	TT_EQ(ioctl(fd, TUNSETVNETHDRSZ, &sz), 0);
	TT_CALL(vnethdrsz_is(fd, INT_MAX));
	return TT_PASS;
}

static int c_vnethdrsz_shapes_read(void)
{
	uint8_t f[FRAME_LEN], buf[2048], zero[10] = { 0 };
	ssize_t n;
	int fd, sz;

	fd = tt_mkdev("ttiovh3", IFF_TAP | IFF_NO_PI | IFF_VNET_HDR, NULL);
	if (fd < 0)
		return TT_FAIL;
	/* The default: a 10-byte header, all zero for a plain frame. */
	TT_CALL(send_to("ttiovh3", mac_a, 1, f));
	memset(buf, 0xa5, sizeof(buf));
	n = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_EQ(n, 10 + FRAME_LEN);
	TT_MEMEQ(buf, zero, 10);
	TT_MEMEQ(buf + 10, f, FRAME_LEN);
	/* 12: the frame moves 2 bytes on; those 2 are skipped, not written. */
	sz = 12;
	TT_EQ(ioctl(fd, TUNSETVNETHDRSZ, &sz), 0);
	TT_CALL(send_to("ttiovh3", mac_a, 2, f));
	memset(buf, 0xa5, sizeof(buf));
	n = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_EQ(n, 12 + FRAME_LEN);
	TT_MEMEQ(buf, zero, 10);
	TT_EQ(buf[10], 0xa5);
	TT_EQ(buf[11], 0xa5);
	TT_MEMEQ(buf + 12, f, FRAME_LEN);
	STAT("ttiovh3", "tx_packets", 2);
	STAT("ttiovh3", "tx_bytes", 2 * FRAME_LEN);
	return TT_PASS;
}

static int c_vnethdrsz_survives_reattach(void)
{
	int fd, sz = 12;

	TT_CALL(mkpersist("ttiovh4", IFF_TAP | IFF_NO_PI));
	fd = tt_tun_alloc("ttiovh4", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_EQ(ioctl(fd, TUNSETVNETHDRSZ, &sz), 0);
	tt_close(fd);
	/* The size belongs to the device. */
	fd = tt_tun_alloc("ttiovh4", IFF_TAP | IFF_NO_PI | IFF_VNET_HDR, NULL);
	TT_SYS(fd);
	TT_CALL(vnethdrsz_is(fd, 12));
	return TT_PASS;
}

static int vnetle_is(int fd, int want)
{
	int le = -1;

	TT_EQ(ioctl(fd, TUNGETVNETLE, &le), 0);
	TT_EQ(le, want);
	return TT_PASS;
}

static int c_vnetle_roundtrip(void)
{
	int fd, le;

	fd = tt_tun_alloc("ttiovl0", IFF_TAP | IFF_NO_PI | IFF_VNET_HDR, NULL);
	TT_SYS(fd);
	TT_CALL(vnetle_is(fd, 0));
	le = 1;
	TT_EQ(ioctl(fd, TUNSETVNETLE, &le), 0);
	TT_CALL(vnetle_is(fd, 1));
	/* Any non-zero value means on, and reads back as 1. */
	le = 0;
	TT_EQ(ioctl(fd, TUNSETVNETLE, &le), 0);
	TT_CALL(vnetle_is(fd, 0));
	le = -7;
	TT_EQ(ioctl(fd, TUNSETVNETLE, &le), 0);
	TT_CALL(vnetle_is(fd, 1));
	/* Not an IFF_ flag: neither TUNGETIFF nor sysfs shows it. */
	TT_EQ(getiff_flags(fd), IFF_TAP | IFF_NO_PI | IFF_VNET_HDR);
	TT_EQ(tt_sysfs_num("ttiovl0", "tun_flags"),
	      IFF_TAP | IFF_NO_PI | IFF_VNET_HDR);
	TT_ERRNO(ioctl(fd, TUNSETVNETLE, (void *)8), EFAULT);
	TT_ERRNO(ioctl(fd, TUNGETVNETLE, (void *)8), EFAULT);
	TT_CALL(vnetle_is(fd, 1));
	fd = tt_tun_open(0);
	TT_SYS(fd);
	TT_ERRNO(ioctl(fd, TUNGETVNETLE, &le), EBADFD);
	return TT_PASS;
}

static int c_vnetle_survives_reattach(void)
{
	int fd, le = 1;

	TT_CALL(mkpersist("ttiovl1", IFF_TUN | IFF_NO_PI));
	fd = tt_tun_alloc("ttiovl1", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_EQ(ioctl(fd, TUNSETVNETLE, &le), 0);
	tt_close(fd);
	fd = tt_tun_alloc("ttiovl1", IFF_TUN | IFF_NO_PI | IFF_VNET_HDR, NULL);
	TT_SYS(fd);
	TT_CALL(vnetle_is(fd, 1));
	return TT_PASS;
}

/*
 * Big-endian vnet headers on a little-endian host exist only in a kernel
 * built with CONFIG_TUN_VNET_CROSS_LE: Debian's is not, the debug lane's
 * is. Both drivers follow the kernel's option.
 */
static int vnetbe_supported(int fd)
{
	int be = 7;

	TT_EQ(ioctl(fd, TUNGETVNETBE, &be), 0);
	TT_EQ(be, 0);
	be = 5;		/* any non-zero value is on, and reads back as 1 */
	TT_EQ(ioctl(fd, TUNSETVNETBE, &be), 0);
	TT_EQ(ioctl(fd, TUNGETVNETBE, &be), 0);
	TT_EQ(be, 1);
	be = 0;
	TT_EQ(ioctl(fd, TUNSETVNETBE, &be), 0);
	TT_EQ(ioctl(fd, TUNGETVNETBE, &be), 0);
	TT_EQ(be, 0);
	TT_ERRNO(ioctl(fd, TUNGETVNETBE, (void *)8), EFAULT);
	return TT_PASS;
}

static int c_vnetbe_einval(void)
{
	int fd, be = 1, cross = tt_kconfig("CONFIG_TUN_VNET_CROSS_LE");

	TT_CHECK(cross >= 0, "no /boot/config of the running kernel");
	fd = tt_tun_alloc("ttiovb0", IFF_TAP | IFF_NO_PI | IFF_VNET_HDR, NULL);
	TT_SYS(fd);
	if (cross == 'y') {
		TT_CALL(vnetbe_supported(fd));
		goto le;
	}
	/* without CONFIG_TUN_VNET_CROSS_LE both are refused */
	TT_ERRNO(ioctl(fd, TUNSETVNETBE, &be), EINVAL);
	be = 0;
	TT_ERRNO(ioctl(fd, TUNSETVNETBE, &be), EINVAL);
	be = -1;
	TT_ERRNO(ioctl(fd, TUNGETVNETBE, &be), EINVAL);
	TT_EQ(be, -1);
	/* Even with a pointer it never reads. */
	TT_ERRNO(ioctl(fd, TUNGETVNETBE, (void *)8), EINVAL);
le:
	/* LE is unaffected. */
	TT_CALL(vnetle_is(fd, 0));
	fd = tt_tun_open(0);
	TT_SYS(fd);
	TT_ERRNO(ioctl(fd, TUNGETVNETBE, &be), EBADFD);
	return TT_PASS;
}

/* ---- TUNGETSNDBUF / TUNSETSNDBUF ---- */

static int sndbuf_is(int fd, int want)
{
	int v = -1;

	TT_EQ(ioctl(fd, TUNGETSNDBUF, &v), 0);
	TT_EQ(v, want);
	return TT_PASS;
}

static int c_sndbuf_default(void)
{
	int fd, v;

	fd = tt_tun_alloc("ttiosb0", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_CALL(sndbuf_is(fd, INT_MAX));
	fd = tt_tun_alloc("ttiosb1", IFF_TAP, NULL);
	TT_SYS(fd);
	TT_CALL(sndbuf_is(fd, INT_MAX));
	fd = tt_tun_open(0);
	TT_SYS(fd);
	TT_ERRNO(ioctl(fd, TUNGETSNDBUF, &v), EBADFD);
	TT_ERRNO(ioctl(fd, TUNSETSNDBUF, &v), EBADFD);
	return TT_PASS;
}

static int c_sndbuf_set(void)
{
	int fd, v;

	fd = tt_tun_alloc("ttiosb2", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	v = 65536;
	TT_EQ(ioctl(fd, TUNSETSNDBUF, &v), 0);
	TT_CALL(sndbuf_is(fd, 65536));
	/* Taken as is: no doubling, no minimum as SO_SNDBUF has. */
	v = 1;
	TT_EQ(ioctl(fd, TUNSETSNDBUF, &v), 0);
	TT_CALL(sndbuf_is(fd, 1));
	v = 0;
	TT_ERRNO(ioctl(fd, TUNSETSNDBUF, &v), EINVAL);
	v = -1;
	TT_ERRNO(ioctl(fd, TUNSETSNDBUF, &v), EINVAL);
	v = INT_MIN;
	TT_ERRNO(ioctl(fd, TUNSETSNDBUF, &v), EINVAL);
	TT_CALL(sndbuf_is(fd, 1));
	TT_ERRNO(ioctl(fd, TUNSETSNDBUF, (void *)8), EFAULT);
	TT_ERRNO(ioctl(fd, TUNGETSNDBUF, (void *)8), EFAULT);
	v = INT_MAX;
	TT_EQ(ioctl(fd, TUNSETSNDBUF, &v), 0);
	TT_CALL(sndbuf_is(fd, INT_MAX));
	return TT_PASS;
}

static int c_sndbuf_reattach(void)
{
	int fd, v = 4096;

	TT_CALL(mkpersist("ttiosb3", IFF_TUN | IFF_NO_PI));
	fd = tt_tun_alloc("ttiosb3", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_EQ(ioctl(fd, TUNSETSNDBUF, &v), 0);
	TT_CALL(sndbuf_is(fd, 4096));
	tt_close(fd);
	/* TUNGETSNDBUF reads the fd's own socket: a new fd starts afresh. */
	fd = tt_tun_alloc("ttiosb3", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_CALL(sndbuf_is(fd, INT_MAX));
	return TT_PASS;
}

/* ---- TUNSETDEBUG, TUNSETNOCSUM ---- */

static long long msglevel(const char *dev)
{
	struct ethtool_value ev = { .cmd = ETHTOOL_GMSGLVL };
	struct ifreq ifr;
	int s, r;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", dev);
	ifr.ifr_data = (char *)&ev;
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	r = ioctl(s, SIOCETHTOOL, &ifr);
	close(s);
	return r < 0 ? -1 : (long long)ev.data;
}

static int c_setdebug(void)
{
	int fd;

	fd = tt_tun_alloc("ttiodb0", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_EQ(msglevel("ttiodb0"), 0);
	/* The argument is the netif_msg mask, as ethtool's msglvl shows. */
	TT_EQ(ioctl(fd, TUNSETDEBUG, 0x5), 0);
	TT_EQ(msglevel("ttiodb0"), 0x5);
	TT_EQ(ioctl(fd, TUNSETDEBUG, 0), 0);
	TT_EQ(msglevel("ttiodb0"), 0);
	fd = tt_tun_open(0);
	TT_SYS(fd);
	TT_ERRNO(ioctl(fd, TUNSETDEBUG, 1), EBADFD);
	return TT_PASS;
}

static int c_setnocsum(void)
{
	int fd;

	fd = tt_tun_alloc("ttionc0", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_EQ(ioctl(fd, TUNSETNOCSUM, 1), 0);
	TT_EQ(ioctl(fd, TUNSETNOCSUM, 0), 0);
	TT_EQ(getiff_flags(fd), IFF_TAP | IFF_NO_PI);
	return TT_PASS;
}

/* ---- TUNSETCARRIER ---- */

static int set_carrier(int fd, unsigned int on)
{
	return ioctl(fd, TUNSETCARRIER, &on);
}

static int c_setcarrier(void)
{
	long long ch;
	int fd;

	fd = tt_mkdev("ttioca0", IFF_TUN | IFF_NO_PI, NULL);
	if (fd < 0)
		return TT_FAIL;
	TT_EQ(tt_sysfs_num("ttioca0", "carrier"), 1);
	ch = tt_sysfs_num("ttioca0", "carrier_changes");
	TT_EQ(set_carrier(fd, 0), 0);
	TT_EQ(tt_sysfs_num("ttioca0", "carrier"), 0);
	TT_EQ(tt_sysfs_num("ttioca0", "carrier_changes"), ch + 1);
	TT_CHECK(tt_link_wait_operstate("ttioca0", "down", TT_WAIT_MS),
		 "operstate never went down");
	/* Again off: no change to count. */
	TT_EQ(set_carrier(fd, 0), 0);
	TT_EQ(tt_sysfs_num("ttioca0", "carrier_changes"), ch + 1);
	TT_EQ(set_carrier(fd, 1), 0);
	TT_EQ(tt_sysfs_num("ttioca0", "carrier"), 1);
	TT_EQ(tt_sysfs_num("ttioca0", "carrier_changes"), ch + 2);
	TT_CHECK(tt_link_wait_operstate("ttioca0", "up", TT_WAIT_MS),
		 "operstate never went up");
	/* Any non-zero value is on. */
	TT_EQ(set_carrier(fd, 0), 0);
	TT_EQ(set_carrier(fd, 256), 0);
	TT_EQ(tt_sysfs_num("ttioca0", "carrier"), 1);
	TT_EQ(tt_sysfs_num("ttioca0", "carrier_changes"), ch + 4);
	TT_ERRNO(ioctl(fd, TUNSETCARRIER, (void *)8), EFAULT);
	return TT_PASS;
}

static int c_setcarrier_while_down(void)
{
	int fd;

	fd = tt_tun_alloc("ttioca1", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	tt_link_noipv6("ttioca1");
	TT_EQ(set_carrier(fd, 0), 0);
	/* The carrier is only readable while up, and stays off. */
	TT_SYS(tt_link_up("ttioca1", 1));
	TT_EQ(tt_sysfs_num("ttioca1", "carrier"), 0);
	TT_EQ(set_carrier(fd, 1), 0);
	TT_EQ(tt_sysfs_num("ttioca1", "carrier"), 1);
	fd = tt_tun_open(0);
	TT_SYS(fd);
	TT_ERRNO(set_carrier(fd, 1), EBADFD);
	return TT_PASS;
}

/* ---- SIOCGIFHWADDR / SIOCSIFHWADDR on the fd ---- */

static int c_getifhwaddr_tap(void)
{
	uint8_t mac[6];
	struct ifreq ifr;
	int fd;

	fd = tt_tun_alloc("ttiohw0", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(tt_link_hwaddr("ttiohw0", mac));
	memset(&ifr, 0, sizeof(ifr));
	/* The name in the request does not matter: the fd's device answers. */
	snprintf(ifr.ifr_name, IFNAMSIZ, "lo");
	TT_EQ(ioctl(fd, SIOCGIFHWADDR, &ifr), 0);
	TT_EQ(ifr.ifr_hwaddr.sa_family, ARPHRD_ETHER);
	TT_MEMEQ(ifr.ifr_hwaddr.sa_data, mac, 6);
	TT_STREQ(ifr.ifr_name, "lo");
	return TT_PASS;
}

static int c_getifhwaddr_tun(void)
{
	uint8_t zero[14] = { 0 };
	struct ifreq ifr;
	int fd;

	fd = tt_tun_alloc("ttiohw1", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	memset(&ifr, 0xa5, sizeof(ifr));
	TT_EQ(ioctl(fd, SIOCGIFHWADDR, &ifr), 0);
	/* No address: the type is ARPHRD_NONE and the data all zero. */
	TT_EQ(ifr.ifr_hwaddr.sa_family, ARPHRD_NONE);
	TT_MEMEQ(ifr.ifr_hwaddr.sa_data, zero, 14);
	/* After TUNSETLINK the type follows. */
	TT_EQ(ioctl(fd, TUNSETLINK, ARPHRD_IPGRE), 0);
	memset(&ifr, 0xa5, sizeof(ifr));
	TT_EQ(ioctl(fd, SIOCGIFHWADDR, &ifr), 0);
	TT_EQ(ifr.ifr_hwaddr.sa_family, ARPHRD_IPGRE);
	TT_MEMEQ(ifr.ifr_hwaddr.sa_data, zero, 4);
	fd = tt_tun_open(0);
	TT_SYS(fd);
	TT_ERRNO(ioctl(fd, SIOCGIFHWADDR, &ifr), EBADFD);
	TT_ERRNO(ioctl(fd, SIOCSIFHWADDR, &ifr), EBADFD);
	return TT_PASS;
}

static int set_hwaddr(int fd, int family, const uint8_t mac[6])
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_hwaddr.sa_family = (unsigned short)family;
	memcpy(ifr.ifr_hwaddr.sa_data, mac, 6);
	return ioctl(fd, SIOCSIFHWADDR, &ifr);
}

static int c_setifhwaddr_tap(void)
{
	const uint8_t mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	const uint8_t mac2[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x66 };
	uint8_t got[6];
	struct ifreq ifr;
	char buf[64];
	int fd;

	fd = tt_tun_alloc("ttiohw2", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_EQ(set_hwaddr(fd, ARPHRD_ETHER, mac), 0);
	TT_SYS(tt_sysfs_read("ttiohw2", "address", buf, sizeof(buf)));
	TT_STREQ(buf, "02:11:22:33:44:55");
	/* NET_ADDR_SET */
	TT_EQ(tt_sysfs_num("ttiohw2", "addr_assign_type"), 3);
	memset(&ifr, 0, sizeof(ifr));
	TT_EQ(ioctl(fd, SIOCGIFHWADDR, &ifr), 0);
	TT_MEMEQ(ifr.ifr_hwaddr.sa_data, mac, 6);
	/* A tap may change it while up. */
	tt_link_noipv6("ttiohw2");
	TT_SYS(tt_link_up("ttiohw2", 1));
	TT_EQ(set_hwaddr(fd, ARPHRD_ETHER, mac2), 0);
	TT_SYS(tt_link_hwaddr("ttiohw2", got));
	TT_MEMEQ(got, mac2, 6);
	return TT_PASS;
}

static int c_setifhwaddr_tap_refused(void)
{
	const uint8_t zero[6] = { 0 };
	uint8_t before[6], got[6];
	int fd;

	fd = tt_tun_alloc("ttiohw3", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(tt_link_hwaddr("ttiohw3", before));
	TT_ERRNO(set_hwaddr(fd, ARPHRD_ETHER, mcast_m), EADDRNOTAVAIL);
	TT_ERRNO(set_hwaddr(fd, ARPHRD_ETHER, bcast), EADDRNOTAVAIL);
	TT_ERRNO(set_hwaddr(fd, ARPHRD_ETHER, zero), EADDRNOTAVAIL);
	/* The family must be the device's type. */
	TT_ERRNO(set_hwaddr(fd, ARPHRD_NONE, mac_a), EINVAL);
	TT_ERRNO(set_hwaddr(fd, AF_INET, mac_a), EINVAL);
	TT_ERRNO(ioctl(fd, SIOCSIFHWADDR, (void *)8), EFAULT);
	TT_SYS(tt_link_hwaddr("ttiohw3", got));
	TT_MEMEQ(got, before, 6);
	/* NET_ADDR_RANDOM still. */
	TT_EQ(tt_sysfs_num("ttiohw3", "addr_assign_type"), 1);
	return TT_PASS;
}

static int c_setifhwaddr_tun_eopnotsupp(void)
{
	int fd;

	fd = tt_tun_alloc("ttiohw4", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	/* No ndo_set_mac_address, checked before the family. */
	TT_ERRNO(set_hwaddr(fd, ARPHRD_NONE, mac_a), EOPNOTSUPP);
	TT_ERRNO(set_hwaddr(fd, ARPHRD_ETHER, mac_a), EOPNOTSUPP);
	return TT_PASS;
}

/* ---- SIOCGSKNS, TUNGETDEVNETNS ---- */

static long long ino_of_fd(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? -1 : (long long)st.st_ino;
}

static long long ino_of_path(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (long long)st.st_ino;
}

/* An fd from SIOCGSKNS/TUNGETDEVNETNS: a net namespace, close-on-exec. */
static int check_nsfd(int nsfd, long long want_ino)
{
	TT_EQ(ino_of_fd(nsfd), want_ino);
	TT_EQ(ioctl(nsfd, NS_GET_NSTYPE), CLONE_NEWNET);
	TT_EQ(fcntl(nsfd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	return TT_PASS;
}

static int c_skns_unattached(void)
{
	long long self = ino_of_path("/proc/self/ns/net");
	int fd, ns;

	TT_CHECK(self > 0, "no /proc/self/ns/net");
	fd = tt_tun_open(0);
	TT_SYS(fd);
	ns = ioctl(fd, SIOCGSKNS);
	TT_SYS(ns);
	tt_defer_fd(ns);
	TT_CALL(check_nsfd(ns, self));
	/* The argument is not used. */
	ns = ioctl(fd, SIOCGSKNS, (void *)8);
	TT_SYS(ns);
	tt_defer_fd(ns);
	TT_CALL(check_nsfd(ns, self));
	return TT_PASS;
}

static int c_skns_attached(void)
{
	long long self = ino_of_path("/proc/self/ns/net");
	int fd, ns;

	fd = tt_tun_alloc("ttions0", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	ns = ioctl(fd, SIOCGSKNS);
	TT_SYS(ns);
	tt_defer_fd(ns);
	TT_CALL(check_nsfd(ns, self));
	ns = ioctl(fd, TUNGETDEVNETNS);
	TT_SYS(ns);
	tt_defer_fd(ns);
	TT_CALL(check_nsfd(ns, self));
	return TT_PASS;
}

/* In a child: SIOCGSKNS names the netns the fd was opened in. */
static int skns_child(void *arg)
{
	long long init_ns, new_ns;
	int before, after, ns;

	(void)arg;
	init_ns = ino_of_path("/proc/self/ns/net");
	before = open(TT_TUN_PATH, O_RDWR | O_CLOEXEC);
	if (before < 0)
		return cfail("open: %s", tt_errname(errno));
	if (unshare(CLONE_NEWNET) < 0)
		return cfail("unshare: %s", tt_errname(errno));
	new_ns = ino_of_path("/proc/self/ns/net");
	if (new_ns == init_ns)
		return cfail("unshare gave no new netns");
	ns = ioctl(before, SIOCGSKNS);
	if (ns < 0)
		return cfail("SIOCGSKNS on the old fd: %s", tt_errname(errno));
	if (ino_of_fd(ns) != init_ns)
		return cfail("fd opened before unshare: netns %lld, want %lld",
			     ino_of_fd(ns), init_ns);
	close(ns);
	after = open(TT_TUN_PATH, O_RDWR | O_CLOEXEC);
	if (after < 0)
		return cfail("open in the new netns: %s", tt_errname(errno));
	ns = ioctl(after, SIOCGSKNS);
	if (ns < 0)
		return cfail("SIOCGSKNS on the new fd: %s", tt_errname(errno));
	if (ino_of_fd(ns) != new_ns)
		return cfail("fd opened after unshare: netns %lld, want %lld",
			     ino_of_fd(ns), new_ns);
	return 0;
}

static int c_skns_openers_netns(void)
{
	return in_child(skns_child, NULL);
}

static int c_getdevnetns_unattached_ebadfd(void)
{
	int fd = tt_tun_open(0), ns;

	TT_SYS(fd);
	TT_ERRNO(ioctl(fd, TUNGETDEVNETNS), EBADFD);
	/* Attached, the same fd answers. */
	TT_SYS(tt_tun_setiff(fd, "ttions3", IFF_TUN | IFF_NO_PI, NULL));
	ns = ioctl(fd, TUNGETDEVNETNS);
	TT_SYS(ns);
	tt_defer_fd(ns);
	TT_CALL(check_nsfd(ns, ino_of_path("/proc/self/ns/net")));
	return TT_PASS;
}

static int c_getdevnetns_follows_device(void)
{
	long long self = ino_of_path("/proc/self/ns/net"), there;
	uint8_t mac[6];
	struct ifreq ifr;
	char path[64], c;
	int fd, ns, sv[2];
	pid_t pid;

	fd = tt_tun_alloc("ttions1", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(tt_link_hwaddr("ttions1", mac));
	/* A child sitting in a netns of its own until sv[0] closes. */
	TT_SYS(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	tt_defer_fd(sv[0]);
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		close(sv[1]);
		return tt_fail("fork: %s", tt_errname(errno));
	}
	if (pid == 0) {
		close(sv[0]);
		if (unshare(CLONE_NEWNET) < 0)
			_exit(1);
		c = 'R';
		if (write(sv[1], &c, 1) != 1)
			_exit(2);
		while (read(sv[1], &c, 1) > 0)
			;
		_exit(0);
	}
	close(sv[1]);
	tt_defer_pid(pid);
	TT_CHECK(tt_read_timeout(sv[0], &c, 1, TT_WAIT_MS) == 1 && c == 'R',
		 "child not ready");
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	there = ino_of_path(path);
	TT_CHECK(there > 0 && there != self, "child netns %lld", there);

	TT_EQ(tt_sh("ip link set dev ttions1 netns %d", (int)pid), 0);
	TT_CHECK(!tt_link_exists("ttions1"), "ttions1 still here");
	ns = ioctl(fd, TUNGETDEVNETNS);
	TT_SYS(ns);
	TT_CALL(check_nsfd(ns, there));
	close(ns);
	/* SIOCGSKNS stays with the fd's own netns. */
	ns = ioctl(fd, SIOCGSKNS);
	TT_SYS(ns);
	TT_CALL(check_nsfd(ns, self));
	close(ns);
	/* SIOCGIFHWADDR finds the device over there. */
	memset(&ifr, 0, sizeof(ifr));
	TT_EQ(ioctl(fd, SIOCGIFHWADDR, &ifr), 0);
	TT_EQ(ifr.ifr_hwaddr.sa_family, ARPHRD_ETHER);
	TT_MEMEQ(ifr.ifr_hwaddr.sa_data, mac, 6);
	return TT_PASS;
}

static int unpriv_fd_attached = -1, unpriv_fd_unattached = -1;

static int unpriv_child(void *arg)
{
	struct ifreq ifr;
	int r, v;

	(void)arg;
	/* The fds still work for what needs no capability... */
	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(unpriv_fd_attached, TUNGETIFF, &ifr) < 0)
		return cfail("TUNGETIFF: %s", tt_errname(errno));
	if (ioctl(unpriv_fd_attached, TUNGETSNDBUF, &v) < 0)
		return cfail("TUNGETSNDBUF: %s", tt_errname(errno));
	/* ...but the namespace fds want CAP_NET_ADMIN. */
	errno = 0;
	r = ioctl(unpriv_fd_attached, SIOCGSKNS);
	if (r != -1 || errno != EPERM)
		return cfail("SIOCGSKNS attached: %d %s, want EPERM", r,
			     tt_errname(errno));
	errno = 0;
	r = ioctl(unpriv_fd_unattached, SIOCGSKNS);
	if (r != -1 || errno != EPERM)
		return cfail("SIOCGSKNS unattached: %d %s, want EPERM", r,
			     tt_errname(errno));
	errno = 0;
	r = ioctl(unpriv_fd_attached, TUNGETDEVNETNS);
	if (r != -1 || errno != EPERM)
		return cfail("TUNGETDEVNETNS: %d %s, want EPERM", r,
			     tt_errname(errno));
	/* Unattached, the missing device is found first. */
	errno = 0;
	r = ioctl(unpriv_fd_unattached, TUNGETDEVNETNS);
	if (r != -1 || errno != EBADFD)
		return cfail("TUNGETDEVNETNS unattached: %d %s, want EBADFD",
			     r, tt_errname(errno));
	return 0;
}

static int c_netns_unpriv_eperm(void)
{
	unpriv_fd_attached = tt_tun_alloc("ttions2", IFF_TUN | IFF_NO_PI,
					  NULL);
	TT_SYS(unpriv_fd_attached);
	unpriv_fd_unattached = tt_tun_open(0);
	TT_SYS(unpriv_fd_unattached);
	return as_user(unpriv_child, NULL);
}

/* ---- fdinfo ---- */

static int fdinfo_iff(int fd, char *out, size_t len)
{
	char path[64], buf[1024], *p, *e;
	ssize_t n;
	int pfd;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	pfd = open(path, O_RDONLY | O_CLOEXEC);
	TT_SYS(pfd);
	n = read(pfd, buf, sizeof(buf) - 1);
	close(pfd);
	TT_SYS(n);
	buf[n] = 0;
	p = strstr(buf, "\niff:\t");
	TT_CHECK(p, "fdinfo has no \"iff:\\t\" line: %s", buf);
	p += 6;
	e = strchr(p, '\n');
	TT_CHECK(e, "the iff line does not end");
	snprintf(out, len, "%.*s", (int)(e - p), p);
	/* It is the last line. */
	TT_EQ(e[1], 0);
	return TT_PASS;
}

static int c_fdinfo_iff(void)
{
	char iff[64];
	int fd;

	fd = tt_tun_open(0);
	TT_SYS(fd);
	/* Unattached: the line is there, empty. */
	TT_CALL(fdinfo_iff(fd, iff, sizeof(iff)));
	TT_STREQ(iff, "");
	TT_SYS(tt_tun_setiff(fd, "ttiofi0", IFF_TAP | IFF_NO_PI, NULL));
	TT_CALL(fdinfo_iff(fd, iff, sizeof(iff)));
	TT_STREQ(iff, "ttiofi0");
	/* A rename shows. */
	TT_EQ(tt_sh("ip link set dev ttiofi0 name ttiofi1"), 0);
	tt_defer_link("ttiofi1");
	TT_CALL(fdinfo_iff(fd, iff, sizeof(iff)));
	TT_STREQ(iff, "ttiofi1");
	/* The device deleted under the fd: empty again. */
	TT_EQ(tt_link_del("ttiofi1"), 0);
	TT_CALL(fdinfo_iff(fd, iff, sizeof(iff)));
	TT_STREQ(iff, "");
	return TT_PASS;
}

/* ---- TUNSETSTEERINGEBPF / TUNSETFILTEREBPF ---- */

static int set_ebpf(int fd, unsigned long req, int prog)
{
	return ioctl(fd, req, &prog);
}

static int ebpf_errors(unsigned long req)
{
	int fd, devnull, closed;

	fd = tt_tun_alloc("ttioeb0", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	/* -1 detaches, whether or not a program is there. */
	TT_EQ(set_ebpf(fd, req, -1), 0);
	TT_EQ(set_ebpf(fd, req, -1), 0);
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	TT_SYS(devnull);
	tt_defer_fd(devnull);
	TT_ERRNO(set_ebpf(fd, req, devnull), EINVAL);
	/* The tun fd itself is no program either. */
	TT_ERRNO(set_ebpf(fd, req, fd), EINVAL);
	closed = dup(devnull);
	TT_SYS(closed);
	close(closed);
	TT_ERRNO(set_ebpf(fd, req, closed), EBADF);
	TT_ERRNO(set_ebpf(fd, req, -2), EBADF);
	TT_ERRNO(ioctl(fd, req, (void *)8), EFAULT);
	fd = tt_tun_open(0);
	TT_SYS(fd);
	TT_ERRNO(set_ebpf(fd, req, -1), EBADFD);
	TT_ERRNO(set_ebpf(fd, req, devnull), EBADFD);
	return TT_PASS;
}

static int c_steeringebpf_errors(void)
{
	return ebpf_errors(TUNSETSTEERINGEBPF);
}

static int c_filterebpf_errors(void)
{
	return ebpf_errors(TUNSETFILTEREBPF);
}

static int c_ebpf_wrong_prog_type(void)
{
	uint8_t f[FRAME_LEN];
	int fd, prog, sf;

	fd = tt_mkdev("ttioeb1", IFF_TAP | IFF_NO_PI, NULL);
	if (fd < 0)
		return TT_FAIL;
	prog = tt_bpf_const_prog(BPF_PROG_TYPE_XDP, 2 /* XDP_PASS */);
	TT_CHECK(prog >= 0, "loading an XDP program: %s", tt_errname(errno));
	tt_defer_fd(prog);
	sf = tt_bpf_const_prog(BPF_PROG_TYPE_SOCKET_FILTER, 0);
	TT_CHECK(sf >= 0, "loading a program: %s", tt_errname(errno));
	tt_defer_fd(sf);
	/* Only BPF_PROG_TYPE_SOCKET_FILTER programs are taken. */
	TT_ERRNO(set_ebpf(fd, TUNSETFILTEREBPF, prog), EINVAL);
	TT_ERRNO(set_ebpf(fd, TUNSETSTEERINGEBPF, prog), EINVAL);
	TT_EQ(set_ebpf(fd, TUNSETFILTEREBPF, sf), 0);
	TT_EQ(set_ebpf(fd, TUNSETSTEERINGEBPF, sf), 0);
	/* A refused program leaves the one in place (dropping all) there. */
	TT_ERRNO(set_ebpf(fd, TUNSETFILTEREBPF, prog), EINVAL);
	TT_CALL(send_to("ttioeb1", mac_a, 1, f));
	TT_CALL(expect_nothing(fd));
	STAT("ttioeb1", "tx_dropped", 1);
	return TT_PASS;
}

static int c_filterebpf_drop_and_trim(void)
{
	int fd, drop, trim;
	uint8_t f[FRAME_LEN];

	fd = tt_mkdev("ttioeb2", IFF_TAP | IFF_NO_PI, NULL);
	if (fd < 0)
		return TT_FAIL;
	drop = tt_bpf_const_prog(BPF_PROG_TYPE_SOCKET_FILTER, 0);
	TT_CHECK(drop >= 0, "loading a program: %s", tt_errname(errno));
	tt_defer_fd(drop);
	trim = tt_bpf_const_prog(BPF_PROG_TYPE_SOCKET_FILTER, 20);
	TT_CHECK(trim >= 0, "loading a program: %s", tt_errname(errno));
	tt_defer_fd(trim);
	/* 0: dropped. */
	TT_EQ(set_ebpf(fd, TUNSETFILTEREBPF, drop), 0);
	TT_CALL(send_to("ttioeb2", mac_a, 1, f));
	TT_CALL(expect_nothing(fd));
	STAT("ttioeb2", "tx_dropped", 1);
	/* The device holds the program: closing our fd changes nothing. */
	tt_close(drop);
	TT_CALL(send_to("ttioeb2", mac_a, 2, f));
	TT_CALL(expect_nothing(fd));
	STAT("ttioeb2", "tx_dropped", 2);
	/* 20: the reader gets the first 20 bytes. */
	TT_EQ(set_ebpf(fd, TUNSETFILTEREBPF, trim), 0);
	TT_CALL(send_to("ttioeb2", mac_a, 3, f));
	TT_CALL(expect_frame(fd, 0, f, 20));
	STAT("ttioeb2", "tx_bytes", 20);
	/* -1: no program, whole frames. */
	TT_EQ(set_ebpf(fd, TUNSETFILTEREBPF, -1), 0);
	TT_CALL(send_to("ttioeb2", mac_a, 4, f));
	TT_CALL(expect_frame(fd, 0, f, FRAME_LEN));
	STAT("ttioeb2", "tx_packets", 2);
	STAT("ttioeb2", "tx_bytes", 20 + FRAME_LEN);
	STAT("ttioeb2", "tx_dropped", 2);
	/* No socket filter came of it. */
	TT_EQ(getiff_flags(fd), IFF_TAP | IFF_NO_PI);
	return TT_PASS;
}

static int c_steeringebpf_single_queue(void)
{
	int fd, prog;
	uint8_t f[FRAME_LEN];

	fd = tt_mkdev("ttioeb3", IFF_TAP | IFF_NO_PI, NULL);
	if (fd < 0)
		return TT_FAIL;
	/* A queue number beyond the last: taken modulo the queue count. */
	prog = tt_bpf_const_prog(BPF_PROG_TYPE_SOCKET_FILTER, 7);
	TT_CHECK(prog >= 0, "loading a program: %s", tt_errname(errno));
	tt_defer_fd(prog);
	TT_EQ(set_ebpf(fd, TUNSETSTEERINGEBPF, prog), 0);
	TT_CALL(send_to("ttioeb3", mac_a, 1, f));
	TT_CALL(expect_frame(fd, 0, f, FRAME_LEN));
	TT_EQ(set_ebpf(fd, TUNSETSTEERINGEBPF, -1), 0);
	TT_CALL(send_to("ttioeb3", mac_a, 2, f));
	TT_CALL(expect_frame(fd, 0, f, FRAME_LEN));
	STAT("ttioeb3", "tx_packets", 2);
	STAT("ttioeb3", "tx_dropped", 0);
	return TT_PASS;
}

int main(void)
{
	tt_init();
	child_msg = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (child_msg == MAP_FAILED) {
		printf("not ok setup: mmap: %s\n", tt_errname(errno));
		return 1;
	}
	/* The unprivileged child only uses fds it inherits. */

	tt_run("setlink_tun_to_ether", c_setlink_tun_to_ether);
	tt_run("setlink_addr_len", c_setlink_addr_len);
	tt_run("setlink_tap_to_none", c_setlink_tap_to_none);
	tt_run("setlink_up_ebusy", c_setlink_up_ebusy);
	tt_run("setlink_unattached_ebadfd", c_setlink_unattached_ebadfd);

	tt_run("txfilter_tun_einval", c_txfilter_tun_einval);
	tt_run("txfilter_none_passes_all", c_txfilter_none_passes_all);
	tt_run("txfilter_exact", c_txfilter_exact);
	tt_run("txfilter_two_exact", c_txfilter_two_exact);
	tt_run("txfilter_count0_disables", c_txfilter_count0_disables);
	tt_run("txfilter_allmulti", c_txfilter_allmulti);
	tt_run("txfilter_nine_multicast_hashed",
	       c_txfilter_nine_multicast_hashed);
	tt_run("txfilter_nine_unicast_disables",
	       c_txfilter_nine_unicast_disables);
	tt_run("txfilter_efault", c_txfilter_efault);
	tt_run("txfilter_survives_reattach", c_txfilter_survives_reattach);

	tt_run("sockfilter_tun_einval", c_sockfilter_tun_einval);
	tt_run("sockfilter_get_default", c_sockfilter_get_default);
	tt_run("sockfilter_drop_all", c_sockfilter_drop_all);
	tt_run("sockfilter_accept_all", c_sockfilter_accept_all);
	tt_run("sockfilter_truncates", c_sockfilter_truncates);
	tt_run("sockfilter_by_ethertype", c_sockfilter_by_ethertype);
	tt_run("sockfilter_detach", c_sockfilter_detach);
	tt_run("sockfilter_replace", c_sockfilter_replace);
	tt_run("sockfilter_invalid", c_sockfilter_invalid);
	tt_run("sockfilter_reattach", c_sockfilter_reattach);
	tt_run("sockfilter_nofilter_reattach", c_sockfilter_nofilter_reattach);
	tt_run("sockfilter_detached_not_reapplied",
	       c_sockfilter_detached_not_reapplied);

	tt_run("vnethdrsz_default", c_vnethdrsz_default);
	tt_run("vnethdrsz_set", c_vnethdrsz_set);
	tt_run("vnethdrsz_shapes_read", c_vnethdrsz_shapes_read);
	tt_run("vnethdrsz_survives_reattach", c_vnethdrsz_survives_reattach);
	tt_run("vnetle_roundtrip", c_vnetle_roundtrip);
	tt_run("vnetle_survives_reattach", c_vnetle_survives_reattach);
	tt_run("vnetbe_einval", c_vnetbe_einval);

	tt_run("sndbuf_default", c_sndbuf_default);
	tt_run("sndbuf_set", c_sndbuf_set);
	tt_run("sndbuf_reattach", c_sndbuf_reattach);
	tt_run("setdebug", c_setdebug);
	tt_run("setnocsum", c_setnocsum);
	tt_run("setcarrier", c_setcarrier);
	tt_run("setcarrier_while_down", c_setcarrier_while_down);

	tt_run("getifhwaddr_tap", c_getifhwaddr_tap);
	tt_run("getifhwaddr_tun", c_getifhwaddr_tun);
	tt_run("setifhwaddr_tap", c_setifhwaddr_tap);
	tt_run("setifhwaddr_tap_refused", c_setifhwaddr_tap_refused);
	tt_run("setifhwaddr_tun_eopnotsupp", c_setifhwaddr_tun_eopnotsupp);

	tt_run("skns_unattached", c_skns_unattached);
	tt_run("skns_attached", c_skns_attached);
	tt_run("skns_openers_netns", c_skns_openers_netns);
	tt_run("getdevnetns_unattached_ebadfd",
	       c_getdevnetns_unattached_ebadfd);
	tt_run("getdevnetns_follows_device", c_getdevnetns_follows_device);
	tt_run("netns_unpriv_eperm", c_netns_unpriv_eperm);

	tt_run("fdinfo_iff", c_fdinfo_iff);

	tt_run("steeringebpf_errors", c_steeringebpf_errors);
	tt_run("filterebpf_errors", c_filterebpf_errors);
	tt_run("ebpf_wrong_prog_type", c_ebpf_wrong_prog_type);
	tt_run("filterebpf_drop_and_trim", c_filterebpf_drop_and_trim);
	tt_run("steeringebpf_single_queue", c_steeringebpf_single_queue);
	return tt_done();
}
