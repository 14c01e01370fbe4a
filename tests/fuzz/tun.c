// SPDX-License-Identifier: GPL-2.0
/*
 * tunfuzz: a seeded fuzzer of /dev/net/tun.
 *
 *	tunfuzz [--seed N] [--seconds N] [--ops N] [--threads N] [--trace]
 *
 * Threads draw operations by weight on a shared pool of tun fds, device
 * names and network namespaces: open and close, TUNSETIFF with random
 * flags, every other ioctl of <linux/if_tun.h> with random and malformed
 * arguments (NULL, unmapped, half-mapped, misaligned and kernel pointers),
 * writes of random frames behind random tun_pi and virtio_net_hdr headers,
 * of 0 to more than 64 KiB, in up to a thousand and more segments, bounded
 * reads, O_ASYNC, XDP programs attached and removed, link up/down, MTU,
 * txqueuelen, addresses and deletion under traffic, devices moved between
 * namespaces and namespaces deleted under them.
 *
 * Everything happens in a network namespace of the fuzzer's own and in
 * namespaces it makes: nothing reaches the VM's initial namespace, and
 * when the fuzzer is gone so is everything it made.  At the end it closes
 * its fds, deletes what is left (persistent devices) in each of its
 * namespaces and fails if a device stays behind.
 *
 * Invariants it checks on the way, none of them about time: ioctls return
 * 0 or -1 (the two that return an fd, an fd); a write returns -1 or its
 * whole length; a read never returns more than its buffer; TUNGETFEATURES
 * offers IFF_TUN and IFF_TAP.  Exit status 0 when none broke.
 */
#include "fuzz.h"
#include "tt.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <linux/virtio_net.h>
#include <net/if_arp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

/* Newer than some userspace headers; values are the kernel's ABI. */
#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20
#define TUN_F_USO6 0x40
#endif
#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4 5
#endif
#ifndef SIOCGSKNS
#define SIOCGSKNS 0x894C
#endif

#define N_SLOTS 24
#define N_NS 4
#define N_NAMES 8
/*
 * XDP goes on fz0..fz3 only, which are never multiqueue: a frame written
 * to a queue detached with TUNSETQUEUE (or whose index moved under the
 * write) still carries its old index, and generic XDP then WARNs that
 * it came on a queue the device no longer has, stock tun.ko too
 * (fuzz/README). --with xdp_mq lifts it.
 */
#define N_XDP_NAMES 4

/*
 * The pool.  lock guards the table only: a thread takes a dup() of an fd
 * (or a netns fd) under it and works on the dup without it, so a close by
 * another thread never turns the number into someone else's fd.
 */
struct slot {
	int fd;
	int flags;	/* of the last TUNSETIFF that worked on it: a hint */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot slots[N_SLOTS];
static int nss[N_NS];		/* [0]: the fuzzer's own netns, never closed */
static int sf_progs[8], n_sf;	/* socket filters: steering, filter */
static int xdp_progs[8], n_xdp;
static int devnull = -1;
static volatile sig_atomic_t sigs;

static void on_signal(int sig)
{
	(void)sig;
	sigs++;
}

/*
 * A dup of a random pool fd, its slot and hint; -1 if the pool is empty.
 * @want: 1 prefers an fd attached to a device (a hint: it may have been
 * detached since), 2 one that is not, 0 any.
 */
static int take_fd(struct fz_thread *t, int *slot, int *flags, int want)
{
	int fd = -1, pick = -1;

	pthread_mutex_lock(&lock);
	for (int tries = 0; tries < 8; tries++) {
		int i = (int)fz_below(&t->rng, N_SLOTS);

		if (slots[i].fd < 0)
			continue;
		pick = i;
		if (!want || (want == 1) == (slots[i].flags != 0))
			break;
	}
	if (pick >= 0) {
		fd = fcntl(slots[pick].fd, F_DUPFD_CLOEXEC, 0);
		if (slot)
			*slot = pick;
		if (flags)
			*flags = slots[pick].flags;
	}
	pthread_mutex_unlock(&lock);
	return fd;
}

/* The flags of the last TUNSETIFF that made or joined fz<i>: a hint. */
static int name_flags[N_NAMES];

/* A dup of a random netns of the pool (mostly the fuzzer's own). */
static int take_ns(struct fz_thread *t, int *idx)
{
	int i = fz_chance(&t->rng, 3, 5) ? 0 : (int)fz_below(&t->rng, N_NS);
	int fd;

	pthread_mutex_lock(&lock);
	if (nss[i] < 0)
		i = 0;
	fd = fcntl(nss[i], F_DUPFD_CLOEXEC, 0);
	pthread_mutex_unlock(&lock);
	if (idx)
		*idx = i;
	return fd;
}

static void pick_name(struct fz_thread *t, char name[IFNAMSIZ])
{
	memset(name, 0, IFNAMSIZ);
	switch (fz_below(&t->rng, 16)) {
	case 0:
		break;		/* the driver's template */
	case 1:
		/* not fz%d: the kernel would pick pool names (fz0, ...) */
		snprintf(name, IFNAMSIZ, "fy%%d");
		break;
	case 2:
		/* IFNAMSIZ bytes, no NUL */
		memset(name, 'z', IFNAMSIZ);
		break;
	case 3:
		fz_fill(&t->rng, name, IFNAMSIZ);
		break;
	case 4:
		snprintf(name, IFNAMSIZ, "%s", fz_chance(&t->rng, 1, 2) ?
			 "lo" : "fz/0");
		break;
	default:
		snprintf(name, IFNAMSIZ, "fz%u", fz_below(&t->rng, N_NAMES));
		break;
	}
}

/* Enter a random netns of the pool; returns its index, or -1. */
static int enter_some_ns(struct fz_thread *t)
{
	int idx, fd = take_ns(t, &idx);

	if (fd < 0)
		return -1;
	if (fz_ns_enter(fd)) {
		close(fd);
		return -1;
	}
	close(fd);
	return idx;
}

static void leave_ns(struct fz_thread *t)
{
	if (fz_ns_enter(t->home_ns))
		fz_fail(t, "setns home: %s", tt_errname(errno));
}

/* ---- open, close ---- */

static void op_open(struct fz_thread *t)
{
	static const int modes[] = { O_RDWR, O_RDWR, O_RDWR, O_RDONLY,
				     O_WRONLY };
	int mode = modes[fz_below(&t->rng, 5)], fd, ns, victim = -1;

	ns = fz_chance(&t->rng, 1, 4) ? enter_some_ns(t) : -1;
	fd = open(TT_TUN_PATH, mode | O_NONBLOCK | O_CLOEXEC);
	if (ns >= 0)
		leave_ns(t);
	if (fd < 0)
		return;
	t->ok = 1;
	pthread_mutex_lock(&lock);
	for (int i = 0; i < N_SLOTS; i++) {
		if (slots[i].fd < 0) {
			slots[i].fd = fd;
			slots[i].flags = 0;
			fd = -1;
			break;
		}
	}
	if (fd >= 0) {
		int i = (int)fz_below(&t->rng, N_SLOTS);

		victim = slots[i].fd;
		slots[i].fd = fd;
		slots[i].flags = 0;
	}
	pthread_mutex_unlock(&lock);
	if (victim >= 0)
		close(victim);
}

static void op_close(struct fz_thread *t)
{
	int i = (int)fz_below(&t->rng, N_SLOTS), fd;

	pthread_mutex_lock(&lock);
	fd = slots[i].fd;
	slots[i].fd = -1;
	pthread_mutex_unlock(&lock);
	if (fd >= 0)
		close(fd);
}

/* ---- TUNSETIFF ---- */

static int random_iff(struct fz_thread *t)
{
	static const int extra[] = {
		IFF_NO_PI, IFF_VNET_HDR, IFF_MULTI_QUEUE, IFF_NAPI,
		IFF_NAPI_FRAGS, IFF_ONE_QUEUE, IFF_TUN_EXCL, IFF_NO_CARRIER,
		IFF_PERSIST, IFF_ATTACH_QUEUE, IFF_DETACH_QUEUE,
	};
	/* XDP on an IFF_NAPI_FRAGS queue: a use-after-free (fuzz/README) */
	int mask = fz_avoid("napi_frags") ? ~IFF_NAPI_FRAGS : ~0;
	int f;

	if (fz_chance(&t->rng, 1, 20))
		return (int)(uint16_t)fz_u64(&t->rng) & mask;
	switch (fz_below(&t->rng, 10)) {
	case 0:
		f = 0;
		break;
	case 1:
		f = IFF_TUN | IFF_TAP;
		break;
	case 2:
	case 3:
	case 4:
	case 5:
		f = IFF_TAP;
		break;
	default:
		f = IFF_TUN;
		break;
	}
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
		/* the common ones often, the odd ones now and then */
		if (fz_chance(&t->rng, i < 3 ? 1 : 1, i < 3 ? 2 : 7))
			f |= extra[i];
	}
	return f & mask;
}

static void op_setiff(struct fz_thread *t)
{
	struct ifreq ifr;
	int slot, fd = take_fd(t, &slot, NULL, 2), flags;
	unsigned int idx;
	long r;

	if (fd < 0)
		return;
	memset(&ifr, 0, sizeof(ifr));
	pick_name(t, ifr.ifr_name);
	flags = random_iff(t);
	if (sscanf(ifr.ifr_name, "fz%u", &idx) == 1 && idx < N_NAMES &&
	    fz_chance(&t->rng, 2, 3)) {
		/* mostly what the device already is: a second queue, a reopen */
		pthread_mutex_lock(&lock);
		if (name_flags[idx])
			flags = name_flags[idx];
		pthread_mutex_unlock(&lock);
		if (fz_chance(&t->rng, 1, 8))
			flags ^= IFF_VNET_HDR;
	} else if (sscanf(ifr.ifr_name, "fz%u", &idx) != 1 || idx >= N_NAMES) {
		idx = N_NAMES;
	}
	if (idx < N_XDP_NAMES && !fz_with("xdp_mq"))
		flags &= ~IFF_MULTI_QUEUE;
	ifr.ifr_flags = (short)flags;
	r = ioctl(fd, TUNSETIFF, fz_ptr(t, &ifr, sizeof(ifr)));
	if (r > 0)
		fz_fail(t, "TUNSETIFF returned %ld", r);
	if (!r) {
		t->ok = 1;
		pthread_mutex_lock(&lock);
		slots[slot].flags = flags;
		if (idx < N_NAMES)
			name_flags[idx] = flags & ~(IFF_PERSIST | IFF_TUN_EXCL);
		pthread_mutex_unlock(&lock);
	}
	close(fd);
}

/* ---- the other ioctls ---- */

static int some_prog_fd(struct fz_thread *t)
{
	switch (fz_below(&t->rng, 8)) {
	case 0:
		return -1;
	case 1:
		return 9999;
	case 2:
		return devnull;
	case 3:
		return n_xdp ? xdp_progs[fz_below(&t->rng, n_xdp)] : -1;
	case 4:
		return (int)fz_interesting(&t->rng);
	default:
		return n_sf ? sf_progs[fz_below(&t->rng, n_sf)] : -1;
	}
}

static int some_id(struct fz_thread *t)
{
	static const int ids[] = { 0, 1, 1234, 65534, -1, -2, 0x7fffffff };

	if (fz_chance(&t->rng, 1, 8))
		return (int)fz_u64(&t->rng);
	return ids[fz_below(&t->rng, sizeof(ids) / sizeof(ids[0]))];
}

static int some_hdrsz(struct fz_thread *t)
{
	static const int sz[] = { 10, 12, 10, 12, 16, 20, 24, 9, 0, -1, 64,
				  4096, 0x7fffffff };

	return sz[fz_below(&t->rng, sizeof(sz) / sizeof(sz[0]))];
}

/* A classic BPF program for TUNATTACHFILTER, mostly a valid one. */
static void classic_prog(struct fz_thread *t, struct sock_fprog *fp,
			 struct sock_filter *ins, size_t max)
{
	unsigned int n;

	switch (fz_below(&t->rng, 5)) {
	case 0:
		ins[0] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						      fz_interesting(&t->rng));
		n = 1;
		break;
	case 1:
		ins[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0);
		ins[1] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_A, 0);
		n = 2;
		break;
	case 2:
		/* keep IPv4 (or an ether type at 12), drop the rest */
		ins[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_H | BPF_ABS,
						      fz_below(&t->rng, 16));
		ins[1] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						      0x0800, 0, 1);
		ins[2] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0xffff);
		ins[3] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0);
		n = 4;
		break;
	case 3:
		n = 1 + fz_below(&t->rng, (uint32_t)max - 1);
		fz_fill(&t->rng, ins, n * sizeof(*ins));
		break;
	default:
		n = fz_chance(&t->rng, 1, 2) ? 0 : 4097;
		break;
	}
	fp->len = (unsigned short)n;
	fp->filter = n > max ? (struct sock_filter *)fz_hole : ins;
}

static void op_ioctl(struct fz_thread *t)
{
	union {
		int i;
		unsigned int u;
		struct ifreq ifr;
		struct sock_fprog fp;
		struct tun_filter tf;
		uint8_t raw[512];
	} a;
	struct sock_filter ins[16];
	unsigned long cmd;
	size_t len = sizeof(int);
	int fd = take_fd(t, NULL, NULL, 1), byval = 0;
	long val = 0, r;
	const char *what;

	if (fd < 0)
		return;
	memset(&a, 0, sizeof(a));
	switch (fz_below(&t->rng, 34)) {
	case 0:
		cmd = TUNSETPERSIST, what = "TUNSETPERSIST", byval = 1;
		val = fz_chance(&t->rng, 1, 8) ? (long)fz_u64(&t->rng) :
						 (long)fz_below(&t->rng, 2);
		break;
	case 1:
		cmd = TUNSETOWNER, what = "TUNSETOWNER", byval = 1;
		val = some_id(t);
		break;
	case 2:
		cmd = TUNSETGROUP, what = "TUNSETGROUP", byval = 1;
		val = some_id(t);
		break;
	case 3: {
		static const long types[] = { ARPHRD_ETHER, ARPHRD_NONE,
					      ARPHRD_PPP, ARPHRD_IEEE80211,
					      0, 0xffff };

		cmd = TUNSETLINK, what = "TUNSETLINK", byval = 1;
		val = types[fz_below(&t->rng, 6)];
		break;
	}
	case 4:
	case 5:
		cmd = TUNSETOFFLOAD, what = "TUNSETOFFLOAD", byval = 1;
		val = fz_below(&t->rng, 0x80);
		if (fz_chance(&t->rng, 1, 8))
			val = (long)fz_u64(&t->rng);
		break;
	case 6: {
		unsigned int n = fz_chance(&t->rng, 1, 6) ?
				 fz_interesting(&t->rng) : fz_below(&t->rng, 9);
		size_t room = (sizeof(a.raw) - sizeof(a.tf)) / ETH_ALEN;

		cmd = TUNSETTXFILTER, what = "TUNSETTXFILTER";
		a.tf.flags = (uint16_t)(fz_chance(&t->rng, 1, 3) ?
					TUN_FLT_ALLMULTI : fz_u64(&t->rng));
		a.tf.count = (uint16_t)n;
		fz_fill(&t->rng, a.raw + sizeof(a.tf), room * ETH_ALEN);
		len = sizeof(a.tf) + (n < room ? n : room) * ETH_ALEN;
		break;
	}
	case 7:
		cmd = TUNSETSNDBUF, what = "TUNSETSNDBUF";
		a.i = (int)fz_interesting(&t->rng);
		break;
	case 8:
		cmd = TUNSETVNETHDRSZ, what = "TUNSETVNETHDRSZ";
		a.i = some_hdrsz(t);
		break;
	case 9:
		cmd = TUNSETVNETLE, what = "TUNSETVNETLE";
		a.i = (int)fz_below(&t->rng, 3) - (fz_chance(&t->rng, 1, 9) ? 7 : 0);
		break;
	case 10:
		cmd = TUNSETVNETBE, what = "TUNSETVNETBE";
		a.i = (int)fz_below(&t->rng, 2);
		break;
	case 11:
		cmd = TUNATTACHFILTER, what = "TUNATTACHFILTER";
		classic_prog(t, &a.fp, ins, 16);
		len = sizeof(a.fp);
		break;
	case 12:
		cmd = TUNDETACHFILTER, what = "TUNDETACHFILTER";
		len = sizeof(a.fp);
		break;
	case 13:
	case 14:
		cmd = TUNSETSTEERINGEBPF, what = "TUNSETSTEERINGEBPF";
		a.i = some_prog_fd(t);
		break;
	case 15:
		cmd = TUNSETFILTEREBPF, what = "TUNSETFILTEREBPF";
		a.i = some_prog_fd(t);
		break;
	case 16:
	case 17:
		cmd = TUNSETQUEUE, what = "TUNSETQUEUE";
		a.ifr.ifr_flags = (short)(fz_chance(&t->rng, 1, 2) ?
					  IFF_ATTACH_QUEUE : IFF_DETACH_QUEUE);
		if (fz_chance(&t->rng, 1, 8))
			a.ifr.ifr_flags = (short)fz_u64(&t->rng);
		len = sizeof(a.ifr);
		break;
	case 18:
		cmd = TUNSETIFINDEX, what = "TUNSETIFINDEX";
		a.u = fz_chance(&t->rng, 1, 2) ? 1000 + fz_below(&t->rng, 8) :
						 fz_interesting(&t->rng);
		break;
	case 19:
		cmd = TUNSETCARRIER, what = "TUNSETCARRIER";
		a.i = (int)fz_below(&t->rng, 3) - 1;
		break;
	case 20:
		cmd = SIOCSIFHWADDR, what = "SIOCSIFHWADDR";
		a.ifr.ifr_hwaddr.sa_family = fz_chance(&t->rng, 4, 5) ?
					     ARPHRD_ETHER : (uint16_t)fz_u64(&t->rng);
		fz_fill(&t->rng, a.ifr.ifr_hwaddr.sa_data, 6);
		a.ifr.ifr_hwaddr.sa_data[0] &= (char)0xfe;
		len = sizeof(a.ifr);
		break;
	case 21:
		cmd = TUNSETDEBUG, what = "TUNSETDEBUG", byval = 1;
		val = (long)fz_below(&t->rng, 2);
		break;
	case 22:
		cmd = TUNSETNOCSUM, what = "TUNSETNOCSUM", byval = 1;
		val = (long)fz_below(&t->rng, 2);
		break;
	case 23:
		cmd = TUNGETFEATURES, what = "TUNGETFEATURES";
		break;
	case 24:
		cmd = TUNGETIFF, what = "TUNGETIFF";
		len = sizeof(a.ifr);
		break;
	case 25:
		cmd = TUNGETSNDBUF, what = "TUNGETSNDBUF";
		break;
	case 26:
		cmd = TUNGETVNETHDRSZ, what = "TUNGETVNETHDRSZ";
		break;
	case 27:
		cmd = TUNGETVNETLE, what = "TUNGETVNETLE";
		break;
	case 28:
		cmd = TUNGETVNETBE, what = "TUNGETVNETBE";
		break;
	case 29:
		cmd = TUNGETFILTER, what = "TUNGETFILTER";
		len = sizeof(a.fp);
		break;
	case 30:
		cmd = SIOCGIFHWADDR, what = "SIOCGIFHWADDR";
		len = sizeof(a.ifr);
		break;
	case 31:
		cmd = fz_chance(&t->rng, 1, 2) ? TUNGETDEVNETNS : SIOCGSKNS;
		what = "TUNGETDEVNETNS";
		break;
	case 32:
		cmd = TUNSETIFF, what = "TUNSETIFF(queue)";
		snprintf(a.ifr.ifr_name, IFNAMSIZ, "fz%u", N_XDP_NAMES +
			 fz_below(&t->rng, N_NAMES - N_XDP_NAMES));
		a.ifr.ifr_flags = (short)(IFF_TAP | IFF_MULTI_QUEUE |
					  IFF_NO_PI | IFF_VNET_HDR);
		len = sizeof(a.ifr);
		break;
	default:
		/* Numbers next to the real ones, with random directions. */
		cmd = _IOC(fz_below(&t->rng, 4), 'T', 190 + fz_below(&t->rng, 50),
			   fz_below(&t->rng, 64));
		what = "unknown";
		fz_fill(&t->rng, a.raw, 64);
		len = 64;
		break;
	}
	if (byval)
		r = ioctl(fd, cmd, val);
	else
		r = ioctl(fd, cmd, fz_ptr(t, &a, len));
	t->ok = r >= 0;
	if (cmd == TUNGETDEVNETNS || cmd == SIOCGSKNS) {
		if (r >= 0)
			close((int)r);
	} else if (cmd == TUNSETTXFILTER && r > 0) {
		/* stock's answer: how many addresses it matches exactly, <= 8 */
		if (r > 8 || r > a.tf.count)
			fz_fail(t, "TUNSETTXFILTER of %u addresses returned %ld",
				a.tf.count, r);
	} else if (r > 0) {
		fz_fail(t, "%s returned %ld", what, r);
	} else if (!r && cmd == TUNGETFEATURES && !byval &&
		   (a.u & (IFF_TUN | IFF_TAP)) != (IFF_TUN | IFF_TAP) &&
		   a.u) {
		/* a.u is 0 when the pointer was a bad one that worked */
		fz_fail(t, "TUNGETFEATURES: 0x%x", a.u);
	}
	close(fd);
}

/* ---- writes ---- */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static uint32_t some_ip4(struct fz_thread *t)
{
	switch (fz_below(&t->rng, 8)) {
	case 0:
		return htonl(0xe0000001u + fz_below(&t->rng, 255));
	case 1:
		return htonl(0xffffffffu);
	case 2:
		return htonl(0xc6130000u | fz_below(&t->rng, 0x10000));
	default:
		/* 198.18.<device>.1 or .2 */
		return htonl(0xc6120000u | fz_below(&t->rng, N_NAMES) << 8 |
			     (1 + fz_below(&t->rng, 2)));
	}
}

/*
 * An IP packet at @p, up to @room bytes: header, an L4 header, payload.
 * Returns its length; the L4 offset and protocol in @l4 and @proto.
 */
static size_t ip_packet(struct fz_thread *t, uint8_t *p, size_t room,
			size_t *l4, int *proto)
{
	static const int protos[] = { 17, 6, 1, 58, 0, 44, 132, 255 };
	size_t hl, l4len, plen, len;
	uint32_t a;
	int v6 = fz_chance(&t->rng, 1, 4);

	*proto = protos[fz_below(&t->rng, v6 ? 8 : 3)];
	if (fz_chance(&t->rng, 1, 10))
		*proto = (int)fz_below(&t->rng, 256);
	l4len = *proto == 6 ? 20 : 8;
	plen = fz_size(&t->rng, 70000);
	hl = v6 ? 40 : 20;
	if (!v6 && fz_chance(&t->rng, 1, 10))
		hl = 4 * (5 + fz_below(&t->rng, 11));
	if (hl + l4len + plen > room)
		plen = room > hl + l4len ? room - hl - l4len : 0;
	len = hl + l4len + plen;
	if (len > room)
		len = room;
	fz_fill(&t->rng, p, len);
	if (v6) {
		p[0] = 0x60;
		put16(p + 4, (uint16_t)(len - 40));
		p[6] = (uint8_t)*proto;
		p[7] = 64;
		/* 2001:2::/48, the benchmarking prefix */
		memset(p + 8, 0, 32);
		put16(p + 8, 0x2001);
		put16(p + 10, 0x0002);
		p[23] = (uint8_t)fz_below(&t->rng, 3);
		put16(p + 24, 0x2001);
		put16(p + 26, 0x0002);
		p[39] = (uint8_t)fz_below(&t->rng, 3);
	} else if (len >= 20) {
		p[0] = (uint8_t)(0x40 | hl / 4);
		p[1] = fz_chance(&t->rng, 1, 4) ? (uint8_t)fz_u64(&t->rng) : 0;
		put16(p + 2, (uint16_t)(fz_chance(&t->rng, 7, 8) ? len :
					fz_u64(&t->rng)));
		if (fz_chance(&t->rng, 3, 4))
			put16(p + 6, fz_chance(&t->rng, 1, 2) ? 0x4000 : 0);
		p[8] = (uint8_t)(1 + fz_below(&t->rng, 64));
		p[9] = (uint8_t)*proto;
		p[10] = p[11] = 0;
		a = some_ip4(t);
		memcpy(p + 12, &a, 4);
		a = some_ip4(t);
		memcpy(p + 16, &a, 4);
		if (hl > 20 && fz_chance(&t->rng, 1, 2))
			memset(p + 20, 1, hl - 20);	/* NOPs */
		if (fz_chance(&t->rng, 7, 8)) {
			uint16_t c = tt_csum(p, hl);

			memcpy(p + 10, &c, 2);
		}
	}
	*l4 = hl;
	if (len >= hl + 8 && (*proto == 17 || *proto == 6)) {
		if (fz_chance(&t->rng, 3, 4)) {
			put16(p + hl, 1024 + (uint16_t)fz_below(&t->rng, 4));
			put16(p + hl + 2, 7 + (uint16_t)fz_below(&t->rng, 3));
		}
		if (*proto == 17)
			put16(p + hl + 4, (uint16_t)(len - hl));
		else if (len >= hl + 20)
			p[hl + 12] = (uint8_t)(5 + fz_below(&t->rng, 11)) << 4;
	}
	return len;
}

/*
 * The virtio_net_hdr at @h (its first 10 bytes) for a packet whose L3
 * starts at @l3 with L4 at @l3 + @l4 of protocol @proto: mostly coherent,
 * often not.
 */
static void vnet_hdr(struct fz_thread *t, uint8_t *h, size_t l3, size_t l4,
		     int proto, size_t len)
{
	static const uint8_t gso[] = {
		VIRTIO_NET_HDR_GSO_NONE, VIRTIO_NET_HDR_GSO_TCPV4,
		VIRTIO_NET_HDR_GSO_TCPV6, VIRTIO_NET_HDR_GSO_UDP,
		VIRTIO_NET_HDR_GSO_UDP_L4, VIRTIO_NET_HDR_GSO_NONE,
	};
	size_t cs = l3 + l4, hdr = l3 + l4 + (proto == 6 ? 20 : 8);

	if (fz_chance(&t->rng, 1, 10)) {
		fz_fill(&t->rng, h, 10);
		return;
	}
	memset(h, 0, 10);
	if (fz_chance(&t->rng, 1, 2))
		h[0] = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	else if (fz_chance(&t->rng, 1, 4))
		h[0] = (uint8_t)fz_below(&t->rng, 8);
	h[1] = gso[fz_below(&t->rng, sizeof(gso))];
	if (fz_chance(&t->rng, 1, 8))
		h[1] |= VIRTIO_NET_HDR_GSO_ECN;
	if (fz_chance(&t->rng, 1, 16))
		h[1] = (uint8_t)fz_u64(&t->rng);
	put_le16(h + 2, (uint16_t)(fz_chance(&t->rng, 2, 3) ? hdr :
				   fz_size(&t->rng, 70000)));
	if (h[1]) {
		uint16_t mss = fz_chance(&t->rng, 3, 4) ?
			       (uint16_t)(1 + fz_below(&t->rng, 1460)) :
			       (uint16_t)fz_interesting(&t->rng);

		put_le16(h + 4, mss);
	}
	if (fz_chance(&t->rng, 3, 4)) {
		put_le16(h + 6, (uint16_t)cs);
		put_le16(h + 8, proto == 6 ? 16 : 6);
	} else {
		put_le16(h + 6, (uint16_t)fz_size(&t->rng, (uint32_t)len + 64));
		put_le16(h + 8, (uint16_t)fz_size(&t->rng, 256));
	}
}

/* Builds a whole write for an fd of flags @fl into t->buf; its length. */
static size_t build_write(struct fz_thread *t, int fl)
{
	uint8_t *p = t->buf, *vh = NULL;
	size_t off = 0, l3, l4 = 0, len;
	int proto = 0, tap = (fl & IFF_TAP) != 0;

	if (fz_chance(&t->rng, 1, 10))
		fl ^= 1 << fz_below(&t->rng, 15);
	if (fz_chance(&t->rng, 1, 20)) {
		len = fz_size(&t->rng, FZ_BUF);
		fz_fill(&t->rng, p, len);
		return len;
	}
	if (!(fl & IFF_NO_PI)) {
		p[0] = fz_chance(&t->rng, 7, 8) ? 0 : (uint8_t)fz_u64(&t->rng);
		p[1] = 0;
		put16(p + 2, tap ? ETH_P_802_3 : ETH_P_IP);
		off = 4;
	}
	if (fl & IFF_VNET_HDR) {
		size_t sz = fz_chance(&t->rng, 1, 2) ? 10 : 12;

		if (fz_chance(&t->rng, 1, 8))
			sz = (size_t)(some_hdrsz(t) & 0xff);
		vh = p + off;
		memset(vh, 0, sz);
		off += sz;
	}
	l3 = off;
	if (tap) {
		fz_fill(&t->rng, p + off, 12);
		if (fz_chance(&t->rng, 1, 2))
			memset(p + off, 0xff, 6);
		p[off + 6] &= 0xfe;
		put16(p + off + 12, fz_chance(&t->rng, 1, 8) ? ETH_P_ARP :
			fz_chance(&t->rng, 1, 8) ? ETH_P_8021Q :
			fz_chance(&t->rng, 1, 6) ? ETH_P_IPV6 : ETH_P_IP);
		off += 14;
	}
	len = off + ip_packet(t, p + off, FZ_BUF - off, &l4, &proto);
	if (!(fl & IFF_NO_PI) && !tap && (p[off] >> 4) == 6)
		put16(p + 2, ETH_P_IPV6);
	/* csum_start counts from the frame, after pi and vnet header */
	if (vh)
		vnet_hdr(t, vh, tap ? 14 : 0, l4, proto, len - l3);
	return len;
}

static void op_write(struct fz_thread *t)
{
	static __thread struct iovec iov[1100];
	int fl = 0, fd = take_fd(t, NULL, &fl, 1), bad = 0;
	size_t len, nseg;
	ssize_t r;

	if (fd < 0)
		return;
	len = build_write(t, fl);
	if (fz_chance(&t->rng, 1, 2)) {
		void *p = fz_ptr(t, t->buf, len);

		bad = p != t->buf && p != t->buf2 + 1;
		r = write(fd, p, len);
	} else {
		nseg = 1 + fz_size(&t->rng, 1099);
		if (fz_chance(&t->rng, 1, 2) && nseg > 64)
			nseg = 1 + fz_below(&t->rng, 64);
		for (size_t i = 0, o = 0; i < nseg; i++) {
			size_t n = i + 1 == nseg ? len - o :
				   fz_below(&t->rng, 2) ? 0 :
				   fz_size(&t->rng, (uint32_t)(len - o));

			iov[i].iov_base = t->buf + o;
			iov[i].iov_len = n;
			o += n;
		}
		if (fz_chance(&t->rng, 1, 10)) {
			size_t i = fz_below(&t->rng, (uint32_t)nseg);
			void *p = fz_ptr(t, iov[i].iov_base, iov[i].iov_len);

			bad = p != iov[i].iov_base;
			iov[i].iov_base = p;
		}
		r = writev(fd, iov, (int)nseg);
	}
	t->ok = r >= 0;
	if (!bad && r >= 0 && (size_t)r != len)
		fz_fail(t, "write of %zu bytes returned %zd", len, r);
	close(fd);
}

/* ---- reads, poll, O_ASYNC ---- */

static void op_read(struct fz_thread *t)
{
	struct pollfd pfd;
	struct iovec iov[8];
	int fd = take_fd(t, NULL, NULL, 1);
	size_t len = fz_size(&t->rng, FZ_BUF), total = 0;
	ssize_t r;

	if (fd < 0)
		return;
	pfd.fd = fd;
	pfd.events = POLLIN;
	/* The bound is only how long to wait for a frame: none is expected. */
	poll(&pfd, 1, (int)fz_below(&t->rng, 20));
	if (fz_chance(&t->rng, 2, 3)) {
		r = read(fd, fz_ptr(t, t->buf, len), len);
		total = len;
	} else {
		int n = 1 + (int)fz_below(&t->rng, 8);

		for (int i = 0; i < n; i++) {
			iov[i].iov_base = t->buf + total;
			iov[i].iov_len = fz_size(&t->rng, 9000);
			total += iov[i].iov_len;
		}
		r = readv(fd, iov, n);
	}
	t->ok = r > 0;
	if (r > (ssize_t)total)
		fz_fail(t, "read into %zu bytes returned %zd", total, r);
	close(fd);
}

static void op_poll(struct fz_thread *t)
{
	struct pollfd p[4];
	int n = 0;

	for (int i = 0; i < 4; i++) {
		int fd = take_fd(t, NULL, NULL, 1);

		if (fd < 0)
			continue;
		p[n].fd = fd;
		p[n].events = (short)(fz_chance(&t->rng, 1, 4) ?
				      fz_u64(&t->rng) : POLLIN | POLLOUT);
		n++;
	}
	poll(p, (nfds_t)n, (int)fz_below(&t->rng, 10));
	while (n--)
		close(p[n].fd);
}

static void op_async(struct fz_thread *t)
{
	static const int sig[] = { 0, SIGIO, SIGUSR1 };
	int fd = take_fd(t, NULL, NULL, 1), fl;

	if (fd < 0)
		return;
	fl = fcntl(fd, F_GETFL);
	if (fl >= 0) {
		fcntl(fd, F_SETOWN, fz_chance(&t->rng, 1, 4) ? -getpid() :
								getpid());
		fcntl(fd, F_SETSIG, sig[fz_below(&t->rng, 3)]);
		fcntl(fd, F_SETFL, (fl ^ O_ASYNC) | O_NONBLOCK);
	}
	close(fd);
}

/* ---- devices ---- */

/* The name of a pool device (fz0..fz7) for the link operations. */
static void pool_name(struct fz_thread *t, char name[IFNAMSIZ])
{
	snprintf(name, IFNAMSIZ, "fz%u", fz_below(&t->rng, N_NAMES));
}

static void op_link(struct fz_thread *t)
{
	static const int mtus[] = { 0, 67, 68, 576, 1280, 1500, 9000, 65535,
				    65536, -1 };
	static const int qlens[] = { 0, 1, 2, 10, 500, 1000, 4096, 65536,
				     1 << 20, -1 };
	char name[IFNAMSIZ], addr[32];
	unsigned int idx = fz_below(&t->rng, N_NAMES);
	int ns = enter_some_ns(t), err = -1;

	snprintf(name, IFNAMSIZ, "fz%u", idx);
	switch (fz_below(&t->rng, 9)) {
	case 0:
	case 1:
		err = tt_link_up(name, 1);
		break;
	case 2:
		err = tt_link_up(name, 0);
		break;
	case 3:
		err = tt_link_mtu(name, fz_chance(&t->rng, 1, 4) ?
			    (int)fz_interesting(&t->rng) :
			    mtus[fz_below(&t->rng, 10)]);
		break;
	case 4:
		err = tt_link_txqlen(name, qlens[fz_below(&t->rng, 10)]);
		break;
	case 5:
		snprintf(addr, sizeof(addr), "198.18.%u.1", idx);
		if (if_nametoindex(name))
			tt_link_noipv6(name);
		tt_link_addr4(name, addr, 24, NULL);
		err = tt_link_up(name, 1);
		break;
	case 6:
		if (fz_chance(&t->rng, 1, 3))
			err = tt_link_del(name);
		break;
	case 7: {
		struct ifreq ifr;
		int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

		if (s < 0)
			break;
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
		ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
		fz_fill(&t->rng, ifr.ifr_hwaddr.sa_data, 6);
		ifr.ifr_hwaddr.sa_data[0] &= (char)0xfe;	/* unicast */
		err = ioctl(s, SIOCSIFHWADDR, &ifr);
		close(s);
		break;
	}
	default: {
		char buf[64];

		/* sysfs reads of what the driver shows there */
		static const char *const attrs[] = {
			"tun_flags", "owner", "group", "operstate", "mtu",
			"tx_queue_len", "statistics/rx_dropped", "carrier",
		};

		err = tt_sysfs_read(name, attrs[fz_below(&t->rng, 8)], buf,
			      sizeof(buf));
		break;
	}
	}
	t->ok = !err;
	if (ns >= 0)
		leave_ns(t);
}

static void op_xdp(struct fz_thread *t)
{
	static const uint32_t flags[] = { 0, 0, XDP_FLAGS_SKB_MODE,
					  XDP_FLAGS_DRV_MODE,
					  XDP_FLAGS_UPDATE_IF_NOEXIST, 0xff };
	char name[IFNAMSIZ];
	int ns = enter_some_ns(t), prog, ifindex;

	snprintf(name, IFNAMSIZ, "fz%u", fz_below(&t->rng, fz_with("xdp_mq") ?
						    N_NAMES : N_XDP_NAMES));
	ifindex = (int)if_nametoindex(name);
	if (ifindex) {
		if (fz_chance(&t->rng, 1, 3))
			prog = -1;
		else if (fz_chance(&t->rng, 1, 8))
			prog = some_prog_fd(t);
		else
			prog = n_xdp ? xdp_progs[fz_below(&t->rng, n_xdp)] : -1;
		t->ok = !fz_link_xdp(ifindex, prog, flags[fz_below(&t->rng, 6)]);
	}
	if (ns >= 0)
		leave_ns(t);
}

static void op_netns(struct fz_thread *t)
{
	int i = 1 + (int)fz_below(&t->rng, N_NS - 1), fd, old = -1;

	switch (fz_below(&t->rng, 4)) {
	case 0: /* a new namespace in a free place, or in place of one */
		fd = fz_ns_new();
		if (fd < 0)
			return;
		t->ok = 1;
		pthread_mutex_lock(&lock);
		old = nss[i];
		nss[i] = fd;
		pthread_mutex_unlock(&lock);
		break;
	case 1: /* delete one, whatever is in it */
		pthread_mutex_lock(&lock);
		old = nss[i];
		nss[i] = -1;
		pthread_mutex_unlock(&lock);
		break;
	default: { /* move a device from some namespace to another */
		char name[IFNAMSIZ];
		int ns = enter_some_ns(t), ifindex;

		pool_name(t, name);
		ifindex = (int)if_nametoindex(name);
		fd = take_ns(t, NULL);
		if (ifindex && fd >= 0)
			t->ok = !fz_link_set_ns(ifindex, fd);
		if (fd >= 0)
			close(fd);
		if (ns >= 0)
			leave_ns(t);
		break;
	}
	}
	if (old >= 0)
		close(old);
}

/*
 * Sends that never block: a driver that keeps the skbs of a blocking
 * socket queued would otherwise stall the fuzzer, not fail it.
 */
static void udp_send(struct fz_thread *t, const char *dst, size_t len,
		     int count)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		return;
	sin.sin_port = htons((uint16_t)(9 + fz_below(&t->rng, 3)));
	sin.sin_addr.s_addr = tt_ip4(dst);
	fz_fill(&t->rng, t->buf2, len);
	while (count--)
		t->ok |= sendto(s, t->buf2, len, MSG_DONTWAIT,
				(struct sockaddr *)&sin, sizeof(sin)) >= 0;
	close(s);
}

static void frame_send(const char *dev, const uint8_t *frame, size_t len)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_halen = 6 };
	int s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

	if (s < 0)
		return;
	sll.sll_ifindex = (int)if_nametoindex(dev);
	memcpy(&sll.sll_protocol, frame + 12, 2);
	memcpy(sll.sll_addr, frame, 6);
	sendto(s, frame, len, MSG_DONTWAIT, (struct sockaddr *)&sll,
	       sizeof(sll));
	close(s);
}

/* Traffic the stack sends through the devices: UDP, ARP, frames. */
static void op_traffic(struct fz_thread *t)
{
	char name[IFNAMSIZ], dst[32];
	unsigned int idx = fz_below(&t->rng, N_NAMES);
	int ns = enter_some_ns(t);

	snprintf(name, IFNAMSIZ, "fz%u", idx);
	if (fz_chance(&t->rng, 1, 3)) {
		snprintf(dst, sizeof(dst), "198.18.%u.1", idx);
		if (if_nametoindex(name))
			tt_link_prepare(name, dst, 24, NULL);
	}
	if (fz_chance(&t->rng, 2, 3)) {
		snprintf(dst, sizeof(dst), "198.18.%u.%u", idx,
			 2 + fz_below(&t->rng, 3));
		udp_send(t, dst, fz_size(&t->rng, 2000),
			 1 + (int)fz_below(&t->rng, 16));
	} else {
		size_t len = 14 + fz_size(&t->rng, 1500);

		fz_fill(&t->rng, t->buf, len);
		t->buf[0] |= fz_chance(&t->rng, 1, 2) ? 1 : 0;
		put16(t->buf + 12, fz_chance(&t->rng, 1, 2) ? ETH_P_IP :
							     ETH_P_ARP);
		if (if_nametoindex(name))
			frame_send(name, t->buf, len);
	}
	if (ns >= 0)
		leave_ns(t);
}

static struct fz_op ops[] = {
	{ .name = "open", .weight = 10, .fn = op_open },
	{ .name = "close", .weight = 5, .fn = op_close },
	{ .name = "setiff", .weight = 14, .fn = op_setiff },
	{ .name = "ioctl", .weight = 28, .fn = op_ioctl },
	{ .name = "write", .weight = 28, .fn = op_write },
	{ .name = "read", .weight = 12, .fn = op_read },
	{ .name = "poll", .weight = 3, .fn = op_poll },
	{ .name = "async", .weight = 3, .fn = op_async },
	{ .name = "link", .weight = 10, .fn = op_link },
	{ .name = "xdp", .weight = 4, .fn = op_xdp },
	{ .name = "netns", .weight = 3, .fn = op_netns },
	{ .name = "traffic", .weight = 8, .fn = op_traffic },
};

static void thread_start(struct fz_thread *t)
{
	t->home_ns = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (t->home_ns < 0)
		fz_fail(t, "open own netns: %s", tt_errname(errno));
}

static void thread_stop(struct fz_thread *t)
{
	if (t->home_ns >= 0)
		close(t->home_ns);
}

static void load_progs(void)
{
	static const int sf_ret[] = { 0, 1, 2, 7, -1, 64 };
	/* XDP_ABORTED, DROP, PASS, TX, REDIRECT, and an action nobody has */
	static const int xdp_ret[] = { 0, 1, 2, 2, 3, 4, 9 };

	for (size_t i = 0; i < sizeof(sf_ret) / sizeof(sf_ret[0]); i++) {
		int fd = tt_bpf_const_prog(BPF_PROG_TYPE_SOCKET_FILTER,
					   sf_ret[i]);

		if (fd >= 0)
			sf_progs[n_sf++] = fd;
	}
	for (size_t i = 0; i < sizeof(xdp_ret) / sizeof(xdp_ret[0]); i++) {
		int fd = tt_bpf_const_prog(BPF_PROG_TYPE_XDP, xdp_ret[i]);

		if (fd >= 0)
			xdp_progs[n_xdp++] = fd;
	}
	printf("# %d socket-filter and %d XDP programs loaded\n", n_sf, n_xdp);
}

static int tun_main(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	char left[512];
	int bad = 0;

	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGIO, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	if (tt_tun_node()) {
		printf("# no %s\n", TT_TUN_PATH);
		return 1;
	}
	/* Everything in a namespace of our own, gone when we are. */
	if (unshare(CLONE_NEWNET)) {
		printf("# unshare(CLONE_NEWNET): %s\n", tt_errname(errno));
		return 1;
	}
	tt_lo_up();
	nss[0] = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	for (int i = 1; i < N_NS; i++)
		nss[i] = -1;
	for (int i = 0; i < N_SLOTS; i++)
		slots[i].fd = -1;
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	fz_ptr_init();
	load_progs();

	fz_run(ops, sizeof(ops) / sizeof(ops[0]), thread_start, thread_stop);
	fz_report(ops, sizeof(ops) / sizeof(ops[0]));
	printf("# %d signals\n", (int)sigs);

	/* Close everything, then nothing may be left in any namespace. */
	for (int i = 0; i < N_SLOTS; i++)
		if (slots[i].fd >= 0)
			close(slots[i].fd);
	for (int i = 0; i < N_NS; i++) {
		int n;

		if (nss[i] < 0)
			continue;
		n = fz_ns_sweep(nss[i], left, sizeof(left));
		if (n) {
			fz_fail(NULL, "netns %d: %d devices would not go: %s",
				i, n, left);
			bad = 1;
		}
		if (i)
			close(nss[i]);
	}
	if (fz_failed() || bad) {
		printf("# seed %llu failed\n", (unsigned long long)fz_opts.seed);
		return 1;
	}
	printf("# seed %llu passed\n", (unsigned long long)fz_opts.seed);
	return 0;
}

int main(int argc, char **argv)
{
	fz_parse(argc, argv, "tunfuzz");
	return fz_supervise(tun_main);
}
