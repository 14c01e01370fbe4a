// SPDX-License-Identifier: GPL-2.0
/*
 * TUNSETRING (include/uapi/linux/tun_ring.h): frames through the shared
 * rings both ways, byte for byte; poll() and the kick; a full RX ring, and
 * a TX ring into a device that is down, as counted drops; the errno of
 * every refused setup; teardown by close,
 * device deletion and detach with frames in flight and a live mapping.
 *
 * The stock tun.ko has no ring: there every case but the one that shows
 * what mmap() of a plain tun fd answers skips, saying so.
 *
 * The device is 198.18.3.1/24; the rings play the peer 198.18.3.2, and
 * the kernel answers an echo request put in the TX ring with a reply in
 * the RX ring.
 */
#include "tt.h"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/virtio_net.h>

#include "../../include/uapi/linux/tun_ring.h"

#define DEV "tring0"
#define DEV_IP "198.18.3.1"
#define PEER_IP "198.18.3.2"
#define PAYLOAD_LEN 32
#define ECHO_LEN (28 + PAYLOAD_LEN)
#define SLOT 2048

static uint8_t payload[PAYLOAD_LEN];

struct ring {
	int fd;
	uint8_t *map;
	size_t size;
	struct tun_ring_req req;
	struct tun_ring_idx *rx, *tx;
};

/*
 * The mappings of the case, unmapped after it as the deferred fds are
 * closed: a mapping holds its file, and with it the device and the module.
 */
static struct {
	void *addr;
	size_t size;
} maps[4];

static void map_defer(void *addr, size_t size)
{
	for (int i = 0; i < 4; i++) {
		if (!maps[i].addr) {
			maps[i].addr = addr;
			maps[i].size = size;
			return;
		}
	}
	abort();
}

static void map_forget(void *addr)
{
	for (int i = 0; i < 4; i++)
		if (maps[i].addr == addr)
			maps[i].addr = NULL;
}

static void ring_unmap(struct ring *r)
{
	if (r->map) {
		munmap(r->map, r->size);
		map_forget(r->map);
	}
	r->map = NULL;
}

static int is_stock(void)
{
	return !strcmp(tt_impl(), "stock");
}

#define NEED_RING()                                                            \
	do {                                                                   \
		if (is_stock())                                                \
			return tt_skip("stock tun.ko has no ring "             \
				       "(TUNSETRING is ours)");                \
	} while (0)

static int ring_setup(struct ring *r, int fd, uint32_t slots, uint32_t size)
{
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->req.slots = slots;
	r->req.slot_size = size;
	if (ioctl(fd, TUNSETRING, &r->req))
		return tt_fail("TUNSETRING: %s", tt_errname(errno));
	TT_EQ(r->req.rx_offset, 256);
	TT_EQ(r->req.tx_offset, 256 + (uint64_t)slots * size);
	TT_CHECK(r->req.mmap_size >= 256 + 2 * (uint64_t)slots * size,
		 "mmap_size %llu too small", (unsigned long long)r->req.mmap_size);
	r->size = r->req.mmap_size;
	r->map = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (r->map == MAP_FAILED) {
		r->map = NULL;
		return tt_fail("mmap: %s", tt_errname(errno));
	}
	map_defer(r->map, r->size);
	r->rx = (struct tun_ring_idx *)(r->map + TUN_RING_RX_IDX);
	r->tx = (struct tun_ring_idx *)(r->map + TUN_RING_TX_IDX);
	TT_EQ(r->rx->head, 0);
	TT_EQ(r->tx->tail, 0);
	TT_EQ(r->tx->flags, TUN_RING_F_KICK);
	return TT_PASS;
}

static struct tun_ring_slot *rx_slot(struct ring *r, uint32_t i)
{
	return (struct tun_ring_slot *)(r->map + r->req.rx_offset +
					(i & (r->req.slots - 1)) *
					r->req.slot_size);
}

static struct tun_ring_slot *tx_slot(struct ring *r, uint32_t i)
{
	return (struct tun_ring_slot *)(r->map + r->req.tx_offset +
					(i & (r->req.slots - 1)) *
					r->req.slot_size);
}

/* Put a frame in the TX ring; kick the kernel if it asks. 1 if it did. */
static int tx_put(struct ring *r, const void *buf, uint32_t len, int kick)
{
	uint32_t head = r->tx->head;
	struct tun_ring_slot *s = tx_slot(r, head);

	memcpy(s->data, buf, len);
	s->len = len;
	s->flags = 0;
	__atomic_store_n(&r->tx->head, head + 1, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (kick && (__atomic_load_n(&r->tx->flags, __ATOMIC_RELAXED) &
		     TUN_RING_F_KICK)) {
		if (ioctl(r->fd, TUNRINGKICK))
			return -1;
		return 1;
	}
	return 0;
}

/* Wait for the RX ring to hold more than @have frames (poll()). */
static int rx_wait(struct ring *r, uint32_t have, int ms)
{
	long long end = tt_now_ms() + ms;
	struct pollfd p = { .fd = r->fd, .events = POLLIN };

	while (__atomic_load_n(&r->rx->head, __ATOMIC_ACQUIRE) -
	       r->rx->tail <= have) {
		int left = (int)(end - tt_now_ms());

		if (left <= 0)
			return 0;
		poll(&p, 1, left);
	}
	return 1;
}

/*
 * Wait for an index of the area to read @want; 1 if it did. Transmits
 * may complete from the qdisc's softirq after sendto() returns.
 */
static int wait_idx(const uint32_t *p, uint32_t want)
{
	long long end = tt_now_ms() + TT_WAIT_MS;

	while (__atomic_load_n(p, __ATOMIC_ACQUIRE) != want) {
		if (tt_now_ms() > end)
			return 0;
		tt_sleep_ms(20);
	}
	return 1;
}

static unsigned long long tx_done(const struct tt_stats *s)
{
	return s->tx_packets + s->tx_dropped;
}

static unsigned long long rx_dropped(const struct tt_stats *s)
{
	return s->rx_dropped;
}

/* Wait for @count of DEV's counters (into @st) to grow by @n from @st0. */
static int wait_grown(unsigned long long (*count)(const struct tt_stats *),
		      const struct tt_stats *st0, unsigned int n,
		      struct tt_stats *st)
{
	long long end = tt_now_ms() + TT_WAIT_MS;

	for (;;) {
		if (tt_stats(DEV, st))
			return 0;
		if (count(st) - count(st0) >= n)
			return 1;
		if (tt_now_ms() > end)
			return 0;
		tt_sleep_ms(20);
	}
}

/* A fresh device, up, IPv6 off, DEV_IP/24. */
static const struct tt_devopts devopts = { .ip = DEV_IP };

/* The echo requests and their replies, as in tun/rw. */
static const struct tt_echo echo = {
	.dev_ip = DEV_IP,
	.peer_ip = PEER_IP,
	.id = 0x4343,
	.payload = payload,
	.plen = PAYLOAD_LEN,
};

/* Echo request @seq into the TX ring; tx_put()'s value. */
static int tx_echo(struct ring *r, uint16_t seq, int kick)
{
	uint8_t buf[128];

	return tx_put(r, buf, tt_echo_request(buf, &echo, NULL, seq), kick);
}

/* RX slot @i holds the reply to echo request @seq. */
static int rx_echo_check(struct ring *r, uint32_t i, uint16_t seq)
{
	struct tun_ring_slot *s = rx_slot(r, i);

	return tt_echo_reply_check(s->data, s->len, &echo, NULL, seq);
}

/* A fresh device (devopts) of @flags, rings of @slots x @size on its fd. */
static int ring_dev(struct ring *r, int flags, uint32_t slots, uint32_t size)
{
	int fd = tt_mkdev(DEV, flags, &devopts);

	if (fd < 0)
		return TT_FAIL;
	return ring_setup(r, fd, slots, size);
}

/* Echo requests in through the TX ring, replies out through the RX ring. */
static int echo_through(int flags)
{
	struct tt_stats st0, st1;
	uint8_t buf[64 + ECHO_LEN];
	size_t pi = flags & IFF_NO_PI ? 0 : 4;
	/* the default TUNSETVNETHDRSZ */
	size_t vnet = flags & IFF_VNET_HDR ? sizeof(struct virtio_net_hdr) : 0;
	size_t off = pi + vnet;
	struct ring r;
	uint32_t i;

	NEED_RING();
	TT_CALL(ring_dev(&r, flags, 16, SLOT));
	TT_SYS(tt_stats(DEV, &st0));
	for (i = 0; i < 40; i++) {
		struct tun_ring_slot *s;
		size_t n;

		/* tun_pi.proto = ETH_P_IP; a vnet header of no offload */
		memset(buf, 0, off);
		if (pi)
			buf[2] = 0x08;
		n = tt_echo_request(buf + off, &echo, NULL, i);
		TT_SYS(tx_put(&r, buf, off + n, 1));
		TT_CHECK(rx_wait(&r, 0, TT_WAIT_MS), "no reply %u in the RX ring",
			 i);
		s = rx_slot(&r, r.rx->tail);
		TT_EQ(s->flags, 0);
		TT_EQ(s->len, off + ECHO_LEN);
		if (pi) {
			TT_EQ(s->data[0] | s->data[1], 0);	/* flags */
			TT_EQ(s->data[2] << 8 | s->data[3], 0x0800);
		}
		if (off > pi)	/* no GSO on a reply the stack built */
			TT_EQ(s->data[pi + 1], 0);	/* gso_type */
		TT_CALL(tt_echo_reply_check(s->data + off, s->len - off,
					    &echo, NULL, i));
		__atomic_store_n(&r.rx->tail, r.rx->tail + 1, __ATOMIC_RELEASE);
	}
	TT_EQ(r.rx->head, 40);
	/* the TX ring is drained: its tail caught up with head */
	TT_CHECK(wait_idx(&r.tx->tail, 40), "TX tail %u, want 40", r.tx->tail);
	TT_SYS(tt_stats(DEV, &st1));
	/* counted as read() and write() count */
	TT_EQ(st1.rx_packets - st0.rx_packets, 40);
	TT_EQ(st1.rx_bytes - st0.rx_bytes, 40 * ECHO_LEN);
	TT_EQ(st1.tx_packets - st0.tx_packets, 40);
	TT_EQ(st1.tx_bytes - st0.tx_bytes, 40 * ECHO_LEN);
	return TT_PASS;
}

static int c_echo_nopi(void)
{
	return echo_through(IFF_TUN | IFF_NO_PI);
}

static int c_echo_pi(void)
{
	return echo_through(IFF_TUN);
}

/* The vnet header travels in the slots as in read() and write(). */
static int c_echo_vnet(void)
{
	return echo_through(IFF_TUN | IFF_NO_PI | IFF_VNET_HDR);
}

static int c_echo_pi_vnet(void)
{
	return echo_through(IFF_TUN | IFF_VNET_HDR);
}

/* A tap: frames are Ethernet, an ARP request in gets its reply out. */
static int c_tap_arp(void)
{
	static const uint8_t peer_mac[6] = { 0x02, 0, 0x5e, 0x10, 0, 0x03 };
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t buf[64], mac[6];
	struct tun_ring_slot *s;
	struct ring r;

	NEED_RING();
	TT_CALL(ring_dev(&r, IFF_TAP | IFF_NO_PI, 8, SLOT));
	TT_SYS(tt_link_hwaddr(DEV, mac));
	/* what the device sends by itself (none with IPv6 off) is skipped */
	TT_SYS(tx_put(&r, buf, tt_arp(buf, 1, bcast, peer_mac, tt_ip4(PEER_IP),
				      (uint8_t[6]){ 0 }, tt_ip4(DEV_IP)), 1));
	TT_CHECK(rx_wait(&r, 0, TT_WAIT_MS), "no ARP reply in the RX ring");
	s = rx_slot(&r, 0);
	TT_EQ(s->len, 42);
	tt_arp(buf, 2, peer_mac, mac, tt_ip4(DEV_IP), peer_mac, tt_ip4(PEER_IP));
	TT_MEMEQ(s->data, buf, 42);
	return TT_PASS;
}

/* poll(): POLLIN only with a frame, and a sleeper is woken by one. */
static int c_poll_wakeup(void)
{
	struct pollfd p;
	struct ring r;
	pid_t pid;

	NEED_RING();
	TT_CALL(ring_dev(&r, IFF_TUN | IFF_NO_PI, 8, SLOT));
	p = (struct pollfd){ .fd = r.fd, .events = POLLIN | POLLOUT };
	TT_EQ(poll(&p, 1, 0), 1);
	TT_EQ(p.revents, POLLOUT);
	/* poll() found the ring empty: it asked to be woken */
	TT_EQ(r.rx->flags, TUN_RING_F_WAIT);

	/* a child sends a datagram while we sleep in poll() */
	pid = fork();
	if (pid == 0) {
		tt_sleep_ms(300);
		_exit(tt_udp_send(PEER_IP, 9, 16, 1) ? 1 : 0);
	}
	TT_CHECK(pid > 0, "fork: %s", tt_errname(errno));
	tt_defer_pid(pid);
	p = (struct pollfd){ .fd = r.fd, .events = POLLIN };
	TT_EQ(poll(&p, 1, TT_WAIT_MS), 1);
	TT_EQ(p.revents, POLLIN);
	TT_EQ(r.rx->head, 1);
	TT_EQ(rx_slot(&r, 0)->len, 28 + 16);
	return TT_PASS;
}

/*
 * The kick: TX frames wait until it comes, the kernel then drains the
 * ring and asks for a kick again; POLLOUT follows the room in the ring.
 */
static int c_kick(void)
{
	struct tt_stats st0, st1;
	struct pollfd p;
	struct ring r;
	uint32_t i;

	NEED_RING();
	TT_CALL(ring_dev(&r, IFF_TUN | IFF_NO_PI, 4, SLOT));
	TT_SYS(tt_stats(DEV, &st0));
	for (i = 0; i < 4; i++)
		TT_EQ(tx_echo(&r, i, 0), 0);
	/* full: not writable; not kicked: nothing moves */
	p = (struct pollfd){ .fd = r.fd, .events = POLLOUT };
	TT_EQ(poll(&p, 1, 0), 0);
	tt_sleep_ms(300);
	TT_EQ(r.tx->tail, 0);
	TT_EQ(r.rx->head, 0);

	TT_SYS(ioctl(r.fd, TUNRINGKICK));
	p = (struct pollfd){ .fd = r.fd, .events = POLLOUT };
	TT_EQ(poll(&p, 1, TT_WAIT_MS), 1);
	TT_EQ(p.revents, POLLOUT);
	TT_CHECK(rx_wait(&r, 3, TT_WAIT_MS), "%u replies of 4", r.rx->head);
	/* drained, the kernel asks for a kick again */
	TT_CHECK(wait_idx(&r.tx->flags, TUN_RING_F_KICK), "TX flags %#x",
		 r.tx->flags);
	TT_EQ(r.tx->tail, 4);
	for (i = 0; i < 4; i++)
		TT_CALL(rx_echo_check(&r, i, i));
	TT_SYS(tt_stats(DEV, &st1));
	TT_EQ(st1.rx_packets - st0.rx_packets, 4);
	return TT_PASS;
}

/*
 * A full RX ring drops what xmit brings, counted in tx_dropped as a full
 * ptr_ring's are; consuming makes room again.
 */
static int c_rx_full_drops(void)
{
	struct tt_stats st0, st1;
	struct ring r;

	NEED_RING();
	TT_CALL(ring_dev(&r, IFF_TUN | IFF_NO_PI, 4, SLOT));
	TT_SYS(tt_stats(DEV, &st0));
	TT_SYS(tt_udp_send(PEER_IP, 9, 16, 7));
	TT_CHECK(wait_grown(tx_done, &st0, 7, &st1), "7 datagrams not all transmitted");
	TT_EQ(r.rx->head, 4);
	TT_EQ(st1.tx_dropped - st0.tx_dropped, 3);
	TT_EQ(st1.tx_packets - st0.tx_packets, 4);
	__atomic_store_n(&r.rx->tail, 2, __ATOMIC_RELEASE);
	TT_SYS(tt_udp_send(PEER_IP, 9, 16, 3));
	TT_CHECK(wait_grown(tx_done, &st0, 10, &st1), "3 more datagrams not transmitted");
	TT_EQ(r.rx->head, 6);
	TT_EQ(st1.tx_dropped - st0.tx_dropped, 4);
	return TT_PASS;
}

/* A frame longer than the slot is cut, and says so. */
static int c_rx_trunc(void)
{
	struct tun_ring_slot *s;
	struct ring r;

	NEED_RING();
	TT_CALL(ring_dev(&r, IFF_TUN | IFF_NO_PI, 4, 128));
	TT_SYS(tt_udp_send(PEER_IP, 9, 200, 1));
	TT_CHECK(wait_idx(&r.rx->head, 1), "no frame in the RX ring");
	s = rx_slot(&r, 0);
	TT_EQ(s->len, 128 - sizeof(*s));
	TT_EQ(s->flags, TUN_RING_SLOT_TRUNC);
	TT_EQ(s->data[2] << 8 | s->data[3], 228);	/* the IP total length */
	return TT_PASS;
}

/* A TX slot claiming more than it holds is dropped and counted. */
static int c_tx_oversize_dropped(void)
{
	struct tt_stats st0, st1;
	struct ring r;

	NEED_RING();
	TT_CALL(ring_dev(&r, IFF_TUN | IFF_NO_PI, 4, 128));
	TT_SYS(tt_stats(DEV, &st0));
	TT_SYS(tx_echo(&r, 0, 0));
	tx_slot(&r, 0)->len = 121;
	TT_SYS(tx_echo(&r, 1, 1));
	TT_CHECK(rx_wait(&r, 0, TT_WAIT_MS), "no reply");
	TT_CHECK(wait_idx(&r.tx->tail, 2), "TX tail %u, want 2", r.tx->tail);
	TT_SYS(tt_stats(DEV, &st1));
	TT_EQ(st1.rx_dropped - st0.rx_dropped, 1);
	TT_EQ(st1.rx_packets - st0.rx_packets, 1);
	TT_CALL(rx_echo_check(&r, 0, 1));
	return TT_PASS;
}

/*
 * A device that is down takes nothing from the TX ring into the stack: as
 * write() there, each frame is a counted drop (rx_dropped), none is
 * received, and the slots come back all the same. Once up again the ring
 * carries an echo as before.
 */
static int c_tx_device_down(void)
{
	struct tt_stats st0, st1 = { 0 };
	struct ring r;

	NEED_RING();
	TT_CALL(ring_dev(&r, IFF_TUN | IFF_NO_PI, 4, SLOT));
	TT_SYS(tt_link_up(DEV, 0));
	TT_SYS(tt_stats(DEV, &st0));
	TT_SYS(tx_echo(&r, 0, 0));
	TT_SYS(tx_echo(&r, 1, 0));
	TT_SYS(tx_echo(&r, 2, 1));
	TT_CHECK(wait_idx(&r.tx->tail, 3), "TX tail %u, want 3", r.tx->tail);
	/* the tail is published before the batch is counted: wait for it */
	TT_CHECK(wait_grown(rx_dropped, &st0, 3, &st1), "rx_dropped +%llu, want 3",
		 st1.rx_dropped - st0.rx_dropped);
	TT_EQ(st1.rx_dropped - st0.rx_dropped, 3);
	TT_EQ(st1.rx_packets - st0.rx_packets, 0);
	TT_EQ(r.rx->head, 0);
	TT_SYS(tt_link_up(DEV, 1));
	TT_SYS(tx_echo(&r, 3, 1));
	TT_CHECK(rx_wait(&r, 0, TT_WAIT_MS), "no reply once up again");
	TT_CALL(rx_echo_check(&r, 0, 3));
	return TT_PASS;
}

/* write() still works with rings; what it provokes comes out of the ring. */
static int c_write_with_ring(void)
{
	uint8_t buf[128];
	struct ring r;

	NEED_RING();
	TT_CALL(ring_dev(&r, IFF_TUN | IFF_NO_PI, 4, SLOT));
	TT_EQ(write(r.fd, buf, tt_echo_request(buf, &echo, NULL, 7)), ECHO_LEN);
	TT_CHECK(rx_wait(&r, 0, TT_WAIT_MS), "no reply in the RX ring");
	TT_CALL(rx_echo_check(&r, 0, 7));
	/* and read() finds nothing: the ring took the frame */
	TT_SYS(fcntl(r.fd, F_SETFL, O_NONBLOCK));
	TT_ERRNO(read(r.fd, buf, sizeof(buf)), EAGAIN);
	return TT_PASS;
}

static int c_setup_errnos(void)
{
	struct tun_ring_req req;
	struct ring r;
	int fd, fd2;

	NEED_RING();
	/* not attached */
	fd = tt_tun_open(0);
	TT_CHECK(fd >= 0, "open: %s", tt_errname(errno));
	req = (struct tun_ring_req){ .slots = 4, .slot_size = 256 };
	TT_ERRNO(ioctl(fd, TUNSETRING, &req), EBADFD);
	TT_ERRNO(ioctl(fd, TUNRINGKICK), ENXIO);

	fd = tt_mkdev(DEV, IFF_TUN | IFF_NO_PI, &devopts);
	if (fd < 0)
		return TT_FAIL;
	TT_ERRNO(ioctl(fd, TUNRINGKICK), ENXIO);
	TT_ERRNO(ioctl(fd, TUNSETRING, NULL), EFAULT);
#define BAD(slots_, size_, flags_, res_, err_)                                 \
	do {                                                                   \
		req = (struct tun_ring_req){ .slots = slots_,                  \
					     .slot_size = size_,               \
					     .flags = flags_,                  \
					     .reserved = res_ };               \
		TT_ERRNO(ioctl(fd, TUNSETRING, &req), err_);                   \
	} while (0)
	BAD(0, 256, 0, 0, EINVAL);
	BAD(1, 256, 0, 0, EINVAL);
	BAD(3, 256, 0, 0, EINVAL);
	BAD(65536, 256, 0, 0, EINVAL);
	BAD(4, 0, 0, 0, EINVAL);
	BAD(4, 32, 0, 0, EINVAL);
	BAD(4, 100, 0, 0, EINVAL);
	BAD(4, 131072 + 64, 0, 0, EINVAL);
	BAD(4, 256, 1, 0, EINVAL);
	BAD(4, 256, 0, 1, EINVAL);
	BAD(32768, 2048, 0, 0, E2BIG);
	/* no ring yet: mmap as on a file without mmap */
	TT_CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED &&
		 errno == ENODEV, "mmap without a ring: %s", tt_errname(errno));

	TT_CALL(ring_setup(&r, fd, 4, 256));
	BAD(4, 256, 0, 0, EBUSY);
	/* past the area, or not from its start */
	TT_CHECK(mmap(NULL, r.size + 4096, PROT_READ, MAP_SHARED, fd, 0) ==
		 MAP_FAILED && errno == EINVAL, "mmap too long: %s",
		 tt_errname(errno));
	TT_CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 4096) ==
		 MAP_FAILED && errno == EINVAL, "mmap at 4096: %s",
		 tt_errname(errno));

	/* IFF_NAPI_FRAGS builds frames from iovecs: no rings */
	fd2 = tt_tun_alloc("tring1", IFF_TAP | IFF_NO_PI | IFF_NAPI |
			   IFF_NAPI_FRAGS, NULL);
	TT_CHECK(fd2 >= 0, "TUNSETIFF IFF_NAPI_FRAGS: %s", tt_errname(errno));
	req = (struct tun_ring_req){ .slots = 4, .slot_size = 256 };
	TT_ERRNO(ioctl(fd2, TUNSETRING, &req), EINVAL);
#undef BAD
	return TT_PASS;
}

/* What both drivers answer: mmap() of a tun fd without rings. */
static int c_mmap_plain_fd_enodev(void)
{
	int fd;

	fd = tt_mkdev(DEV, IFF_TUN | IFF_NO_PI, &devopts);
	if (fd < 0)
		return TT_FAIL;
	errno = 0;
	TT_CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED,
		 "mmap of a plain tun fd succeeded");
	TT_EQ(errno, ENODEV);
	return TT_PASS;
}

/* Multiqueue: each queue file has rings of its own. */
static int c_multiqueue(void)
{
	int flags = IFF_TUN | IFF_NO_PI | IFF_MULTI_QUEUE;
	struct ring r0, r1;
	int fd0, fd1;
	uint32_t h1;

	NEED_RING();
	fd0 = tt_mkdev(DEV, flags, &devopts);
	if (fd0 < 0)
		return TT_FAIL;
	fd1 = tt_tun_open(0);
	TT_CHECK(fd1 >= 0, "open: %s", tt_errname(errno));
	TT_SYS(tt_tun_setiff(fd1, DEV, flags, NULL));
	TT_CALL(ring_setup(&r0, fd0, 4, SLOT));
	TT_CALL(ring_setup(&r1, fd1, 4, SLOT));
	/*
	 * The flow is learnt after its first frame is delivered, and the
	 * reply to that one is sent during the delivery: it goes to the
	 * queue of its hash, either ring. The second reply goes to the
	 * queue that wrote the flow.
	 */
	TT_SYS(tx_echo(&r1, 1, 1));
	TT_CHECK(wait_idx(&r1.tx->tail, 1), "queue 1's TX ring not drained");
	{
		long long end = tt_now_ms() + TT_WAIT_MS;

		while (r0.rx->head + r1.rx->head < 1 && tt_now_ms() < end)
			tt_sleep_ms(20);
	}
	TT_EQ(r0.rx->head + r1.rx->head, 1);
	h1 = r1.rx->head;
	TT_SYS(tx_echo(&r1, 2, 1));
	TT_CHECK(wait_idx(&r1.tx->tail, 2), "queue 1's TX ring not drained");
	TT_CHECK(rx_wait(&r1, h1, TT_WAIT_MS), "no reply on queue 1");
	TT_CALL(rx_echo_check(&r1, r1.rx->head - 1, 2));
	TT_EQ(r0.rx->head + r1.rx->head, 2);
	/* queue 0's TX ring saw nothing */
	TT_EQ(r0.tx->tail, 0);
	return TT_PASS;
}

/* Fill the RX ring with 3 frames and leave 2 unkicked in the TX ring. */
static int in_flight(struct ring *r)
{
	TT_SYS(tt_udp_send(PEER_IP, 9, 16, 3));
	TT_CHECK(wait_idx(&r->rx->head, 3), "RX head %u, want 3", r->rx->head);
	TT_SYS(tx_echo(r, 1, 0));
	TT_SYS(tx_echo(r, 2, 0));
	return TT_PASS;
}

/*
 * Closing the fd under a live mapping: the mapping holds the file, so the
 * queue and its device stay, and the frames stay readable; the last
 * munmap() releases it all.
 */
static int c_close_live_mmap(void)
{
	struct ring r;

	NEED_RING();
	TT_CALL(ring_dev(&r, IFF_TUN | IFF_NO_PI, 4, SLOT));
	TT_CALL(in_flight(&r));
	tt_close(r.fd);
	TT_EQ(rx_slot(&r, 2)->len, 28 + 16);
	TT_EQ(r.rx->head, 3);
	TT_CHECK(tt_link_exists(DEV), "device gone under a live mapping");
	ring_unmap(&r);
	TT_CHECK(tt_link_wait(DEV, 0, TT_WAIT_MS),
		 "device still there after the last munmap");
	return TT_PASS;
}

/* Deleting the device under the rings: the file stays, unattached. */
static int c_device_delete(void)
{
	struct pollfd p;
	struct ring r;

	NEED_RING();
	TT_CALL(ring_dev(&r, IFF_TUN | IFF_NO_PI, 4, SLOT));
	TT_CALL(in_flight(&r));
	TT_SYS(ioctl(r.fd, TUNRINGKICK));
	TT_EQ(tt_link_del(DEV), 0);
	TT_CHECK(tt_link_wait(DEV, 0, TT_WAIT_MS), "device not deleted");
	TT_EQ(rx_slot(&r, 2)->len, 28 + 16);
	p = (struct pollfd){ .fd = r.fd, .events = POLLIN };
	TT_EQ(poll(&p, 1, 0), 1);
	TT_EQ(p.revents, POLLERR);
	TT_ERRNO(ioctl(r.fd, TUNRINGKICK), EBADFD);
	TT_ERRNO(ioctl(r.fd, TUNSETRING, &r.req), EBADFD);
	tt_close(r.fd);
	/* the pages stay until the munmap after the tun_chr_close */
	TT_EQ(rx_slot(&r, 2)->len, 28 + 16);
	return TT_PASS;
}

/* A disabled queue (IFF_DETACH_QUEUE) keeps its rings; xmit skips it. */
static int c_detach_queue(void)
{
	int flags = IFF_TUN | IFF_NO_PI | IFF_MULTI_QUEUE;
	struct ifreq ifr = { .ifr_flags = IFF_DETACH_QUEUE };
	uint8_t buf[128];
	struct ring r;
	int fd1;

	NEED_RING();
	TT_CALL(ring_dev(&r, flags, 4, SLOT));
	/* while it is the only queue, so that every frame goes to it */
	TT_CALL(in_flight(&r));
	fd1 = tt_tun_open(0);
	TT_CHECK(fd1 >= 0, "open: %s", tt_errname(errno));
	TT_SYS(tt_tun_setiff(fd1, DEV, flags, NULL));
	TT_SYS(ioctl(r.fd, TUNSETQUEUE, &ifr));
	/* all to the other queue now, seen in its read() */
	TT_SYS(tt_udp_send(PEER_IP, 9, 16, 1));
	TT_EQ(tt_read_timeout(fd1, buf, sizeof(buf), TT_WAIT_MS), 28 + 16);
	TT_EQ(r.rx->head, 3);
	ifr.ifr_flags = IFF_ATTACH_QUEUE;
	TT_SYS(ioctl(r.fd, TUNSETQUEUE, &ifr));
	tt_close(fd1);
	TT_SYS(tt_udp_send(PEER_IP, 9, 16, 1));
	TT_CHECK(wait_idx(&r.rx->head, 4), "RX head %u, want 4", r.rx->head);
	return TT_PASS;
}

/*
 * rmmod: refused while a mapping holds a ring's file (after close), and
 * clean once it is gone; the next open loads the module again.
 */
static int c_rmmod(void)
{
	struct ring r;
	int fd, err;

	NEED_RING();
	TT_CALL(ring_dev(&r, IFF_TUN | IFF_NO_PI, 4, SLOT));
	TT_CALL(in_flight(&r));
	TT_SYS(ioctl(r.fd, TUNRINGKICK));
	tt_close(r.fd);
	err = tt_module_unload("tun");
	TT_CHECK(err == -EAGAIN, "rmmod under a live mapping: %s",
		 err ? tt_errname(-err) : "it unloaded");
	ring_unmap(&r);
	TT_CHECK(tt_link_wait(DEV, 0, TT_WAIT_MS), "device stayed");
	err = tt_module_unload_wait("tun", TT_WAIT_MS);
	TT_CHECK(!err, "rmmod after munmap: %s", tt_errname(-err));
	fd = tt_tun_open(0);
	TT_CHECK(fd >= 0, "open after rmmod: %s", tt_errname(errno));
	return TT_PASS;
}

static void run(const char *name, tt_case_fn fn)
{
	tt_run(name, fn);
	for (int i = 0; i < 4; i++) {
		if (maps[i].addr)
			munmap(maps[i].addr, maps[i].size);
		maps[i].addr = NULL;
	}
}

int main(void)
{
	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(0x40 + i);
	tt_init();
	run("mmap_plain_fd_enodev", c_mmap_plain_fd_enodev);
	run("setup_errnos", c_setup_errnos);
	run("echo_nopi", c_echo_nopi);
	run("echo_pi", c_echo_pi);
	run("echo_vnet", c_echo_vnet);
	run("echo_pi_vnet", c_echo_pi_vnet);
	run("tap_arp", c_tap_arp);
	run("poll_wakeup", c_poll_wakeup);
	run("kick", c_kick);
	run("rx_full_drops", c_rx_full_drops);
	run("rx_trunc", c_rx_trunc);
	run("tx_oversize_dropped", c_tx_oversize_dropped);
	run("tx_device_down", c_tx_device_down);
	run("write_with_ring", c_write_with_ring);
	run("multiqueue", c_multiqueue);
	run("close_live_mmap", c_close_live_mmap);
	run("device_delete", c_device_delete);
	run("detach_queue", c_detach_queue);
	run("rmmod", c_rmmod);
	return tt_done();
}
