// SPDX-License-Identifier: GPL-2.0
/*
 * TUNSETIFF and the ioctls around it: device creation and naming, the device
 * type and flags as sysfs shows them, attaching to an existing device, and
 * the errno of every refusal.
 */
#include "tt.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define ARPHRD_NONE_ 65534
#define ARPHRD_ETHER_ 1

static int is_template_name(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strncmp(name, prefix, n) || !name[n])
		return 0;
	for (const char *p = name + n; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

/* TUNSETIFF with a raw ifreq, so that a case can see what comes back. */
static int setiff_raw(int fd, struct ifreq *ifr)
{
	int r = ioctl(fd, TUNSETIFF, ifr);

	if (r == 0)
		tt_defer_link(ifr->ifr_name);
	return r;
}

/* A fresh file, TUNSETIFF with @name and @flags: @ifr is what came back. */
static int setiff_new(const char *name, short flags, struct ifreq *ifr)
{
	int fd;

	fd = tt_tun_open(0);
	TT_SYS(fd);
	memset(ifr, 0, sizeof(*ifr));
	strcpy(ifr->ifr_name, name);
	ifr->ifr_flags = flags;
	TT_SYS(setiff_raw(fd, ifr));
	return TT_PASS;
}

/* No name: @prefix<N>, and the flags come back as given. */
static int setiff_default_name(short flags, const char *prefix,
			       struct ifreq *ifr)
{
	TT_CALL(setiff_new("", flags, ifr));
	TT_CHECK(is_template_name(ifr->ifr_name, prefix),
		 "default name \"%s\" is not %s<N>", ifr->ifr_name, prefix);
	TT_EQ(ifr->ifr_flags, flags);
	return TT_PASS;
}

static int c_tun_default_name(void)
{
	struct ifreq ifr;

	TT_CALL(setiff_default_name(IFF_TUN | IFF_NO_PI, "tun", &ifr));
	TT_CHECK(tt_link_exists(ifr.ifr_name), "%s does not exist",
		 ifr.ifr_name);
	TT_EQ(tt_sysfs_num(ifr.ifr_name, "type"), ARPHRD_NONE_);
	return TT_PASS;
}

static int c_tap_default_name(void)
{
	struct ifreq ifr;

	TT_CALL(setiff_default_name(IFF_TAP | IFF_NO_PI, "tap", &ifr));
	TT_EQ(tt_sysfs_num(ifr.ifr_name, "type"), ARPHRD_ETHER_);
	return TT_PASS;
}

static int c_template_name(void)
{
	char a[IFNAMSIZ], b[IFNAMSIZ];

	TT_SYS(tt_tun_alloc("ttif%d", IFF_TUN | IFF_NO_PI, a));
	TT_STREQ(a, "ttif0");
	TT_SYS(tt_tun_alloc("ttif%d", IFF_TAP | IFF_NO_PI, b));
	TT_STREQ(b, "ttif1");
	TT_EQ(tt_sysfs_num("ttif0", "type"), ARPHRD_NONE_);
	TT_EQ(tt_sysfs_num("ttif1", "type"), ARPHRD_ETHER_);
	return TT_PASS;
}

static int c_explicit_name(void)
{
	struct ifreq ifr;

	TT_CALL(setiff_new("ttifexplicit", IFF_TUN, &ifr));
	TT_STREQ(ifr.ifr_name, "ttifexplicit");
	TT_EQ(ifr.ifr_flags, IFF_TUN);
	TT_CHECK(tt_link_exists("ttifexplicit"), "device missing");
	return TT_PASS;
}

static int c_name_truncated(void)
{
	char out[IFNAMSIZ];

	/* 16 characters, no terminator: the last one is cut. */
	TT_SYS(tt_tun_alloc("ttif0123456789ab", IFF_TUN | IFF_NO_PI, out));
	TT_STREQ(out, "ttif0123456789a");
	TT_CHECK(tt_link_exists("ttif0123456789a"), "device missing");
	return TT_PASS;
}

static int c_bad_names(void)
{
	static const char *const bad[] = {
		"tt/if", "tt:if", "tt if", "tt\tif", ".", "..", "tt%d%d",
		"tt%s",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		if (tt_tun_alloc(bad[i], IFF_TUN | IFF_NO_PI, NULL) >= 0 ||
		    errno != EINVAL)
			return tt_fail("name \"%s\": want EINVAL, got %s",
				       bad[i], tt_errname(errno));
	}
	return TT_PASS;
}

static int c_no_type(void)
{
	TT_ERRNO(tt_tun_alloc("ttifnotype", IFF_NO_PI, NULL), EINVAL);
	TT_ERRNO(tt_tun_alloc("ttifnotype", 0, NULL), EINVAL);
	TT_ERRNO(tt_tun_alloc(NULL, IFF_ONE_QUEUE, NULL), EINVAL);
	TT_CHECK(!tt_link_exists("ttifnotype"), "a device was created");
	return TT_PASS;
}

static int c_both_types_is_tun(void)
{
	char out[IFNAMSIZ];

	/* IFF_TUN wins when both type bits are given. */
	TT_SYS(tt_tun_alloc("ttifboth", IFF_TUN | IFF_TAP | IFF_NO_PI, out));
	TT_EQ(tt_sysfs_num("ttifboth", "type"), ARPHRD_NONE_);
	TT_EQ(tt_sysfs_num("ttifboth", "tun_flags"), IFF_TUN | IFF_NO_PI);
	return TT_PASS;
}

static int c_excl_existing(void)
{
	char out[IFNAMSIZ];

	/* Exclusive creation of a fresh name works... */
	TT_SYS(tt_tun_alloc("ttifexcl", IFF_TUN | IFF_NO_PI | IFF_TUN_EXCL,
			    out));
	TT_STREQ(out, "ttifexcl");
	/* ...and of an existing one is refused whatever else is asked. */
	TT_ERRNO(tt_tun_alloc("ttifexcl", IFF_TUN | IFF_NO_PI | IFF_TUN_EXCL,
			      NULL), EBUSY);
	TT_ERRNO(tt_tun_alloc("ttifexcl", IFF_TAP | IFF_TUN_EXCL, NULL),
		 EBUSY);
	TT_ERRNO(tt_tun_alloc("lo", IFF_TUN | IFF_TUN_EXCL, NULL), EBUSY);
	return TT_PASS;
}

static int c_busy_single_queue(void)
{
	TT_SYS(tt_tun_alloc("ttifbusy", IFF_TUN | IFF_NO_PI, NULL));
	TT_ERRNO(tt_tun_alloc("ttifbusy", IFF_TUN | IFF_NO_PI, NULL), EBUSY);
	/* The feature flags do not matter for the busy check. */
	TT_ERRNO(tt_tun_alloc("ttifbusy", IFF_TUN, NULL), EBUSY);
	TT_SYS(tt_tun_alloc("ttifbusyp", IFF_TAP, NULL));
	TT_ERRNO(tt_tun_alloc("ttifbusyp", IFF_TAP | IFF_NO_PI, NULL), EBUSY);
	return TT_PASS;
}

static int c_wrong_type_existing(void)
{
	TT_SYS(tt_tun_alloc("ttiftun", IFF_TUN | IFF_NO_PI, NULL));
	TT_SYS(tt_tun_alloc("ttiftap", IFF_TAP | IFF_NO_PI, NULL));
	/* The type check comes before the busy check. */
	TT_ERRNO(tt_tun_alloc("ttiftun", IFF_TAP | IFF_NO_PI, NULL), EINVAL);
	TT_ERRNO(tt_tun_alloc("ttiftap", IFF_TUN | IFF_NO_PI, NULL), EINVAL);
	TT_ERRNO(tt_tun_alloc("ttiftun", IFF_NO_PI, NULL), EINVAL);
	return TT_PASS;
}

static int c_not_a_tun_device(void)
{
	TT_ERRNO(tt_tun_alloc("lo", IFF_TUN | IFF_NO_PI, NULL), EINVAL);
	TT_ERRNO(tt_tun_alloc("lo", IFF_TAP, NULL), EINVAL);
	TT_CHECK(tt_link_exists("lo"), "lo vanished");
	return TT_PASS;
}

static int c_multiqueue_mismatch(void)
{
	TT_SYS(tt_tun_alloc("ttifsq", IFF_TUN | IFF_NO_PI, NULL));
	/* Refused before the busy check: EINVAL, not EBUSY. */
	TT_ERRNO(tt_tun_alloc("ttifsq", IFF_TUN | IFF_NO_PI | IFF_MULTI_QUEUE,
			      NULL), EINVAL);
	return TT_PASS;
}

static int c_setiff_twice(void)
{
	int fd;

	fd = tt_tun_alloc("ttiftwice", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_ERRNO(tt_tun_setiff(fd, "ttiftwice", IFF_TUN | IFF_NO_PI, NULL),
		 EEXIST);
	TT_ERRNO(tt_tun_setiff(fd, "ttiftwice2", IFF_TAP, NULL), EEXIST);
	TT_ERRNO(tt_tun_setiff(fd, "", IFF_NO_PI, NULL), EEXIST);
	TT_CHECK(!tt_link_exists("ttiftwice2"), "second device created");
	return TT_PASS;
}

static int c_failed_setiff_leaves_fd_usable(void)
{
	char out[IFNAMSIZ];
	int fd;

	fd = tt_tun_open(0);
	TT_SYS(fd);
	TT_ERRNO(tt_tun_setiff(fd, "lo", IFF_TUN, NULL), EINVAL);
	TT_ERRNO(tt_tun_setiff(fd, "ttif/x", IFF_TUN, NULL), EINVAL);
	TT_SYS(tt_tun_setiff(fd, "ttifretry", IFF_TUN | IFF_NO_PI, out));
	TT_STREQ(out, "ttifretry");
	return TT_PASS;
}

static int c_unattached_ioctls(void)
{
	struct ifreq ifr;
	unsigned int features = 0;
	char buf[64];
	int fd;

	fd = tt_tun_open(0);
	TT_SYS(fd);
	memset(&ifr, 0, sizeof(ifr));
	TT_ERRNO(ioctl(fd, TUNGETIFF, &ifr), EBADFD);
	TT_ERRNO(ioctl(fd, TUNSETPERSIST, 1), EBADFD);
	TT_ERRNO(ioctl(fd, TUNSETOWNER, 0), EBADFD);
	TT_ERRNO(ioctl(fd, TUNSETGROUP, 0), EBADFD);
	TT_ERRNO(ioctl(fd, TUNSETNOCSUM, 0), EBADFD);
	TT_ERRNO(ioctl(fd, _IO('T', 250), 0), EBADFD);
	TT_ERRNO(ioctl(fd, _IOW('Q', 7, int), 0), EBADFD);
	TT_ERRNO(read(fd, buf, sizeof(buf)), EBADFD);
	TT_ERRNO(write(fd, buf, sizeof(buf)), EBADFD);
	/* TUNGETFEATURES needs no device. */
	TT_SYS(ioctl(fd, TUNGETFEATURES, &features));
	TT_CHECK(features & IFF_TUN, "features 0x%x", features);
	return TT_PASS;
}

static int c_unknown_ioctl_attached(void)
{
	int fd;

	fd = tt_tun_alloc("ttifunk", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_ERRNO(ioctl(fd, _IO('T', 250), 0), EINVAL);
	TT_ERRNO(ioctl(fd, _IOW('Q', 7, int), 0), EINVAL);
	TT_ERRNO(ioctl(fd, 0x12345678, 0), EINVAL);
	/* TUNSETNOCSUM is accepted and ignored. */
	TT_EQ(ioctl(fd, TUNSETNOCSUM, 1), 0);
	return TT_PASS;
}

static int c_getfeatures(void)
{
	const unsigned int need = IFF_TUN | IFF_TAP | IFF_NO_PI |
				  IFF_ONE_QUEUE;
	unsigned int features = 0;
	int fd;

	fd = tt_tun_open(0);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNGETFEATURES, &features));
	TT_CHECK((features & need) == need,
		 "features 0x%x lack 0x%x", features, need & ~features);
	/* Never a flag that only exists as device state. */
	TT_CHECK(!(features & (IFF_PERSIST | IFF_TUN_EXCL)),
		 "features 0x%x include state bits", features);
	tt_note("TUNGETFEATURES = 0x%x", features);
	return TT_PASS;
}

static int getiff_case(const char *name, int flags, int want_flags)
{
	struct ifreq ifr;
	int fd;

	fd = tt_tun_alloc(name, flags, NULL);
	TT_SYS(fd);
	memset(&ifr, 0xa5, sizeof(ifr));
	TT_SYS(ioctl(fd, TUNGETIFF, &ifr));
	TT_STREQ(ifr.ifr_name, name);
	/*
	 * IFF_NOFILTER (no socket filter attached) shares its bit with
	 * IFF_NO_PI, so it is set in every answer.
	 */
	TT_EQ((unsigned short)ifr.ifr_flags, want_flags);
	tt_close(fd);
	return TT_PASS;
}

static int c_getiff(void)
{
	static const struct {
		const char *name;
		int flags, want_flags;
	} cases[] = {
		{ "ttifg0", IFF_TUN | IFF_NO_PI, IFF_TUN | IFF_NO_PI },
		{ "ttifg1", IFF_TUN, IFF_TUN | IFF_NOFILTER },
		{ "ttifg2", IFF_TAP, IFF_TAP | IFF_NOFILTER },
		{ "ttifg3", IFF_TAP | IFF_NO_PI | IFF_ONE_QUEUE,
		  IFF_TAP | IFF_NO_PI | IFF_ONE_QUEUE },
		/* IFF_TUN_EXCL is a request, not a device flag. */
		{ "ttifg4", IFF_TUN | IFF_TUN_EXCL, IFF_TUN | IFF_NOFILTER },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		TT_CALL(getiff_case(cases[i].name, cases[i].flags,
				    cases[i].want_flags));
	return TT_PASS;
}

static int sysfs_flags_case(const char *name, int flags, long long want)
{
	TT_SYS(tt_tun_alloc(name, flags, NULL));
	TT_EQ(tt_sysfs_num(name, "tun_flags"), want);
	return TT_PASS;
}

static int c_sysfs_tun_flags(void)
{
	static const struct {
		const char *name;
		int flags;
		long long want;
	} cases[] = {
		{ "ttifs0", IFF_TUN | IFF_NO_PI, 0x1001 },
		{ "ttifs1", IFF_TUN, 0x0001 },
		{ "ttifs2", IFF_TAP, 0x0002 },
		{ "ttifs3", IFF_TAP | IFF_NO_PI, 0x1002 },
		{ "ttifs4", IFF_TUN | IFF_ONE_QUEUE, 0x2001 },
		{ "ttifs5", IFF_TUN | IFF_TUN_EXCL, 0x0001 },
	};
	char buf[32];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		TT_CALL(sysfs_flags_case(cases[i].name, cases[i].flags,
					 cases[i].want));
	/* The exact text: lower-case hex with 0x. */
	TT_SYS(tt_sysfs_read("ttifs3", "tun_flags", buf, sizeof(buf)));
	TT_STREQ(buf, "0x1002");
	return TT_PASS;
}

/*
 * What sysfs shows of the new device @name: @type, @addr_len, an mtu of
 * 1500, @txqlen and the text of its flags, @flags.
 */
static int sysfs_link_attrs(const char *name, long long type,
			    long long addr_len, long long txqlen,
			    const char *flags)
{
	char buf[64];

	TT_EQ(tt_sysfs_num(name, "type"), type);
	TT_EQ(tt_sysfs_num(name, "addr_len"), addr_len);
	TT_EQ(tt_sysfs_num(name, "mtu"), 1500);
	TT_EQ(tt_sysfs_num(name, "tx_queue_len"), txqlen);
	TT_SYS(tt_sysfs_read(name, "flags", buf, sizeof(buf)));
	TT_STREQ(buf, flags);
	return TT_PASS;
}

static int c_sysfs_tun_device(void)
{
	char buf[64];

	TT_SYS(tt_tun_alloc("ttifdev", IFF_TUN | IFF_NO_PI, NULL));
	/* IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST, down. */
	TT_CALL(sysfs_link_attrs("ttifdev", ARPHRD_NONE_, 0, 500, "0x1090"));
	TT_SYS(tt_sysfs_read("ttifdev", "owner", buf, sizeof(buf)));
	TT_STREQ(buf, "-1");
	TT_SYS(tt_sysfs_read("ttifdev", "group", buf, sizeof(buf)));
	TT_STREQ(buf, "-1");
	TT_SYS(tt_link_up("ttifdev", 1));
	TT_SYS(tt_sysfs_read("ttifdev", "flags", buf, sizeof(buf)));
	TT_STREQ(buf, "0x1091");
	TT_EQ(tt_sysfs_num("ttifdev", "carrier"), 1);
	return TT_PASS;
}

static int c_sysfs_tap_device(void)
{
	uint8_t mac[6], mac2[6];
	char buf[64], want[64];

	TT_SYS(tt_tun_alloc("ttiftap0", IFF_TAP | IFF_NO_PI, NULL));
	TT_SYS(tt_tun_alloc("ttiftap1", IFF_TAP | IFF_NO_PI, NULL));
	/*
	 * A tx_queue_len of 1000: ether_setup() replaces tun's own default
	 * of 500.  IFF_BROADCAST | IFF_MULTICAST, down.
	 */
	TT_CALL(sysfs_link_attrs("ttiftap0", ARPHRD_ETHER_, 6, 1000,
				 "0x1002"));
	/* A random, locally administered, unicast address per device. */
	TT_SYS(tt_link_hwaddr("ttiftap0", mac));
	TT_SYS(tt_link_hwaddr("ttiftap1", mac2));
	TT_CHECK((mac[0] & 3) == 2, "mac[0] = 0x%02x", mac[0]);
	TT_CHECK(memcmp(mac, mac2, 6), "two taps share a MAC address");
	snprintf(want, sizeof(want), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0],
		 mac[1], mac[2], mac[3], mac[4], mac[5]);
	TT_SYS(tt_sysfs_read("ttiftap0", "address", buf, sizeof(buf)));
	TT_STREQ(buf, want);
	/* addr_assign_type NET_ADDR_RANDOM */
	TT_EQ(tt_sysfs_num("ttiftap0", "addr_assign_type"), 1);
	return TT_PASS;
}

static int c_open_close_no_device(void)
{
	struct if_nameindex *before, *after, *p;
	int nb = 0, na = 0, fd;

	before = if_nameindex();
	fd = tt_tun_open(0);
	TT_SYS(fd);
	tt_close(fd);
	after = if_nameindex();
	for (p = before; p && p->if_name; p++)
		nb++;
	for (p = after; p && p->if_name; p++)
		na++;
	if_freenameindex(before);
	if_freenameindex(after);
	TT_EQ(na, nb);
	return TT_PASS;
}

static int c_setifindex(void)
{
	int fd, idx = 4242;

	fd = tt_tun_open(0);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNSETIFINDEX, &idx));
	TT_SYS(tt_tun_setiff(fd, "ttifidx", IFF_TUN | IFF_NO_PI, NULL));
	TT_EQ(tt_sysfs_num("ttifidx", "ifindex"), 4242);
	TT_EQ(if_nametoindex("ttifidx"), 4242);
	/* Only before the device exists. */
	TT_ERRNO(ioctl(fd, TUNSETIFINDEX, &idx), EPERM);
	fd = tt_tun_open(0);
	TT_SYS(fd);
	idx = -1;
	TT_ERRNO(ioctl(fd, TUNSETIFINDEX, &idx), EINVAL);
	/* An index that is taken makes the creation fail. */
	idx = 4242;
	TT_SYS(ioctl(fd, TUNSETIFINDEX, &idx));
	TT_ERRNO(tt_tun_setiff(fd, "ttifidx2", IFF_TUN | IFF_NO_PI, NULL),
		 EBUSY);
	TT_CHECK(!tt_link_exists("ttifidx2"), "ttifidx2 created");
	return TT_PASS;
}

static int c_fdinfo(void)
{
	char path[64], buf[512];
	ssize_t n;
	int fd, pfd;

	fd = tt_tun_alloc("ttiffdinfo", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	pfd = open(path, O_RDONLY | O_CLOEXEC);
	TT_SYS(pfd);
	n = read(pfd, buf, sizeof(buf) - 1);
	close(pfd);
	TT_SYS(n);
	buf[n] = 0;
	TT_CHECK(strstr(buf, "\niff:\tttiffdinfo\n") != NULL,
		 "fdinfo lacks \"iff:\\tttiffdinfo\": %s", buf);
	return TT_PASS;
}

int main(void)
{
	tt_init();
	tt_run("tun_default_name", c_tun_default_name);
	tt_run("tap_default_name", c_tap_default_name);
	tt_run("template_name", c_template_name);
	tt_run("explicit_name", c_explicit_name);
	tt_run("name_truncated_to_15", c_name_truncated);
	tt_run("bad_names_einval", c_bad_names);
	tt_run("no_type_einval", c_no_type);
	tt_run("both_types_is_tun", c_both_types_is_tun);
	tt_run("excl_existing_ebusy", c_excl_existing);
	tt_run("attached_single_queue_ebusy", c_busy_single_queue);
	tt_run("wrong_type_existing_einval", c_wrong_type_existing);
	tt_run("not_a_tun_device_einval", c_not_a_tun_device);
	tt_run("multiqueue_mismatch_einval", c_multiqueue_mismatch);
	tt_run("setiff_twice_eexist", c_setiff_twice);
	tt_run("failed_setiff_leaves_fd_usable",
	       c_failed_setiff_leaves_fd_usable);
	tt_run("unattached_ioctls_ebadfd", c_unattached_ioctls);
	tt_run("unknown_ioctl_attached_einval", c_unknown_ioctl_attached);
	tt_run("getfeatures", c_getfeatures);
	tt_run("getiff", c_getiff);
	tt_run("sysfs_tun_flags", c_sysfs_tun_flags);
	tt_run("sysfs_tun_device", c_sysfs_tun_device);
	tt_run("sysfs_tap_device", c_sysfs_tap_device);
	tt_run("open_close_no_device", c_open_close_no_device);
	tt_run("setifindex", c_setifindex);
	tt_run("fdinfo", c_fdinfo);
	return tt_done();
}
