// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun/xdp.c - XDP on taps: the program, its verdicts, and frames
 * redirected to us.
 *
 * Part of tun.ko (tun.c).
 */

#include "tun.h"
#include "xdp.h"

static int tun_xdp_set(struct net_device *dev, struct bpf_prog *prog)
{
	struct tun_dev *tun = netdev_priv(dev);
	struct tun_queue *q;
	struct bpf_prog *old;
	unsigned int i;

	old = rtnl_dereference(tun->xdp_prog);
	rcu_assign_pointer(tun->xdp_prog, prog);
	if (old)
		bpf_prog_put(old);

	/* SOCK_XDP asks vhost-net to leave XDP headroom in its buffers */
	for (i = 0; i < tun->numqueues; i++) {
		q = rtnl_dereference(tun->queues[i]);
		sock_valbool_flag(&q->sk, SOCK_XDP, !!prog);
	}
	list_for_each_entry(q, &tun->disabled, disabled_node)
		sock_valbool_flag(&q->sk, SOCK_XDP, !!prog);
	return 0;
}

static int tun_net_bpf(struct net_device *dev, struct netdev_bpf *bpf)
{
	if (bpf->command == XDP_SETUP_PROG)
		return tun_xdp_set(dev, bpf->prog);
	return -EINVAL;
}

/*
 * ndo_xdp_xmit: frames redirected to this tap, or sent back by XDP_TX,
 * go to a queue's ring as they are, for the reader.
 */
static int tun_net_xdp_xmit(struct net_device *dev, int n,
			    struct xdp_frame **frames, u32 flags)
{
	struct tun_dev *tun = netdev_priv(dev);
	unsigned int numqueues;
	struct tun_queue *q;
	int sent = 0;

	if (unlikely(flags & ~XDP_XMIT_FLAGS_MASK))
		return -EINVAL;

	rcu_read_lock();
	numqueues = READ_ONCE(tun->numqueues);
	q = numqueues ? rcu_dereference(tun->queues[smp_processor_id() %
							numqueues]) : NULL;
	if (!q) {
		rcu_read_unlock();
		return -ENXIO;	/* the caller frees them all */
	}

	spin_lock(&q->ring.producer_lock);
	for (; sent < n; sent++) {
		if (__ptr_ring_produce(&q->ring, tun_xdp_to_ptr(frames[sent]))) {
			dev_core_stats_tx_dropped_inc(dev);
			break;
		}
	}
	spin_unlock(&q->ring.producer_lock);

	if (flags & XDP_XMIT_FLUSH)
		tun_notify_readers(q);
	rcu_read_unlock();
	return sent;
}

static int tun_xdp_tx(struct net_device *dev, struct xdp_buff *xdp)
{
	struct xdp_frame *frame = xdp_convert_buff_to_frame(xdp);
	int sent;

	if (unlikely(!frame))
		return -EOVERFLOW;
	sent = tun_net_xdp_xmit(dev, 1, &frame, XDP_XMIT_FLUSH);
	if (!sent)
		xdp_return_frame_rx_napi(frame);
	return sent;
}

/*
 * Carry out a native XDP verdict on a written frame. Frames sent on
 * (XDP_TX, XDP_REDIRECT) count as received, dropped ones as rx_dropped.
 * Returns the verdict, or a negative errno if sending on failed.
 * Called with bottom halves off, which XDP needs and which also keeps us
 * on this CPU for its per-CPU counters.
 */
static int tun_xdp_act(struct tun_dev *tun, struct bpf_prog *prog,
		       struct xdp_buff *xdp, u32 act)
{
	unsigned int len = xdp->data_end - xdp->data;
	int err;

	lockdep_assert_in_softirq();

	switch (act) {
	case XDP_REDIRECT:
		err = xdp_do_redirect(tun->dev, xdp, prog);
		if (err) {
			dev_core_stats_rx_dropped_inc(tun->dev);
			return err;
		}
		dev_sw_netstats_rx_add(tun->dev, len);
		break;
	case XDP_TX:
		err = tun_xdp_tx(tun->dev, xdp);
		if (err < 0) {
			dev_core_stats_rx_dropped_inc(tun->dev);
			return err;
		}
		dev_sw_netstats_rx_add(tun->dev, len);
		break;
	case XDP_PASS:
		break;
	default:
		bpf_warn_invalid_xdp_action(tun->dev, prog, act);
		fallthrough;
	case XDP_ABORTED:
		trace_xdp_exception(tun->dev, prog, act);
		fallthrough;
	case XDP_DROP:
		dev_core_stats_rx_dropped_inc(tun->dev);
		break;
	}
	return act;
}
