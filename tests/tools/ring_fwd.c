// SPDX-License-Identifier: GPL-2.0
/*
 * ring_fwd: packets/s of workload (a), user space -> tun0 -> the kernel's
 * IPv4 forwarding -> tun1 -> user space, through TUNSETRING's rings
 * ("ring") or through plain write()/read() on the same driver ("rw").
 *
 *	ring_fwd [-m ring|rw|both] [-s 64,512,1400] [-t seconds] [-r runs]
 *
 * prints one line per measurement on stdout, and nothing else there:
 *
 *	BENCH name=a-ring/<size>B pps=<float> gbps=<float>
 *	BENCH name=a-rw/<size>B pps=<float> gbps=<float>
 *
 * <size> is the length of each IPv4/UDP datagram written into tun0
 * (IFF_NO_PI, so the whole frame); pps counts the datagrams that came
 * out of tun1, and gbps is pps * size * 8 / 1e9. Diagnostics go to
 * stderr. It runs in a network namespace of its own (needs root), so it
 * leaves no device or sysctl behind. On a driver without rings (the
 * stock tun.ko) the ring measurements are skipped, saying so on stderr.
 *
 * One thread writes, one reads. With rings each makes a system call
 * only when it must wait (ring full: poll(); ring empty: a 0.5 ms nap,
 * then poll(); the kernel idle: TUNRINGKICK). The classic reader blocks
 * in read(), the classic writer in nothing (write() does not block on
 * a tun device unless TUNSETSNDBUF bounds it).
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_tun.h>

#include "../../include/uapi/linux/tun_ring.h"

#define SLOTS 1024
#define SLOT_SIZE 2048

struct ring {
	uint8_t *map;
	size_t size;
	struct tun_ring_req req;
	struct tun_ring_idx *rx, *tx;
};

static int fd_in, fd_out;		/* tun0 (we write), tun1 (we read) */
static struct ring ring_in, ring_out;
static volatile int stop;
static volatile int measuring;
static uint64_t received;		/* while measuring */
static uint8_t frame[2048];
static size_t frame_len;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "ring_fwd: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int sh(const char *cmd)
{
	int r = system(cmd);

	if (r)
		fprintf(stderr, "ring_fwd: '%s' failed (%d)\n", cmd, r);
	return r;
}

static int tun_open(const char *name)
{
	struct ifreq ifr = { .ifr_flags = IFF_TUN | IFF_NO_PI };
	int fd = open("/dev/net/tun", O_RDWR);

	if (fd < 0)
		die("open /dev/net/tun");
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	if (ioctl(fd, TUNSETIFF, &ifr))
		die("TUNSETIFF");
	return fd;
}

static uint16_t csum(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

/* 198.18.10.2:4000 -> 198.18.11.2:9, the whole datagram @len bytes. */
static void build_frame(size_t len)
{
	uint8_t *ip = frame, *udp = frame + 20;
	uint16_t c;

	memset(frame, 0, sizeof(frame));
	ip[0] = 0x45;
	ip[2] = len >> 8;
	ip[3] = len;
	ip[8] = 64;
	ip[9] = 17;
	inet_pton(AF_INET, "198.18.10.2", ip + 12);
	inet_pton(AF_INET, "198.18.11.2", ip + 16);
	c = csum(ip, 20);
	ip[10] = c >> 8;
	ip[11] = c;
	udp[0] = 4000 >> 8;
	udp[1] = 4000 & 0xff;
	udp[3] = 9;
	udp[4] = (len - 20) >> 8;
	udp[5] = len - 20;
	for (size_t i = 28; i < len; i++)
		frame[i] = (uint8_t)i;
	frame_len = len;
}

static int ring_map(int fd, struct ring *r)
{
	memset(r, 0, sizeof(*r));
	r->req.slots = SLOTS;
	r->req.slot_size = SLOT_SIZE;
	if (ioctl(fd, TUNSETRING, &r->req))
		return -errno;
	r->size = r->req.mmap_size;
	r->map = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		      0);
	if (r->map == MAP_FAILED)
		die("mmap");
	r->rx = (struct tun_ring_idx *)(r->map + TUN_RING_RX_IDX);
	r->tx = (struct tun_ring_idx *)(r->map + TUN_RING_TX_IDX);
	return 0;
}

static struct tun_ring_slot *slot_at(struct ring *r, uint64_t off, uint32_t i)
{
	return (struct tun_ring_slot *)(r->map + off +
					(size_t)(i & (SLOTS - 1)) * SLOT_SIZE);
}

static void *ring_writer(void *arg)
{
	struct ring *r = &ring_in;
	struct pollfd p = { .fd = fd_in, .events = POLLOUT };
	uint32_t head = r->tx->head;

	(void)arg;
	while (!stop) {
		uint32_t tail = __atomic_load_n(&r->tx->tail, __ATOMIC_ACQUIRE);
		uint32_t room = SLOTS - (head - tail);

		if (!room) {
			poll(&p, 1, 100);
			continue;
		}
		while (room--) {
			struct tun_ring_slot *s = slot_at(r, r->req.tx_offset,
							  head);

			memcpy(s->data, frame, frame_len);
			s->len = frame_len;
			s->flags = 0;
			head++;
		}
		__atomic_store_n(&r->tx->head, head, __ATOMIC_RELEASE);
		/* pairs with the kernel's barrier before it looks again */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (__atomic_load_n(&r->tx->flags, __ATOMIC_RELAXED) &
		    TUN_RING_F_KICK)
			ioctl(fd_in, TUNRINGKICK);
	}
	return NULL;
}

static void *ring_reader(void *arg)
{
	struct ring *r = &ring_out;
	struct pollfd p = { .fd = fd_out, .events = POLLIN };
	uint32_t tail = r->rx->tail;

	int idle = 0;

	(void)arg;
	while (!stop) {
		uint32_t head = __atomic_load_n(&r->rx->head, __ATOMIC_ACQUIRE);
		uint32_t n = head - tail, got = 0;

		/*
		 * Empty: first a short nap, which lets frames gather (one
		 * wakeup for many of them); poll() only when that brought
		 * nothing, so an idle reader still sleeps for good.
		 */
		if (!n) {
			if (!idle++)
				usleep(500);
			else
				poll(&p, 1, 100);
			continue;
		}
		idle = 0;
		while (n--) {
			struct tun_ring_slot *s = slot_at(r, r->req.rx_offset,
							  tail);

			got += s->len == frame_len;
			tail++;
		}
		__atomic_store_n(&r->rx->tail, tail, __ATOMIC_RELEASE);
		if (measuring)
			received += got;
	}
	return NULL;
}

static void *rw_writer(void *arg)
{
	(void)arg;
	while (!stop)
		if (write(fd_in, frame, frame_len) < 0 && errno != EAGAIN)
			break;
	return NULL;
}

/* The classic reader blocks in read(); the end cancels it there. */
static void *rw_reader(void *arg)
{
	uint8_t buf[2048];
	ssize_t n;

	(void)arg;
	while (!stop) {
		n = read(fd_out, buf, sizeof(buf));
		if (measuring && n > 0 && (size_t)n == frame_len)
			received++;
	}
	return NULL;
}

/* One measurement; the devices are made afresh for each. */
static int measure(int ring, size_t size, double seconds, double *pps)
{
	pthread_t w, r;
	double t0, t1;

	fd_in = tun_open("tun0");
	fd_out = tun_open("tun1");
	if (sh("ip link set tun0 up && ip link set tun1 up && "
	       "ip addr add 198.18.10.1/24 dev tun0 && "
	       "ip addr add 198.18.11.1/24 dev tun1 && "
	       "ip link set tun1 txqueuelen 4096"))
		return -1;
	if (ring) {
		int err = ring_map(fd_in, &ring_in);

		if (!err)
			err = ring_map(fd_out, &ring_out);
		if (err) {
			fprintf(stderr, "ring_fwd: TUNSETRING: %s: this tun.ko has no ring (the stock one has none)\n",
				strerror(-err));
			close(fd_in);
			close(fd_out);
			return 1;
		}
	}
	build_frame(size);
	stop = 0;
	measuring = 0;
	received = 0;
	pthread_create(&r, NULL, ring ? ring_reader : rw_reader, NULL);
	pthread_create(&w, NULL, ring ? ring_writer : rw_writer, NULL);
	usleep(500 * 1000);	/* warm up */
	t0 = now();
	measuring = 1;
	usleep((useconds_t)(seconds * 1e6));
	measuring = 0;
	t1 = now();
	stop = 1;
	pthread_join(w, NULL);
	if (!ring)
		pthread_cancel(r);
	pthread_join(r, NULL);
	*pps = received / (t1 - t0);
	if (ring) {
		munmap(ring_in.map, ring_in.size);
		munmap(ring_out.map, ring_out.size);
	}
	close(fd_in);
	close(fd_out);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = "both", *sizes = "64,512,1400";
	double seconds = 3;
	int runs = 1, opt;

	while ((opt = getopt(argc, argv, "m:s:t:r:")) != -1) {
		switch (opt) {
		case 'm':
			mode = optarg;
			break;
		case 's':
			sizes = optarg;
			break;
		case 't':
			seconds = atof(optarg);
			break;
		case 'r':
			runs = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: ring_fwd [-m ring|rw|both] [-s 64,512,1400] [-t seconds] [-r runs]\n");
			return 2;
		}
	}
	if (unshare(CLONE_NEWNET))
		die("unshare(CLONE_NEWNET)");
	/* /proc/sys/net shows the namespace of whoever opens it: ours */
	if (sh("ip link set lo up && "
	       "echo 1 > /proc/sys/net/ipv4/ip_forward && "
	       "echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter && "
	       "echo 0 > /proc/sys/net/ipv4/conf/default/rp_filter && "
	       "echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6"))
		return 1;

	for (int run = 0; run < runs; run++) {
		char *list = strdup(sizes), *save = NULL, *tok;

		for (tok = strtok_r(list, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save)) {
			size_t size = strtoul(tok, NULL, 10);
			double pps;

			if (size < 28 || size > SLOT_SIZE - 8) {
				fprintf(stderr, "ring_fwd: size %zu not in 28..%d\n",
					size, SLOT_SIZE - 8);
				return 2;
			}
			for (int ring = 1; ring >= 0; ring--) {
				if (strcmp(mode, "both") &&
				    strcmp(mode, ring ? "ring" : "rw"))
					continue;
				if (measure(ring, size, seconds, &pps))
					continue;
				printf("BENCH name=a-%s/%zuB pps=%.1f gbps=%.4f\n",
				       ring ? "ring" : "rw", size, pps,
				       pps * size * 8 / 1e9);
				fflush(stdout);
			}
		}
		free(list);
	}
	return 0;
}
