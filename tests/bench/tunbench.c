// SPDX-License-Identifier: GPL-2.0
/*
 * tunbench: the workloads of `make bench` (tests/bench/README), one per
 * subcommand.  Each runs for a fixed wall time after a short warm-up and
 * prints the measurement on one line (the contract of tests/bench/rows):
 *
 *	BENCH name=<row> pps=<float> gbps=<float> [key=value ...]
 *
 * or, when the driver lacks what the workload needs,
 *
 *	BENCH-SKIP name=<row> reason=<text>
 *
 * The row name comes from $BENCH_ROW, the wall time from $BENCH_SECONDS
 * (default 3).  gbps counts the IP packets as the reader got them, headers
 * included (not the vnet header).
 *
 *	tunbench fwd SIZE	user space -> tun0 -> IPv4 forwarding -> tun1
 *				-> user space: UDP packets of SIZE payload
 *				bytes written to tun0, counted as read on tun1
 *	tunbench write SIZE	UDP packets written to tun0, counted as a
 *				local UDP socket receives them
 *	tunbench read SIZE	a UDP socket sending out through tun0, counted
 *				as read from tun0
 *	tunbench mq QUEUES	"read" over an IFF_MULTI_QUEUE device: one
 *				sending and one reading thread per queue
 *	tunbench gso tso|uso|plain
 *				"fwd" with IFF_VNET_HDR and TUNSETOFFLOAD on
 *				both devices: 64 KB TCP (tso) or UDP (uso)
 *				super-packets that cross whole, or 1500-byte
 *				TCP packets (plain)
 *	tunbench devices COUNT	create COUNT devices (open + TUNSETIFF), then
 *				delete them (close): time and memory per
 *				device; pps is devices created per second
 *	tunbench mem SIZE	a queue nobody reads, filled and overloaded:
 *				bytes per queued packet, growth under
 *				overload; pps is packets refused per second
 *
 * Not a test: it asserts nothing about the figures.  It exits non-zero only
 * when it could not set the workload up.
 */
#include "tt.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
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

#define DEV0 "tbench0"
#define DEV1 "tbench1"
#define NET0_ADDR "198.18.100.1"	/* tun0, /24 */
#define NET0_PEER "198.18.100.2"	/* "behind" tun0: the writer's source */
#define NET1_ADDR "198.18.101.1"	/* tun1, /24 */
#define NET1_PEER "198.18.101.2"	/* behind tun1: forwarded to */
#define PORT 9000
#define MAXQ 8
#define BUFSZ (VH_LEN + 65536)

static const char *row = "unnamed";
static double seconds = 3;
static volatile int stop;

struct counter {
	/* written by one worker, read by main: relaxed atomics suffice */
	unsigned long long pkts, bytes;
} __attribute__((aligned(64)));

static struct counter rx[MAXQ], tx[MAXQ];

static void add(struct counter *c, unsigned long long bytes)
{
	__atomic_store_n(&c->pkts, c->pkts + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&c->bytes, c->bytes + bytes, __ATOMIC_RELAXED);
}

static void sum(const struct counter *c, int n, unsigned long long *pkts,
		unsigned long long *bytes)
{
	*pkts = *bytes = 0;
	for (int i = 0; i < n; i++) {
		*pkts += __atomic_load_n(&c[i].pkts, __ATOMIC_RELAXED);
		*bytes += __atomic_load_n(&c[i].bytes, __ATOMIC_RELAXED);
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (long)s) * 1e9) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int die(const char *what)
{
	fprintf(stderr, "tunbench %s: %s: %s\n", row, what, tt_errname(errno));
	exit(1);
}

static int skip(const char *why)
{
	printf("BENCH-SKIP name=%s reason=%s\n", row, why);
	exit(0);
}

static void sysctl_set(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, val, strlen(val)) < 0)
		fprintf(stderr, "tunbench: %s: %s\n", path, tt_errname(errno));
	if (fd >= 0)
		close(fd);
}

static void nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* A tun device, up, no IPv6, with ADDR/24; the fd (non-blocking). */
static int mkdev(const char *name, int flags, const char *addr)
{
	int fd = tt_tun_alloc(name, IFF_TUN | IFF_NO_PI | flags, NULL);

	if (fd < 0)
		die("TUNSETIFF");
	if (tt_link_prepare(name, addr, 24, NULL))
		die("device setup");
	/* the bench's own queue, not the default 500, is what fills */
	tt_link_txqlen(name, 1000);
	nonblock(fd);
	return fd;
}

static void forwarding_on(void)
{
	sysctl_set("/proc/sys/net/ipv4/ip_forward", "1");
	sysctl_set("/proc/sys/net/ipv4/conf/all/rp_filter", "0");
	sysctl_set("/proc/sys/net/ipv4/conf/default/rp_filter", "0");
	sysctl_set("/proc/sys/net/ipv4/conf/" DEV0 "/rp_filter", "0");
	sysctl_set("/proc/sys/net/ipv4/conf/" DEV1 "/rp_filter", "0");
}

/* ---- workers ---- */

struct worker {
	pthread_t t;
	int fd;
	int idx;
	const uint8_t *pkt;	/* writers: what to write */
	size_t len;
	size_t skip;		/* readers: bytes before the IP packet */
};

static struct worker workers[2 * MAXQ + 2];
static int n_workers;

static void *reader(void *arg)
{
	struct worker *w = arg;
	struct pollfd p = { .fd = w->fd, .events = POLLIN };
	static __thread uint8_t buf[BUFSZ];
	ssize_t n;

	while (!stop) {
		n = read(w->fd, buf, sizeof(buf));
		if (n > (ssize_t)w->skip) {
			add(&rx[w->idx], (unsigned long long)(n - (ssize_t)w->skip));
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			break;
		poll(&p, 1, 50);
	}
	return NULL;
}

/* Writes the same packet to a tun fd as fast as the fd takes it. */
static void *writer(void *arg)
{
	struct worker *w = arg;
	struct pollfd p = { .fd = w->fd, .events = POLLOUT };

	while (!stop) {
		if (write(w->fd, w->pkt, w->len) == (ssize_t)w->len) {
			add(&tx[w->idx], w->len);
			continue;
		}
		if (errno != EAGAIN && errno != EINTR)
			break;
		poll(&p, 1, 50);
	}
	return NULL;
}

/* Receives on a UDP socket. */
static void *sock_reader(void *arg)
{
	struct worker *w = arg;
	struct pollfd p = { .fd = w->fd, .events = POLLIN };
	uint8_t buf[2048];
	ssize_t n;

	while (!stop) {
		n = recv(w->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n >= 0) {
			add(&rx[w->idx], (unsigned long long)n + 28);
			continue;
		}
		if (errno != EAGAIN && errno != EINTR)
			break;
		poll(&p, 1, 50);
	}
	return NULL;
}

/*
 * Sends on connected UDP sockets, in turn: w->fd is the first of w->len
 * consecutive slots of socks[].  Several sockets per thread, because the
 * queue a multiqueue device picks follows each socket's flow hash.
 */
#define SOCKS_PER_SENDER 4
static int socks[MAXQ * SOCKS_PER_SENDER];
static size_t send_size;

static void *sock_sender(void *arg)
{
	struct worker *w = arg;
	uint8_t buf[2048];
	unsigned int i = 0;

	memset(buf, 0xa5, sizeof(buf));
	while (!stop) {
		int s = socks[w->fd + (int)(i++ % SOCKS_PER_SENDER)];

		if (send(s, buf, send_size, 0) == (ssize_t)send_size)
			add(&tx[w->idx], send_size + 28);
		else if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR)
			break;
	}
	return NULL;
}

static struct worker *worker(int fd, int idx)
{
	struct worker *w = &workers[n_workers++];

	w->fd = fd;
	w->idx = idx;
	return w;
}

static void start(struct worker *w, void *(*fn)(void *))
{
	errno = pthread_create(&w->t, NULL, fn, w);
	if (errno)
		die("pthread_create");
}

static void join_all(void)
{
	stop = 1;
	for (int i = 0; i < n_workers; i++)
		pthread_join(workers[i].t, NULL);
}

/*
 * The measurement: warm up, count over the wall time, print.  nq: how many
 * rx counters there are; extra: more key=value pairs.
 */
static void measure(int nq, const char *extra)
{
	unsigned long long p0, b0, p1, b1, tp0, tb0, tp1, tb1;
	double warm = seconds / 5 > 1 ? 1 : seconds / 5, t0, t1;
	unsigned long long q0[MAXQ];
	char qs[256] = "";

	sleep_s(warm);
	for (int i = 0; i < nq; i++)
		q0[i] = __atomic_load_n(&rx[i].pkts, __ATOMIC_RELAXED);
	sum(rx, nq, &p0, &b0);
	sum(tx, MAXQ, &tp0, &tb0);
	t0 = now();
	sleep_s(seconds);
	sum(rx, nq, &p1, &b1);
	sum(tx, MAXQ, &tp1, &tb1);
	t1 = now();
	if (nq > 1) {
		size_t n = 0;

		/* what each queue got in the counted time */
		for (int i = 0; i < nq; i++)
			n += (size_t)snprintf(qs + n, sizeof(qs) - n, " q%d=%llu", i,
					      __atomic_load_n(&rx[i].pkts, __ATOMIC_RELAXED) - q0[i]);
	}
	join_all();
	printf("BENCH name=%s pps=%.1f gbps=%.6f secs=%.3f rx=%llu tx=%llu%s%s%s\n",
	       row, (double)(p1 - p0) / (t1 - t0),
	       (double)(b1 - b0) * 8 / (t1 - t0) / 1e9, t1 - t0, p1 - p0,
	       tp1 - tp0, qs, extra ? " " : "", extra ? extra : "");
}

/* ---- packets ---- */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* IPv4 + TCP (ACK|PSH) with plen bytes of payload; the total length. */
static size_t tcp4(uint8_t *buf, const char *src, const char *dst,
		   size_t plen)
{
	uint32_t s = tt_ip4(src), d = tt_ip4(dst);
	uint8_t *t = buf + 20;
	uint16_t c;

	memset(buf, 0, 40);
	buf[0] = 0x45;
	put16(buf + 2, (uint16_t)(40 + plen));
	buf[6] = 0x40;	/* DF */
	buf[8] = 64;
	buf[9] = IPPROTO_TCP;
	memcpy(buf + 12, &s, 4);
	memcpy(buf + 16, &d, 4);
	c = tt_csum(buf, 20);
	memcpy(buf + 10, &c, 2);
	put16(t, 40000);
	put16(t + 2, PORT);
	t[12] = 5 << 4;
	t[13] = 0x18;
	put16(t + 14, 65535);
	memset(buf + 40, 0x5a, plen);
	return 40 + plen;
}

static size_t udp4(uint8_t *buf, const char *src, const char *dst,
		   size_t plen)
{
	static uint8_t payload[65536];

	memset(payload, 0xa5, plen);
	return tt_udp4(buf, tt_ip4(src), tt_ip4(dst), 40000, PORT, payload,
		       plen);
}

/* ---- workloads ---- */

static uint8_t pkt[BUFSZ];

static int bench_fwd(size_t size)
{
	int fd0 = mkdev(DEV0, 0, NET0_ADDR), fd1 = mkdev(DEV1, 0, NET1_ADDR);
	struct worker *w;

	forwarding_on();
	w = worker(fd0, 0);
	w->pkt = pkt;
	w->len = udp4(pkt, NET0_PEER, NET1_PEER, size);
	start(worker(fd1, 0), reader);
	start(w, writer);
	measure(1, NULL);
	return 0;
}

static int udp_socket(const char *bind_addr, uint16_t port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), sz = 4 << 20;

	if (s < 0)
		die("socket");
	tt_defer_fd(s);
	setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
	sin.sin_addr.s_addr = tt_ip4(bind_addr);
	sin.sin_port = htons(port);
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)))
		die("bind");
	return s;
}

static void udp_connect(int s, const char *addr, uint16_t port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };

	sin.sin_addr.s_addr = tt_ip4(addr);
	sin.sin_port = htons(port);
	if (connect(s, (struct sockaddr *)&sin, sizeof(sin)))
		die("connect");
}

static int bench_write(size_t size)
{
	int fd0 = mkdev(DEV0, 0, NET0_ADDR), s;
	struct worker *w;

	s = udp_socket(NET0_ADDR, PORT);
	w = worker(fd0, 0);
	w->pkt = pkt;
	w->len = udp4(pkt, NET0_PEER, NET0_ADDR, size);
	start(worker(s, 0), sock_reader);
	start(w, writer);
	measure(1, NULL);
	return 0;
}

static int bench_mq(int nq, int mq, size_t size)
{
	int fd[MAXQ];

	if (nq < 1 || nq > MAXQ)
		return die("queues");
	for (int q = 0; q < nq; q++) {
		if (q == 0) {
			fd[0] = mkdev(DEV0, mq ? IFF_MULTI_QUEUE : 0, NET0_ADDR);
			continue;
		}
		fd[q] = tt_tun_open(0);
		if (fd[q] < 0 ||
		    tt_tun_setiff(fd[q], DEV0, IFF_TUN | IFF_NO_PI | IFF_MULTI_QUEUE, NULL))
			die("TUNSETIFF (queue)");
		nonblock(fd[q]);
	}
	send_size = size;
	for (int i = 0; i < nq * SOCKS_PER_SENDER; i++) {
		socks[i] = udp_socket(NET0_ADDR, 0);
		udp_connect(socks[i], NET0_PEER, (uint16_t)(PORT + i));
	}
	for (int q = 0; q < nq; q++)
		start(worker(fd[q], q), reader);
	for (int q = 0; q < nq; q++)
		start(worker(q * SOCKS_PER_SENDER, q), sock_sender);
	measure(nq, NULL);
	return 0;
}

static int bench_gso(const char *kind)
{
	unsigned int off = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;
	struct virtio_net_hdr h = { 0 };
	struct worker *w, *r;
	int fd0, fd1;
	size_t len;

	fd0 = mkdev(DEV0, IFF_VNET_HDR, NET0_ADDR);
	fd1 = mkdev(DEV1, IFF_VNET_HDR, NET1_ADDR);
	if (!strcmp(kind, "uso"))
		off |= TUN_F_USO4 | TUN_F_USO6;
	/* tun1 takes the super-packets whole; tun0 is only written to */
	if (ioctl(fd1, TUNSETOFFLOAD, (unsigned long)off) < 0) {
		if (errno == EINVAL && (off & TUN_F_USO4))
			return skip("TUNSETOFFLOAD refuses TUN_F_USO4|TUN_F_USO6");
		die("TUNSETOFFLOAD");
	}
	forwarding_on();
	if (!strcmp(kind, "tso")) {
		/* 45 segments of 1448 bytes: 65200 bytes of IP */
		len = tcp4(pkt + VH_LEN, NET0_PEER, NET1_PEER, 45 * 1448);
		h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		h.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
		h.hdr_len = 40;
		h.gso_size = 1448;
		h.csum_start = 20;
		h.csum_offset = 16;
	} else if (!strcmp(kind, "uso")) {
		/* 44 segments of 1472 bytes: 64796 bytes of IP */
		len = udp4(pkt + VH_LEN, NET0_PEER, NET1_PEER, 44 * 1472);
		h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		h.gso_type = VIRTIO_NET_HDR_GSO_UDP_L4;
		h.hdr_len = 28;
		h.gso_size = 1472;
		h.csum_start = 20;
		h.csum_offset = 6;
	} else if (!strcmp(kind, "plain")) {
		len = tcp4(pkt + VH_LEN, NET0_PEER, NET1_PEER, 1460);
	} else {
		return die("gso kind");
	}
	memcpy(pkt, &h, VH_LEN);
	w = worker(fd0, 0);
	w->pkt = pkt;
	w->len = VH_LEN + len;
	r = worker(fd1, 0);
	r->skip = VH_LEN;
	start(r, reader);
	start(w, writer);
	measure(1, NULL);
	return 0;
}

/* /proc/meminfo's FIELD in kB, or -1. */
static long long meminfo(const char *field)
{
	char line[256];
	size_t n = strlen(field);
	long long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, n) && line[n] == ':') {
			v = strtoll(line + n + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

static int bench_devices(int count)
{
	struct rlimit rl = { (rlim_t)count + 64, (rlim_t)count + 64 };
	long long free0, slab0, pcpu0, free1, slab1, pcpu1;
	double t0, t1, t2;
	char extra[256];
	int *fds = calloc((size_t)count, sizeof(int));
	struct ifreq ifr;

	if (!fds || setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit");
	sysctl_set("/proc/sys/vm/drop_caches", "3");
	free0 = meminfo("MemFree");
	slab0 = meminfo("Slab");
	pcpu0 = meminfo("Percpu");
	t0 = now();
	for (int i = 0; i < count; i++) {
		fds[i] = open(TT_TUN_PATH, O_RDWR | O_CLOEXEC);
		if (fds[i] < 0)
			die("open");
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, IFNAMSIZ, "tbd%d", i);
		ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
		if (ioctl(fds[i], TUNSETIFF, &ifr) < 0)
			die("TUNSETIFF");
	}
	t1 = now();
	free1 = meminfo("MemFree");
	slab1 = meminfo("Slab");
	pcpu1 = meminfo("Percpu");
	for (int i = 0; i < count; i++)
		close(fds[i]);
	/* close() unregisters; wait for the last one to be gone too */
	while (tt_link_exists("tbd0") ||
	       tt_link_exists(ifr.ifr_name))
		sleep_s(0.001);
	t2 = now();
	snprintf(extra, sizeof(extra),
		 "count=%d create_us=%.1f delete_us=%.1f mem_b=%.0f slab_b=%.0f percpu_b=%.0f show=create_us,delete_us,mem_b,slab_b",
		 count, (t1 - t0) * 1e6 / count, (t2 - t1) * 1e6 / count,
		 (double)(free0 - free1) * 1024 / count,
		 (double)(slab1 - slab0) * 1024 / count,
		 pcpu0 < 0 ? 0.0 : (double)(pcpu1 - pcpu0) * 1024 / count);
	printf("BENCH name=%s pps=%.1f gbps=0 %s\n", row,
	       count / (t1 - t0), extra);
	free(fds);
	return 0;
}

/*
 * Memory of a queue nobody reads: UDP packets of SIZE payload sent out
 * through tun0 until its queue (txqueuelen 1000) is full and drops, then
 * for the wall time more of them, all refused.  Reports what the queued
 * packets hold (MemFree and Slab before the first packet and once the
 * queue is full, over the packets a read then finds queued) and what the
 * overload added between its first and its last second (growth_b: 0 for
 * a queue that stays bounded); pps is the rate the full device refused
 * packets at.
 */
static int bench_mem(size_t size)
{
	long long free0, slab0, free1, slab1, slab2, slab3;
	unsigned long long sent = 0, sent0;
	int fd0 = mkdev(DEV0, 0, NET0_ADDR), s;
	static uint8_t buf[2048];
	struct tt_stats st;
	double t0, t1, mid, end;
	char extra[256];
	long queued = 0;

	if (size > sizeof(buf))
		return die("size");
	s = udp_socket(NET0_ADDR, 0);
	udp_connect(s, NET0_PEER, PORT);
	memset(buf, 0xa5, sizeof(buf));
	sysctl_set("/proc/sys/vm/drop_caches", "3");
	free0 = meminfo("MemFree");
	slab0 = meminfo("Slab");
	/* fill: until the device counts its first drop, for 30 s at most */
	end = now() + 30;
	for (;;) {
		if (send(s, buf, size, 0) == (ssize_t)size)
			sent++;
		if (sent % 64)
			continue;
		if (tt_stats(DEV0, &st))
			die("stats");
		if (st.tx_dropped)
			break;
		if (now() > end)
			return die("the queue never filled");
	}
	free1 = meminfo("MemFree");
	slab1 = meminfo("Slab");
	/*
	 * Overload: the queue is full, every packet is refused.  Counted
	 * after a warm-up, as the other workloads are.
	 */
	t0 = now();
	mid = t0 + (seconds / 5 > 1 ? 1 : seconds / 5);
	end = t0 + seconds;
	/*
	 * sent0 and t0 start where the overload does and move to the end of
	 * the warm-up once it comes; a wall time that ends first (a stalled
	 * host) leaves the whole overload measured, growth from slab1.
	 */
	slab2 = -1;
	sent0 = sent;
	while ((t1 = now()) < end) {
		if (slab2 < 0 && t1 >= mid) {
			slab2 = meminfo("Slab");
			sent0 = sent;
			t0 = t1;
		}
		for (int i = 0; i < 64; i++)
			if (send(s, buf, size, 0) == (ssize_t)size)
				sent++;
	}
	slab3 = meminfo("Slab");
	if (slab2 < 0)
		slab2 = slab1;
	/* what the queue holds, counted by reading it out */
	while (read(fd0, pkt, sizeof(pkt)) > 0)
		queued++;
	if (!queued)
		return die("nothing queued");
	snprintf(extra, sizeof(extra),
		 "queued=%ld mem_b=%.0f slab_b=%.0f growth_b=%.0f show=queued,mem_b,slab_b,growth_b",
		 queued, (double)(free0 - free1) * 1024 / (double)queued,
		 (double)(slab1 - slab0) * 1024 / (double)queued,
		 (double)(slab3 - slab2) * 1024);
	printf("BENCH name=%s pps=%.1f gbps=0 %s\n", row,
	       (double)(sent - sent0) / (t1 - t0), extra);
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: tunbench fwd|write|read SIZE | mq QUEUES [SIZE] | gso tso|uso|plain | devices COUNT | mem SIZE\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *s;
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	s = getenv("BENCH_ROW");
	if (s && *s)
		row = s;
	s = getenv("BENCH_SECONDS");
	if (s && atof(s) > 0)
		seconds = atof(s);
	if (argc < 3)
		return usage();
	tt_lo_up();
	if (!strcmp(argv[1], "fwd"))
		rc = bench_fwd((size_t)atoi(argv[2]));
	else if (!strcmp(argv[1], "write"))
		rc = bench_write((size_t)atoi(argv[2]));
	else if (!strcmp(argv[1], "read"))
		rc = bench_mq(1, 0, (size_t)atoi(argv[2]));
	else if (!strcmp(argv[1], "mq"))
		rc = bench_mq(atoi(argv[2]), 1, argc > 3 ? (size_t)atoi(argv[3]) : 64);
	else if (!strcmp(argv[1], "gso"))
		rc = bench_gso(argv[2]);
	else if (!strcmp(argv[1], "devices"))
		rc = bench_devices(atoi(argv[2]));
	else if (!strcmp(argv[1], "mem"))
		rc = bench_mem((size_t)atoi(argv[2]));
	else
		return usage();
	return rc;
}
