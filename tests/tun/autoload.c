// SPDX-License-Identifier: GPL-2.0
/*
 * Loading: the module must load on demand when /dev/net/tun is opened (the
 * char-major-10-200 alias), register misc minor 200 with the node name
 * net/tun, hold itself while an fd is open, and unload cleanly.
 *
 * The bench boots with tun not loaded; if it is loaded anyway (another test
 * ran first) it is unloaded here first, which must then work.
 */
#include "tt.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int builtin;

static int ensure_unloaded(void)
{
	int err;

	if (builtin)
		return tt_skip("tun is built into this kernel");
	if (!tt_module_loaded("tun"))
		return TT_PASS;
	err = tt_module_unload_wait("tun", TT_WAIT_MS);
	if (err)
		return tt_fail("cannot unload tun: %s", tt_errname(-err));
	TT_CHECK(!tt_module_loaded("tun"), "tun still loaded after unload");
	return TT_PASS;
}

static int c_unload_first(void)
{
	return ensure_unloaded();
}

static int c_open_autoloads(void)
{
	char buf[64];
	FILE *f;
	int fd;

	if (builtin || tt_module_loaded("tun"))
		return tt_skip("tun is built in or could not be unloaded");
	fd = tt_tun_open(0);
	TT_CHECK(fd >= 0, "open(%s): %s", TT_TUN_PATH, tt_errname(errno));
	TT_CHECK(tt_module_loaded("tun"), "open succeeded but tun not loaded");
	f = fopen("/sys/module/tun/initstate", "r");
	TT_CHECK(f, "no /sys/module/tun/initstate");
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	TT_STREQ(buf, "live\n");
	/* And the fd is a working tun fd. */
	TT_SYS(tt_tun_setiff(fd, "ttal0", IFF_TUN | IFF_NO_PI, NULL));
	TT_CHECK(tt_link_exists("ttal0"), "no device");
	return TT_PASS;
}

static int c_misc_minor(void)
{
	char buf[4096];
	struct stat st;
	FILE *f;
	size_t n;
	int fd;

	fd = tt_tun_open(0);
	TT_SYS(fd);
	TT_SYS(stat(TT_TUN_PATH, &st));
	TT_CHECK(S_ISCHR(st.st_mode), "%s is not a char device", TT_TUN_PATH);
	TT_EQ(major(st.st_rdev), 10);
	TT_EQ(minor(st.st_rdev), 200);
	TT_SYS(fstat(fd, &st));
	TT_EQ(st.st_rdev, makedev(10, 200));
	f = fopen("/sys/class/misc/tun/dev", "r");
	TT_CHECK(f, "no /sys/class/misc/tun");
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	TT_STREQ(buf, "10:200\n");
	f = fopen("/proc/misc", "r");
	TT_CHECK(f, "no /proc/misc");
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	TT_CHECK(strstr(buf, "200 tun\n"), "/proc/misc has no \"200 tun\"");
	return TT_PASS;
}

static int c_fd_holds_module(void)
{
	long base;
	int fd, err;

	if (builtin)
		return tt_skip("tun is built into this kernel");
	base = tt_module_refcnt("tun");
	TT_CHECK(base >= 0, "no /sys/module/tun/refcnt");
	/*
	 * How many references an fd takes is the driver's business (stock
	 * takes two: the misc open and its socket's proto); that it holds
	 * the module until closed is not.
	 */
	fd = tt_tun_open(0);
	TT_SYS(fd);
	TT_CHECK(tt_module_refcnt("tun") > base, "an open fd holds no reference");
	err = tt_module_unload("tun");
	TT_CHECK(err == -EAGAIN, "unloading tun with an open fd: %s",
		 err ? tt_errname(-err) : "it unloaded");
	TT_CHECK(tt_module_loaded("tun"), "tun unloaded under an open fd");
	tt_close(fd);
	TT_EQ(tt_module_refcnt("tun"), base);
	return TT_PASS;
}

static int c_unload_after_close(void)
{
	int r;

	r = ensure_unloaded();
	if (r)
		return r;
	TT_CHECK(access("/sys/class/misc/tun", F_OK),
		 "/sys/class/misc/tun still there after unload");
	return TT_PASS;
}

static int c_autoload_again(void)
{
	int fd;

	if (builtin || tt_module_loaded("tun"))
		return tt_skip("tun is built in or could not be unloaded");
	fd = tt_tun_alloc("ttal1", IFF_TAP | IFF_NO_PI, NULL);
	TT_CHECK(fd >= 0, "open+TUNSETIFF after reload: %s",
		 tt_errname(errno));
	TT_CHECK(tt_module_loaded("tun"), "tun not loaded");
	TT_EQ(tt_sysfs_num("ttal1", "type"), 1);
	return TT_PASS;
}

static int c_modprobe_creates_node(void)
{
	char mounts[8192];
	struct stat st;
	FILE *f;
	size_t n;
	int r;

	f = fopen("/proc/mounts", "r");
	TT_CHECK(f, "no /proc/mounts");
	n = fread(mounts, 1, sizeof(mounts) - 1, f);
	fclose(f);
	mounts[n] = 0;
	if (!strstr(mounts, "devtmpfs /dev devtmpfs"))
		return tt_skip("/dev is not devtmpfs");
	if (builtin)
		return tt_skip("tun is built into this kernel");
	r = ensure_unloaded();
	if (r)
		return r;
	/* Whatever node was there, devtmpfs must make it from the name. */
	unlink(TT_TUN_PATH);
	r = tt_sh("modprobe tun");
	TT_EQ(r, 0);
	TT_CHECK(tt_module_loaded("tun"), "modprobe did not load tun");
	TT_SYS(stat(TT_TUN_PATH, &st));
	TT_CHECK(S_ISCHR(st.st_mode), "not a char device");
	TT_EQ(st.st_rdev, makedev(10, 200));
	tt_note("%s mode %o", TT_TUN_PATH, st.st_mode & 07777);
	return TT_PASS;
}

int main(void)
{
	tt_init();
	/* Built in: the misc device exists without a module to go with it. */
	builtin = !tt_module_loaded("tun") &&
		  !access("/sys/class/misc/tun", F_OK);
	tt_run("unload_first", c_unload_first);
	tt_run("open_autoloads", c_open_autoloads);
	tt_run("misc_minor_200", c_misc_minor);
	tt_run("fd_holds_module", c_fd_holds_module);
	tt_run("unload_after_close", c_unload_after_close);
	tt_run("autoload_again", c_autoload_again);
	tt_run("modprobe_creates_node", c_modprobe_creates_node);
	/* Leave /dev/net/tun as the bench made it, for the tests that follow. */
	if (tt_tun_node() || chmod(TT_TUN_PATH, 0666))
		tt_note("cannot restore %s: %s", TT_TUN_PATH, tt_errname(errno));
	return tt_done();
}
