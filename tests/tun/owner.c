// SPDX-License-Identifier: GPL-2.0
/*
 * Ownership: TUNSETOWNER/TUNSETGROUP, how sysfs and iproute2 show them, and
 * who may attach to a device without CAP_NET_ADMIN.
 *
 * Unprivileged attempts run in a child that has dropped to the given uid/gid
 * (and so has no capabilities); it reports the errno of TUNSETIFF.
 */
#include "tt.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define UID_A 1234
#define UID_B 1235
#define GID_A 4321
#define GID_B 4322

/* In the dropped child: attach to (or create) the named device. */
static int try_attach(void *arg)
{
	const char *name = arg;
	struct ifreq ifr;
	int fd;

	fd = open(TT_TUN_PATH, O_RDWR);
	if (fd < 0)
		return 200;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		return errno;
	/* Attached: the device must work for its owner too. */
	if (ioctl(fd, TUNGETIFF, &ifr) < 0)
		return 201;
	return 0;
}

static int attach_as(const char *name, uid_t uid, gid_t gid, int want)
{
	int r = tt_run_as(uid, gid, try_attach, (void *)name);

	TT_CHECK(r != 200, "uid %d cannot open %s", (int)uid, TT_TUN_PATH);
	TT_CHECK(r == want, "TUNSETIFF %s as uid %d gid %d: got %s, want %s",
		 name, (int)uid, (int)gid, r > 199 ? "a failure" : tt_errname(r),
		 tt_errname(want));
	return TT_PASS;
}

/* A persistent, detached device with the given owner and group (-1: none). */
static int mk_owned(const char *name, long owner, long group)
{
	int fd;

	fd = tt_tun_alloc(name, IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	if (owner >= 0)
		TT_SYS(ioctl(fd, TUNSETOWNER, owner));
	if (group >= 0)
		TT_SYS(ioctl(fd, TUNSETGROUP, group));
	TT_SYS(ioctl(fd, TUNSETPERSIST, 1));
	tt_close(fd);
	return TT_PASS;
}

static int c_default_none(void)
{
	char buf[32];

	TT_SYS(tt_tun_alloc("ttow0", IFF_TUN | IFF_NO_PI, NULL));
	TT_SYS(tt_sysfs_read("ttow0", "owner", buf, sizeof(buf)));
	TT_STREQ(buf, "-1");
	TT_SYS(tt_sysfs_read("ttow0", "group", buf, sizeof(buf)));
	TT_STREQ(buf, "-1");
	return TT_PASS;
}

static int c_set_owner_group(void)
{
	char buf[32];
	int fd;

	fd = tt_tun_alloc("ttow1", IFF_TAP | IFF_NO_PI, NULL);
	TT_SYS(fd);
	/* The argument is the id itself, not a pointer to it. */
	TT_EQ(ioctl(fd, TUNSETOWNER, UID_A), 0);
	TT_SYS(tt_sysfs_read("ttow1", "owner", buf, sizeof(buf)));
	TT_STREQ(buf, "1234");
	TT_SYS(tt_sysfs_read("ttow1", "group", buf, sizeof(buf)));
	TT_STREQ(buf, "-1");
	TT_EQ(ioctl(fd, TUNSETGROUP, GID_A), 0);
	TT_SYS(tt_sysfs_read("ttow1", "group", buf, sizeof(buf)));
	TT_STREQ(buf, "4321");
	/* Changing them again, to 0 (root) this time. */
	TT_EQ(ioctl(fd, TUNSETOWNER, 0), 0);
	TT_SYS(tt_sysfs_read("ttow1", "owner", buf, sizeof(buf)));
	TT_STREQ(buf, "0");
	/* Ownership is not a tun_flags bit. */
	TT_EQ(tt_sysfs_num("ttow1", "tun_flags"), 0x1002);
	return TT_PASS;
}

static int c_invalid_ids(void)
{
	char buf[32];
	int fd;

	fd = tt_tun_alloc("ttow2", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_EQ(ioctl(fd, TUNSETOWNER, UID_A), 0);
	/* (uid_t)-1 is no uid: refused, and the old owner stays. */
	TT_ERRNO(ioctl(fd, TUNSETOWNER, (unsigned long)-1), EINVAL);
	TT_ERRNO(ioctl(fd, TUNSETOWNER, 0xffffffffUL), EINVAL);
	TT_ERRNO(ioctl(fd, TUNSETGROUP, 0xffffffffUL), EINVAL);
	TT_SYS(tt_sysfs_read("ttow2", "owner", buf, sizeof(buf)));
	TT_STREQ(buf, "1234");
	TT_SYS(tt_sysfs_read("ttow2", "group", buf, sizeof(buf)));
	TT_STREQ(buf, "-1");
	return TT_PASS;
}

static int c_ip_tuntap_user_group(void)
{
	char out[1024], buf[32];

	tt_defer_link("ttow3");
	TT_EQ(tt_sh("ip tuntap add dev ttow3 mode tun user %d group %d",
		    UID_A, GID_A), 0);
	TT_SYS(tt_sysfs_read("ttow3", "owner", buf, sizeof(buf)));
	TT_STREQ(buf, "1234");
	TT_SYS(tt_sysfs_read("ttow3", "group", buf, sizeof(buf)));
	TT_STREQ(buf, "4321");
	TT_EQ(tt_sh_out(out, sizeof(out), "ip tuntap show | grep '^ttow3:'"),
	      0);
	TT_STREQ(out, "ttow3: tun persist user 1234 group 4321\n");
	/* The rtnl_link_ops face shows them too. */
	TT_EQ(tt_sh_out(out, sizeof(out),
			"ip -d link show dev ttow3 | grep -o 'persist on user [0-9]* group [0-9]*'"),
	      0);
	TT_STREQ(out, "persist on user 1234 group 4321\n");
	return TT_PASS;
}

static int c_unpriv_create_eperm(void)
{
	TT_CALL(attach_as("ttow4", UID_A, GID_A, EPERM));
	TT_CHECK(!tt_link_exists("ttow4"), "ttow4 created");
	return TT_PASS;
}

static int c_owner_may_attach(void)
{
	TT_CALL(mk_owned("ttow5", UID_A, -1));
	TT_CALL(attach_as("ttow5", UID_A, GID_B, 0));
	TT_CALL(attach_as("ttow5", UID_B, GID_B, EPERM));
	/* Still there after the owner's fd closed: it persists. */
	TT_CHECK(tt_link_exists("ttow5"), "ttow5 gone");
	return TT_PASS;
}

static int c_group_may_attach(void)
{
	TT_CALL(mk_owned("ttow6", -1, GID_A));
	TT_CALL(attach_as("ttow6", UID_B, GID_A, 0));
	TT_CALL(attach_as("ttow6", UID_B, GID_B, EPERM));
	return TT_PASS;
}

static int c_owner_and_group_both_needed(void)
{
	TT_CALL(mk_owned("ttow7", UID_A, GID_A));
	TT_CALL(attach_as("ttow7", UID_A, GID_A, 0));
	TT_CALL(attach_as("ttow7", UID_A, GID_B, EPERM));
	TT_CALL(attach_as("ttow7", UID_B, GID_A, EPERM));
	TT_CALL(attach_as("ttow7", UID_B, GID_B, EPERM));
	return TT_PASS;
}

static int c_unowned_unpriv_attach(void)
{
	TT_CALL(mk_owned("ttow8", -1, -1));
	/*
	 * A device with neither owner nor group: 6.1 lets anyone attach,
	 * 6.12 wants CAP_NET_ADMIN (the "tun_permitted" rewrite of 6.5).
	 */
	TT_CALL(attach_as("ttow8", UID_B, GID_B, tt_series_ge(6, 5) ? EPERM : 0));
	return TT_PASS;
}

static int c_root_ignores_owner(void)
{
	TT_CALL(mk_owned("ttow9", UID_A, GID_A));
	/* CAP_NET_ADMIN attaches whatever the owner. */
	TT_SYS(tt_tun_alloc("ttow9", IFF_TUN | IFF_NO_PI, NULL));
	return TT_PASS;
}

int main(void)
{
	tt_init();
	/*
	 * As Debian's udev rules have it: anyone may open /dev/net/tun (a
	 * node devtmpfs made itself would be 0600).
	 */
	if (tt_tun_node() || chmod(TT_TUN_PATH, 0666))
		tt_note("cannot make %s 0666: %s", TT_TUN_PATH,
			tt_errname(errno));
	tt_run("default_owner_group_none", c_default_none);
	tt_run("set_owner_group", c_set_owner_group);
	tt_run("invalid_ids_einval", c_invalid_ids);
	tt_run("ip_tuntap_user_group", c_ip_tuntap_user_group);
	tt_run("unpriv_create_eperm", c_unpriv_create_eperm);
	tt_run("owner_may_attach", c_owner_may_attach);
	tt_run("group_may_attach", c_group_may_attach);
	tt_run("owner_and_group_both_needed", c_owner_and_group_both_needed);
	tt_run("unowned_unpriv_attach", c_unowned_unpriv_attach);
	tt_run("root_ignores_owner", c_root_ignores_owner);
	return tt_done();
}
