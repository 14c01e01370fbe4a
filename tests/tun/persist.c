// SPDX-License-Identifier: GPL-2.0
/*
 * Device lifetime: a device lives as long as its fd unless TUNSETPERSIST
 * keeps it; a persistent device can be re-attached by name (taking the new
 * fd's feature flags), drops what is sent to it while detached, holds a
 * reference on the module, and can be deleted with RTM_DELLINK.
 */
#include "tt.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define DEV_IP "198.18.3.1"
#define PEER_IP "198.18.3.2"

static int c_nonpersistent_close_removes(void)
{
	int fd;

	fd = tt_tun_alloc("ttpe0", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(tt_link_prepare("ttpe0", DEV_IP, 24, NULL));
	tt_close(fd);
	/* Gone by the time close() returns. */
	TT_CHECK(!tt_link_exists("ttpe0"), "ttpe0 survived its fd");
	fd = tt_tun_alloc("ttpe1", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	tt_close(fd);
	TT_CHECK(!tt_link_exists("ttpe1"), "ttpe1 survived its fd");
	return TT_PASS;
}

static int c_persist_survives_close(void)
{
	struct ifreq ifr;
	int fd, idx;

	fd = tt_tun_alloc("ttpe2", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	idx = (int)if_nametoindex("ttpe2");
	TT_EQ(tt_sysfs_num("ttpe2", "tun_flags"), 0x1001);
	TT_SYS(ioctl(fd, TUNSETPERSIST, 1));
	TT_EQ(tt_sysfs_num("ttpe2", "tun_flags"), 0x1801);
	memset(&ifr, 0, sizeof(ifr));
	TT_SYS(ioctl(fd, TUNGETIFF, &ifr));
	TT_EQ((unsigned short)ifr.ifr_flags, IFF_TUN | IFF_NO_PI | IFF_PERSIST);
	tt_close(fd);
	TT_CHECK(tt_link_exists("ttpe2"), "persistent ttpe2 vanished");
	TT_EQ(if_nametoindex("ttpe2"), idx);
	TT_EQ(tt_sysfs_num("ttpe2", "tun_flags"), 0x1801);
	return TT_PASS;
}

static int c_reattach_by_name(void)
{
	char out[IFNAMSIZ];
	struct ifreq ifr;
	int fd, idx;

	fd = tt_tun_alloc("ttpe3", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNSETPERSIST, 1));
	idx = (int)if_nametoindex("ttpe3");
	tt_close(fd);
	fd = tt_tun_alloc("ttpe3", IFF_TAP | IFF_NO_PI, out);
	TT_SYS(fd);
	TT_STREQ(out, "ttpe3");
	TT_EQ(if_nametoindex("ttpe3"), idx);
	memset(&ifr, 0, sizeof(ifr));
	TT_SYS(ioctl(fd, TUNGETIFF, &ifr));
	TT_STREQ(ifr.ifr_name, "ttpe3");
	TT_EQ((unsigned short)ifr.ifr_flags, IFF_TAP | IFF_NO_PI | IFF_PERSIST);
	/* Attached again, so busy for a third fd. */
	TT_ERRNO(tt_tun_alloc("ttpe3", IFF_TAP | IFF_NO_PI, NULL), EBUSY);
	return TT_PASS;
}

static int c_reattach_takes_new_flags(void)
{
	int fd;

	fd = tt_tun_alloc("ttpe4", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNSETPERSIST, 1));
	tt_close(fd);
	/* The features are the new fd's: tun_pi on, one_queue on. */
	fd = tt_tun_alloc("ttpe4", IFF_TUN | IFF_ONE_QUEUE, NULL);
	TT_SYS(fd);
	TT_EQ(tt_sysfs_num("ttpe4", "tun_flags"), 0x2801);
	tt_close(fd);
	fd = tt_tun_alloc("ttpe4", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_EQ(tt_sysfs_num("ttpe4", "tun_flags"), 0x1801);
	return TT_PASS;
}

static int c_unpersist_close_removes(void)
{
	int fd;

	fd = tt_tun_alloc("ttpe5", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNSETPERSIST, 1));
	tt_close(fd);
	fd = tt_tun_alloc("ttpe5", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNSETPERSIST, 0));
	TT_EQ(tt_sysfs_num("ttpe5", "tun_flags"), 0x1001);
	TT_CHECK(tt_link_exists("ttpe5"), "ttpe5 went before its fd");
	tt_close(fd);
	TT_CHECK(!tt_link_exists("ttpe5"), "ttpe5 survived");
	return TT_PASS;
}

static int c_persist_arg_is_a_value(void)
{
	int fd;

	fd = tt_tun_alloc("ttpe6", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	/* The argument is the value itself, any non-zero value sets it. */
	TT_SYS(ioctl(fd, TUNSETPERSIST, 2));
	TT_EQ(tt_sysfs_num("ttpe6", "tun_flags"), 0x1801);
	/* Setting it twice is harmless, clearing twice too. */
	TT_SYS(ioctl(fd, TUNSETPERSIST, 1));
	TT_SYS(ioctl(fd, TUNSETPERSIST, 0));
	TT_SYS(ioctl(fd, TUNSETPERSIST, 0));
	TT_EQ(tt_sysfs_num("ttpe6", "tun_flags"), 0x1001);
	tt_close(fd);
	TT_CHECK(!tt_link_exists("ttpe6"), "ttpe6 survived");
	return TT_PASS;
}

static int c_persist_wrong_reattach(void)
{
	int fd;

	fd = tt_tun_alloc("ttpe7", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNSETPERSIST, 1));
	tt_close(fd);
	TT_ERRNO(tt_tun_alloc("ttpe7", IFF_TAP | IFF_NO_PI, NULL), EINVAL);
	TT_ERRNO(tt_tun_alloc("ttpe7", IFF_TUN | IFF_MULTI_QUEUE, NULL),
		 EINVAL);
	TT_ERRNO(tt_tun_alloc("ttpe7", IFF_TUN | IFF_TUN_EXCL, NULL), EBUSY);
	/* None of which disturbed it. */
	TT_EQ(tt_sysfs_num("ttpe7", "tun_flags"), 0x1801);
	TT_SYS(tt_tun_alloc("ttpe7", IFF_TUN | IFF_NO_PI, NULL));
	return TT_PASS;
}

/*
 * Send a datagram every 100 ms until one reaches fd (nonblocking), within
 * TT_WAIT_MS; it must be want bytes long.
 */
static int first_through(int fd, uint8_t *buf, size_t len, ssize_t want)
{
	long long until = tt_now_ms() + TT_WAIT_MS;
	ssize_t n;

	do {
		TT_SYS(tt_udp_send(PEER_IP, 7777, 50, 1));
		n = tt_read_timeout(fd, buf, len, 100);
	} while (n < 0 && errno == ETIMEDOUT && tt_now_ms() < until);
	TT_CHECK(n >= 0, "no datagram came through: %s", tt_errname(errno));
	TT_EQ(n, want);
	return TT_PASS;
}

static int c_detached_carrier(void)
{
	struct tt_stats st;
	uint8_t buf[2048];
	int fd;

	fd = tt_tun_alloc("ttpe8", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNSETPERSIST, 1));
	TT_SYS(tt_link_prepare("ttpe8", DEV_IP, 24, NULL));
	TT_EQ(tt_sysfs_num("ttpe8", "carrier"), 1);
	tt_close(fd);
	/* No fd, no carrier: at once, and the link goes down. */
	TT_EQ(tt_sysfs_num("ttpe8", "carrier"), 0);
	TT_CHECK(tt_link_wait_operstate("ttpe8", "down", TT_WAIT_MS),
		 "operstate did not become down");
	/* What is sent meanwhile is lost: nothing waits for the next fd. */
	TT_SYS(tt_udp_send(PEER_IP, 7777, 50, 5));
	TT_SYS(tt_stats("ttpe8", &st));
	TT_STATS_EQ(st, tx_packets, 0);
	fd = tt_tun_alloc("ttpe8", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_EQ(tt_sysfs_num("ttpe8", "carrier"), 1);
	TT_CHECK(tt_link_wait_operstate("ttpe8", "up", TT_WAIT_MS),
		 "operstate did not become up");
	TT_SYS(fcntl(fd, F_SETFL, O_NONBLOCK));
	TT_ERRNO(read(fd, buf, sizeof(buf)), EAGAIN);
	/*
	 * linkwatch sets operstate just before it restarts the qdisc, and
	 * until then a datagram meets the noop qdisc, which drops it before
	 * the driver sees it.  So send again until one comes through: only
	 * that one reaches the driver and its counters.
	 */
	TT_CALL(first_through(fd, buf, sizeof(buf), 78));
	TT_SYS(tt_stats("ttpe8", &st));
	TT_STATS_EQ(st, tx_packets, 1);
	TT_STATS_EQ(st, tx_bytes, 78);
	return TT_PASS;
}

static int c_config_survives_reattach(void)
{
	int fd;

	fd = tt_tun_alloc("ttpe9", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNSETPERSIST, 1));
	TT_SYS(tt_link_mtu("ttpe9", 1280));
	TT_SYS(tt_link_txqlen("ttpe9", 77));
	tt_close(fd);
	fd = tt_tun_alloc("ttpe9", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_EQ(tt_sysfs_num("ttpe9", "mtu"), 1280);
	TT_EQ(tt_sysfs_num("ttpe9", "tx_queue_len"), 77);
	return TT_PASS;
}

static int c_link_del_persistent(void)
{
	int fd;

	fd = tt_tun_alloc("ttpe10", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNSETPERSIST, 1));
	tt_close(fd);
	TT_EQ(tt_link_del("ttpe10"), 0);
	TT_CHECK(!tt_link_exists("ttpe10"), "ttpe10 survived RTM_DELLINK");
	/* The name is free again, for a new device. */
	fd = tt_tun_alloc("ttpe10", IFF_TUN | IFF_NO_PI | IFF_TUN_EXCL, NULL);
	TT_SYS(fd);
	TT_EQ(tt_sysfs_num("ttpe10", "type"), 65534);
	return TT_PASS;
}

static int c_link_del_attached(void)
{
	uint8_t buf[64];
	int fd;

	fd = tt_tun_alloc("ttpe11", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_EQ(tt_link_del("ttpe11"), 0);
	TT_CHECK(!tt_link_exists("ttpe11"), "ttpe11 survived RTM_DELLINK");
	TT_ERRNO(read(fd, buf, sizeof(buf)), EBADFD);
	TT_ERRNO(ioctl(fd, TUNSETPERSIST, 1), EBADFD);
	/* The fd may attach again, here to a new device of the same name. */
	TT_SYS(tt_tun_setiff(fd, "ttpe11", IFF_TUN | IFF_NO_PI, NULL));
	TT_CHECK(tt_link_exists("ttpe11"), "ttpe11 not re-created");
	tt_close(fd);
	TT_CHECK(!tt_link_exists("ttpe11"), "ttpe11 survived its fd");
	return TT_PASS;
}

static int c_module_refcount(void)
{
	long base, r;
	int fd;

	base = tt_module_refcnt("tun");
	if (base < 0)
		return tt_skip("no /sys/module/tun/refcnt (built in?)");
	/* A persistent device holds the module, for as long as it persists. */
	fd = tt_tun_alloc("ttpe12", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNSETPERSIST, 1));
	TT_SYS(ioctl(fd, TUNSETPERSIST, 1));
	tt_close(fd);
	TT_EQ(tt_module_refcnt("tun"), base + 1);
	r = tt_module_unload("tun");
	TT_CHECK(r == -EAGAIN, "unloading tun under a persistent device: %s",
		 r ? tt_errname((int)-r) : "it unloaded");
	TT_EQ(tt_link_del("ttpe12"), 0);
	TT_EQ(tt_module_refcnt("tun"), base);
	/* Clearing persist gives the reference back as well. */
	fd = tt_tun_alloc("ttpe13", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNSETPERSIST, 1));
	TT_SYS(ioctl(fd, TUNSETPERSIST, 0));
	TT_SYS(ioctl(fd, TUNSETPERSIST, 0));
	tt_close(fd);
	TT_EQ(tt_module_refcnt("tun"), base);
	return TT_PASS;
}

int main(void)
{
	tt_init();
	tt_run("nonpersistent_close_removes", c_nonpersistent_close_removes);
	tt_run("persist_survives_close", c_persist_survives_close);
	tt_run("reattach_by_name", c_reattach_by_name);
	tt_run("reattach_takes_new_flags", c_reattach_takes_new_flags);
	tt_run("unpersist_close_removes", c_unpersist_close_removes);
	tt_run("persist_arg_is_a_value", c_persist_arg_is_a_value);
	tt_run("persist_wrong_reattach", c_persist_wrong_reattach);
	tt_run("detached_carrier", c_detached_carrier);
	tt_run("config_survives_reattach", c_config_survives_reattach);
	tt_run("link_del_persistent", c_link_del_persistent);
	tt_run("link_del_attached", c_link_del_attached);
	tt_run("module_refcount", c_module_refcount);
	return tt_done();
}
