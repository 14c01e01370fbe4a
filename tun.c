// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun - network devices whose wire is a file descriptor.
 *
 * Opening /dev/net/tun gives a file that is not yet bound to anything.
 * TUNSETIFF binds it to a network device, creating the device if needed:
 * a tun device (point-to-point, frames are IP packets) or a tap device
 * (Ethernet frames). From then on, what the stack transmits on the device
 * is queued for read(), and what is written to the file is received by
 * the stack as if it had arrived on the device.
 *
 * The driver is in parts named for what they hold, under tun/, included
 * below; this file keeps the character device and the module. Each part
 * has a header of what it offers the others, with the locking of what
 * that protects (tun/queue.h for tun/queue.c, ...), and includes the
 * headers of the parts it uses; tun/tun.h holds the objects they share.
 *
 * One translation unit, for one reason: Kbuild builds tun.ko from tun.o
 * and the design fixes tun.c as the module's root, so tun.c cannot be
 * one of several objects linked into a composite tun.o. The parts are
 * included instead, as kernel/sched/build_*.c assemble the scheduler.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

/*
 * The headers are chosen for module versioning, not only for what this
 * file uses: vhost_net.ko, built against Linux's own tun.ko, records a
 * CRC of the types behind tun_get_socket() and tun_get_tx_ring(), and
 * genksyms computes it from whatever struct definitions this unit can
 * see. This set sees the same ones as Linux's driver, so Debian's
 * unmodified vhost_net.ko loads against us; the bench checks the CRCs on
 * every build. Add a header only after checking it changes neither CRC
 * (<linux/proc_ns.h>, for one, does). The parts include none of the
 * kernel's headers, only ours.
 */
#include <linux/module.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/sched/signal.h>
#include <linux/major.h>
#include <linux/slab.h>
#include <linux/poll.h>
#include <linux/fcntl.h>
#include <linux/init.h>
#include <linux/skbuff.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/miscdevice.h>
#include <linux/ethtool.h>
#include <linux/rtnetlink.h>
#include <linux/compat.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_tun.h>
#include <linux/if_vlan.h>
#include <linux/crc32.h>
#include <linux/nsproxy.h>
#include <linux/virtio_net.h>
#include <linux/rcupdate.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>
#include <net/sock.h>
#include <net/xdp.h>
#include <net/ip_tunnels.h>
#include <linux/seq_file.h>
#include <linux/uio.h>
#include <linux/skb_array.h>
#include <linux/bpf.h>
#include <linux/bpf_trace.h>
#include <linux/mutex.h>
#include <linux/ieee802154.h>
#include <linux/if_ltalk.h>
#include <uapi/linux/if_fddi.h>
#include <uapi/linux/if_hippi.h>
#include <uapi/linux/if_fc.h>
#include <net/ax25.h>
#include <net/rose.h>
#include <net/6lowpan.h>
#include <linux/uaccess.h>
#include <linux/proc_fs.h>
/* and what this file uses beyond them, checked not to change the CRCs */
#include <linux/filter.h>
#include <linux/fs.h>
#include <linux/ptr_ring.h>
#include <linux/security.h>

#include "include/tun_compat.h"
#include "include/tun_vnet.h"
#include "include/uapi/linux/tun_ring.h"
#include "tun/tun.h"
#include "tun/control.h"
#include "tun/faces.h"
#include "tun/netdev.h"
#include "tun/queue.h"
#include "tun/read.h"
#include "tun/ring.h"
#include "tun/socket.h"
#include "tun/write.h"

#include "tun/queue.c"
#include "tun/filter.c"
#include "tun/flow.c"
#include "tun/xdp.c"
#include "tun/netdev.c"
#include "tun/read.c"
#include "tun/write.c"
#include "tun/ring.c"
#include "tun/socket.c"
#include "tun/control.c"
#include "tun/faces.c"

/* The character device ----------------------------------------------- */

static bool tun_writeable(struct tun_dev *tun, struct tun_queue *q)
{
	return (tun->dev->flags & IFF_UP) && sock_writeable(&q->sk);
}

static __poll_t tun_chr_poll(struct file *file, poll_table *wait)
{
	struct tun_queue *q = file->private_data;
	struct sock *sk = &q->sk;
	struct tun_ring *ring;
	struct tun_dev *tun;
	__poll_t mask = 0;

	tun = tun_get(q);
	if (!tun)
		return EPOLLERR;

	poll_wait(file, sk_sleep(sk), wait);

	if (!ptr_ring_empty(&q->ring))
		mask |= EPOLLIN | EPOLLRDNORM;

	/* with rings (tun/ring.c), writable means room in the TX ring */
	ring = rcu_dereference_check(q->uring, true);
	if (ring)
		mask |= tun_ring_poll(tun, q, ring);
	/*
	 * Not writable now: flag NOSPACE before checking again, so that
	 * tun_sock_write_space() wakes us if room appears in between.
	 */
	else if (tun_writeable(tun, q) ||
		 (!test_and_set_bit(SOCKWQ_ASYNC_NOSPACE,
				    &sk->sk_socket->flags) &&
		  tun_writeable(tun, q)))
		mask |= EPOLLOUT | EPOLLWRNORM;

	if (tun->dev->reg_state != NETREG_REGISTERED)
		mask = EPOLLERR;

	tun_put(tun);
	return mask;
}

static void tun_sock_write_space(struct sock *sk)
{
	struct tun_queue *q = container_of(sk, struct tun_queue, sk);
	wait_queue_head_t *wqueue;

	if (!sock_writeable(sk))
		return;
	if (!test_and_clear_bit(SOCKWQ_ASYNC_NOSPACE, &sk->sk_socket->flags))
		return;

	wqueue = sk_sleep(sk);
	if (wqueue && waitqueue_active(wqueue))
		wake_up_interruptible_sync_poll(wqueue, EPOLLOUT |
						EPOLLWRNORM | EPOLLWRBAND);
	kill_fasync(&q->fasync, SIGIO, POLL_OUT);
}

static int tun_chr_fasync(int fd, struct file *file, int on)
{
	struct tun_queue *q = file->private_data;
	int ret;

	if (on) {
		ret = tun_compat_f_owner_allocate(file);
		if (ret)
			return ret;
	}
	ret = fasync_helper(fd, file, on, &q->fasync);
	if (ret < 0)
		return ret;
	if (on)
		__f_setown(file, task_pid(current), PIDTYPE_TGID, 0);
	WRITE_ONCE(q->fasync_on, !!on);
	return 0;
}

static struct proto tun_proto = {
	.name		= "tun",
	.owner		= THIS_MODULE,
	.obj_size	= sizeof(struct tun_queue),
};

static int tun_chr_open(struct inode *inode, struct file *file)
{
	struct net *net = current->nsproxy->net_ns;
	struct tun_queue *q;

	q = (struct tun_queue *)sk_alloc(net, AF_UNSPEC, GFP_KERNEL,
					 &tun_proto, 0);
	if (!q)
		return -ENOMEM;
	if (ptr_ring_init(&q->ring, 0, GFP_KERNEL)) {
		sk_free(&q->sk);
		return -ENOMEM;
	}

	RCU_INIT_POINTER(q->tun, NULL);
	INIT_LIST_HEAD(&q->disabled_node);
	mutex_init(&q->napi_mutex);
	init_waitqueue_head(&q->socket.wq.wait);
	q->socket.file = file;
	q->socket.ops = &tun_socket_ops;
	sock_init_data_uid(&q->socket, &q->sk, current_fsuid());
	q->sk.sk_write_space = tun_sock_write_space;
	q->sk.sk_sndbuf = INT_MAX;
	/* vhost-net may offer zero-copy buffers; we complete them at once */
	sock_set_flag(&q->sk, SOCK_ZEROCOPY);

	file->private_data = q;
	tun_compat_set_nowait(file);
	return 0;
}

static int tun_chr_close(struct inode *inode, struct file *file)
{
	struct tun_queue *q = file->private_data;

	tun_ring_stop(q);
	tun_detach(q);
	tun_ring_free(q);
	ptr_ring_cleanup(&q->ring, tun_ptr_free);
	sock_put(&q->sk);		/* the file's reference */
	return 0;
}

static int tun_chr_mmap(struct file *file, struct vm_area_struct *vma)
{
	return tun_ring_mmap(file->private_data, vma);
}

#ifdef CONFIG_PROC_FS
static void tun_chr_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct tun_queue *q = file->private_data;
	char name[IFNAMSIZ] = "";
	struct tun_dev *tun;

	rtnl_lock();
	tun = tun_get(q);
	if (tun) {
		strscpy(name, tun->dev->name, sizeof(name));
		tun_put(tun);
	}
	rtnl_unlock();

	/* ip tuntap show finds the processes attached by this line */
	seq_printf(m, "iff:\t%s\n", name);
}
#endif

static const struct file_operations tun_fops = {
	.owner		= THIS_MODULE,
	.read_iter	= tun_chr_read_iter,
	.write_iter	= tun_chr_write_iter,
	.poll		= tun_chr_poll,
	.mmap		= tun_chr_mmap,
	.unlocked_ioctl	= tun_chr_ioctl,
#ifdef CONFIG_COMPAT
	.compat_ioctl	= tun_chr_compat_ioctl,
#endif
	.open		= tun_chr_open,
	.release	= tun_chr_close,
	.fasync		= tun_chr_fasync,
#ifdef CONFIG_PROC_FS
	.show_fdinfo	= tun_chr_show_fdinfo,
#endif
};

static struct miscdevice tun_miscdev = {
	.minor		= TUN_MINOR,
	.name		= "tun",
	.nodename	= "net/tun",
	.fops		= &tun_fops,
};

/* The queue behind @file, if it is one of ours. */
static struct tun_queue *tun_file_queue(struct file *file)
{
	if (file->f_op != &tun_fops)
		return ERR_PTR(-EINVAL);
	return file->private_data ?: ERR_PTR(-EBADFD);
}

/*
 * For vhost-net: the socket of a tun file, which works like a packet
 * socket through sendmsg()/recvmsg(), and its ring of frames to read.
 * The caller holds the file for as long as it uses either.
 */
struct socket *tun_get_socket(struct file *file)
{
	struct tun_queue *q = tun_file_queue(file);

	return IS_ERR(q) ? ERR_CAST(q) : &q->socket;
}
EXPORT_SYMBOL_GPL(tun_get_socket);

struct ptr_ring *tun_get_tx_ring(struct file *file)
{
	struct tun_queue *q = tun_file_queue(file);

	return IS_ERR(q) ? ERR_CAST(q) : &q->ring;
}
EXPORT_SYMBOL_GPL(tun_get_tx_ring);

/* Module ----------------------------------------------------------------- */

static int __init tun_init(void)
{
	int err;

	err = register_netdevice_notifier(&tun_notifier);
	if (err)
		goto err_report;
	err = rtnl_link_register(&tun_link_ops);
	if (err)
		goto err_unregister_notifier;
	/* last: from here on user space can create devices */
	err = misc_register(&tun_miscdev);
	if (err)
		goto err_unregister_link;
	return 0;

err_unregister_link:
	rtnl_link_unregister(&tun_link_ops);
err_unregister_notifier:
	unregister_netdevice_notifier(&tun_notifier);
err_report:
	pr_err("initialisation failed: %d\n", err);
	return err;
}

static void __exit tun_exit(void)
{
	misc_deregister(&tun_miscdev);
	/* also waits for devices of ours still being unregistered */
	rtnl_link_unregister(&tun_link_ops);
	unregister_netdevice_notifier(&tun_notifier);
	rcu_barrier();	/* tun_prog_free() callbacks */
}

module_init(tun_init);
module_exit(tun_exit);
MODULE_DESCRIPTION("Universal TUN/TAP device driver");
MODULE_LICENSE("GPL");
MODULE_VERSION(TUN_DRV_VERSION);
MODULE_ALIAS_MISCDEV(TUN_MINOR);
MODULE_ALIAS("devname:net/tun");
MODULE_ALIAS_RTNL_LINK("tun");
