// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun/read.c - the read path: from a queue's ring to user space.
 *
 * Part of tun.ko (tun.c).
 */

#include "../include/tun_vnet.h"
#include "tun.h"
#include "read.h"

static void *tun_ring_wait(struct tun_queue *q, bool noblock, int *err)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	void *skb;

	*err = 0;
	skb = ptr_ring_consume(&q->ring);
	if (skb || noblock) {
		if (!skb)
			*err = -EAGAIN;
		return skb;
	}

	add_wait_queue(sk_sleep(&q->sk), &wait);
	for (;;) {
		skb = ptr_ring_consume(&q->ring);
		if (skb)
			break;
		if (signal_pending(current)) {
			*err = -ERESTARTSYS;
			break;
		}
		/* the device went away under a blocked reader */
		if (READ_ONCE(q->sk.sk_shutdown) & RCV_SHUTDOWN) {
			*err = -EFAULT;
			break;
		}
		wait_woken(&wait, TASK_INTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT);
	}
	remove_wait_queue(sk_sleep(&q->sk), &wait);
	return skb;
}

/*
 * Copy one frame out: [struct tun_pi] [vnet header] frame. Returns the
 * length the frame needed, which may be more than the buffer took:
 * callers clamp it, and the packet info header says TUN_PKT_STRIP when
 * the buffer was short. A VLAN tag the stack left in skb metadata
 * (NETIF_F_HW_VLAN_*_TX) is put back into the frame.
 */
static ssize_t tun_put_user(struct tun_dev *tun, struct sk_buff *skb,
			    struct iov_iter *to)
{
	int vlan_hlen = skb_vlan_tag_present(skb) ? VLAN_HLEN : 0;
	int vnet_hdr_sz = 0;
	size_t off = 0, left;
	ssize_t total;

	if (tun->flags & IFF_VNET_HDR)
		vnet_hdr_sz = READ_ONCE(tun->vnet_hdr_sz);
	total = skb->len + vlan_hlen + vnet_hdr_sz;

	if (!(tun->flags & IFF_NO_PI)) {
		struct tun_pi pi = { .proto = skb->protocol };

		if (iov_iter_count(to) < sizeof(pi))
			return -EINVAL;
		total += sizeof(pi);
		if (iov_iter_count(to) < total)
			pi.flags |= TUN_PKT_STRIP;
		if (copy_to_iter(&pi, sizeof(pi), to) != sizeof(pi))
			return -EFAULT;
	}

	if (vnet_hdr_sz) {
		struct virtio_net_hdr hdr;

		if (iov_iter_count(to) < vnet_hdr_sz)
			return -EINVAL;
		/* only offloads we enabled can reach us; refuse the rest */
		if (tun_vnet_from_skb(skb, &hdr, tun_vnet_le(tun), vlan_hlen)) {
			netdev_err_once(tun->dev,
					"cannot describe GSO type 0x%x to the reader\n",
					skb_shinfo(skb)->gso_type);
			return -EINVAL;
		}
		if (copy_to_iter(&hdr, sizeof(hdr), to) != sizeof(hdr))
			return -EFAULT;
		/* bytes past our header stay as the reader left them */
		iov_iter_advance(to, vnet_hdr_sz - sizeof(hdr));
	}

	if (vlan_hlen) {
		/* the tag goes between the MAC addresses and the type */
		const size_t macs = offsetof(struct vlan_ethhdr, h_vlan_proto);
		struct {
			__be16 proto;
			__be16 tci;
		} tag = {
			.proto = skb->vlan_proto,
			.tci = htons(skb_vlan_tag_get(skb)),
		};

		left = min_t(size_t, macs, iov_iter_count(to));
		if (skb_copy_datagram_iter(skb, 0, to, left) || left < macs)
			goto count_tx;
		if (copy_to_iter(&tag, sizeof(tag), to) != sizeof(tag))
			goto count_tx;
		off = macs;
	}

	/* a short buffer truncates the frame, as on a datagram socket */
	left = min_t(size_t, skb->len - off, iov_iter_count(to));
	skb_copy_datagram_iter(skb, off, to, left);
count_tx:
	/* per-CPU counters: this CPU's until the update is done */
	preempt_disable();
	dev_sw_netstats_tx_add(tun->dev, 1, skb->len + vlan_hlen);
	preempt_enable();
	return total;
}

/* An XDP frame (XDP_TX, ndo_xdp_xmit) has no offload state to describe. */
static ssize_t tun_put_user_xdp(struct tun_dev *tun, struct xdp_frame *xdpf,
				struct iov_iter *to)
{
	int vnet_hdr_sz = 0;
	size_t ret;

	if (tun->flags & IFF_VNET_HDR) {
		struct virtio_net_hdr hdr = { 0 };

		vnet_hdr_sz = READ_ONCE(tun->vnet_hdr_sz);
		if (iov_iter_count(to) < vnet_hdr_sz)
			return -EINVAL;
		if (copy_to_iter(&hdr, sizeof(hdr), to) != sizeof(hdr))
			return -EFAULT;
		iov_iter_advance(to, vnet_hdr_sz - sizeof(hdr));
	}
	ret = copy_to_iter(xdpf->data, xdpf->len, to) + vnet_hdr_sz;
	preempt_disable();
	dev_sw_netstats_tx_add(tun->dev, 1, ret);
	preempt_enable();
	return ret;
}

/*
 * Read one frame: @ptr if the caller already took it off the ring
 * (vhost-net consumes the ring itself, then hands entries back through
 * recvmsg()), else the next one, waiting unless @noblock.
 */
static ssize_t tun_do_read(struct tun_dev *tun, struct tun_queue *q,
			   struct iov_iter *to, bool noblock, void *ptr)
{
	ssize_t ret;
	int err;

	if (!iov_iter_count(to)) {
		tun_ptr_free(ptr);
		return 0;
	}

	if (!ptr) {
		ptr = tun_ring_wait(q, noblock, &err);
		if (!ptr)
			return err;
	}

	if (tun_is_xdp_frame(ptr)) {
		struct xdp_frame *xdpf = tun_ptr_to_xdp(ptr);

		ret = tun_put_user_xdp(tun, xdpf, to);
		xdp_return_frame(xdpf);
	} else {
		ret = tun_put_user(tun, ptr, to);
		if (unlikely(ret < 0))
			kfree_skb(ptr);
		else
			consume_skb(ptr);
	}
	return ret;
}

static ssize_t tun_chr_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct tun_queue *q = iocb->ki_filp->private_data;
	ssize_t len = iov_iter_count(to), ret;
	struct tun_dev *tun;

	tun = tun_get(q);
	if (!tun)
		return -EBADFD;
	ret = tun_do_read(tun, q, to, tun_iocb_noblock(iocb), NULL);
	ret = min(ret, len);
	if (ret > 0)
		iocb->ki_pos = ret;
	tun_put(tun);
	return ret;
}
