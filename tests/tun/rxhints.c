// SPDX-License-Identifier: GPL-2.0
/*
 * What the stack above a device asks of, and learns from, the frames
 * written to it, seen from the kernel through tests/kmod/tun_probe.ko:
 *
 * - ndo_set_rx_headroom: an upper device (openvswitch, a bridge port)
 *   asks for headroom in the skbs the device receives.  The probe calls
 *   netdev_set_rx_headroom() and notes skb_headroom() of the skbs the
 *   stack then receives on the device (a packet_type of its own, with the
 *   data at the network header: a tap's Ethernet header is pulled).
 *
 * - RFS: a write of a flow the device has seen both ways records the
 *   flow's hash, with the writer's CPU, in the global table of
 *   /proc/sys/net/core/rps_sock_flow_entries, as a socket's recvmsg()
 *   does, so that RFS steers the flow's packets to where its reader runs.
 *   The probe reads (and clears) the table's slot of a hash.
 *
 * Every expected value was shown by the stock driver first.
 */
#include "tt.h"
#include "../kmod/tun_probe.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define TUN_DEV "ttrxh0"
#define TAP_DEV "ttrxh1"
#define MQ_DEV "ttrxh2"
#define DEV_IP "198.18.31.1"
#define PEER_IP "198.18.31.2"
#define DEV_PORT 5555
#define PEER_PORT 7000
/* An ethertype of local experiments: nothing in the stack takes it. */
#define ETH_P_TEST 0x88b5
/* NET_SKB_PAD on x86-64 (64-byte cache lines); NET_IP_ALIGN is 0 there */
#define SKB_PAD 64
#define RFS_PATH "/proc/sys/net/core/rps_sock_flow_entries"
#define RFS_ENTRIES 4096

static int probe = -1;

/* ---- the probe ---- */

static int ifindex_of(const char *name)
{
	return (int)if_nametoindex(name);
}

static int set_headroom(const char *name, int headroom)
{
	struct tun_probe_rx rx = { .ifindex = ifindex_of(name),
				   .headroom = headroom };

	return ioctl(probe, TUN_PROBE_SET_RX_HEADROOM, &rx);
}

static int watch(const char *name)
{
	struct tun_probe_rx rx = { .ifindex = name ? ifindex_of(name) : 0 };

	return ioctl(probe, TUN_PROBE_WATCH, &rx);
}

/* Wait up to 2 s for the watched device to have received @count skbs. */
static int wait_rx(uint32_t count, struct tun_probe_rx *rx)
{
	long long end = tt_now_ms() + 2000;

	for (;;) {
		TT_SYS(ioctl(probe, TUN_PROBE_RX, rx));
		if (rx->count >= count)
			break;
		TT_CHECK(tt_now_ms() < end, "%u skbs received, not %u",
			 rx->count, count);
		tt_sleep_ms(10);
	}
	TT_EQ(rx->count, count);
	return TT_PASS;
}

/* ---- frames ---- */

/* PEER_IP:sport -> DEV_IP:DEV_PORT, written into a tun's @fd. */
static int write_udp(int fd, uint16_t sport)
{
	static const char payload[8] = "rxhints";
	uint8_t pkt[64];
	size_t len;

	len = tt_udp4(pkt, tt_ip4(PEER_IP), tt_ip4(DEV_IP), sport, DEV_PORT,
		      payload, sizeof(payload));
	TT_EQ(write(fd, pkt, len), (ssize_t)len);
	return TT_PASS;
}

/* A frame of ETH_P_TEST to the tap @name itself, written into @fd. */
static int write_eth(int fd, const char *name)
{
	static const uint8_t peer[6] = { 0x02, 0x00, 0x5e, 0x00, 0x31, 0x02 };
	uint8_t frame[60] = { 0 }, mac[6];

	TT_SYS(tt_link_hwaddr(name, mac));
	tt_eth(frame, mac, peer, ETH_P_TEST);
	TT_EQ(write(fd, frame, sizeof(frame)), (ssize_t)sizeof(frame));
	return TT_PASS;
}

/* ---- rx headroom ---- */

/*
 * The headroom of the next skb the stack receives from a write of @fd
 * (a tun's if @tap is NULL, else the tap @tap's) is @want.  @n counts
 * the skbs received since the watch began.
 */
static int headroom_is(int fd, const char *tap, uint32_t *n, int want)
{
	struct tun_probe_rx rx;

	if (tap)
		TT_CALL(write_eth(fd, tap));
	else
		TT_CALL(write_udp(fd, PEER_PORT));
	TT_CALL(wait_rx(++*n, &rx));
	TT_EQ(rx.headroom, want);
	return TT_PASS;
}

/*
 * A tun: NET_SKB_PAD by default, then what is asked, at least NET_SKB_PAD
 * and at most a page's worth, until reset.
 */
static int c_tun_headroom(void)
{
	uint32_t n = 0;
	int fd;

	fd = tt_tun_alloc(TUN_DEV, IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(tt_link_prepare(TUN_DEV, DEV_IP, 24, NULL));
	TT_SYS(watch(TUN_DEV));
	TT_CALL(headroom_is(fd, NULL, &n, SKB_PAD));
	TT_SYS(set_headroom(TUN_DEV, 200));
	TT_CALL(headroom_is(fd, NULL, &n, 200));
	TT_CALL(headroom_is(fd, NULL, &n, 200));
	TT_SYS(set_headroom(TUN_DEV, SKB_PAD + 1));
	TT_CALL(headroom_is(fd, NULL, &n, SKB_PAD + 1));
	/* never less than NET_SKB_PAD */
	TT_SYS(set_headroom(TUN_DEV, 16));
	TT_CALL(headroom_is(fd, NULL, &n, SKB_PAD));
	TT_SYS(set_headroom(TUN_DEV, 1000));
	TT_CALL(headroom_is(fd, NULL, &n, 1000));
	/* netdev_reset_rx_headroom() */
	TT_SYS(set_headroom(TUN_DEV, -1));
	TT_CALL(headroom_is(fd, NULL, &n, SKB_PAD));
	TT_SYS(watch(NULL));
	return TT_PASS;
}

/*
 * A tap: the same headroom in front of the Ethernet header (so 14 more in
 * front of the network header the probe sees), for the frames copied
 * into an skb of their own: a blocking write.
 */
static int c_tap_headroom(void)
{
	uint32_t n = 0;
	int fd;

	fd = tt_tun_alloc(TAP_DEV, IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(tt_link_prepare(TAP_DEV, NULL, 0, NULL));
	TT_SYS(watch(TAP_DEV));
	TT_CALL(headroom_is(fd, TAP_DEV, &n, SKB_PAD + ETH_HLEN));
	TT_SYS(set_headroom(TAP_DEV, 300));
	TT_CALL(headroom_is(fd, TAP_DEV, &n, 300 + ETH_HLEN));
	TT_SYS(set_headroom(TAP_DEV, -1));
	TT_CALL(headroom_is(fd, TAP_DEV, &n, SKB_PAD + ETH_HLEN));
	TT_SYS(watch(NULL));
	return TT_PASS;
}

/*
 * A small frame written to a tap without blocking is built in a page
 * fragment with the fixed headroom XDP may use (NET_SKB_PAD +
 * NET_IP_ALIGN), whatever was asked.
 */
static int c_tap_nonblocking_fixed(void)
{
	uint32_t n = 0;
	int fd;

	fd = tt_tun_alloc(TAP_DEV, IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(fcntl(fd, F_SETFL, O_NONBLOCK));
	TT_SYS(tt_link_prepare(TAP_DEV, NULL, 0, NULL));
	TT_SYS(watch(TAP_DEV));
	TT_SYS(set_headroom(TAP_DEV, 300));
	TT_CALL(headroom_is(fd, TAP_DEV, &n, SKB_PAD + ETH_HLEN));
	TT_SYS(watch(NULL));
	return TT_PASS;
}

/* ---- RFS ---- */

static int rfs_get(void)
{
	char buf[32] = "";
	int fd;
	ssize_t n;

	fd = open(RFS_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? atoi(buf) : -1;
}

static int rfs_set(int entries)
{
	char buf[32];
	int fd, len, ok;

	fd = open(RFS_PATH, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = snprintf(buf, sizeof(buf), "%d\n", entries);
	ok = write(fd, buf, (size_t)len) == len;
	close(fd);
	return ok ? 0 : -EIO;
}

static int rps_entry(uint32_t hash, int clear, struct tun_probe_rps *r)
{
	memset(r, 0, sizeof(*r));
	r->hash = hash;
	r->clear = (uint32_t)clear;
	return ioctl(probe, TUN_PROBE_RPS_ENTRY, r);
}

/* A frame of the flow DEV_IP:DEV_PORT <-> PEER_IP:PEER_PORT on a queue. */
static int read_reply(const int *fds, int nq)
{
	uint8_t buf[2048];
	struct pollfd p[2];
	ssize_t n;

	for (int q = 0; q < nq; q++)
		p[q] = (struct pollfd){ .fd = fds[q], .events = POLLIN };
	TT_CHECK(poll(p, (nfds_t)nq, 2000) > 0, "the reply never came");
	for (int q = 0; q < nq; q++) {
		if (!(p[q].revents & POLLIN))
			continue;
		n = read(fds[q], buf, sizeof(buf));
		TT_EQ(n, 28 + 4);
		TT_EQ(buf[9], 17);
		TT_EQ(buf[20] << 8 | buf[21], DEV_PORT);
		TT_EQ(buf[22] << 8 | buf[23], PEER_PORT);
		return TT_PASS;
	}
	return tt_fail("poll said ready, no queue was");
}

static int rfs_case(int saved)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct tun_probe_rps r;
	struct tun_probe_rx rx;
	int fds[2], s;
	long cpus;
	uint32_t hash;

	TT_SYS(rfs_set(RFS_ENTRIES));
	for (int q = 0; q < 2; q++) {
		fds[q] = tt_tun_alloc(MQ_DEV, IFF_TUN | IFF_NO_PI |
				      IFF_MULTI_QUEUE, NULL);
		TT_SYS(fds[q]);
		TT_SYS(fcntl(fds[q], F_SETFL, O_NONBLOCK));
	}
	TT_SYS(tt_link_prepare(MQ_DEV, DEV_IP, 24, NULL));
	/* the local end of the flow, so that no ICMP error is sent back */
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	TT_SYS(s);
	tt_defer_fd(s);
	a.sin_addr.s_addr = tt_ip4(DEV_IP);
	a.sin_port = htons(DEV_PORT);
	TT_SYS(bind(s, (struct sockaddr *)&a, sizeof(a)));
	TT_SYS(watch(MQ_DEV));

	/* the device learns the flow from its first write */
	TT_CALL(write_udp(fds[0], PEER_PORT));
	TT_CALL(wait_rx(1, &rx));
	hash = rx.hash;
	tt_note("symmetric hash of the flow: 0x%08x", hash);
	TT_CHECK(hash != 0, "the probe saw no flow hash");

	/* its way out (the same symmetric hash) is remembered for RFS */
	a.sin_addr.s_addr = tt_ip4(PEER_IP);
	a.sin_port = htons(PEER_PORT);
	TT_EQ(sendto(s, "rfs!", 4, 0, (struct sockaddr *)&a, sizeof(a)), 4);
	TT_CALL(read_reply(fds, 2));

	/* and the next write records it, with the writer's CPU */
	TT_SYS(rps_entry(hash, 1, &r));
	TT_EQ(r.entry, 0);
	TT_CALL(write_udp(fds[0], PEER_PORT));
	TT_CALL(wait_rx(2, &rx));
	TT_EQ(rx.hash, hash);
	TT_SYS(rps_entry(hash, 0, &r));
	tt_note("slot 0x%08x, cpu mask 0x%x", r.entry, r.cpu_mask);
	TT_EQ(r.entry & ~r.cpu_mask, hash & ~r.cpu_mask);
	cpus = sysconf(_SC_NPROCESSORS_CONF);
	TT_CHECK((long)(r.entry & r.cpu_mask) < cpus,
		 "cpu %u of %ld", r.entry & r.cpu_mask, cpus);
	TT_SYS(watch(NULL));
	TT_SYS(rfs_set(saved));
	return TT_PASS;
}

static int c_rfs_flow_recorded(void)
{
	int saved = rfs_get(), ret;

	if (saved < 0)
		return tt_skip("no " RFS_PATH " (a kernel without RPS)");
	ret = rfs_case(saved);
	/* leave the table as it was, even when the case failed */
	if (rfs_get() != saved && rfs_set(saved))
		tt_note("could not restore %s to %d", RFS_PATH, saved);
	return ret;
}

static int c_probe_unloads(void)
{
	int err;

	tt_close(probe);
	probe = -1;
	err = tt_module_unload("tun_probe");
	TT_CHECK(!err, "rmmod tun_probe: %s", tt_errname(-err));
	return TT_PASS;
}

int main(void)
{
	tt_init();
	if (tt_sh("modprobe tun_probe") != 0) {
		printf("not ok load_probe: modprobe tun_probe failed\n");
		return 1;
	}
	probe = open("/dev/" TUN_PROBE_NAME, O_RDWR | O_CLOEXEC);
	if (probe < 0) {
		printf("not ok open_probe: /dev/%s: %s\n", TUN_PROBE_NAME,
		       tt_errname(errno));
		tt_module_unload("tun_probe");
		return 1;
	}

	tt_run("tun_rx_headroom", c_tun_headroom);
	tt_run("tap_rx_headroom", c_tap_headroom);
	tt_run("tap_nonblocking_write_fixed_headroom", c_tap_nonblocking_fixed);
	tt_run("rfs_flow_hash_recorded", c_rfs_flow_recorded);
	tt_run("probe_unloads", c_probe_unloads);
	return tt_done();
}
