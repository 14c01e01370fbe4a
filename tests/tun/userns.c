// SPDX-License-Identifier: GPL-2.0
/*
 * The permission model in user namespaces.
 *
 * An unprivileged user (uid 1234, gid 4321, no capabilities) unshares a user
 * namespace, and mostly a network namespace with it.  Creating a device
 * wants CAP_NET_ADMIN in the user namespace that owns the netns of the fd
 * (the netns /dev/net/tun was opened in); attaching to an existing device
 * wants that capability over the device's netns, or being its owner or in
 * its group.  TUNSETOWNER and TUNSETGROUP take ids of the caller's user
 * namespace; the owner and group files in sysfs answer in the reader's.
 *
 * The maps are written either by the child itself, as an unprivileged user
 * can ("deny" to setgroups, then 0 -> 1234 and 0 -> 4321), or by this root
 * parent, which may map a range as well: 1..1000 -> 200001..201000 (uids)
 * and 300001..301000 (gids).
 *
 * A child that also unshares its mount namespace mounts a sysfs of its own
 * netns on /sys; the parent reads the same files through
 * /proc/PID/root/sys, from the initial user namespace.
 *
 * Children report a failure through a shared page; parent and child take
 * turns over a unix socket.
 */
#include "tt.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/sockios.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define UID_U 1234
#define GID_U 4321
#define UID_BASE 200000		/* inside uid n (1..1000) is UID_BASE + n */
#define GID_BASE 300000

#define TUN_IP "198.18.9.1"
#define PEER_IP "198.18.9.2"

/* ---- children report through a shared page ---- */

static char *child_msg;		/* MAP_SHARED, set up in main() */

static int cfail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int cfail(const char *fmt, ...)
{
	va_list ap;

	if (child_msg[0])
		return 1;
	va_start(ap, fmt);
	vsnprintf(child_msg, 512, fmt, ap);
	va_end(ap);
	return 1;
}

/* In a child: expr must fail with exactly errno err. */
#define C_ERRNO(expr, err)                                                     \
	do {                                                                   \
		long r_;                                                       \
		errno = 0;                                                     \
		r_ = (long)(expr);                                             \
		if (r_ != -1 || errno != (err))                                \
			return cfail("line %d: %s: want %s, got %ld %s",       \
				     __LINE__, #expr, tt_errname(err), r_,     \
				     r_ == -1 ? tt_errname(errno) : "");       \
	} while (0)

/* In a child: expr must not return a negative value. */
#define C_SYS(expr)                                                            \
	do {                                                                   \
		errno = 0;                                                     \
		if ((long)(expr) < 0)                                          \
			return cfail("line %d: %s: %s", __LINE__, #expr,       \
				     tt_errname(errno));                       \
	} while (0)

/* In a child: a helper that returns 0 or cfail(). */
#define C_CALL(x)                                                              \
	do {                                                                   \
		if (x)                                                         \
			return 1;                                              \
	} while (0)

#define C_CHECK(cond, ...)                                                     \
	do {                                                                   \
		if (!(cond))                                                   \
			return cfail(__VA_ARGS__);                             \
	} while (0)

/* ---- turns over the socket ---- */

static int put(int sock, char c)
{
	return write(sock, &c, 1) == 1 ? 0 : -1;
}

/* Wait up to TT_WAIT_MS for c; 0, or -1 on anything else (or the peer gone). */
static int get(int sock, char c)
{
	struct pollfd p = { .fd = sock, .events = POLLIN };
	char got;

	if (poll(&p, 1, TT_WAIT_MS) != 1 || read(sock, &got, 1) != 1 || got != c)
		return -1;
	return 0;
}

/* ---- small things ---- */

static int write_file(const char *path, const char *s)
{
	int fd, err = 0;
	ssize_t n, len = (ssize_t)strlen(s);

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, s, (size_t)len);
	if (n != len)
		err = n < 0 ? -errno : -EIO;
	close(fd);
	return err;
}

static int read_file(const char *path, char *buf, size_t len)
{
	int fd;
	ssize_t n;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = 0;
	return 0;
}

static long long ino_of_path(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (long long)st.st_ino;
}

static long long ino_of_fd(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? -1 : (long long)st.st_ino;
}

/* open /dev/net/tun and TUNSETIFF; the fd, or -1 with errno. */
static int tun_attach(const char *name, int flags)
{
	struct ifreq ifr;
	int fd, e;

	fd = open(TT_TUN_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	ifr.ifr_flags = (short)flags;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* A persistent device with owner and group (-1: none); 0 or cfail. */
static int c_mk_owned(const char *name, long owner, long group)
{
	int fd = tun_attach(name, IFF_TUN | IFF_NO_PI);

	C_SYS(fd);
	if (owner >= 0)
		C_SYS(ioctl(fd, TUNSETOWNER, owner));
	if (group >= 0)
		C_SYS(ioctl(fd, TUNSETGROUP, group));
	C_SYS(ioctl(fd, TUNSETPERSIST, 1));
	close(fd);
	return 0;
}

/* In a child: /sys/class/net/DEV/ATTR must read want. */
static int c_sysfs_is(const char *dev, const char *attr, const char *want)
{
	char buf[64];
	int err = tt_sysfs_read(dev, attr, buf, sizeof(buf));

	C_CHECK(!err, "reading %s/%s inside: %s", dev, attr, tt_errname(-err));
	C_CHECK(!strcmp(buf, want), "%s/%s inside reads \"%s\", want \"%s\"",
		dev, attr, buf, want);
	return 0;
}

/* In the parent: /proc/PID/root/sys/class/net/DEV/ATTR must read want. */
static int outside_sysfs_is(pid_t pid, const char *dev, const char *attr,
			    const char *want)
{
	char path[128], buf[64];
	int err;

	snprintf(path, sizeof(path), "/proc/%d/root/sys/class/net/%s/%s",
		 (int)pid, dev, attr);
	err = read_file(path, buf, sizeof(buf));
	TT_CHECK(!err, "reading %s: %s", path, tt_errname(-err));
	TT_CHECK(!strcmp(buf, want), "%s reads \"%s\", want \"%s\"", path, buf,
		 want);
	return TT_PASS;
}

/* ---- the namespaced child ---- */

enum map { MAP_SELF, MAP_RANGE };

struct nschild {
	pid_t pid;
	int sock;		/* the parent's end */
};

typedef int (*child_fn)(int sock, void *arg);

static int child_setup(int sock, int flags, enum map map)
{
	char buf[64];

	/* An ordinary user: no groups, no capabilities. */
	if (setgroups(0, NULL) || setresgid(GID_U, GID_U, GID_U) ||
	    setresuid(UID_U, UID_U, UID_U))
		return cfail("cannot drop to uid %d: %s", UID_U,
			     tt_errname(errno));
	/* As a login would have it: its /proc files its own. */
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0))
		return cfail("PR_SET_DUMPABLE: %s", tt_errname(errno));
	if (unshare(flags))
		return cfail("unshare(0x%x) as uid %d: %s", flags, UID_U,
			     tt_errname(errno));
	if (map == MAP_SELF) {
		int err = write_file("/proc/self/setgroups", "deny");

		if (!err) {
			snprintf(buf, sizeof(buf), "0 %d 1", UID_U);
			err = write_file("/proc/self/uid_map", buf);
		}
		if (!err) {
			snprintf(buf, sizeof(buf), "0 %d 1", GID_U);
			err = write_file("/proc/self/gid_map", buf);
		}
		if (err)
			return cfail("writing our own maps: %s",
				     tt_errname(-err));
	} else if (put(sock, 'U') || get(sock, 'M')) {
		return cfail("the parent wrote no maps");
	}
	if (getuid() != 0 || getgid() != 0)
		return cfail("uid %d gid %d inside, want 0 0", (int)getuid(),
			     (int)getgid());
	if (flags & CLONE_NEWNS) {
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
			return cfail("making / private: %s", tt_errname(errno));
		if (mount("sysfs", "/sys", "sysfs", 0, NULL))
			return cfail("mounting sysfs inside: %s",
				     tt_errname(errno));
	}
	if ((flags & CLONE_NEWNET) && tt_lo_up())
		return cfail("lo up: %s", tt_errname(errno));
	return 0;
}

static int start(struct nschild *c, int flags, enum map map, child_fn fn,
		 void *arg)
{
	char buf[128], path[64];
	int sv[2];

	child_msg[0] = 0;
	TT_SYS(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	fflush(stdout);
	c->pid = fork();
	if (c->pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return tt_fail("fork: %s", tt_errname(errno));
	}
	if (c->pid == 0) {
		close(sv[0]);
		if (child_setup(sv[1], flags, map))
			_exit(1);
		_exit(fn(sv[1], arg) ? 1 : 0);
	}
	close(sv[1]);
	c->sock = sv[0];
	tt_defer_pid(c->pid);
	tt_defer_fd(c->sock);
	if (map == MAP_RANGE) {
		TT_CHECK(!get(c->sock, 'U'), "child: %s",
			 child_msg[0] ? child_msg : "no user namespace");
		snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)c->pid);
		snprintf(buf, sizeof(buf), "0 %d 1\n1 %d 1000\n", UID_U,
			 UID_BASE + 1);
		TT_SYS(write_file(path, buf));
		snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)c->pid);
		snprintf(buf, sizeof(buf), "0 %d 1\n1 %d 1000\n", GID_U,
			 GID_BASE + 1);
		TT_SYS(write_file(path, buf));
		TT_SYS(put(c->sock, 'M'));
	}
	return TT_PASS;
}

/* The child's verdict: TT_PASS, or its message. */
static int finish(struct nschild *c)
{
	int st;

	if (waitpid(c->pid, &st, 0) < 0)
		return tt_fail("waitpid: %s", tt_errname(errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st) || child_msg[0])
		return tt_fail("child: %s",
			       child_msg[0] ? child_msg : "died");
	return TT_PASS;
}

/* Wait for the child's c; if it failed instead, its message. */
static int await(struct nschild *c, char ch)
{
	if (!get(c->sock, ch))
		return TT_PASS;
	return finish(c) ? TT_FAIL : tt_fail("child did not say '%c'", ch);
}

/* ---- create ---- */

static int ch_create(int sock, void *arg)
{
	char buf[64];
	int fd, err;

	(void)sock;
	(void)arg;
	C_SYS(read_file("/proc/self/uid_map", buf, sizeof(buf)));
	C_CHECK(!strcmp(buf, "         0       1234          1"),
		"uid_map \"%s\"", buf);
	/* CAP_NET_ADMIN in the user namespace that owns this netns. */
	fd = tun_attach("ttun0", IFF_TUN | IFF_NO_PI);
	C_CHECK(fd >= 0, "creating a tun in our own netns: %s",
		tt_errname(errno));
	C_CHECK(if_nametoindex("ttun0"), "ttun0 not in our netns");
	C_SYS(ioctl(fd, TUNSETPERSIST, 1));
	close(fd);
	fd = tun_attach("ttun1", IFF_TAP | IFF_NO_PI);
	C_CHECK(fd >= 0, "creating a tap in our own netns: %s",
		tt_errname(errno));
	err = tt_link_prepare("ttun1", NULL, 0, NULL);
	C_CHECK(!err, "bringing ttun1 up: %s", tt_errname(-err));
	/* Attaching again to the persistent one. */
	fd = tun_attach("ttun0", IFF_TUN | IFF_NO_PI);
	C_CHECK(fd >= 0, "attaching to ttun0: %s", tt_errname(errno));
	return 0;
}

static int c_create_in_own_netns(void)
{
	struct nschild c;

	TT_CALL(start(&c, CLONE_NEWUSER | CLONE_NEWNET, MAP_SELF, ch_create,
		   NULL));
	TT_CALL(finish(&c));
	/* Made in the child's netns, gone with it. */
	TT_CHECK(!tt_link_exists("ttun0") && !tt_link_exists("ttun1"),
		 "a device of the child's netns shows here");
	return TT_PASS;
}

static int ch_create_initial(int sock, void *arg)
{
	(void)sock;
	(void)arg;
	/* Root of a new user namespace, but in the initial netns. */
	C_ERRNO(tun_attach("ttun2", IFF_TUN | IFF_NO_PI), EPERM);
	C_ERRNO(tun_attach("ttun2", IFF_TAP | IFF_NO_PI), EPERM);
	return 0;
}

static int c_create_in_initial_netns_eperm(void)
{
	struct nschild c;

	TT_CALL(start(&c, CLONE_NEWUSER, MAP_SELF, ch_create_initial, NULL));
	TT_CALL(finish(&c));
	TT_CHECK(!tt_link_exists("ttun2"), "ttun2 created");
	return TT_PASS;
}

/* An fd opened before unshare belongs to the initial netns. */
static int fd_before = -1;

static int ch_fd_before(int sock, void *arg)
{
	struct ifreq ifr;
	int fd;

	(void)sock;
	(void)arg;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "ttun3");
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	C_ERRNO(ioctl(fd_before, TUNSETIFF, &ifr), EPERM);
	C_CHECK(!if_nametoindex("ttun3"), "ttun3 made in our netns");
	/* Opened now, in our netns: fine. */
	fd = tun_attach("ttun3", IFF_TUN | IFF_NO_PI);
	C_CHECK(fd >= 0, "TUNSETIFF on an fd opened inside: %s",
		tt_errname(errno));
	C_CHECK(if_nametoindex("ttun3"), "ttun3 not in our netns");
	return 0;
}

static int c_fd_from_initial_netns_eperm(void)
{
	struct nschild c;

	fd_before = tt_tun_open(0);
	TT_SYS(fd_before);
	TT_CALL(start(&c, CLONE_NEWUSER | CLONE_NEWNET, MAP_SELF, ch_fd_before,
		   NULL));
	TT_CALL(finish(&c));
	TT_CHECK(!tt_link_exists("ttun3"), "ttun3 created here");
	return TT_PASS;
}

/* ---- owner and group ---- */

static int ch_owner_self(int sock, void *arg)
{
	char out[256];
	int fd;

	(void)arg;
	fd = tun_attach("ttun4", IFF_TAP | IFF_NO_PI);
	C_CHECK(fd >= 0, "creating ttun4: %s", tt_errname(errno));
	C_SYS(ioctl(fd, TUNSETPERSIST, 1));
	C_CALL(c_sysfs_is("ttun4", "owner", "-1"));
	/* Our 0 is uid 1234 and gid 4321 outside. */
	C_SYS(ioctl(fd, TUNSETOWNER, 0));
	C_SYS(ioctl(fd, TUNSETGROUP, 0));
	C_CALL(c_sysfs_is("ttun4", "owner", "0"));
	C_CALL(c_sysfs_is("ttun4", "group", "0"));
	/* An id without a mapping here is no id. */
	C_ERRNO(ioctl(fd, TUNSETOWNER, 1), EINVAL);
	C_ERRNO(ioctl(fd, TUNSETOWNER, UID_U), EINVAL);
	C_ERRNO(ioctl(fd, TUNSETGROUP, 1), EINVAL);
	C_ERRNO(ioctl(fd, TUNSETGROUP, GID_U), EINVAL);
	C_CALL(c_sysfs_is("ttun4", "owner", "0"));
	C_CALL(c_sysfs_is("ttun4", "group", "0"));
	/* ip -d link shows them in our terms too (and names them). */
	C_CHECK(tt_sh_out(out, sizeof(out),
			  "ip -d link show dev ttun4 | grep -o 'persist on user [^ ]* group [^ ]*'") == 0,
		"ip -d link show dev ttun4 inside: %s", out);
	C_CHECK(!strcmp(out, "persist on user root group root\n"),
		"ip -d link inside: \"%s\"", out);
	if (put(sock, 'A') || get(sock, 'B'))
		return cfail("the parent did not answer");
	return 0;
}

static int c_owner_group_mapped(void)
{
	char out[256], cmd[160];
	struct nschild c;

	TT_CALL(start(&c, CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS, MAP_SELF,
		   ch_owner_self, NULL));
	TT_CALL(await(&c, 'A'));
	/* The same files read from the initial user namespace. */
	TT_CALL(outside_sysfs_is(c.pid, "ttun4", "owner", "1234"));
	TT_CALL(outside_sysfs_is(c.pid, "ttun4", "group", "4321"));
	TT_CALL(outside_sysfs_is(c.pid, "ttun4", "tun_flags", "0x1802"));
	/* (busybox's nsenter would run its own ip for "ip".) */
	snprintf(cmd, sizeof(cmd),
		 "nsenter --net=/proc/%d/ns/net /sbin/ip -d link show dev ttun4 | grep -o 'persist on user [^ ]* group [^ ]*'",
		 (int)c.pid);
	TT_EQ(tt_sh_out(out, sizeof(out), "%s", cmd), 0);
	TT_STREQ(out, "persist on user 1234 group 4321\n");
	TT_SYS(put(c.sock, 'B'));
	return finish(&c);
}

static int ch_owner_range(int sock, void *arg)
{
	int fd;

	(void)arg;
	fd = tun_attach("ttun5", IFF_TUN | IFF_NO_PI);
	C_CHECK(fd >= 0, "creating ttun5: %s", tt_errname(errno));
	C_SYS(ioctl(fd, TUNSETPERSIST, 1));
	C_SYS(ioctl(fd, TUNSETOWNER, 5));
	C_SYS(ioctl(fd, TUNSETGROUP, 1000));
	C_CALL(c_sysfs_is("ttun5", "owner", "5"));
	C_CALL(c_sysfs_is("ttun5", "group", "1000"));
	/* Just past the range. */
	C_ERRNO(ioctl(fd, TUNSETOWNER, 1001), EINVAL);
	C_ERRNO(ioctl(fd, TUNSETGROUP, 1001), EINVAL);
	if (put(sock, 'A') || get(sock, 'B'))
		return cfail("the parent did not answer");
	return 0;
}

static int c_owner_range_mapped(void)
{
	struct nschild c;
	char want[32];

	TT_CALL(start(&c, CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS, MAP_RANGE,
		   ch_owner_range, NULL));
	TT_CALL(await(&c, 'A'));
	snprintf(want, sizeof(want), "%d", UID_BASE + 5);
	TT_CALL(outside_sysfs_is(c.pid, "ttun5", "owner", want));
	snprintf(want, sizeof(want), "%d", GID_BASE + 1000);
	TT_CALL(outside_sysfs_is(c.pid, "ttun5", "group", want));
	TT_SYS(put(c.sock, 'B'));
	return finish(&c);
}

static int ch_unmapped_reader(int sock, void *arg)
{
	(void)sock;
	(void)arg;
	/* The initial netns, so the initial sysfs: read in our terms. */
	C_CALL(c_sysfs_is("ttun6", "owner", "0"));
	C_CALL(c_sysfs_is("ttun6", "group", "0"));
	/* Ids without a mapping here read as the overflow ids. */
	C_CALL(c_sysfs_is("ttun7", "owner", "65534"));
	C_CALL(c_sysfs_is("ttun7", "group", "65534"));
	/* And none is none. */
	C_CALL(c_sysfs_is("ttun19", "owner", "-1"));
	C_CALL(c_sysfs_is("ttun19", "group", "-1"));
	return 0;
}

static int c_owner_seen_from_userns(void)
{
	struct nschild c;
	int fd;

	fd = tt_tun_alloc("ttun6", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNSETOWNER, UID_U));
	TT_SYS(ioctl(fd, TUNSETGROUP, GID_U));
	fd = tt_tun_alloc("ttun7", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNSETOWNER, UID_U + 1));
	TT_SYS(ioctl(fd, TUNSETGROUP, 42));
	TT_SYS(tt_tun_alloc("ttun19", IFF_TUN | IFF_NO_PI, NULL));
	TT_CALL(start(&c, CLONE_NEWUSER, MAP_SELF, ch_unmapped_reader, NULL));
	return finish(&c);
}

/* ---- attaching ---- */

static int try_attach_as(uid_t uid, gid_t gid, const char *name, int want)
{
	pid_t pid;
	int st, fd;

	pid = fork();
	if (pid < 0)
		return cfail("fork: %s", tt_errname(errno));
	if (pid == 0) {
		if (setgroups(0, NULL) || setresgid(gid, gid, gid) ||
		    setresuid(uid, uid, uid))
			_exit(cfail("cannot become %d:%d inside: %s", (int)uid,
				    (int)gid, tt_errname(errno)));
		fd = tun_attach(name, IFF_TUN | IFF_NO_PI);
		if (want == 0 && fd < 0)
			_exit(cfail("uid %d gid %d attaching %s: %s", (int)uid,
				    (int)gid, name, tt_errname(errno)));
		if (want && (fd >= 0 || errno != want))
			_exit(cfail("uid %d gid %d attaching %s: got %s, want %s",
				    (int)uid, (int)gid, name,
				    fd >= 0 ? "success" : tt_errname(errno),
				    tt_errname(want)));
		_exit(0);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		return cfail("%s", child_msg[0] ? child_msg : "child died");
	return 0;
}

static int ch_attach_inside(int sock, void *arg)
{
	(void)sock;
	(void)arg;
	if (c_mk_owned("ttun8", 5, -1) || c_mk_owned("ttun9", 6, -1) ||
	    c_mk_owned("ttun10", -1, 7))
		return 1;
	/* Our uid 5, without capabilities: its own device only. */
	if (try_attach_as(5, 5, "ttun8", 0) ||
	    try_attach_as(5, 5, "ttun9", EPERM) ||
	    try_attach_as(6, 6, "ttun9", 0) ||
	    try_attach_as(5, 7, "ttun10", 0) ||
	    try_attach_as(5, 5, "ttun10", EPERM) ||
	    /* and no new device. */
	    try_attach_as(5, 5, "ttun11", EPERM))
		return 1;
	C_CHECK(!if_nametoindex("ttun11"), "ttun11 created");
	return 0;
}

static int c_attach_owned_inside(void)
{
	struct nschild c;

	TT_CALL(start(&c, CLONE_NEWUSER | CLONE_NEWNET, MAP_RANGE,
		   ch_attach_inside, NULL));
	return finish(&c);
}

static int ch_attach_initial(int sock, void *arg)
{
	int fd;

	(void)sock;
	(void)arg;
	/* Our 0 is uid 1234: the owner of ttun12, not of ttun13. */
	fd = tun_attach("ttun12", IFF_TUN | IFF_NO_PI);
	C_CHECK(fd >= 0, "attaching to ttun12, ours: %s", tt_errname(errno));
	C_ERRNO(tun_attach("ttun13", IFF_TUN | IFF_NO_PI), EPERM);
	/* The fd works; the namespace fds want CAP_NET_ADMIN over init's. */
	C_SYS(ioctl(fd, TUNSETPERSIST, 1));
	C_ERRNO(ioctl(fd, SIOCGSKNS), EPERM);
	C_ERRNO(ioctl(fd, TUNGETDEVNETNS), EPERM);
	return 0;
}

static int c_attach_initial_device_from_userns(void)
{
	char buf[32];
	struct nschild c;
	int fd;

	fd = tt_tun_alloc("ttun12", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNSETOWNER, UID_U));
	TT_SYS(ioctl(fd, TUNSETPERSIST, 1));
	tt_close(fd);
	fd = tt_tun_alloc("ttun13", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNSETOWNER, UID_U + 1));
	TT_SYS(ioctl(fd, TUNSETPERSIST, 1));
	tt_close(fd);
	TT_CALL(start(&c, CLONE_NEWUSER, MAP_SELF, ch_attach_initial, NULL));
	TT_CALL(finish(&c));
	TT_SYS(tt_sysfs_read("ttun12", "owner", buf, sizeof(buf)));
	TT_STREQ(buf, "1234");
	return TT_PASS;
}

/* ---- namespace fds ---- */

static int ch_skns(int sock, void *arg)
{
	long long self = ino_of_path("/proc/self/ns/net");
	int fd, ns, unattached;

	(void)sock;
	(void)arg;
	fd = tun_attach("ttun14", IFF_TAP | IFF_NO_PI);
	C_CHECK(fd >= 0, "creating ttun14: %s", tt_errname(errno));
	/* Capable over our own netns: both work, and name it. */
	ns = ioctl(fd, SIOCGSKNS);
	C_SYS(ns);
	C_CHECK(ino_of_fd(ns) == self, "SIOCGSKNS: netns %lld, want %lld",
		ino_of_fd(ns), self);
	close(ns);
	ns = ioctl(fd, TUNGETDEVNETNS);
	C_SYS(ns);
	C_CHECK(ino_of_fd(ns) == self, "TUNGETDEVNETNS: netns %lld, want %lld",
		ino_of_fd(ns), self);
	close(ns);
	unattached = open(TT_TUN_PATH, O_RDWR | O_CLOEXEC);
	C_SYS(unattached);
	ns = ioctl(unattached, SIOCGSKNS);
	C_SYS(ns);
	close(ns);
	C_ERRNO(ioctl(unattached, TUNGETDEVNETNS), EBADFD);
	/* Not over the initial netns, where fd_before was opened. */
	C_ERRNO(ioctl(fd_before, SIOCGSKNS), EPERM);
	return 0;
}

static int c_skns_devnetns_inside(void)
{
	struct nschild c;

	fd_before = tt_tun_open(0);
	TT_SYS(fd_before);
	TT_CALL(start(&c, CLONE_NEWUSER | CLONE_NEWNET, MAP_SELF, ch_skns, NULL));
	return finish(&c);
}

/* ---- a namespace that goes ---- */

static int ch_wait_and_make(int sock, void *arg)
{
	int fd;

	(void)arg;
	/* A persistent device of our own, its fd closed. */
	fd = tun_attach("ttun15", IFF_TUN | IFF_NO_PI);
	C_CHECK(fd >= 0, "creating ttun15: %s", tt_errname(errno));
	C_SYS(ioctl(fd, TUNSETPERSIST, 1));
	close(fd);
	if (put(sock, 'A') || get(sock, 'B'))
		return cfail("the parent did not answer");
	C_CHECK(if_nametoindex("ttun16") && if_nametoindex("ttun17"),
		"the devices did not arrive");
	return 0;
}

/* poll() says POLLERR and nothing else within TT_WAIT_MS. */
static int wait_pollerr(int fd)
{
	long long until = tt_now_ms() + TT_WAIT_MS;
	struct pollfd p;

	do {
		p.fd = fd;
		p.events = POLLIN | POLLOUT;
		p.revents = 0;
		poll(&p, 1, 0);
		if (p.revents == POLLERR)
			break;
		tt_sleep_ms(20);
	} while (tt_now_ms() < until);
	TT_EQ(p.revents, POLLERR);
	return TT_PASS;
}

/*
 * POLLERR comes as soon as the unregistration starts, the fd is unbound a
 * little later: read without blocking, EAGAIN while that lasts, then
 * EBADFD for good.
 */
static int wait_ebadfd(int fd)
{
	long long until = tt_now_ms() + TT_WAIT_MS;
	uint8_t buf[2048];

	TT_SYS(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK));
	while (read(fd, buf, sizeof(buf)) < 0 && errno == EAGAIN &&
	       tt_now_ms() < until)
		tt_sleep_ms(20);
	TT_ERRNO(read(fd, buf, sizeof(buf)), EBADFD);
	return TT_PASS;
}

static int c_netns_gone_with_attached_fd(void)
{
	struct nschild c;
	int fd;

	fd = tt_tun_alloc("ttun16", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNSETOWNER, UID_U));
	TT_SYS(ioctl(fd, TUNSETPERSIST, 1));
	TT_SYS(tt_tun_alloc("ttun17", IFF_TUN | IFF_NO_PI, NULL));
	TT_CALL(start(&c, CLONE_NEWUSER | CLONE_NEWNET, MAP_SELF,
		   ch_wait_and_make, NULL));
	TT_CALL(await(&c, 'A'));
	TT_EQ(tt_sh("ip link set dev ttun16 netns %d", (int)c.pid), 0);
	TT_EQ(tt_sh("ip link set dev ttun17 netns %d", (int)c.pid), 0);
	TT_CHECK(!tt_link_exists("ttun16") && !tt_link_exists("ttun17"),
		 "still here after the move");
	TT_SYS(put(c.sock, 'B'));
	TT_CALL(finish(&c));
	/*
	 * The netns went with the child: every device in it is unregistered,
	 * and none comes back here.
	 */
	TT_CALL(wait_pollerr(fd));
	TT_CALL(wait_ebadfd(fd));
	for (int i = 0; i < 50; i++) {
		if (tt_link_exists("ttun15") || tt_link_exists("ttun16") ||
		    tt_link_exists("ttun17"))
			break;
		tt_sleep_ms(10);
	}
	TT_CHECK(!tt_link_exists("ttun15") && !tt_link_exists("ttun16") &&
			 !tt_link_exists("ttun17"),
		 "a device of the dead netns came back to the initial one");
	return TT_PASS;
}

/* ---- a device moved into the namespace ---- */

static int ch_moved(int sock, void *arg)
{
	char out[256];
	int err;

	(void)arg;
	if (put(sock, 'A') || get(sock, 'B'))
		return cfail("the parent did not answer");
	C_CHECK(if_nametoindex("ttun18"), "ttun18 did not arrive");
	/* Its owner and group, in our terms. */
	C_CALL(c_sysfs_is("ttun18", "owner", "0"));
	C_CALL(c_sysfs_is("ttun18", "group", "0"));
	C_CALL(c_sysfs_is("ttun18", "tun_flags", "0x1001"));
	C_CHECK(tt_sh_out(out, sizeof(out),
			  "ip -d link show dev ttun18 | grep -o 'persist off user [^ ]* group [^ ]*'") == 0,
		"ip -d link show dev ttun18 inside: %s", out);
	C_CHECK(!strcmp(out, "persist off user root group root\n"),
		"ip -d link inside: \"%s\"", out);
	/* Ours to configure now. */
	err = tt_link_prepare("ttun18", TUN_IP, 24, NULL);
	C_CHECK(!err, "preparing ttun18 inside: %s", tt_errname(-err));
	if (put(sock, 'C') || get(sock, 'D'))
		return cfail("the parent did not answer");
	return 0;
}

static int c_moved_keeps_queue_and_owner(void)
{
	uint8_t pkt[128], buf[2048], pl[16];
	struct tt_stats st;
	struct pollfd pfd;
	struct nschild c;
	size_t len;
	ssize_t n;
	int fd, err;

	fd = tt_tun_alloc("ttun18", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNSETOWNER, UID_U));
	TT_SYS(ioctl(fd, TUNSETGROUP, GID_U));
	err = tt_link_prepare("ttun18", PEER_IP, 24, NULL);
	TT_CHECK(!err, "preparing ttun18: %s", tt_errname(-err));
	/* A datagram waits in the fd's queue, unread, across the move. */
	err = tt_udp_send("198.18.9.7", 9, 20, 1);
	TT_CHECK(!err, "sending: %s", tt_errname(-err));
	pfd.fd = fd;
	pfd.events = POLLIN;
	TT_EQ(poll(&pfd, 1, TT_WAIT_MS), 1);
	/* (tx_packets counts it when it is read.) */
	TT_EQ(tt_sysfs_num("ttun18", "statistics/tx_packets"), 0);

	TT_CALL(start(&c, CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS, MAP_SELF,
		   ch_moved, NULL));
	TT_CALL(await(&c, 'A'));
	TT_EQ(tt_sh("ip link set dev ttun18 netns %d", (int)c.pid), 0);
	TT_CHECK(!tt_link_exists("ttun18"), "ttun18 still here");
	TT_CALL(outside_sysfs_is(c.pid, "ttun18", "owner", "1234"));
	TT_CALL(outside_sysfs_is(c.pid, "ttun18", "group", "4321"));
	TT_SYS(put(c.sock, 'B'));
	TT_CALL(await(&c, 'C'));

	/* The queued datagram is still there, whole. */
	n = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_EQ(n, 20 + 8 + 20);
	TT_EQ(buf[9], 17);
	TT_MEMEQ(buf + 16, &(uint32_t){ tt_ip4("198.18.9.7") }, 4);
	/* And the fd serves the device over there: a ping is answered. */
	memset(pl, 0x77, sizeof(pl));
	len = tt_icmp4_echo(pkt, tt_ip4(PEER_IP), tt_ip4(TUN_IP), 8, 0x5151, 1,
			    pl, sizeof(pl));
	TT_EQ(write(fd, pkt, len), len);
	n = tt_read_timeout(fd, buf, sizeof(buf), TT_WAIT_MS);
	TT_EQ(n, len);
	TT_EQ(buf[20], 0);
	TT_MEMEQ(buf + 12, pkt + 16, 4);
	err = tt_stats_proc(c.pid, "ttun18", &st);
	TT_CHECK(!err, "stats over there: %s", tt_errname(-err));
	TT_STATS_EQ(st, rx_packets, 1);
	TT_STATS_EQ(st, rx_bytes, len);
	TT_STATS_EQ(st, tx_packets, 2);
	TT_STATS_EQ(st, tx_bytes, 48 + len);
	TT_SYS(put(c.sock, 'D'));
	TT_CALL(finish(&c));
	/* The netns is gone, and the device with it. */
	TT_CALL(wait_pollerr(fd));
	TT_CALL(wait_ebadfd(fd));
	return TT_PASS;
}

int main(void)
{
	tt_init();
	child_msg = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (child_msg == MAP_FAILED) {
		printf("not ok setup: mmap: %s\n", tt_errname(errno));
		return 1;
	}
	/* As Debian's udev rules have it: anyone may open /dev/net/tun. */
	if (tt_tun_node() || chmod(TT_TUN_PATH, 0666))
		tt_note("cannot make %s 0666: %s", TT_TUN_PATH,
			tt_errname(errno));
	tt_run("create_in_own_netns", c_create_in_own_netns);
	tt_run("create_in_initial_netns_eperm",
	       c_create_in_initial_netns_eperm);
	tt_run("fd_from_initial_netns_eperm", c_fd_from_initial_netns_eperm);
	tt_run("owner_group_mapped", c_owner_group_mapped);
	tt_run("owner_range_mapped", c_owner_range_mapped);
	tt_run("owner_seen_from_userns", c_owner_seen_from_userns);
	tt_run("attach_owned_inside", c_attach_owned_inside);
	tt_run("attach_initial_device_from_userns",
	       c_attach_initial_device_from_userns);
	tt_run("skns_devnetns_inside", c_skns_devnetns_inside);
	tt_run("netns_gone_with_attached_fd", c_netns_gone_with_attached_fd);
	tt_run("moved_keeps_queue_and_owner", c_moved_keeps_queue_and_owner);
	return tt_done();
}
