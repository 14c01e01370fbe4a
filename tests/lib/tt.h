/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tt: the helpers shared by the user-space tests in tests/tun and
 * tests/policy.
 *
 * A test program is a list of cases.  Each case is a function returning
 * TT_PASS, TT_FAIL or TT_SKIP; tt_run() calls it and prints exactly one line:
 *
 *	ok <case>
 *	not ok <case>: <reason>
 *	skip <case>: <reason>
 *
 * Lines starting with '#' are diagnostics.  tt_done() returns the exit status
 * (0 when nothing failed) after checking that the program left no network
 * device behind.
 *
 * Cases must leave the system as they found it, even when they fail half way:
 * every fd and every device a case creates is registered with tt_defer_*()
 * (the tun helpers do it themselves) and is released after the case returns.
 * That is what lets the checking macros below simply return on the first
 * mismatch.
 *
 * The tests are the specification of the driver: each expected value has been
 * established against the stock tun.ko of the kernel series named by
 * $KSERIES, and where the two series differ, tt_series_ge() chooses.
 */
#ifndef TT_H
#define TT_H

#include <errno.h>
#include <net/if.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <linux/if_tun.h>

#define TT_PASS 0
#define TT_FAIL (-1)
#define TT_SKIP 1

typedef int (*tt_case_fn)(void);

void tt_init(void);
void tt_run(const char *name, tt_case_fn fn);
int tt_done(void);

int tt_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int tt_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tt_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *tt_errname(int err);

/* $TUN_IMPL ("stock", "ours") and $KSERIES ("6.1", "6.12"). */
const char *tt_impl(void);
const char *tt_series(void);
/* True when the running series is at least maj.min (from $KSERIES, else uname). */
int tt_series_ge(int maj, int min);
/*
 * A kernel option of the running kernel, from /boot/config-<release> (the
 * bench puts it there): 'y', 'm', 0 when unset, -1 when there is no config
 * to read. For behaviour that follows the kernel's build, not its series
 * (Debian's and the debug lane's configs differ).
 */
int tt_kconfig(const char *option);

/*
 * The bound of a wait for something that must happen: a frame to arrive, a
 * device to go, a counter to reach its value.  It is only a deadline (a wait
 * ends as soon as its condition holds), so it is generous: the guest is a TCG
 * VM on a loaded host, where what takes a millisecond idle may take seconds.
 * A check that nothing happens waits a short, fixed time instead, and has a
 * positive counterpart that shows the same path does deliver.
 */
#define TT_WAIT_MS 20000

/*
 * Checks.  Each returns tt_fail() from the calling case on mismatch, so they
 * are only usable directly inside a case function (returning int).
 */
#define TT_CHECK(cond, ...)                                                    \
	do {                                                                   \
		if (!(cond))                                                   \
			return tt_fail(__VA_ARGS__);                           \
	} while (0)

/* expr must fail with -1 and exactly errno err. */
#define TT_ERRNO(expr, err)                                                    \
	do {                                                                   \
		long tt_r_;                                                    \
		int tt_e_;                                                     \
		errno = 0;                                                     \
		tt_r_ = (long)(expr);                                          \
		tt_e_ = errno;                                                 \
		if (tt_r_ != -1 || tt_e_ != (err))                             \
			return tt_fail("line %d: %s: want -1 %s, got %ld %s",  \
				       __LINE__, #expr, tt_errname(err),       \
				       tt_r_, tt_r_ == -1 ? tt_errname(tt_e_)  \
							  : "(no error)");     \
	} while (0)

/* expr must not return a negative value; the value is stored in *out if out. */
#define TT_SYS(expr)                                                           \
	do {                                                                   \
		long tt_r_;                                                    \
		errno = 0;                                                     \
		tt_r_ = (long)(expr);                                          \
		if (tt_r_ < 0)                                                 \
			return tt_fail("line %d: %s: %s", __LINE__, #expr,     \
				       tt_errname(errno));                     \
	} while (0)

/* a == b for integers, printed in decimal and hex. */
#define TT_EQ(a, b)                                                            \
	do {                                                                   \
		long long tt_a_ = (long long)(a), tt_b_ = (long long)(b);      \
		if (tt_a_ != tt_b_)                                            \
			return tt_fail("line %d: %s == %lld (0x%llx), want "   \
				       "%s == %lld (0x%llx)",                  \
				       __LINE__, #a, tt_a_, tt_a_, #b, tt_b_,  \
				       tt_b_);                                 \
	} while (0)

#define TT_STREQ(a, b)                                                         \
	do {                                                                   \
		const char *tt_a_ = (a), *tt_b_ = (b);                         \
		if (strcmp(tt_a_, tt_b_))                                      \
			return tt_fail("line %d: %s is \"%s\", want \"%s\"",   \
				       __LINE__, #a, tt_a_, tt_b_);            \
	} while (0)

/* Byte-exact comparison; the reason names the first differing offset. */
/*
 * Runs a step that returns TT_PASS (0) or a verdict (tt_fail()/tt_skip()'s
 * value), and returns that verdict from the calling case if it is one.
 */
#define TT_CALL(x)                                                             \
	do {                                                                   \
		int tt_c_ = (x);                                               \
		if (tt_c_)                                                     \
			return tt_c_;                                          \
	} while (0)

#define TT_MEMEQ(got, want, len)                                               \
	do {                                                                   \
		long tt_off_ = tt_memdiff((got), (want), (len));               \
		if (tt_off_ >= 0)                                              \
			return tt_fail("line %d: %s differs from %s at byte "  \
				       "%ld of %zu",                           \
				       __LINE__, #got, #want, tt_off_,         \
				       (size_t)(len));                         \
	} while (0)

long tt_memdiff(const void *a, const void *b, size_t len);
void tt_hexdump(const char *label, const void *buf, size_t len);

/* Cleanup registered by a case, run by tt_run() after the case returns. */
void tt_defer_fd(int fd);
void tt_defer_link(const char *name);
void tt_defer_pid(pid_t pid);
/* Close an fd now and forget it. */
void tt_close(int fd);

/* ---- kernel module ---- */
int tt_module_loaded(const char *name);
/* delete_module(name, O_NONBLOCK): 0 or -errno. */
int tt_module_unload(const char *name);
/* /sys/module/NAME/refcnt, or -1. */
long tt_module_refcnt(const char *name);
/*
 * tt_module_unload() once NAME's references are gone, waiting up to ms for
 * them: what a case before let go of may still pin the module for a while
 * (a namespace's devices go in a worker after its last user, skbs charged
 * to a queue's socket when they are freed).  The error of the last try.
 */
int tt_module_unload_wait(const char *name, int ms);

/* ---- /dev/net/tun ---- */
#define TT_TUN_PATH "/dev/net/tun"
/* Create /dev/net/tun (c 10 200) if it is missing; 0 or -errno. */
int tt_tun_node(void);
/* Open /dev/net/tun with O_RDWR|extra; the fd is deferred.  -1/errno. */
int tt_tun_open(int extra_oflags);
/*
 * Open and TUNSETIFF.  name may be NULL or "" (kernel default template).  On
 * success the fd and the device are deferred, the final name is copied to out
 * (if out) and the fd returned; on failure -1 with errno from TUNSETIFF.
 */
int tt_tun_alloc(const char *name, int flags, char out[IFNAMSIZ]);
/* TUNSETIFF on an open fd; 0 or -1/errno.  Defers the device on success. */
int tt_tun_setiff(int fd, const char *name, int flags, char out[IFNAMSIZ]);

/* ---- network devices (current netns) ---- */
int tt_link_exists(const char *name);
/* Wait up to ms for a device to (dis)appear; 1 when it reached the state. */
int tt_link_wait(const char *name, int present, int ms);
/*
 * Wait up to ms for /sys/class/net/NAME/operstate to read state; 1 if it
 * did.  Carrier changes reach the qdisc through linkwatch, asynchronously:
 * this is how a test waits for them.
 */
int tt_link_wait_operstate(const char *name, const char *state, int ms);
/* RTM_DELLINK; 0 or -errno. */
int tt_link_del(const char *name);
/* The following return 0 or -errno. */
int tt_link_up(const char *name, int up);
int tt_link_mtu(const char *name, int mtu);
int tt_link_txqlen(const char *name, int qlen);
/* Address addr/prefix (dotted quad); for a point-to-point device also peer. */
int tt_link_addr4(const char *name, const char *addr, int prefix,
		  const char *peer);
int tt_link_hwaddr(const char *name, uint8_t mac[6]);
/*
 * Transmits a whole Ethernet frame on @dev from an AF_PACKET socket, as a
 * packet of its ethertype to its destination; 0 or -errno (-EIO when the
 * socket took only part of it).
 */
int tt_send_frame(const char *dev, const void *frame, size_t len);
/* Permanent ARP entry ip -> mac on dev. */
int tt_neigh_add(const char *dev, const char *ip, const uint8_t mac[6]);
/* Keep IPv6 (DAD, MLD, RS) off a device so its counters stay exact. */
void tt_link_noipv6(const char *name);
/* Up, no IPv6, address: the usual preparation of a test device. */
int tt_link_prepare(const char *name, const char *addr, int prefix,
		    const char *peer);
/* Bring lo up in the current netns. */
int tt_lo_up(void);

/* sysfs attribute /sys/class/net/NAME/ATTR (init netns view of /sys). */
int tt_sysfs_read(const char *name, const char *attr, char *buf, size_t len);
/* The same parsed as an integer (decimal or 0x hex); -1 on error. */
long long tt_sysfs_num(const char *name, const char *attr);

struct tt_stats {
	unsigned long long rx_packets, rx_bytes, rx_dropped;
	unsigned long long tx_packets, tx_bytes, tx_dropped;
};
/* From /sys/class/net/NAME/statistics; 0 or -errno. */
int tt_stats(const char *name, struct tt_stats *st);
/* From /proc/PID/net/dev (the netns of PID; 0 means self); 0 or -errno. */
int tt_stats_proc(pid_t pid, const char *name, struct tt_stats *st);

#define TT_STATS_EQ(st, field, want) TT_EQ((st).field, (want))

/* ---- packets ---- */
uint16_t tt_csum(const void *buf, size_t len);
uint32_t tt_ip4(const char *dotted);
/* IPv4 header + ICMP echo request/reply; returns the total length. */
size_t tt_icmp4_echo(uint8_t *buf, uint32_t src, uint32_t dst, int type,
		     uint16_t id, uint16_t seq, const void *payload,
		     size_t plen);
/* IPv4 header + UDP; returns the total length. */
size_t tt_udp4(uint8_t *buf, uint32_t src, uint32_t dst, uint16_t sport,
	       uint16_t dport, const void *payload, size_t plen);
/* Ethernet header; returns 14. */
size_t tt_eth(uint8_t *buf, const uint8_t dst[6], const uint8_t src[6],
	      uint16_t proto);
/* Ethernet + ARP (op 1 request, 2 reply); returns 42. */
size_t tt_arp(uint8_t *buf, int op, const uint8_t eth_dst[6],
	      const uint8_t sha[6], uint32_t spa, const uint8_t tha[6],
	      uint32_t tpa);

/* Send count UDP datagrams of plen bytes to dst:port; 0 or -errno. */
int tt_udp_send(const char *dst, uint16_t port, size_t plen, int count);
/* poll() for POLLIN then read(); -1/errno, or -1/ETIMEDOUT on timeout. */
ssize_t tt_read_timeout(int fd, void *buf, size_t len, int ms);

/* ---- processes ---- */
/* system() with a formatted command; the exit status, or -1. */
int tt_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Run a command and capture its stdout (NUL terminated); exit status or -1. */
int tt_sh_out(char *out, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * Run fn(arg) in a child that first drops to uid/gid (no supplementary
 * groups, so no capabilities); returns fn's return value (0..255) or -1.
 */
int tt_run_as(uid_t uid, gid_t gid, int (*fn)(void *), void *arg);
/* Send/receive one fd over a unix socket; 0 or -errno, fd or -errno. */
int tt_send_fd(int sock, int fd);
int tt_recv_fd(int sock);
long long tt_now_ms(void);
void tt_sleep_ms(int ms);

/* Load "r0 = @ret; exit" as a BPF program of @type: an fd, or -1 (errno). */
int tt_bpf_const_prog(int type, int ret);
/* A BPF_MAP_TYPE_ARRAY of @entries u64 values: an fd, or -1 (errno). */
int tt_bpf_array_map(unsigned int entries);
/*
 * Load "count the run in u64 slot 0 of @map; r0 = @ret; exit" as a BPF
 * program of @type, to see that a program ran: an fd, or -1 (errno).
 */
int tt_bpf_counting_prog(int type, int map, int ret);
/* Slot @key of an array map made by tt_bpf_array_map(); 0 or -errno. */
int tt_bpf_map_read(int map, uint32_t key, uint64_t *val);

/*
 * ---- test devices and ICMP echo through them ----
 *
 * What most tun tests start a case with: a fresh device prepared the usual
 * way, and an ICMP echo that the stack answers byte for byte.
 */

/*
 * What tt_mkdev() does beyond open, TUNSETIFF, up and IPv6 off (NULL:
 * nothing more).  With ip, the device gets ip/24; a tap also gets, with
 * peer_ip, a permanent neighbour entry peer_ip -> peer_mac, so that no ARP
 * of its own reaches the fd, only what a case provokes.
 */
struct tt_devopts {
	int oflags;		/* more open(2) flags for /dev/net/tun */
	const char *ip;
	const char *peer_ip;
	const uint8_t *peer_mac;
};

/*
 * A fresh device: the fd (the fd and the device are deferred), or
 * tt_fail()'s value with the step that failed and its errno.
 */
int tt_mkdev(const char *name, int flags, const struct tt_devopts *o);
/*
 * What tt_mkdev() does after TUNSETIFF, for a device attached otherwise
 * (several queues): TT_PASS or tt_fail()'s value.  flags are the device's.
 */
int tt_dev_setup(const char *name, int flags, const struct tt_devopts *o);

/*
 * One ICMP echo exchange: the peer, played by the test on the fd, sends
 * requests of plen bytes of payload with identifier id to dev_ip, the
 * device's address, from peer_ip.  Given the device's MAC (dev_mac, a tap),
 * they travel in Ethernet frames between peer_mac and dev_mac; given NULL,
 * as bare IPv4 (tun, or a caller that checks the link layer itself).
 */
struct tt_echo {
	const char *dev_ip;
	const char *peer_ip;
	uint16_t id;
	const void *payload;
	size_t plen;
	const uint8_t *peer_mac;
};

/* The request seq of @e into buf; its length (Ethernet included). */
size_t tt_echo_request(uint8_t *buf, const struct tt_echo *e,
		       const uint8_t *dev_mac, uint16_t seq);
/*
 * p, len is the stack's reply to tt_echo_request(e, dev_mac, seq): the
 * exact length, the Ethernet header (with dev_mac), IPv4 with no options,
 * its total length, protocol, addresses and a valid header checksum (the
 * id, TOS, TTL and fragment field are not compared), and the ICMP message
 * byte for byte.  TT_PASS, or tt_fail() naming the first thing that
 * differed.
 */
int tt_echo_reply_check(const uint8_t *p, size_t len, const struct tt_echo *e,
			const uint8_t *dev_mac, uint16_t seq);
/*
 * The reply to request seq of @e, read from @fd (IFF_TUN with tun_pi) by
 * one readv() into three pieces: the tun_pi, the first 10 bytes of the IP
 * header, the rest. Waits up to TT_WAIT_MS for it; checks the tun_pi
 * (no flags, IPv4) and then the reply as tt_echo_reply_check() does.
 */
int tt_echo_reply_readv(int fd, const struct tt_echo *e, uint16_t seq);

#endif /* TT_H */
