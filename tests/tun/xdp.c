// SPDX-License-Identifier: GPL-2.0
/*
 * XDP on tun and tap devices: attaching a program (native on a tap, generic
 * only on a tun), what each verdict does to a frame written into the fd
 * (XDP_PASS, XDP_DROP, XDP_TX, XDP_REDIRECT through a DEVMAP into another
 * tap or from a veth into a tap), with the write()'s return value and the
 * exact counters, for blocking and non-blocking writers, with and without a
 * virtio_net_hdr, and the program's lifetime (detach, persistent devices,
 * deletion).
 *
 * No libbpf here: the programs are hand-written instruction arrays loaded
 * with bpf(2), the maps are made with bpf(2), and the programs are attached
 * with RTM_SETLINK/IFLA_XDP and read back with RTM_GETLINK, by hand (with
 * the builder of tests/lib/nl.h).  Every program counts the frames it is
 * run on and their length in an array map, so a case can tell that the
 * program saw a frame, and how long it was.
 *
 * A tap is 198.18.13.1/24 with a permanent neighbour entry for the peer
 * 198.18.13.2 that the fd plays; IPv6 is off on every device.
 *
 * Every expectation was established against the stock tun.ko of 6.1 and
 * 6.12, which behave the same in all of this:
 *
 *  - A tap takes a native program (flags 0 means native there); a tun has
 *    no ndo_bpf: native mode is EOPNOTSUPP, "Underlying driver does not
 *    support XDP in native mode", and flags 0 means generic.
 *
 *  - A write to a tap runs the program natively, on the buffer, when it is
 *    non-blocking, the socket's sndbuf is the default (no TUNSETSNDBUF),
 *    the frame fits a page and the vnet header (if any) has no gso_type.
 *    Any other write (blocking, larger, bounded sndbuf, GSO) runs it on
 *    the skb (generic XDP, called by the driver) before the stack.  Both
 *    see the Ethernet frame without tun_pi or virtio_net_hdr.
 *
 *  - write() returns the full length whatever the verdict.
 *
 *  - The counters, per verdict and path:
 *      PASS            as without XDP, both paths;
 *      DROP, ABORTED   native: rx_dropped +1; generic: nothing at all;
 *      TX              native: rx +1/len, then tx +1/len when read (len
 *                      including the virtio_net_hdr with IFF_VNET_HDR);
 *                      generic: no rx, tx +1/len when read;
 *      REDIRECT        native: rx +1/len on the source; generic: nothing
 *                      on the source; the target tap counts tx +1/len when
 *                      the frame is read from it.
 *
 *  - A native XDP_TX frame is read back without tun_pi, even on a device
 *    that has one (a zero virtio_net_hdr with IFF_VNET_HDR); a generic one
 *    is read like any frame the stack sent, tun_pi included.
 *
 * A driver that cannot attach a native program to a tap (no ndo_bpf) has
 * every case that needs one skipped, with the reason; on the stock driver
 * that is a failure.
 */
#include "nl.h"
#include "tt.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/virtio_net.h>
#include <poll.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define DEV_IP "198.18.13.1"
#define PEER_IP "198.18.13.2"
#define PAYLOAD_LEN 32
#define ECHO_LEN (28 + PAYLOAD_LEN)
#define FRAME_LEN (14 + ECHO_LEN)
#define VH_LEN ((int)sizeof(struct virtio_net_hdr))

static const uint8_t peer_mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x0d, 0x02 };
static uint8_t payload[PAYLOAD_LEN];

/* Set by the first case: can a native program be attached to a tap? */
static int native_ok = -1;

/* ---- bpf(2) ---- */

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

#define INSN(c, d, s, o, i)                                                    \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s),       \
			    .off = (o), .imm = (i) })
#define X_MOV_IMM(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define X_MOV_REG(d, s) INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define X_ADD_IMM(d, i) INSN(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, i)
#define X_SUB_REG(d, s) INSN(BPF_ALU64 | BPF_SUB | BPF_X, d, s, 0, 0)
#define X_LDX(sz, d, s, o) INSN(BPF_LDX | BPF_MEM | (sz), d, s, o, 0)
#define X_STX(sz, d, s, o) INSN(BPF_STX | BPF_MEM | (sz), d, s, o, 0)
#define X_ST(sz, d, o, i) INSN(BPF_ST | BPF_MEM | (sz), d, 0, o, i)
#define X_XADD64(d, s, o) INSN(BPF_STX | BPF_ATOMIC | BPF_DW, d, s, o, BPF_ADD)
#define X_JEQ_IMM(d, i, o) INSN(BPF_JMP | BPF_JEQ | BPF_K, d, 0, o, i)
#define X_JGT_REG(d, s, o) INSN(BPF_JMP | BPF_JGT | BPF_X, d, s, o, 0)
#define X_CALL(f) INSN(BPF_JMP | BPF_CALL, 0, 0, 0, f)
#define X_EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
/* A map's fd into a register: one instruction in two slots. */
#define X_LD_MAP(p, n, d, fd)                                                  \
	do {                                                                   \
		(p)[(n)++] = INSN(BPF_LD | BPF_DW | BPF_IMM, d,                \
				  BPF_PSEUDO_MAP_FD, 0, fd);                   \
		(p)[(n)++] = INSN(0, 0, 0, 0, 0);                              \
	} while (0)

enum prog_kind {
	PROG_VERDICT,	/* count, then return the verdict */
	PROG_SWAP_TX,	/* count, swap the Ethernet addresses, XDP_TX */
	PROG_REDIRECT,	/* count, bpf_redirect_map(devmap, 0, 0) */
};

/*
 * The program: r6 = ctx, r7 = data, r8 = data_end - data; stats[0] gets +1
 * in its first u64 and +r8 in its second.  Then what the kind says.
 */
static int prog_load(enum prog_kind kind, int verdict, int stats_fd,
		     int devmap_fd, uint32_t prog_flags)
{
	static char log[8192];
	struct bpf_insn p[64];
	union bpf_attr a;
	int n = 0, fd;

	p[n++] = X_MOV_REG(BPF_REG_6, BPF_REG_1);
	p[n++] = X_LDX(BPF_W, BPF_REG_7, BPF_REG_6,
		       offsetof(struct xdp_md, data));
	p[n++] = X_LDX(BPF_W, BPF_REG_8, BPF_REG_6,
		       offsetof(struct xdp_md, data_end));
	p[n++] = X_SUB_REG(BPF_REG_8, BPF_REG_7);
	p[n++] = X_ST(BPF_W, BPF_REG_10, -4, 0);
	X_LD_MAP(p, n, BPF_REG_1, stats_fd);
	p[n++] = X_MOV_REG(BPF_REG_2, BPF_REG_10);
	p[n++] = X_ADD_IMM(BPF_REG_2, -4);
	p[n++] = X_CALL(BPF_FUNC_map_lookup_elem);
	p[n++] = X_JEQ_IMM(BPF_REG_0, 0, 3);
	p[n++] = X_MOV_IMM(BPF_REG_1, 1);
	p[n++] = X_XADD64(BPF_REG_0, BPF_REG_1, 0);
	p[n++] = X_XADD64(BPF_REG_0, BPF_REG_8, 8);

	switch (kind) {
	case PROG_VERDICT:
		p[n++] = X_MOV_IMM(BPF_REG_0, verdict);
		p[n++] = X_EXIT();
		break;
	case PROG_SWAP_TX:
		p[n++] = X_LDX(BPF_W, BPF_REG_2, BPF_REG_6,
			       offsetof(struct xdp_md, data_end));
		p[n++] = X_MOV_REG(BPF_REG_3, BPF_REG_7);
		p[n++] = X_ADD_IMM(BPF_REG_3, 12);
		p[n++] = X_JGT_REG(BPF_REG_3, BPF_REG_2, 10);
		p[n++] = X_LDX(BPF_W, BPF_REG_4, BPF_REG_7, 0);
		p[n++] = X_LDX(BPF_H, BPF_REG_5, BPF_REG_7, 4);
		p[n++] = X_LDX(BPF_W, BPF_REG_1, BPF_REG_7, 6);
		p[n++] = X_LDX(BPF_H, BPF_REG_3, BPF_REG_7, 10);
		p[n++] = X_STX(BPF_W, BPF_REG_7, BPF_REG_1, 0);
		p[n++] = X_STX(BPF_H, BPF_REG_7, BPF_REG_3, 4);
		p[n++] = X_STX(BPF_W, BPF_REG_7, BPF_REG_4, 6);
		p[n++] = X_STX(BPF_H, BPF_REG_7, BPF_REG_5, 10);
		p[n++] = X_MOV_IMM(BPF_REG_0, XDP_TX);
		p[n++] = X_EXIT();
		p[n++] = X_MOV_IMM(BPF_REG_0, XDP_DROP);
		p[n++] = X_EXIT();
		break;
	case PROG_REDIRECT:
		X_LD_MAP(p, n, BPF_REG_1, devmap_fd);
		p[n++] = X_MOV_IMM(BPF_REG_2, 0);
		p[n++] = X_MOV_IMM(BPF_REG_3, 0);
		p[n++] = X_CALL(BPF_FUNC_redirect_map);
		p[n++] = X_EXIT();
		break;
	}

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_XDP;
	a.insns = (uint64_t)(uintptr_t)p;
	a.insn_cnt = (uint32_t)n;
	a.license = (uint64_t)(uintptr_t)"GPL";
	a.prog_flags = prog_flags;
	snprintf(a.prog_name, sizeof(a.prog_name), "tt_xdp");
	fd = (int)sys_bpf(BPF_PROG_LOAD, &a);
	if (fd < 0) {
		int e = errno;

		/* Again, with the verifier's log, to say why. */
		a.log_buf = (uint64_t)(uintptr_t)log;
		a.log_size = sizeof(log);
		a.log_level = 1;
		log[0] = 0;
		if (sys_bpf(BPF_PROG_LOAD, &a) < 0)
			tt_note("verifier: %s", log);
		errno = e;
		return -1;
	}
	tt_defer_fd(fd);
	return fd;
}

static int map_create(enum bpf_map_type type, uint32_t vsize, uint32_t max)
{
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = 4;
	a.value_size = vsize;
	a.max_entries = max;
	fd = (int)sys_bpf(BPF_MAP_CREATE, &a);
	if (fd >= 0)
		tt_defer_fd(fd);
	return fd;
}

static int map_update(int fd, uint32_t key, const void *val)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = (uint64_t)(uintptr_t)&key;
	a.value = (uint64_t)(uintptr_t)val;
	a.flags = BPF_ANY;
	return (int)sys_bpf(BPF_MAP_UPDATE_ELEM, &a);
}

/* What the program counted: frames run on, and their bytes. */
static int seen(int stats_fd, unsigned long long *frames,
		unsigned long long *bytes)
{
	uint64_t v[2] = { 0, 0 };
	uint32_t key = 0;
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)stats_fd;
	a.key = (uint64_t)(uintptr_t)&key;
	a.value = (uint64_t)(uintptr_t)v;
	if (sys_bpf(BPF_MAP_LOOKUP_ELEM, &a) < 0)
		return -1;
	*frames = v[0];
	*bytes = v[1];
	return 0;
}

#define SEEN(stats_fd, frames, bytes)                                          \
	do {                                                                   \
		unsigned long long f_, b_;                                     \
		TT_SYS(seen(stats_fd, &f_, &b_));                              \
		TT_EQ(f_, frames);                                             \
		TT_EQ(b_, bytes);                                              \
	} while (0)

static uint32_t prog_id(int fd)
{
	struct bpf_prog_info info;
	union bpf_attr a;

	memset(&info, 0, sizeof(info));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = sizeof(info);
	a.info.info = (uint64_t)(uintptr_t)&info;
	if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a) < 0)
		return 0;
	return info.id;
}

/* BPF_PROG_GET_FD_BY_ID: is a program with this id still alive? */
static int prog_alive(uint32_t id)
{
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.prog_id = id;
	fd = (int)sys_bpf(BPF_PROG_GET_FD_BY_ID, &a);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	close(fd);
	return 1;
}

/* A stats map and a program of that kind counting into it. */
struct prog {
	int fd, stats;
	uint32_t id;
};

/* @prog_flags: BPF_PROG_LOAD's (BPF_F_XDP_HAS_FRAGS), usually 0. */
static int mkprog_flags(struct prog *p, enum prog_kind kind, int verdict,
			int devmap_fd, uint32_t prog_flags)
{
	p->stats = map_create(BPF_MAP_TYPE_ARRAY, 16, 1);
	if (p->stats < 0)
		return tt_fail("BPF_MAP_CREATE array: %s", tt_errname(errno));
	p->fd = prog_load(kind, verdict, p->stats, devmap_fd, prog_flags);
	if (p->fd < 0)
		return tt_fail("BPF_PROG_LOAD: %s", tt_errname(errno));
	p->id = prog_id(p->fd);
	if (!p->id)
		return tt_fail("BPF_OBJ_GET_INFO_BY_FD: %s",
			       tt_errname(errno));
	return TT_PASS;
}

static int mkprog(struct prog *p, enum prog_kind kind, int verdict,
		  int devmap_fd)
{
	return mkprog_flags(p, kind, verdict, devmap_fd, 0);
}

/* ---- rtnetlink: IFLA_XDP ---- */

/*
 * RTM_SETLINK IFLA_XDP { IFLA_XDP_FD fd, IFLA_XDP_FLAGS flags } on dev.
 * 0 or -errno; the extack message, if any, in msg.
 */
static int xdp_set(const char *dev, int fd, uint32_t flags, char *msg,
		   size_t msglen)
{
	int ifindex = (int)if_nametoindex(dev), err;
	struct tt_nl_ack ack;
	struct nlattr *nest;
	struct tt_nl m;

	if (msg && msglen)
		msg[0] = 0;
	if (!ifindex)
		return -ENODEV;
	tt_nl_init_link(&m, RTM_SETLINK, 0, ifindex);
	nest = tt_nl_nest_start(&m, IFLA_XDP);
	tt_nl_put_u32(&m, IFLA_XDP_FD, (uint32_t)fd);
	tt_nl_put_u32(&m, IFLA_XDP_FLAGS, flags);
	tt_nl_nest_end(&m, nest);
	err = tt_nl_talk(NETLINK_ROUTE, &m, NULL, NULL, &ack);
	if (err < 0)
		return -errno;
	if (msg && msglen)
		snprintf(msg, msglen, "%s", ack.msg);
	return -err;
}

struct xdp_info {
	int attached;		/* XDP_ATTACHED_*, -1 before the answer */
	uint32_t id;
	int found;		/* the answer had IFLA_XDP */
};

/* The RTM_NEWLINK that answers xdp_query(): its IFLA_XDP. */
static int xdp_info(struct nlmsghdr *nh, void *arg)
{
	struct xdp_info *xi = arg;
	struct rtattr *rta;
	int len;

	if (nh->nlmsg_type != RTM_NEWLINK)
		return -1;
	len = (int)(nh->nlmsg_len - NLMSG_LENGTH(sizeof(struct ifinfomsg)));
	for (rta = IFLA_RTA((struct ifinfomsg *)NLMSG_DATA(nh)); RTA_OK(rta, len);
	     rta = RTA_NEXT(rta, len)) {
		struct rtattr *x;
		int xlen;

		if ((rta->rta_type & ~NLA_F_NESTED) != IFLA_XDP)
			continue;
		xlen = (int)RTA_PAYLOAD(rta);
		for (x = RTA_DATA(rta); RTA_OK(x, xlen); x = RTA_NEXT(x, xlen)) {
			if (x->rta_type == IFLA_XDP_ATTACHED)
				xi->attached = *(uint8_t *)RTA_DATA(x);
			else if (x->rta_type == IFLA_XDP_PROG_ID)
				xi->id = *(uint32_t *)RTA_DATA(x);
		}
		xi->found = 1;
	}
	return 0;
}

/*
 * RTM_GETLINK: IFLA_XDP_ATTACHED (XDP_ATTACHED_*) and IFLA_XDP_PROG_ID of
 * dev.  0 or -errno.
 */
static int xdp_query(const char *dev, int *attached, uint32_t *id)
{
	struct xdp_info xi = { .attached = -1 };
	int ifindex = (int)if_nametoindex(dev), err;
	struct tt_nl m;

	*attached = -1;
	*id = 0;
	if (!ifindex)
		return -ENODEV;
	tt_nl_init_link(&m, RTM_GETLINK, 0, ifindex);
	err = tt_nl_talk(NETLINK_ROUTE, &m, xdp_info, &xi, NULL);
	if (err)
		return err < 0 ? -errno : -err;
	if (!xi.found)
		return -ENOENT;
	*attached = xi.attached;
	*id = xi.id;
	return 0;
}

/* The program attached to dev must be id, in mode (XDP_ATTACHED_*). */
static int attached_is(const char *dev, int mode, uint32_t id)
{
	uint32_t got_id;
	int got;

	TT_SYS(xdp_query(dev, &got, &got_id));
	TT_EQ(got, mode);
	TT_EQ(got_id, id);
	return TT_PASS;
}

#define ATTACHED(dev, mode, id) TT_CALL(attached_is(dev, mode, id))

/* Attach fd in a mode that must work. */
static int attach(const char *dev, int fd, uint32_t flags)
{
	char msg[256];
	int err = xdp_set(dev, fd, flags, msg, sizeof(msg));

	TT_CHECK(!err, "attaching XDP (flags 0x%x) to %s: %s%s%s", flags, dev,
		 tt_errname(-err), msg[0] ? ": " : "", msg);
	return TT_PASS;
}

#define ATTACH(dev, fd, flags) TT_CALL(attach(dev, fd, flags))

/* Cases that need a native program on a tap go through here. */
static int need_native(void)
{
	if (native_ok > 0)
		return TT_PASS;
	if (!strcmp(tt_impl(), "stock"))
		return tt_fail("the stock driver refused a native XDP program "
			       "(see tap_native_attach)");
	return tt_skip("driver has no native XDP");
}

#define NEED_NATIVE() TT_CALL(need_native())

/* ---- devices and frames ---- */

/*
 * A fresh device, up, IPv6 off (tt_mkdev(.., NULL)); addressed, with
 * 198.18.13.1/24 and (tap) the peer's permanent neighbour entry, so that
 * only the frames a case provokes reach the fd.
 */
static const struct tt_devopts addressed = {
	.ip = DEV_IP,
	.peer_ip = PEER_IP,
	.peer_mac = peer_mac,
};

/* Echo requests from the peer to the device (to a tap's MAC). */
static const struct tt_echo echo = {
	.dev_ip = DEV_IP,
	.peer_ip = PEER_IP,
	.id = 0x4d4d,
	.payload = payload,
	.plen = PAYLOAD_LEN,
	.peer_mac = peer_mac,
};

/* An echo request from the peer to the device (to tap's MAC): FRAME_LEN. */
static size_t echo_frame(uint8_t *buf, const char *dev, uint16_t seq)
{
	uint8_t mac[6] = { 0 };

	tt_link_hwaddr(dev, mac);
	return tt_echo_request(buf, &echo, mac, seq);
}

/*
 * The stack's reply to echo_frame(seq), byte for byte where it is fixed:
 * beyond tt_echo_reply_check(), the IPv4 TOS (0), fragment field (0) and
 * TTL (64) too, all but the id (the stack's choice) and so the checksum.
 */
static int check_reply(const uint8_t *p, size_t len, const char *dev,
		       uint16_t seq)
{
	uint8_t mac[6];

	TT_SYS(tt_link_hwaddr(dev, mac));
	TT_CALL(tt_echo_reply_check(p, len, &echo, mac, seq));
	TT_EQ(p[14 + 1], 0);
	TT_EQ(p[14 + 6] << 8 | p[14 + 7], 0);
	TT_EQ(p[14 + 8], 64);
	return TT_PASS;
}

/* write() in blocking or non-blocking mode. */
static ssize_t wr(int fd, const void *buf, size_t len, int nonblock)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -1;
	fl = nonblock ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
	if (fcntl(fd, F_SETFL, fl) < 0)
		return -1;
	return write(fd, buf, len);
}

/* Nothing (more) comes out of fd within ms. */
static int silent(int fd, int ms)
{
	uint8_t buf[2048];

	TT_ERRNO(tt_read_timeout(fd, buf, sizeof(buf), ms), ETIMEDOUT);
	return TT_PASS;
}

#define SILENT(fd, ms) TT_CALL(silent(fd, ms))

struct st {
	unsigned long long rxp, rxb, rxd, txp, txb, txd;
};

static int stats_are(const char *dev, struct st w)
{
	struct tt_stats s;

	TT_SYS(tt_stats(dev, &s));
	tt_note("%s: rx %llu/%llu drop %llu, tx %llu/%llu drop %llu", dev,
		s.rx_packets, s.rx_bytes, s.rx_dropped, s.tx_packets,
		s.tx_bytes, s.tx_dropped);
	TT_STATS_EQ(s, rx_packets, w.rxp);
	TT_STATS_EQ(s, rx_bytes, w.rxb);
	TT_STATS_EQ(s, rx_dropped, w.rxd);
	TT_STATS_EQ(s, tx_packets, w.txp);
	TT_STATS_EQ(s, tx_bytes, w.txb);
	TT_STATS_EQ(s, tx_dropped, w.txd);
	return TT_PASS;
}

#define STATS(dev, ...) TT_CALL(stats_are(dev, (struct st){ __VA_ARGS__ }))

/*
 * A device of flags (addressed) with a program of that kind attached in
 * native mode; its fd in *fdp.
 */
static int prog_dev(const char *dev, int flags, struct prog *p,
		    enum prog_kind kind, int verdict, int *fdp)
{
	*fdp = tt_mkdev(dev, flags, &addressed);
	TT_SYS(*fdp);
	TT_CALL(mkprog(p, kind, verdict, -1));
	ATTACH(dev, p->fd, XDP_FLAGS_DRV_MODE);
	return TT_PASS;
}

/* A DEVMAP whose entry 0 is dev; the map's fd in *dmp. */
static int devmap_to(const char *dev, int *dmp)
{
	uint32_t ifindex = if_nametoindex(dev);

	*dmp = map_create(BPF_MAP_TYPE_DEVMAP, 4, 1);
	TT_CHECK(*dmp >= 0, "BPF_MAP_CREATE devmap: %s", tt_errname(errno));
	TT_SYS(map_update(*dmp, 0, &ifindex));
	return TT_PASS;
}

/* Echo request seq is written into fd whole, blocking or not. */
static int write_echo(int fd, const char *dev, uint16_t seq, int nonblock)
{
	uint8_t req[FRAME_LEN];

	TT_EQ(wr(fd, req, echo_frame(req, dev, seq), nonblock), FRAME_LEN);
	return TT_PASS;
}

/* Echo request seq written into fd is answered (check_reply()). */
static int echo_answered(int fd, const char *dev, uint16_t seq, int nonblock)
{
	uint8_t buf[2048];
	ssize_t n;

	TT_CALL(write_echo(fd, dev, seq, nonblock));
	n = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_SYS(n);
	return check_reply(buf, (size_t)n, dev, seq);
}

/* In out: frame with its Ethernet addresses swapped, as PROG_SWAP_TX does. */
static void swap_macs(uint8_t *out, const uint8_t *frame, size_t len)
{
	memcpy(out, frame + 6, 6);
	memcpy(out + 6, frame, 6);
	memcpy(out + 12, frame + 12, len - 12);
}

/*
 * `ip -d link show dev` has program id, attached in mode ("xdp" or
 * "xdpgeneric") on the link line.
 */
static int ip_shows(const char *dev, uint32_t id, const char *mode)
{
	char out[4096], want[64];

	TT_EQ(tt_sh_out(out, sizeof(out), "ip -d link show dev %s", dev), 0);
	snprintf(want, sizeof(want), "prog/xdp id %u ", id);
	TT_CHECK(strstr(out, want), "ip -d link show lacks \"%s\": %s", want,
		 out);
	snprintf(want, sizeof(want), "> mtu 1500 %s ", mode);
	TT_CHECK(strstr(out, want), "ip link show lacks \"%s\": %s", mode,
		 out);
	return TT_PASS;
}

/* ---- cases: attaching ---- */

static int c_tap_native_attach(void)
{
	char msg[256];
	struct prog p;
	int err;

	native_ok = 0;
	TT_SYS(tt_mkdev("ttxdp0", IFF_TAP | IFF_NO_PI, &addressed));
	TT_CALL(mkprog(&p, PROG_VERDICT, XDP_PASS, -1));
	ATTACHED("ttxdp0", XDP_ATTACHED_NONE, 0);
	err = xdp_set("ttxdp0", p.fd, XDP_FLAGS_DRV_MODE, msg, sizeof(msg));
	if (err) {
		tt_note("native attach: %s%s%s", tt_errname(-err),
			msg[0] ? ": " : "", msg);
		if (!strcmp(tt_impl(), "stock"))
			return tt_fail("native attach on a stock tap: %s %s",
				       tt_errname(-err), msg);
		if (err == -EOPNOTSUPP || err == -EINVAL)
			return tt_skip("driver has no native XDP");
		return tt_fail("native attach: want 0 or EOPNOTSUPP, got %s",
			       tt_errname(-err));
	}
	native_ok = 1;
	ATTACHED("ttxdp0", XDP_ATTACHED_DRV, p.id);
	/* ip shows it too: "xdp" on the link line, "prog/xdp id N" with -d. */
	TT_CALL(ip_shows("ttxdp0", p.id, "xdp"));
	/* Replacing it with no program: detached. */
	ATTACH("ttxdp0", -1, XDP_FLAGS_DRV_MODE);
	ATTACHED("ttxdp0", XDP_ATTACHED_NONE, 0);
	return TT_PASS;
}

static int c_tap_attach_default_mode(void)
{
	struct prog p;

	NEED_NATIVE();
	TT_SYS(tt_mkdev("ttxdp1", IFF_TAP | IFF_NO_PI, &addressed));
	TT_CALL(mkprog(&p, PROG_VERDICT, XDP_PASS, -1));
	/* No mode asked: a tap gets the native mode. */
	ATTACH("ttxdp1", p.fd, 0);
	ATTACHED("ttxdp1", XDP_ATTACHED_DRV, p.id);
	return TT_PASS;
}

static int c_tun_native_attach_refused(void)
{
	char msg[256];
	struct prog p;
	int err;

	TT_SYS(tt_mkdev("ttxdp2", IFF_TUN | IFF_NO_PI, &addressed));
	TT_CALL(mkprog(&p, PROG_VERDICT, XDP_PASS, -1));
	/* A tun has no ndo_bpf: no native mode, and the core says so. */
	err = xdp_set("ttxdp2", p.fd, XDP_FLAGS_DRV_MODE, msg, sizeof(msg));
	tt_note("native attach on tun: %s: %s", tt_errname(-err), msg);
	TT_EQ(err, -EOPNOTSUPP);
	TT_STREQ(msg, "Underlying driver does not support XDP in native mode");
	ATTACHED("ttxdp2", XDP_ATTACHED_NONE, 0);
	/* No mode asked: generic. */
	ATTACH("ttxdp2", p.fd, 0);
	ATTACHED("ttxdp2", XDP_ATTACHED_SKB, p.id);
	ATTACH("ttxdp2", -1, 0);
	ATTACHED("ttxdp2", XDP_ATTACHED_NONE, 0);
	/* Generic asked: generic, and ip says "xdpgeneric". */
	ATTACH("ttxdp2", p.fd, XDP_FLAGS_SKB_MODE);
	ATTACHED("ttxdp2", XDP_ATTACHED_SKB, p.id);
	TT_CALL(ip_shows("ttxdp2", p.id, "xdpgeneric"));
	return TT_PASS;
}

/*
 * Generic XDP on a tun runs in the stack, after the driver counted the
 * packet: XDP_DROP leaves rx_packets counted and nothing answered.
 */
static int c_tun_generic_drop(void)
{
	uint8_t req[ECHO_LEN];
	struct prog p;
	int fd;

	fd = tt_mkdev("ttxdp3", IFF_TUN | IFF_NO_PI, &addressed);
	TT_SYS(fd);
	TT_CALL(mkprog(&p, PROG_VERDICT, XDP_DROP, -1));
	ATTACH("ttxdp3", p.fd, XDP_FLAGS_SKB_MODE);
	tt_icmp4_echo(req, tt_ip4(PEER_IP), tt_ip4(DEV_IP), 8, 0x4d4d, 1,
		      payload, PAYLOAD_LEN);
	TT_EQ(wr(fd, req, ECHO_LEN, 1), ECHO_LEN);
	TT_EQ(wr(fd, req, ECHO_LEN, 0), ECHO_LEN);
	SILENT(fd, 300);
	/* The program sees the IP packet: a tun has no link header. */
	SEEN(p.stats, 2, 2 * ECHO_LEN);
	STATS("ttxdp3", 2, 2 * ECHO_LEN, 0, 0, 0, 0);
	return TT_PASS;
}

/* ---- cases: verdicts on a tap ---- */

static int pass_case(const char *dev, int nonblock)
{
	struct prog p;
	int fd;

	NEED_NATIVE();
	TT_CALL(prog_dev(dev, IFF_TAP | IFF_NO_PI, &p, PROG_VERDICT, XDP_PASS,
			 &fd));
	TT_CALL(echo_answered(fd, dev, 1, nonblock));
	SEEN(p.stats, 1, FRAME_LEN);
	TT_CALL(echo_answered(fd, dev, 2, nonblock));
	SILENT(fd, 100);
	SEEN(p.stats, 2, 2 * FRAME_LEN);
	STATS(dev, 2, 2 * FRAME_LEN, 0, 2, 2 * FRAME_LEN, 0);
	return TT_PASS;
}

static int c_pass_nonblock(void)
{
	return pass_case("ttxdp4", 1);
}

static int c_pass_blocking(void)
{
	return pass_case("ttxdp5", 0);
}

static int drop_case(const char *dev, int nonblock)
{
	struct prog p;
	int fd;

	NEED_NATIVE();
	TT_CALL(prog_dev(dev, IFF_TAP | IFF_NO_PI, &p, PROG_VERDICT, XDP_DROP,
			 &fd));
	/* The write is taken whole... */
	TT_CALL(write_echo(fd, dev, 1, nonblock));
	TT_CALL(write_echo(fd, dev, 2, nonblock));
	/* ...and nothing reaches the stack. */
	SILENT(fd, 300);
	SEEN(p.stats, 2, 2 * FRAME_LEN);
	/*
	 * Native drops count in rx_dropped, one per frame; generic ones
	 * (blocking writes) count nowhere.
	 */
	STATS(dev, 0, 0, nonblock ? 2 : 0, 0, 0, 0);
	return TT_PASS;
}

static int c_drop_nonblock(void)
{
	return drop_case("ttxdp6", 1);
}

static int c_drop_blocking(void)
{
	return drop_case("ttxdp7", 0);
}

/*
 * XDP_TX: the frame comes back out of the same fd, its addresses swapped
 * by the program.  The two paths differ in what they put in front of it
 * and in what they count:
 *
 *  native (small non-blocking write): the frame is queued as an xdp_frame,
 *  and read back without tun_pi even on a device that has one; rx counts
 *  the frame, tx counts it when it is read;
 *
 *  generic (blocking write): the frame goes out through the device's own
 *  transmit as an skb and is read back like any frame the stack sent,
 *  behind tun_pi where the device has one; rx counts nothing.
 */
static int tx_case(const char *dev, int nonblock, int flags)
{
	uint8_t req[VH_LEN + FRAME_LEN], want[4 + VH_LEN + FRAME_LEN];
	uint8_t buf[2048];
	size_t hin = 0, hout = 0;
	struct prog p;
	ssize_t n;
	int fd;

	NEED_NATIVE();
	TT_CALL(prog_dev(dev, flags, &p, PROG_SWAP_TX, 0, &fd));
	memset(req, 0, sizeof(req));
	memset(want, 0, sizeof(want));
	if (!(flags & IFF_NO_PI)) {
		req[2] = 0x08;	/* tun_pi { 0, ETH_P_IP } */
		hin = 4;
		if (!nonblock) {
			want[2] = 0x08;
			hout = 4;
		}
	}
	if (flags & IFF_VNET_HDR) {
		/* A zero virtio_net_hdr in, a zero one out. */
		hin += VH_LEN;
		hout += VH_LEN;
	}
	echo_frame(req + hin, dev, 1);
	swap_macs(want + hout, req + hin, FRAME_LEN);
	TT_EQ(wr(fd, req, hin + FRAME_LEN, nonblock),
	      (ssize_t)(hin + FRAME_LEN));
	n = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_SYS(n);
	if (n != (ssize_t)(hout + FRAME_LEN) ||
	    tt_memdiff(buf, want, hout + FRAME_LEN) >= 0)
		tt_hexdump("read", buf, (size_t)n);
	TT_EQ(n, hout + FRAME_LEN);
	TT_MEMEQ(buf, want, hout + FRAME_LEN);
	SILENT(fd, 300);
	SEEN(p.stats, 1, FRAME_LEN);
	/*
	 * An xdp_frame read behind a virtio_net_hdr counts the header in
	 * tx_bytes (an skb never does).
	 */
	if (nonblock)
		STATS(dev, 1, FRAME_LEN, 0, 1,
		      FRAME_LEN + ((flags & IFF_VNET_HDR) ? VH_LEN : 0), 0);
	else
		STATS(dev, 0, 0, 0, 1, FRAME_LEN, 0);
	return TT_PASS;
}

static int c_tx_nonblock(void)
{
	return tx_case("ttxdp8", 1, IFF_TAP | IFF_NO_PI);
}

static int c_tx_blocking(void)
{
	return tx_case("ttxdp9", 0, IFF_TAP | IFF_NO_PI);
}

static int c_tx_nonblock_pi(void)
{
	return tx_case("ttxdp10", 1, IFF_TAP);
}

static int c_tx_blocking_pi(void)
{
	return tx_case("ttxdp11", 0, IFF_TAP);
}

static int c_tx_nonblock_vnet(void)
{
	return tx_case("ttxdp27", 1, IFF_TAP | IFF_NO_PI | IFF_VNET_HDR);
}

static int c_tx_blocking_vnet(void)
{
	return tx_case("ttxdp28", 0, IFF_TAP | IFF_NO_PI | IFF_VNET_HDR);
}

/*
 * XDP_ABORTED: dropped like XDP_DROP, and counted the same way (native:
 * rx_dropped; generic: nothing).
 */
static int c_aborted(void)
{
	struct prog p;
	int fd;

	NEED_NATIVE();
	TT_CALL(prog_dev("ttxdp29", IFF_TAP | IFF_NO_PI, &p, PROG_VERDICT,
			 XDP_ABORTED, &fd));
	TT_CALL(write_echo(fd, "ttxdp29", 1, 1));
	TT_CALL(write_echo(fd, "ttxdp29", 2, 0));
	SILENT(fd, 300);
	SEEN(p.stats, 2, 2 * FRAME_LEN);
	STATS("ttxdp29", 0, 0, 1, 0, 0, 0);
	return TT_PASS;
}

/* ---- cases: redirect ---- */

/*
 * XDP_REDIRECT through a DEVMAP from tap A into tap B, byte for byte.  A
 * native redirect hands an xdp_frame to B's ndo_xdp_xmit; a generic one
 * (blocking write) hands the skb to B's ndo_start_xmit.
 */
static int redirect_case(const char *a, const char *b, int nonblock)
{
	uint8_t req[FRAME_LEN], buf[2048];
	struct prog p;
	int fa, fb, dm;
	ssize_t n;

	NEED_NATIVE();
	fa = tt_mkdev(a, IFF_TAP | IFF_NO_PI, &addressed);
	TT_SYS(fa);
	fb = tt_mkdev(b, IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fb);
	TT_CALL(devmap_to(b, &dm));
	TT_CALL(mkprog(&p, PROG_REDIRECT, 0, dm));
	ATTACH(a, p.fd, XDP_FLAGS_DRV_MODE);
	TT_EQ(wr(fa, req, echo_frame(req, a, 1), nonblock), FRAME_LEN);
	n = tt_read_timeout(fb, buf, sizeof(buf), TT_WAIT_MS);
	TT_SYS(n);
	TT_EQ(n, FRAME_LEN);
	TT_MEMEQ(buf, req, FRAME_LEN);
	SILENT(fb, 100);
	SILENT(fa, 200);
	SEEN(p.stats, 1, FRAME_LEN);
	/*
	 * A counts a natively redirected frame as received, not a generic
	 * one; B counts it as sent when it is read.
	 */
	if (nonblock)
		STATS(a, 1, FRAME_LEN, 0, 0, 0, 0);
	else
		STATS(a, 0, 0, 0, 0, 0, 0);
	STATS(b, 0, 0, 0, 1, FRAME_LEN, 0);
	return TT_PASS;
}

static int c_redirect_nonblock(void)
{
	return redirect_case("ttxdp12", "ttxdp13", 1);
}

static int c_redirect_blocking(void)
{
	return redirect_case("ttxdp14", "ttxdp15", 0);
}

/*
 * A frame sent into a veth whose peer redirects it (native XDP in veth)
 * through a DEVMAP into a tap: the tap's ndo_xdp_xmit.
 */
static int c_veth_redirect(void)
{
	uint8_t f[FRAME_LEN], buf[2048], mac[6];
	struct sockaddr_ll sll;
	struct prog p;
	int fb, dm, s;
	ssize_t n;

	NEED_NATIVE();
	fb = tt_mkdev("ttxdp16", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fb);
	TT_EQ(tt_sh("ip link add ttxve0 type veth peer name ttxve1"), 0);
	tt_defer_link("ttxve0");
	tt_defer_link("ttxve1");
	TT_SYS(tt_link_prepare("ttxve0", NULL, 0, NULL));
	TT_SYS(tt_link_prepare("ttxve1", NULL, 0, NULL));
	/*
	 * Until linkwatch has seen the carrier, ttxve0's qdisc is noop and
	 * drops what is sent: wait for both ends to be up.
	 */
	TT_CHECK(tt_link_wait_operstate("ttxve0", "up", TT_WAIT_MS) &&
		 tt_link_wait_operstate("ttxve1", "up", TT_WAIT_MS),
		 "the veth pair never came up");
	TT_CALL(devmap_to("ttxdp16", &dm));
	TT_CALL(mkprog(&p, PROG_REDIRECT, 0, dm));
	ATTACH("ttxve1", p.fd, XDP_FLAGS_DRV_MODE);
	ATTACHED("ttxve1", XDP_ATTACHED_DRV, p.id);

	TT_SYS(tt_link_hwaddr("ttxve1", mac));
	tt_eth(f, mac, peer_mac, 0x0800);
	tt_icmp4_echo(f + 14, tt_ip4(PEER_IP), tt_ip4(DEV_IP), 8, 0x4d4d, 9,
		      payload, PAYLOAD_LEN);
	s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	TT_SYS(s);
	tt_defer_fd(s);
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = (int)if_nametoindex("ttxve0");
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, mac, 6);
	TT_EQ(sendto(s, f, sizeof(f), 0, (struct sockaddr *)&sll, sizeof(sll)),
	      FRAME_LEN);
	n = tt_read_timeout(fb, buf, sizeof(buf), TT_WAIT_MS);
	if (n < 0) {
		stats_are("ttxve1", (struct st){ 0 });
		return tt_fail("nothing redirected into ttxdp16: %s",
			       tt_errname(errno));
	}
	TT_EQ(n, FRAME_LEN);
	TT_MEMEQ(buf, f, FRAME_LEN);
	SILENT(fb, 200);
	SEEN(p.stats, 1, FRAME_LEN);
	STATS("ttxdp16", 0, 0, 0, 1, FRAME_LEN, 0);
	return TT_PASS;
}

/* ---- cases: the path a write takes ---- */

/*
 * With IFF_VNET_HDR, a header without GSO: the program sees the frame
 * behind the header, and the reply comes back behind a zero header.
 */
static int vnet_pass_case(const char *dev, int nonblock)
{
	uint8_t req[VH_LEN + FRAME_LEN], buf[2048], zero[VH_LEN];
	struct prog p;
	ssize_t n;
	int fd;

	NEED_NATIVE();
	TT_CALL(prog_dev(dev, IFF_TAP | IFF_NO_PI | IFF_VNET_HDR, &p,
			 PROG_VERDICT, XDP_PASS, &fd));
	memset(req, 0, VH_LEN);
	memset(zero, 0, VH_LEN);
	echo_frame(req + VH_LEN, dev, 1);
	TT_EQ(wr(fd, req, sizeof(req), nonblock), (ssize_t)sizeof(req));
	n = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_SYS(n);
	TT_EQ(n, VH_LEN + FRAME_LEN);
	TT_MEMEQ(buf, zero, VH_LEN);
	TT_CALL(check_reply(buf + VH_LEN, (size_t)n - VH_LEN, dev, 1));
	SEEN(p.stats, 1, FRAME_LEN);
	STATS(dev, 1, FRAME_LEN, 0, 1, FRAME_LEN, 0);
	return TT_PASS;
}

static int c_vnet_pass_nonblock(void)
{
	return vnet_pass_case("ttxdp17", 1);
}

static int c_vnet_pass_blocking(void)
{
	return vnet_pass_case("ttxdp18", 0);
}

/*
 * A TCP/IPv4 GSO frame (two segments of 1000) behind a vnet header with
 * gso_type TCPV4: stock runs the program on the skb (generic), also for a
 * small non-blocking write.  The program sees the whole frame.
 */
static int vnet_gso_drop_case(const char *dev, int nonblock)
{
	uint8_t f[VH_LEN + 14 + 40 + 2000];
	size_t flen = sizeof(f) - VH_LEN;
	uint8_t mac[6], *ip;
	uint32_t src, dst;
	struct prog p;
	uint16_t v;
	int fd;

	NEED_NATIVE();
	TT_CALL(prog_dev(dev, IFF_TAP | IFF_NO_PI | IFF_VNET_HDR, &p,
			 PROG_VERDICT, XDP_DROP, &fd));
	TT_SYS(tt_link_hwaddr(dev, mac));
	memset(f, 0, sizeof(f));
	f[0] = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	f[1] = VIRTIO_NET_HDR_GSO_TCPV4;
	v = 14 + 40;	/* hdr_len */
	memcpy(f + 2, &v, 2);
	v = 1000;	/* gso_size */
	memcpy(f + 4, &v, 2);
	v = 14 + 20;	/* csum_start */
	memcpy(f + 6, &v, 2);
	v = 16;		/* csum_offset */
	memcpy(f + 8, &v, 2);
	tt_eth(f + VH_LEN, mac, peer_mac, 0x0800);
	/* IPv4 + TCP, 2000 bytes of data; the TCP checksum left partial. */
	ip = f + VH_LEN + 14;
	ip[0] = 0x45;
	ip[2] = (uint8_t)((40 + 2000) >> 8);
	ip[3] = (uint8_t)(40 + 2000);
	ip[6] = 0x40;	/* DF */
	ip[8] = 64;
	ip[9] = 6;
	src = tt_ip4(PEER_IP);
	dst = tt_ip4(DEV_IP);
	memcpy(ip + 12, &src, 4);
	memcpy(ip + 16, &dst, 4);
	v = tt_csum(ip, 20);
	memcpy(ip + 10, &v, 2);
	f[VH_LEN + 34 + 0] = 0x13;	/* sport 5001 */
	f[VH_LEN + 34 + 1] = 0x89;
	f[VH_LEN + 34 + 2] = 0x1b;	/* dport 7000 */
	f[VH_LEN + 34 + 3] = 0x58;
	f[VH_LEN + 34 + 12] = 0x50;	/* data offset 5 */
	f[VH_LEN + 34 + 13] = 0x18;	/* ACK PSH */
	f[VH_LEN + 34 + 14] = 0xff;
	for (size_t i = VH_LEN + 54; i < sizeof(f); i++)
		f[i] = (uint8_t)i;
	TT_EQ(wr(fd, f, sizeof(f), nonblock), (ssize_t)sizeof(f));
	SILENT(fd, 300);
	SEEN(p.stats, 1, flen);
	/* A generic drop: counted nowhere, non-blocking or not. */
	STATS(dev, 0, 0, 0, 0, 0, 0);
	return TT_PASS;
}

static int c_vnet_gso_drop_nonblock(void)
{
	return vnet_gso_drop_case("ttxdp19", 1);
}

static int c_vnet_gso_drop_blocking(void)
{
	return vnet_gso_drop_case("ttxdp20", 0);
}

/* A non-blocking write too large for one page: generic on the skb too. */
static int c_drop_nonblock_large(void)
{
	static uint8_t f[4000];
	uint8_t mac[6];
	struct prog p;
	int fd;

	NEED_NATIVE();
	TT_CALL(prog_dev("ttxdp21", IFF_TAP | IFF_NO_PI, &p, PROG_VERDICT,
			 XDP_DROP, &fd));
	TT_SYS(tt_link_hwaddr("ttxdp21", mac));
	memset(f, 0x5a, sizeof(f));
	tt_eth(f, mac, peer_mac, 0x88b5);	/* local experimental */
	TT_EQ(wr(fd, f, sizeof(f), 1), (ssize_t)sizeof(f));
	SEEN(p.stats, 1, sizeof(f));
	/* Generic: no rx_dropped, unlike a small non-blocking write. */
	STATS("ttxdp21", 0, 0, 0, 0, 0, 0);
	return TT_PASS;
}

/* A non-blocking writer with a bounded TUNSETSNDBUF. */
static int c_drop_nonblock_sndbuf(void)
{
	int sndbuf = 1 << 20;
	struct prog p;
	int fd;

	NEED_NATIVE();
	fd = tt_mkdev("ttxdp22", IFF_TAP | IFF_NO_PI, &addressed);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNSETSNDBUF, &sndbuf));
	TT_CALL(mkprog(&p, PROG_VERDICT, XDP_DROP, -1));
	ATTACH("ttxdp22", p.fd, XDP_FLAGS_DRV_MODE);
	TT_CALL(write_echo(fd, "ttxdp22", 1, 1));
	SILENT(fd, 300);
	SEEN(p.stats, 1, FRAME_LEN);
	/* Generic: no rx_dropped, unlike the same write without SNDBUF. */
	STATS("ttxdp22", 0, 0, 0, 0, 0, 0);
	return TT_PASS;
}

/* ---- cases: IFF_NAPI_FRAGS ---- */

#define FRAGS_TAP (IFF_TAP | IFF_NO_PI | IFF_NAPI | IFF_NAPI_FRAGS)

/*
 * A frame written in three iovecs: with IFF_NAPI_FRAGS the first is the
 * head of the queue's NAPI skb, the others page fragments of it.
 */
static ssize_t wr_frags(int fd, uint8_t *f, size_t len)
{
	struct iovec iov[3] = {
		{ f, 34 }, { f + 34, 20 }, { f + 54, len - 54 },
	};

	return writev(fd, iov, 3);
}

/* Echo requests first..last written in fragments, each one answered. */
static int frags_echoes(int fd, const char *dev, uint16_t first,
			uint16_t last)
{
	uint8_t req[FRAME_LEN], buf[2048];
	ssize_t n;

	for (uint16_t seq = first; seq <= last; seq++) {
		TT_EQ(wr_frags(fd, req, echo_frame(req, dev, seq)), FRAME_LEN);
		n = tt_read_timeout(fd, buf, sizeof(buf), 2000);
		TT_CHECK(n >= 0, "no reply to echo %u: %s", seq,
			 tt_errname(errno));
		TT_CALL(check_reply(buf, (size_t)n, dev, seq));
	}
	return TT_PASS;
}

/*
 * A frags tap builds each frame in its queue's NAPI skb and runs even a
 * native program on it generically.  Every verdict that takes the skb
 * (DROP, TX, REDIRECT) leaves nothing behind for the next frame to be
 * built in, and one that keeps it (PASS; 6.10 on may hand back a copy,
 * as it does for a frags-aware program, BPF_F_XDP_HAS_FRAGS) delivers the
 * skb it got back.  So several frames per verdict, one verdict after
 * the other, then the same without a program: a driver that builds the
 * next frame in an skb already freed or queued shows it here (best seen
 * with slub_debug=FZPU page_poison=1 on the kernel command line).  The
 * counters are generic XDP's: a drop counts nowhere, XDP_TX counts tx on
 * this tap when read, a redirect tx on the target.
 */
static int c_frags_verdicts(void)
{
	uint8_t req[FRAME_LEN], want[FRAME_LEN], buf[2048];
	struct prog drop, tx, redir, pass, pass_frags;
	const char *a = "ttxdp30", *b = "ttxdp31";
	uint16_t seq;
	int fa, fb, dm;
	ssize_t n;

	NEED_NATIVE();
	fa = tt_mkdev(a, FRAGS_TAP, &addressed);
	TT_SYS(fa);
	fb = tt_mkdev(b, IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fb);
	TT_CALL(devmap_to(b, &dm));
	TT_CALL(mkprog(&drop, PROG_VERDICT, XDP_DROP, -1));
	TT_CALL(mkprog(&tx, PROG_SWAP_TX, 0, -1));
	TT_CALL(mkprog(&redir, PROG_REDIRECT, 0, dm));
	TT_CALL(mkprog(&pass, PROG_VERDICT, XDP_PASS, -1));
	TT_CALL(mkprog_flags(&pass_frags, PROG_VERDICT, XDP_PASS, -1,
			     BPF_F_XDP_HAS_FRAGS));

	/* XDP_DROP: taken whole, nothing reaches the stack or the fd. */
	ATTACH(a, drop.fd, XDP_FLAGS_DRV_MODE);
	ATTACHED(a, XDP_ATTACHED_DRV, drop.id);
	for (seq = 1; seq <= 4; seq++)
		TT_EQ(wr_frags(fa, req, echo_frame(req, a, seq)), FRAME_LEN);
	SILENT(fa, 200);
	SEEN(drop.stats, 4, 4 * FRAME_LEN);
	STATS(a, 0, 0, 0, 0, 0, 0);

	/* XDP_TX: each frame back out of the fd, its addresses swapped. */
	ATTACH(a, tx.fd, XDP_FLAGS_DRV_MODE);
	for (seq = 5; seq <= 8; seq++) {
		echo_frame(req, a, seq);
		swap_macs(want, req, FRAME_LEN);
		TT_EQ(wr_frags(fa, req, FRAME_LEN), FRAME_LEN);
		n = tt_read_timeout(fa, buf, sizeof(buf), 2000);
		TT_CHECK(n >= 0, "XDP_TX frame %u not read back: %s", seq,
			 tt_errname(errno));
		TT_EQ(n, FRAME_LEN);
		TT_MEMEQ(buf, want, FRAME_LEN);
	}
	SILENT(fa, 100);
	SEEN(tx.stats, 4, 4 * FRAME_LEN);
	STATS(a, 0, 0, 0, 4, 4 * FRAME_LEN, 0);

	/* XDP_REDIRECT into b: read from b byte for byte. */
	ATTACH(a, redir.fd, XDP_FLAGS_DRV_MODE);
	for (seq = 9; seq <= 12; seq++) {
		TT_EQ(wr_frags(fa, req, echo_frame(req, a, seq)), FRAME_LEN);
		n = tt_read_timeout(fb, buf, sizeof(buf), 2000);
		TT_CHECK(n >= 0, "frame %u not redirected: %s", seq,
			 tt_errname(errno));
		TT_EQ(n, FRAME_LEN);
		TT_MEMEQ(buf, req, FRAME_LEN);
	}
	SILENT(fa, 100);
	SILENT(fb, 100);
	SEEN(redir.stats, 4, 4 * FRAME_LEN);
	STATS(a, 0, 0, 0, 4, 4 * FRAME_LEN, 0);
	STATS(b, 0, 0, 0, 4, 4 * FRAME_LEN, 0);

	/* XDP_PASS, by a program that takes frags and one that does not. */
	ATTACH(a, pass.fd, XDP_FLAGS_DRV_MODE);
	TT_CALL(frags_echoes(fa, a, 13, 16));
	SEEN(pass.stats, 4, 4 * FRAME_LEN);
	ATTACH(a, pass_frags.fd, XDP_FLAGS_DRV_MODE);
	ATTACHED(a, XDP_ATTACHED_DRV, pass_frags.id);
	TT_CALL(frags_echoes(fa, a, 17, 20));
	SEEN(pass_frags.stats, 4, 4 * FRAME_LEN);
	SILENT(fa, 100);
	STATS(a, 8, 8 * FRAME_LEN, 0, 12, 12 * FRAME_LEN, 0);

	/* No program: the NAPI skb is the driver's alone again. */
	ATTACH(a, -1, XDP_FLAGS_DRV_MODE);
	ATTACHED(a, XDP_ATTACHED_NONE, 0);
	TT_CALL(frags_echoes(fa, a, 21, 26));
	SILENT(fa, 100);
	STATS(a, 14, 14 * FRAME_LEN, 0, 18, 18 * FRAME_LEN, 0);
	STATS(b, 0, 0, 0, 4, 4 * FRAME_LEN, 0);
	return TT_PASS;
}

/* ---- cases: the program's lifetime ---- */

static int c_detach_restores(void)
{
	struct prog p;
	int fd;

	NEED_NATIVE();
	TT_CALL(prog_dev("ttxdp23", IFF_TAP | IFF_NO_PI, &p, PROG_VERDICT,
			 XDP_DROP, &fd));
	TT_CALL(write_echo(fd, "ttxdp23", 1, 1));
	SILENT(fd, 300);
	SEEN(p.stats, 1, FRAME_LEN);
	ATTACH("ttxdp23", -1, XDP_FLAGS_DRV_MODE);
	ATTACHED("ttxdp23", XDP_ATTACHED_NONE, 0);
	/* The same frame, blocking and not: answered, the program not run. */
	TT_CALL(echo_answered(fd, "ttxdp23", 2, 1));
	TT_CALL(echo_answered(fd, "ttxdp23", 3, 0));
	SEEN(p.stats, 1, FRAME_LEN);
	/* The one native drop before the detach, and two echoes. */
	STATS("ttxdp23", 2, 2 * FRAME_LEN, 1, 2, 2 * FRAME_LEN, 0);
	return TT_PASS;
}

static int c_persist_keeps_prog(void)
{
	struct prog p;
	int fd;

	NEED_NATIVE();
	fd = tt_mkdev("ttxdp24", IFF_TAP | IFF_NO_PI, &addressed);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNSETPERSIST, 1));
	TT_CALL(mkprog(&p, PROG_VERDICT, XDP_DROP, -1));
	ATTACH("ttxdp24", p.fd, XDP_FLAGS_DRV_MODE);
	tt_close(fd);
	/* No queue: still attached. */
	ATTACHED("ttxdp24", XDP_ATTACHED_DRV, p.id);
	fd = tt_tun_alloc("ttxdp24", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	ATTACHED("ttxdp24", XDP_ATTACHED_DRV, p.id);
	/* And the new queue runs it. */
	TT_CALL(write_echo(fd, "ttxdp24", 1, 1));
	TT_CALL(write_echo(fd, "ttxdp24", 2, 0));
	SILENT(fd, 300);
	SEEN(p.stats, 2, 2 * FRAME_LEN);
	/* The non-blocking one natively: counted in rx_dropped. */
	STATS("ttxdp24", 0, 0, 1, 0, 0, 0);
	TT_SYS(ioctl(fd, TUNSETPERSIST, 0));
	return TT_PASS;
}

static int wait_gone(uint32_t id)
{
	long long until = tt_now_ms() + TT_WAIT_MS;
	int r;

	while ((r = prog_alive(id)) == 1 && tt_now_ms() < until)
		tt_sleep_ms(10);
	return r;
}

/* The device holds the only reference: deleting the device frees it. */
static int c_delete_releases_prog(void)
{
	struct prog p;
	int fd;

	NEED_NATIVE();
	TT_CALL(prog_dev("ttxdp25", IFF_TAP | IFF_NO_PI, &p, PROG_VERDICT,
			 XDP_PASS, &fd));
	tt_close(p.fd);
	TT_EQ(prog_alive(p.id), 1);
	ATTACHED("ttxdp25", XDP_ATTACHED_DRV, p.id);
	/* Closing the only queue of a non-persistent tap deletes it. */
	tt_close(fd);
	TT_CHECK(tt_link_wait("ttxdp25", 0, TT_WAIT_MS), "ttxdp25 still exists");
	TT_EQ(wait_gone(p.id), 0);
	return TT_PASS;
}

/* The program fd outlives the device, and closes cleanly after it. */
static int c_delete_then_close_prog(void)
{
	struct prog p;

	NEED_NATIVE();
	TT_SYS(tt_mkdev("ttxdp26", IFF_TAP | IFF_NO_PI, &addressed));
	TT_CALL(mkprog(&p, PROG_VERDICT, XDP_PASS, -1));
	ATTACH("ttxdp26", p.fd, XDP_FLAGS_DRV_MODE);
	TT_EQ(tt_link_del("ttxdp26"), 0);
	TT_CHECK(tt_link_wait("ttxdp26", 0, TT_WAIT_MS), "ttxdp26 still exists");
	TT_EQ(prog_alive(p.id), 1);
	tt_close(p.fd);
	TT_EQ(wait_gone(p.id), 0);
	return TT_PASS;
}

int main(void)
{
	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(0x60 + i);
	tt_init();
	tt_run("tap_native_attach", c_tap_native_attach);
	tt_run("tap_attach_default_mode_native", c_tap_attach_default_mode);
	tt_run("tun_native_attach_eopnotsupp", c_tun_native_attach_refused);
	tt_run("tun_generic_drop", c_tun_generic_drop);
	tt_run("pass_nonblock_echo", c_pass_nonblock);
	tt_run("pass_blocking_echo", c_pass_blocking);
	tt_run("drop_nonblock", c_drop_nonblock);
	tt_run("drop_blocking", c_drop_blocking);
	tt_run("tx_nonblock", c_tx_nonblock);
	tt_run("tx_blocking", c_tx_blocking);
	tt_run("tx_nonblock_pi_read_without_pi", c_tx_nonblock_pi);
	tt_run("tx_blocking_pi_read_with_pi", c_tx_blocking_pi);
	tt_run("tx_nonblock_vnet_hdr", c_tx_nonblock_vnet);
	tt_run("tx_blocking_vnet_hdr", c_tx_blocking_vnet);
	tt_run("aborted_drops", c_aborted);
	tt_run("redirect_devmap_nonblock", c_redirect_nonblock);
	tt_run("redirect_devmap_blocking", c_redirect_blocking);
	tt_run("redirect_veth_to_tap", c_veth_redirect);
	tt_run("vnet_hdr_pass_nonblock", c_vnet_pass_nonblock);
	tt_run("vnet_hdr_pass_blocking", c_vnet_pass_blocking);
	tt_run("vnet_hdr_gso_drop_nonblock", c_vnet_gso_drop_nonblock);
	tt_run("vnet_hdr_gso_drop_blocking", c_vnet_gso_drop_blocking);
	tt_run("drop_nonblock_large_frame", c_drop_nonblock_large);
	tt_run("drop_nonblock_sndbuf", c_drop_nonblock_sndbuf);
	tt_run("napi_frags_every_verdict", c_frags_verdicts);
	tt_run("detach_restores_delivery", c_detach_restores);
	tt_run("persistent_tap_keeps_prog", c_persist_keeps_prog);
	tt_run("close_deletes_device_frees_prog", c_delete_releases_prog);
	tt_run("dellink_then_close_prog_fd", c_delete_then_close_prog);
	return tt_done();
}
