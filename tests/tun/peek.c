// SPDX-License-Identifier: GPL-2.0
/*
 * The socket's peek_len: the length of the frame at the head of a queue,
 * which only kernel users of tun_get_socket() can ask for.  vhost-net
 * takes its frames off tun_get_tx_ring() directly, so the test-only
 * module tests/kmod/tun_probe.ko asks instead: ioctl(TUN_PROBE_PEEK_LEN,
 * fd) on /dev/tun_probe is tun_get_socket(fget(fd))->ops->peek_len().
 *
 * Frames reach the queues through the stack: raw frames from a packet
 * socket on a tap, UDP datagrams routed into a tun device.  The length is
 * the frame's as the device transmitted it (skb->len, plus 4 for a VLAN tag
 * held outside the data), without the packet information or the vnet
 * header that read() puts in front; 0 for an empty queue, a file attached
 * to no device, or one whose device was deleted.
 */
#include "tt.h"
#include "../kmod/tun_probe.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define TAP_DEV "ttpeek0"
#define TUN_DEV "ttpeek1"
#define VLAN_DEV "ttpeek0.5"
#define DEV_IP "198.18.30.1"
#define PEER_IP "198.18.30.2"
#define PEER_PORT 9
/* An ethertype of local experiments: nothing in the stack takes it. */
#define ETH_P_TEST 0x88b5
#define VLAN_ID 5

static const uint8_t peer_mac[6] = { 0x02, 0x00, 0x5e, 0x00, 0x30, 0x02 };

static int probe = -1;

/* peek_len of @fd's queue, or -1 (errno). */
static int peek(int fd)
{
	return ioctl(probe, TUN_PROBE_PEEK_LEN, (unsigned long)fd);
}

/* A tap, up, without IPv6: nothing but what a case sends reaches it. */
static int tap_up(const char *name, int flags)
{
	int fd;

	fd = tt_tun_alloc(name, IFF_TAP | flags, NULL);
	TT_SYS(fd);
	tt_link_noipv6(name);
	TT_SYS(tt_link_up(name, 1));
	return fd;
}

/*
 * Send a frame of @len bytes (Ethernet header included) out of @dev with a
 * packet socket: to peer_mac, from @dev's address, ETH_P_TEST, the payload
 * bytes counting from @seed.  The frame is left in @frame.
 */
static int send_frame(const char *dev, uint8_t *frame, size_t len, int seed)
{
	uint8_t mac[6];
	int err;

	err = tt_link_hwaddr(dev, mac);
	if (err)
		return err;
	tt_eth(frame, peer_mac, mac, ETH_P_TEST);
	for (size_t i = ETH_HLEN; i < len; i++)
		frame[i] = (uint8_t)(seed + i);
	return tt_send_frame(dev, frame, len);
}

/* Wait up to TT_WAIT_MS for @fd to have a frame to read. */
static int wait_frame(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	TT_CHECK(poll(&p, 1, TT_WAIT_MS) == 1 && (p.revents & POLLIN),
		 "no frame to read within %d ms", TT_WAIT_MS);
	return TT_PASS;
}

/*
 * The head of @fd's queue is @want bytes long, peeking does not take it,
 * and read() returns exactly @hdr + @want bytes.
 */
static int head_is(int fd, int want, size_t hdr, const uint8_t *frame)
{
	uint8_t buf[2048];
	ssize_t n;

	TT_CALL(wait_frame(fd));
	TT_EQ(peek(fd), want);
	TT_EQ(peek(fd), want);
	n = read(fd, buf, sizeof(buf));
	TT_EQ(n, (ssize_t)hdr + want);
	if (frame)
		TT_MEMEQ(buf + hdr, frame, (size_t)want);
	return TT_PASS;
}

/* ---- cases ---- */

static int c_unattached(void)
{
	int fd;

	fd = tt_tun_open(0);
	TT_SYS(fd);
	TT_EQ(peek(fd), 0);
	return TT_PASS;
}

static int c_empty(void)
{
	int fd;

	fd = tap_up(TAP_DEV, IFF_NO_PI);
	TT_SYS(fd);
	TT_EQ(peek(fd), 0);
	return TT_PASS;
}

/* Three frames queued at once: the head's length each time, then 0. */
static int c_tap(void)
{
	static const size_t lens[] = { 42, 60, 1514 };
	uint8_t frames[3][1514];
	int fd;

	fd = tap_up(TAP_DEV, IFF_NO_PI);
	TT_SYS(fd);
	for (int i = 0; i < 3; i++)
		TT_SYS(send_frame(TAP_DEV, frames[i], lens[i], i));
	for (int i = 0; i < 3; i++)
		TT_CALL(head_is(fd, (int)lens[i], 0, frames[i]));
	TT_EQ(peek(fd), 0);
	return TT_PASS;
}

/* The vnet header read() adds is not part of the length. */
static int c_tap_vnet_hdr(void)
{
	uint8_t frame[100];
	int fd;

	fd = tap_up(TAP_DEV, IFF_NO_PI | IFF_VNET_HDR);
	TT_SYS(fd);
	TT_SYS(send_frame(TAP_DEV, frame, sizeof(frame), 7));
	TT_CALL(head_is(fd, sizeof(frame), sizeof(struct virtio_net_hdr), frame));
	TT_EQ(peek(fd), 0);
	return TT_PASS;
}

/* A tun device: the IP packet's length, without the packet information. */
static int c_tun(void)
{
	static const size_t plens[] = { 0, 100, 1472 };
	int fd;

	fd = tt_tun_alloc(TUN_DEV, IFF_TUN, NULL);
	TT_SYS(fd);
	TT_SYS(tt_link_prepare(TUN_DEV, DEV_IP, 24, NULL));
	for (int i = 0; i < 3; i++)
		TT_SYS(tt_udp_send(PEER_IP, PEER_PORT, plens[i], 1));
	for (int i = 0; i < 3; i++)
		TT_CALL(head_is(fd, 28 + (int)plens[i], 4, NULL));
	TT_EQ(peek(fd), 0);
	return TT_PASS;
}

/*
 * A tap offloads VLAN insertion: a frame sent through a VLAN device on it
 * is queued with its tag beside the data, counted in the length (and
 * inserted by read()).
 */
static int c_vlan(void)
{
	uint8_t frame[60], want[64], buf[2048];
	int fd;

	if (!tt_module_loaded("8021q") && tt_sh("modprobe 8021q") != 0)
		return tt_skip("no 8021q module in this guest");
	fd = tap_up(TAP_DEV, IFF_NO_PI);
	TT_SYS(fd);
	TT_EQ(tt_sh("ip link add link %s name %s type vlan id %d", TAP_DEV,
		    VLAN_DEV, VLAN_ID), 0);
	tt_defer_link(VLAN_DEV);
	tt_link_noipv6(VLAN_DEV);
	TT_SYS(tt_link_up(VLAN_DEV, 1));
	TT_SYS(send_frame(VLAN_DEV, frame, sizeof(frame), 3));

	TT_CALL(wait_frame(fd));
	TT_EQ(peek(fd), sizeof(want));
	/* What read() returns: the tag after the addresses. */
	memcpy(want, frame, 12);
	want[12] = 0x81;
	want[13] = 0x00;
	want[14] = 0;
	want[15] = VLAN_ID;
	memcpy(want + 16, frame + 12, sizeof(frame) - 12);
	TT_EQ(read(fd, buf, sizeof(buf)), sizeof(want));
	TT_MEMEQ(buf, want, sizeof(want));
	TT_EQ(peek(fd), 0);
	return TT_PASS;
}

/* A deleted device takes its queues' frames with it. */
static int c_deleted(void)
{
	uint8_t frame[80];
	int fd;

	fd = tap_up(TAP_DEV, IFF_NO_PI);
	TT_SYS(fd);
	TT_SYS(send_frame(TAP_DEV, frame, sizeof(frame), 1));
	TT_CALL(wait_frame(fd));
	TT_EQ(peek(fd), sizeof(frame));
	TT_SYS(tt_link_del(TAP_DEV));
	TT_EQ(peek(fd), 0);
	return TT_PASS;
}

/* tun_get_socket() refuses what is not a tun file. */
static int c_not_tun(void)
{
	int fd, s;

	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	TT_SYS(fd);
	tt_defer_fd(fd);
	TT_ERRNO(peek(fd), EINVAL);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	TT_SYS(s);
	tt_defer_fd(s);
	TT_ERRNO(peek(s), EINVAL);
	TT_ERRNO(peek(probe), EINVAL);
	return TT_PASS;
}

static int c_bad_fd(void)
{
	TT_ERRNO(peek(1000000), EBADF);
	return TT_PASS;
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
	int loaded_8021q;

	tt_init();
	loaded_8021q = tt_module_loaded("8021q");
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

	tt_run("unattached_fd_zero", c_unattached);
	tt_run("empty_queue_zero", c_empty);
	tt_run("tap_head_length", c_tap);
	tt_run("tap_vnet_hdr_not_counted", c_tap_vnet_hdr);
	tt_run("tun_pi_not_counted", c_tun);
	tt_run("vlan_tag_counted", c_vlan);
	tt_run("deleted_device_zero", c_deleted);
	tt_run("not_tun_fd_einval", c_not_tun);
	tt_run("bad_fd_ebadf", c_bad_fd);
	tt_run("probe_unloads", c_probe_unloads);
	if (!loaded_8021q && tt_module_loaded("8021q"))
		tt_module_unload("8021q");
	return tt_done();
}
