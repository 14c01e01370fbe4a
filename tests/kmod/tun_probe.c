// SPDX-License-Identifier: GPL-2.0
/*
 * tun_probe: reaches tun's socket interface the way vhost-net could, for
 * the tests only (tests/tun/peek).  See tun_probe.h for the ioctl.  Built
 * by tests/vm/lib/build.sh against our Module.symvers, whose CRC for
 * tun_get_socket is Debian's, so the same .ko loads with either tun.ko.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/if_tun.h>
#include <linux/limits.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/net.h>

#include "tun_probe.h"

static long tun_probe_peek_len(unsigned int fd)
{
	struct socket *sock;
	struct file *file;
	long ret;

	file = fget(fd);
	if (!file)
		return -EBADF;
	sock = tun_get_socket(file);
	if (IS_ERR(sock))
		ret = PTR_ERR(sock);
	else if (!sock->ops || !sock->ops->peek_len)
		ret = -EOPNOTSUPP;
	else
		ret = sock->ops->peek_len(sock);
	/* The socket lives in the file: used only while we hold it. */
	fput(file);
	return ret;
}

static long tun_probe_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	switch (cmd) {
	case TUN_PROBE_PEEK_LEN:
		if (arg > INT_MAX)
			return -EBADF;
		return tun_probe_peek_len(arg);
	}
	return -ENOTTY;
}

static const struct file_operations tun_probe_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= tun_probe_ioctl,
};

static struct miscdevice tun_probe_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= TUN_PROBE_NAME,
	.fops	= &tun_probe_fops,
};
module_misc_device(tun_probe_dev);

MODULE_DESCRIPTION("Test probe of tun's socket interface (tests only)");
MODULE_LICENSE("GPL");
