// SPDX-License-Identifier: GPL-2.0
/*
 * tt: shared helpers for the user-space tests.  See tt.h for the contract.
 */
#include "tt.h"
#include "nl.h"

#include <linux/bpf.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <grp.h>
#include <time.h>
#include <unistd.h>

/* ---- reporting ---- */

static char reason[512];
static int n_pass, n_fail, n_skip;

#define MAX_DEFER 64
static int defer_fds[MAX_DEFER], n_fds;
static char defer_links[MAX_DEFER][IFNAMSIZ];
static int n_links;
static pid_t defer_pids[MAX_DEFER];
static int n_pids;

#define MAX_BASE 64
static char base_links[MAX_BASE][IFNAMSIZ];
static int n_base;

static void vset_reason(const char *fmt, va_list ap)
{
	/* The first complaint is the one that explains the failure. */
	if (reason[0])
		return;
	vsnprintf(reason, sizeof(reason), fmt, ap);
	for (char *p = reason; *p; p++)
		if (*p == '\n')
			*p = ' ';
}

int tt_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset_reason(fmt, ap);
	va_end(ap);
	return TT_FAIL;
}

int tt_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset_reason(fmt, ap);
	va_end(ap);
	return TT_SKIP;
}

void tt_note(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

const char *tt_errname(int err)
{
	static char buf[32];
	const char *n;

	if (err == 0)
		return "0";
	n = strerrorname_np(err);
	if (n)
		return n;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

long tt_memdiff(const void *a, const void *b, size_t len)
{
	const uint8_t *x = a, *y = b;

	for (size_t i = 0; i < len; i++)
		if (x[i] != y[i])
			return (long)i;
	return -1;
}

void tt_hexdump(const char *label, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	char line[128];

	tt_note("%s (%zu bytes)", label, len);
	for (size_t i = 0; i < len; i += 16) {
		int n = 0;

		for (size_t j = i; j < len && j < i + 16; j++)
			n += snprintf(line + n, sizeof(line) - n, "%02x ", p[j]);
		tt_note("  %04zx: %s", i, line);
	}
}

const char *tt_impl(void)
{
	const char *s = getenv("TUN_IMPL");

	return s && *s ? s : "stock";
}

const char *tt_series(void)
{
	static char buf[16];
	const char *s = getenv("KSERIES");
	struct utsname u;
	int maj, min;

	if (s && *s)
		return s;
	if (!buf[0]) {
		if (uname(&u) == 0 && sscanf(u.release, "%d.%d", &maj, &min) == 2)
			snprintf(buf, sizeof(buf), "%d.%d", maj, min);
		else
			snprintf(buf, sizeof(buf), "0.0");
	}
	return buf;
}

int tt_series_ge(int maj, int min)
{
	int a = 0, b = 0;

	sscanf(tt_series(), "%d.%d", &a, &b);
	return a > maj || (a == maj && b >= min);
}

int tt_kconfig(const char *option)
{
	char path[128], line[512];
	struct utsname u;
	size_t n = strlen(option);
	int ret = 0;
	FILE *f;

	if (uname(&u))
		return -1;
	snprintf(path, sizeof(path), "/boot/config-%s", u.release);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, option, n) && line[n] == '=') {
			ret = line[n + 1] == 'y' || line[n + 1] == 'm' ?
			      line[n + 1] : 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

static int in_base(const char *name)
{
	for (int i = 0; i < n_base; i++)
		if (!strcmp(base_links[i], name))
			return 1;
	return 0;
}

void tt_init(void)
{
	struct if_nameindex *ni, *p;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* A reader of a deleted device must not kill the test with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	ni = if_nameindex();
	for (p = ni; p && p->if_name && n_base < MAX_BASE; p++)
		snprintf(base_links[n_base++], IFNAMSIZ, "%s", p->if_name);
	if (ni)
		if_freenameindex(ni);
	tt_note("impl=%s series=%s", tt_impl(), tt_series());
}

static void run_cleanup(void)
{
	int st;

	while (n_pids > 0) {
		pid_t pid = defer_pids[--n_pids];

		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	while (n_fds > 0)
		close(defer_fds[--n_fds]);
	while (n_links > 0) {
		const char *name = defer_links[--n_links];

		/* A non-persistent device may still be going away after close. */
		if (tt_link_exists(name) && !tt_link_wait(name, 0, 200))
			tt_link_del(name);
	}
}

void tt_run(const char *name, tt_case_fn fn)
{
	int r;

	reason[0] = 0;
	r = fn();
	run_cleanup();
	if (r == TT_PASS) {
		n_pass++;
		printf("ok %s\n", name);
	} else if (r == TT_SKIP) {
		n_skip++;
		printf("skip %s: %s\n", name, reason[0] ? reason : "(no reason)");
	} else {
		n_fail++;
		printf("not ok %s: %s\n", name, reason[0] ? reason : "(no reason)");
	}
	fflush(stdout);
}

static int leftover_case(void)
{
	struct if_nameindex *ni, *p;
	char bad[256] = "";
	long long until = tt_now_ms() + TT_WAIT_MS;
	int found;

	do {
		found = 0;
		bad[0] = 0;
		ni = if_nameindex();
		for (p = ni; p && p->if_name; p++) {
			if (in_base(p->if_name))
				continue;
			found = 1;
			strncat(bad, p->if_name, sizeof(bad) - strlen(bad) - 2);
			strcat(bad, " ");
		}
		if (ni)
			if_freenameindex(ni);
		if (found)
			tt_sleep_ms(50);
	} while (found && tt_now_ms() < until);
	if (!found)
		return TT_PASS;
	/* Remove them so that the next test starts clean. */
	ni = if_nameindex();
	for (p = ni; p && p->if_name; p++)
		if (!in_base(p->if_name))
			tt_link_del(p->if_name);
	if (ni)
		if_freenameindex(ni);
	return tt_fail("devices left behind: %s", bad);
}

int tt_done(void)
{
	tt_run("no_leftover_devices", leftover_case);
	tt_note("%d ok, %d not ok, %d skipped", n_pass, n_fail, n_skip);
	return n_fail ? 1 : 0;
}

void tt_defer_fd(int fd)
{
	if (fd >= 0 && n_fds < MAX_DEFER)
		defer_fds[n_fds++] = fd;
}

void tt_defer_link(const char *name)
{
	for (int i = 0; i < n_links; i++)
		if (!strcmp(defer_links[i], name))
			return;
	if (n_links < MAX_DEFER)
		snprintf(defer_links[n_links++], IFNAMSIZ, "%s", name);
}

void tt_defer_pid(pid_t pid)
{
	if (pid > 0 && n_pids < MAX_DEFER)
		defer_pids[n_pids++] = pid;
}

void tt_close(int fd)
{
	for (int i = 0; i < n_fds; i++) {
		if (defer_fds[i] == fd) {
			defer_fds[i] = defer_fds[--n_fds];
			break;
		}
	}
	close(fd);
}

/* ---- kernel module ---- */

int tt_module_loaded(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	return access(path, F_OK) == 0;
}

int tt_module_unload(const char *name)
{
	if (syscall(__NR_delete_module, name, O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

long tt_module_refcnt(const char *name)
{
	char path[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/%s/refcnt", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

int tt_module_unload_wait(const char *name, int ms)
{
	long long until = tt_now_ms() + ms;
	int err;

	for (;;) {
		if (tt_module_refcnt(name) <= 0) {
			err = tt_module_unload(name);
			if (err != -EAGAIN)
				return err;
		}
		if (tt_now_ms() >= until)
			return tt_module_unload(name);
		tt_sleep_ms(50);
	}
}

/* ---- /dev/net/tun ---- */

int tt_tun_node(void)
{
	struct stat st;

	if (stat(TT_TUN_PATH, &st) == 0)
		return 0;
	if (errno != ENOENT)
		return -errno;
	if (mkdir("/dev/net", 0755) < 0 && errno != EEXIST)
		return -errno;
	if (mknod(TT_TUN_PATH, S_IFCHR | 0666, makedev(10, 200)) < 0 &&
	    errno != EEXIST)
		return -errno;
	return 0;
}

int tt_tun_open(int extra_oflags)
{
	int fd, err;

	err = tt_tun_node();
	if (err) {
		errno = -err;
		return -1;
	}
	fd = open(TT_TUN_PATH, O_RDWR | O_CLOEXEC | extra_oflags);
	if (fd >= 0)
		tt_defer_fd(fd);
	return fd;
}

int tt_tun_setiff(int fd, const char *name, int flags, char out[IFNAMSIZ])
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	/* Deliberately no NUL when name fills IFNAMSIZ: the kernel must cope. */
	if (name)
		memcpy(ifr.ifr_name, name, strnlen(name, IFNAMSIZ));
	ifr.ifr_flags = (short)flags;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		return -1;
	ifr.ifr_name[IFNAMSIZ - 1] = 0;
	tt_defer_link(ifr.ifr_name);
	if (out)
		memcpy(out, ifr.ifr_name, IFNAMSIZ);
	return 0;
}

int tt_tun_alloc(const char *name, int flags, char out[IFNAMSIZ])
{
	int fd, e;

	fd = tt_tun_open(0);
	if (fd < 0)
		return -1;
	if (tt_tun_setiff(fd, name, flags, out) < 0) {
		e = errno;
		tt_close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* ---- network devices ---- */

int tt_link_exists(const char *name)
{
	return if_nametoindex(name) != 0;
}

int tt_link_wait(const char *name, int present, int ms)
{
	long long until = tt_now_ms() + ms;

	for (;;) {
		if (!!tt_link_exists(name) == !!present)
			return 1;
		if (tt_now_ms() >= until)
			return 0;
		tt_sleep_ms(10);
	}
}

int tt_link_wait_operstate(const char *name, const char *state, int ms)
{
	long long until = tt_now_ms() + ms;
	char buf[32];

	for (;;) {
		if (!tt_sysfs_read(name, "operstate", buf, sizeof(buf)) &&
		    !strcmp(buf, state))
			return 1;
		if (tt_now_ms() >= until)
			return 0;
		tt_sleep_ms(10);
	}
}

int tt_link_del(const char *name)
{
	unsigned int idx = if_nametoindex(name);
	struct tt_nl m;
	int err;

	if (!idx)
		return -ENODEV;
	tt_nl_init_link(&m, RTM_DELLINK, 0, (int)idx);
	err = tt_nl_talk(NETLINK_ROUTE, &m, NULL, NULL, NULL);
	return err < 0 ? -errno : -err;
}

static int ifreq_ioctl(const char *name, unsigned long req, struct ifreq *ifr)
{
	int s, err = 0;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	snprintf(ifr->ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(s, req, ifr) < 0)
		err = -errno;
	close(s);
	return err;
}

int tt_link_up(const char *name, int up)
{
	struct ifreq ifr;
	int err;

	memset(&ifr, 0, sizeof(ifr));
	err = ifreq_ioctl(name, SIOCGIFFLAGS, &ifr);
	if (err)
		return err;
	if (up)
		ifr.ifr_flags |= IFF_UP;
	else
		ifr.ifr_flags &= ~IFF_UP;
	return ifreq_ioctl(name, SIOCSIFFLAGS, &ifr);
}

int tt_link_mtu(const char *name, int mtu)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_mtu = mtu;
	return ifreq_ioctl(name, SIOCSIFMTU, &ifr);
}

int tt_link_txqlen(const char *name, int qlen)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_qlen = qlen;
	return ifreq_ioctl(name, SIOCSIFTXQLEN, &ifr);
}

static void set_sin(struct sockaddr *sa, uint32_t addr)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };

	sin.sin_addr.s_addr = addr;
	memcpy(sa, &sin, sizeof(sin));
}

int tt_link_addr4(const char *name, const char *addr, int prefix,
		  const char *peer)
{
	struct ifreq ifr;
	int err;

	memset(&ifr, 0, sizeof(ifr));
	set_sin(&ifr.ifr_addr, tt_ip4(addr));
	err = ifreq_ioctl(name, SIOCSIFADDR, &ifr);
	if (err)
		return err;
	memset(&ifr, 0, sizeof(ifr));
	set_sin(&ifr.ifr_netmask,
		htonl(prefix ? 0xffffffffu << (32 - prefix) : 0));
	err = ifreq_ioctl(name, SIOCSIFNETMASK, &ifr);
	if (err || !peer)
		return err;
	memset(&ifr, 0, sizeof(ifr));
	set_sin(&ifr.ifr_dstaddr, tt_ip4(peer));
	return ifreq_ioctl(name, SIOCSIFDSTADDR, &ifr);
}

int tt_send_frame(const char *dev, const void *frame, size_t len)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_halen = 6 };
	ssize_t n;
	int s, err;

	sll.sll_ifindex = (int)if_nametoindex(dev);
	memcpy(&sll.sll_protocol, (const uint8_t *)frame + 12, 2);
	memcpy(sll.sll_addr, frame, 6);
	s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	n = sendto(s, frame, len, 0, (struct sockaddr *)&sll, sizeof(sll));
	err = n == (ssize_t)len ? 0 : n < 0 ? -errno : -EIO;
	close(s);
	return err;
}

int tt_link_hwaddr(const char *name, uint8_t mac[6])
{
	struct ifreq ifr;
	int err;

	memset(&ifr, 0, sizeof(ifr));
	err = ifreq_ioctl(name, SIOCGIFHWADDR, &ifr);
	if (!err)
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return err;
}

int tt_neigh_add(const char *dev, const char *ip, const uint8_t mac[6])
{
	struct arpreq req;
	int s, err = 0;

	memset(&req, 0, sizeof(req));
	set_sin(&req.arp_pa, tt_ip4(ip));
	req.arp_ha.sa_family = ARPHRD_ETHER;
	memcpy(req.arp_ha.sa_data, mac, 6);
	req.arp_flags = ATF_PERM | ATF_COM;
	snprintf(req.arp_dev, sizeof(req.arp_dev), "%s", dev);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	if (ioctl(s, SIOCSARP, &req) < 0)
		err = -errno;
	close(s);
	return err;
}

void tt_link_noipv6(const char *name)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6",
		 name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, "1", 1) != 1)
		tt_note("cannot disable IPv6 on %s: %s", name,
			tt_errname(errno));
	close(fd);
}

int tt_link_prepare(const char *name, const char *addr, int prefix,
		    const char *peer)
{
	int err;

	tt_link_noipv6(name);
	err = tt_link_up(name, 1);
	if (!err && addr)
		err = tt_link_addr4(name, addr, prefix, peer);
	return err;
}

int tt_lo_up(void)
{
	return tt_link_up("lo", 1);
}

int tt_sysfs_read(const char *name, const char *attr, char *buf, size_t len)
{
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", name, attr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	close(fd);
	buf[n] = 0;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = 0;
	return 0;
}

long long tt_sysfs_num(const char *name, const char *attr)
{
	char buf[64], *end;
	long long v;

	if (tt_sysfs_read(name, attr, buf, sizeof(buf)))
		return -1;
	errno = 0;
	v = strtoll(buf, &end, 0);
	if (errno || end == buf)
		return -1;
	return v;
}

int tt_stats(const char *name, struct tt_stats *st)
{
	static const char *const attrs[] = {
		"statistics/rx_packets", "statistics/rx_bytes",
		"statistics/rx_dropped", "statistics/tx_packets",
		"statistics/tx_bytes",	 "statistics/tx_dropped",
	};
	unsigned long long *f[] = {
		&st->rx_packets, &st->rx_bytes, &st->rx_dropped,
		&st->tx_packets, &st->tx_bytes, &st->tx_dropped,
	};

	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		long long v = tt_sysfs_num(name, attrs[i]);

		if (v < 0)
			return -ENOENT;
		*f[i] = (unsigned long long)v;
	}
	return 0;
}

int tt_stats_proc(pid_t pid, const char *name, struct tt_stats *st)
{
	char path[64], line[512];
	size_t nl = strlen(name);
	FILE *f;
	int err = -ENODEV;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/net/dev", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/net/dev");
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *p = line;
		unsigned long long v[16];

		while (*p == ' ')
			p++;
		if (strncmp(p, name, nl) || p[nl] != ':')
			continue;
		if (sscanf(p + nl + 1,
			   "%llu %llu %llu %llu %llu %llu %llu %llu "
			   "%llu %llu %llu %llu %llu %llu %llu %llu",
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			   &v[7], &v[8], &v[9], &v[10], &v[11], &v[12], &v[13],
			   &v[14], &v[15]) != 16) {
			err = -EPROTO;
			break;
		}
		st->rx_bytes = v[0];
		st->rx_packets = v[1];
		st->rx_dropped = v[3];
		st->tx_bytes = v[8];
		st->tx_packets = v[9];
		st->tx_dropped = v[11];
		err = 0;
		break;
	}
	fclose(f);
	return err;
}

/* ---- packets ---- */

uint16_t tt_csum(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t sum = 0;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (len)
		sum += (uint32_t)(p[0] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

uint32_t tt_ip4(const char *dotted)
{
	struct in_addr a;

	if (inet_pton(AF_INET, dotted, &a) != 1)
		return 0;
	return a.s_addr;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static size_t ip4_header(uint8_t *buf, uint32_t src, uint32_t dst, int proto,
			 size_t payload_len)
{
	uint16_t c;

	memset(buf, 0, 20);
	buf[0] = 0x45;
	put16(buf + 2, (uint16_t)(20 + payload_len));
	put16(buf + 4, 0x1234);
	buf[8] = 64;
	buf[9] = (uint8_t)proto;
	memcpy(buf + 12, &src, 4);
	memcpy(buf + 16, &dst, 4);
	c = tt_csum(buf, 20);
	memcpy(buf + 10, &c, 2);
	return 20;
}

size_t tt_icmp4_echo(uint8_t *buf, uint32_t src, uint32_t dst, int type,
		     uint16_t id, uint16_t seq, const void *payload,
		     size_t plen)
{
	uint8_t *icmp = buf + 20;
	uint16_t c;

	ip4_header(buf, src, dst, IPPROTO_ICMP, 8 + plen);
	memset(icmp, 0, 8);
	icmp[0] = (uint8_t)type;
	put16(icmp + 4, id);
	put16(icmp + 6, seq);
	memcpy(icmp + 8, payload, plen);
	c = tt_csum(icmp, 8 + plen);
	memcpy(icmp + 2, &c, 2);
	return 28 + plen;
}

size_t tt_udp4(uint8_t *buf, uint32_t src, uint32_t dst, uint16_t sport,
	       uint16_t dport, const void *payload, size_t plen)
{
	uint8_t *udp = buf + 20, pseudo[12 + 8 + 1500];
	uint16_t c;

	ip4_header(buf, src, dst, IPPROTO_UDP, 8 + plen);
	put16(udp, sport);
	put16(udp + 2, dport);
	put16(udp + 4, (uint16_t)(8 + plen));
	put16(udp + 6, 0);
	memcpy(udp + 8, payload, plen);
	if (plen <= 1500) {
		memcpy(pseudo, &src, 4);
		memcpy(pseudo + 4, &dst, 4);
		pseudo[8] = 0;
		pseudo[9] = IPPROTO_UDP;
		put16(pseudo + 10, (uint16_t)(8 + plen));
		memcpy(pseudo + 12, udp, 8 + plen);
		c = tt_csum(pseudo, 12 + 8 + plen);
		if (!c)
			c = 0xffff;
		memcpy(udp + 6, &c, 2);
	}
	return 28 + plen;
}

size_t tt_eth(uint8_t *buf, const uint8_t dst[6], const uint8_t src[6],
	      uint16_t proto)
{
	memcpy(buf, dst, 6);
	memcpy(buf + 6, src, 6);
	put16(buf + 12, proto);
	return 14;
}

size_t tt_arp(uint8_t *buf, int op, const uint8_t eth_dst[6],
	      const uint8_t sha[6], uint32_t spa, const uint8_t tha[6],
	      uint32_t tpa)
{
	uint8_t *a = buf + tt_eth(buf, eth_dst, sha, 0x0806);

	put16(a, 1);		/* Ethernet */
	put16(a + 2, 0x0800);	/* IPv4 */
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, (uint16_t)op);
	memcpy(a + 8, sha, 6);
	memcpy(a + 14, &spa, 4);
	memcpy(a + 18, tha, 6);
	memcpy(a + 24, &tpa, 4);
	return 42;
}

int tt_udp_send(const char *dst, uint16_t port, size_t plen, int count)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	uint8_t payload[2048];
	int s, err = 0;

	if (plen > sizeof(payload))
		return -EINVAL;
	for (size_t i = 0; i < plen; i++)
		payload[i] = (uint8_t)(0xa0 + i);
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = tt_ip4(dst);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	for (int i = 0; i < count; i++) {
		if (sendto(s, payload, plen, 0, (struct sockaddr *)&sin,
			   sizeof(sin)) != (ssize_t)plen) {
			err = -errno;
			break;
		}
	}
	close(s);
	return err;
}

ssize_t tt_read_timeout(int fd, void *buf, size_t len, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r;

	do
		r = poll(&p, 1, ms);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -1;
	if (r == 0) {
		errno = ETIMEDOUT;
		return -1;
	}
	return read(fd, buf, len);
}

/* ---- processes ---- */

int tt_sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	fflush(stdout);
	st = system(cmd);
	if (st < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

int tt_sh_out(char *out, size_t len, const char *fmt, ...)
{
	char cmd[1024];
	size_t n = 0, r;
	va_list ap;
	FILE *f;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	fflush(stdout);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (n + 1 < len && (r = fread(out + n, 1, len - 1 - n, f)) > 0)
		n += r;
	out[n] = 0;
	st = pclose(f);
	if (st < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

int tt_run_as(uid_t uid, gid_t gid, int (*fn)(void *), void *arg)
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (setgroups(0, NULL) || setgid(gid) || setuid(uid))
			_exit(254);
		_exit(fn(arg) & 0xff);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

int tt_send_fd(int sock, int fd)
{
	char c = 'F';
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = u.buf,
		.msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *cm;

	memset(&u, 0, sizeof(u));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(sock, &msg, 0) != 1)
		return -errno;
	return 0;
}

int tt_recv_fd(int sock)
{
	char c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = u.buf,
		.msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -EPROTO;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -EPROTO;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

long long tt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void tt_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int tt_bpf_const_prog(int type, int ret)
{
	struct bpf_insn insns[2];
	union bpf_attr attr;

	memset(insns, 0, sizeof(insns));
	insns[0].code = BPF_ALU64 | BPF_MOV | BPF_K;
	insns[0].dst_reg = BPF_REG_0;
	insns[0].imm = ret;
	insns[1].code = BPF_JMP | BPF_EXIT;
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = (uint32_t)type;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = 2;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	return (int)syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
}

int tt_bpf_array_map(unsigned int entries)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = sizeof(uint32_t);
	attr.value_size = sizeof(uint64_t);
	attr.max_entries = entries;
	return (int)syscall(__NR_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));
}

#define INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
			    .off = (o), .imm = (i) })

int tt_bpf_counting_prog(int type, int map, int ret)
{
	const struct bpf_insn insns[] = {
		/* r1 = the map (a two-slot load of its fd) */
		INSN(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_1, BPF_PSEUDO_MAP_FD,
		     0, map),
		INSN(0, 0, 0, 0, 0),
		/* key 0 on the stack, r2 = &key */
		INSN(BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, -4, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0),
		INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -4),
		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem),
		/* if found, atomically add 1 to it */
		INSN(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 2, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_1, 0, 0, 1),
		INSN(BPF_STX | BPF_ATOMIC | BPF_DW, BPF_REG_0, BPF_REG_1, 0,
		     BPF_ADD),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, ret),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = (uint32_t)type;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = sizeof(insns) / sizeof(insns[0]);
	attr.license = (uint64_t)(uintptr_t)"GPL";
	return (int)syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
}

int tt_bpf_map_read(int map, uint32_t key, uint64_t *val)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)map;
	attr.key = (uint64_t)(uintptr_t)&key;
	attr.value = (uint64_t)(uintptr_t)val;
	if (syscall(__NR_bpf, BPF_MAP_LOOKUP_ELEM, &attr, sizeof(attr)) < 0)
		return -errno;
	return 0;
}

/* ---- test devices and ICMP echo through them ---- */

int tt_dev_setup(const char *name, int flags, const struct tt_devopts *o)
{
	int err;

	err = tt_link_prepare(name, o ? o->ip : NULL, 24, NULL);
	if (err)
		return tt_fail("configuring %s: %s", name, tt_errname(-err));
	if (o && o->ip && o->peer_ip &&
	    (flags & (IFF_TUN | IFF_TAP)) == IFF_TAP) {
		err = tt_neigh_add(name, o->peer_ip, o->peer_mac);
		if (err)
			return tt_fail("neighbour on %s: %s", name,
				       tt_errname(-err));
	}
	return TT_PASS;
}

int tt_mkdev(const char *name, int flags, const struct tt_devopts *o)
{
	int fd, e;

	fd = tt_tun_open(o ? o->oflags : 0);
	if (fd < 0)
		return tt_fail("open " TT_TUN_PATH ": %s", tt_errname(errno));
	if (tt_tun_setiff(fd, name, flags, NULL) < 0) {
		e = errno;
		tt_close(fd);
		return tt_fail("TUNSETIFF %s 0x%x: %s", name, flags,
			       tt_errname(e));
	}
	TT_CALL(tt_dev_setup(name, flags, o));
	return fd;
}

size_t tt_echo_request(uint8_t *buf, const struct tt_echo *e,
		       const uint8_t *dev_mac, uint16_t seq)
{
	size_t off = 0;

	if (dev_mac)
		off = tt_eth(buf, dev_mac, e->peer_mac, 0x0800);
	return off + tt_icmp4_echo(buf + off, tt_ip4(e->peer_ip),
				   tt_ip4(e->dev_ip), 8, e->id, seq,
				   e->payload, e->plen);
}

int tt_echo_reply_check(const uint8_t *p, size_t len, const struct tt_echo *e,
			const uint8_t *dev_mac, uint16_t seq)
{
	/* __thread: a case may check replies from threads of its own. */
	static __thread uint8_t want[14 + 65535];
	size_t off = dev_mac ? 14 : 0, iplen = 28 + e->plen;
	uint32_t src = tt_ip4(e->dev_ip), dst = tt_ip4(e->peer_ip);

	if (iplen > 65535)
		return tt_fail("echo of %zu bytes of payload: too long",
			       e->plen);
	TT_EQ(len, off + iplen);
	if (dev_mac) {
		tt_eth(want, e->peer_mac, dev_mac, 0x0800);
		TT_MEMEQ(p, want, 14);
		p += 14;
	}
	TT_EQ(p[0], 0x45);
	TT_EQ(p[2] << 8 | p[3], iplen);
	TT_EQ(p[9], IPPROTO_ICMP);
	TT_EQ(tt_csum(p, 20), 0);
	TT_CHECK(!memcmp(p + 12, &src, 4), "reply source is not %s",
		 e->dev_ip);
	TT_CHECK(!memcmp(p + 16, &dst, 4), "reply destination is not %s",
		 e->peer_ip);
	/* ICMP: type 0, the same id, sequence and payload, a valid checksum. */
	tt_icmp4_echo(want, src, dst, 0, e->id, seq, e->payload, e->plen);
	TT_MEMEQ(p + 20, want + 20, iplen - 20);
	TT_EQ(tt_csum(p + 20, iplen - 20), 0);
	return TT_PASS;
}

int tt_echo_reply_readv(int fd, const struct tt_echo *e, uint16_t seq)
{
	static __thread uint8_t rest[65535], whole[65535];
	size_t len = 28 + e->plen;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct tun_pi pi;
	uint8_t hdr[10];
	struct iovec rv[3] = {
		{ &pi, sizeof(pi) },
		{ hdr, sizeof(hdr) },
		{ rest, sizeof(rest) },
	};
	ssize_t n;

	if (len > sizeof(whole))
		return tt_fail("echo of %zu bytes of payload: too long",
			       e->plen);
	TT_EQ(poll(&p, 1, TT_WAIT_MS), 1);
	n = readv(fd, rv, 3);
	TT_EQ(n, sizeof(pi) + len);
	TT_EQ(pi.flags, 0);
	TT_EQ(ntohs(pi.proto), 0x0800);
	memcpy(whole, hdr, sizeof(hdr));
	memcpy(whole + sizeof(hdr), rest, len - sizeof(hdr));
	return tt_echo_reply_check(whole, len, e, NULL, seq);
}
