// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun/socket.c - the socket face that vhost-net drives.
 *
 * Part of tun.ko (tun.c).
 */

#include "../include/tun_compat.h"
#include "../include/tun_vnet.h"
#include "tun.h"
#include "socket.h"
#include "flow.h"
#include "read.h"
#include "write.h"
#include "xdp.h"

/*
 * One frame vhost-net built in its own page (TUN_MSG_PTR): a struct
 * tun_xdp_hdr at data_hard_start, the frame at data. The page reference
 * is ours: it becomes the skb's, or is dropped. On an IFF_NAPI queue the
 * skb waits on the queue's NAPI list, and *@queued says so: the caller
 * schedules NAPI once for the whole batch.
 */
static int tun_xdp_one(struct tun_dev *tun, struct tun_queue *q,
		       struct xdp_buff *xdp, bool *flush, bool *queued)
{
	unsigned int datasize = xdp->data_end - xdp->data;
	struct tun_xdp_hdr *hdr = xdp->data_hard_start;
	bool run_xdp = false;
	struct bpf_prog *prog;
	struct sk_buff *skb;
	u32 hash = 0;
	int ret;

	if (unlikely(datasize < ETH_HLEN)) {
		put_page(virt_to_head_page(xdp->data));
		return -EINVAL;
	}

	prog = rcu_dereference(tun->xdp_prog);
	if (prog && hdr->gso.gso_type) {
		run_xdp = true;		/* offloaded frames: on the skb */
	} else if (prog) {
		xdp_init_buff(xdp, hdr->buflen, &q->xdp_rxq);
		xdp_set_data_meta_invalid(xdp);
		ret = tun_xdp_act(tun, prog, xdp, bpf_prog_run_xdp(prog, xdp));
		if (ret < 0 || (ret != XDP_PASS && ret != XDP_TX &&
				ret != XDP_REDIRECT)) {
			put_page(virt_to_head_page(xdp->data));
			return ret < 0 ? ret : 0;
		}
		if (ret == XDP_REDIRECT)
			*flush = true;
		if (ret != XDP_PASS)
			return 0;
		datasize = xdp->data_end - xdp->data;
	}

	skb = build_skb(xdp->data_hard_start, hdr->buflen);
	if (!skb) {
		put_page(virt_to_head_page(xdp->data));
		return -ENOMEM;
	}
	skb_reserve(skb, xdp->data - xdp->data_hard_start);
	skb_put(skb, datasize);

	if (tun_vnet_to_skb(skb, &hdr->gso, tun_vnet_le(tun))) {
		atomic_long_inc(&tun->rx_frame_errors);
		kfree_skb(skb);
		return -EINVAL;
	}

	skb->protocol = eth_type_trans(skb, tun->dev);
	skb_reset_network_header(skb);
	skb_probe_transport_header(skb);
	skb_record_rx_queue(skb, q->index);

	if (run_xdp && tun_compat_xdp_generic(prog, &skb) != XDP_PASS)
		return 0;

	hash = tun_flow_hash_written(tun, q, skb);

	if (q->napi_on) {
		/* BHs are off for the whole batch */
		ret = tun_napi_queue(q, skb);
		if (ret < 0)
			return ret;
		*queued = true;
	} else {
		netif_receive_skb(skb);
	}
	dev_sw_netstats_rx_add(tun->dev, datasize);
	if (hash)
		tun_flow_learn(tun, hash, READ_ONCE(q->index));
	return 0;
}

static int tun_sendmsg(struct socket *sock, struct msghdr *m, size_t total_len)
{
	struct tun_queue *q = container_of(sock, struct tun_queue, socket);
	struct tun_msg_ctl *ctl = m->msg_control;
	struct tun_dev *tun;
	int ret, i;

	tun = tun_get(q);
	if (!tun)
		return -EBADFD;

	if (ctl && m->msg_controllen == sizeof(*ctl) &&
	    ctl->type == TUN_MSG_PTR) {
		struct xdp_buff *bufs = ctl->ptr;
		struct tun_xdp_ctx xctx;
		bool flush = false, queued = false;

		/* a batch: failures are per frame, the batch is consumed */
		local_bh_disable();
		rcu_read_lock();
		tun_xdp_ctx_enter(&xctx);
		for (i = 0; i < ctl->num; i++)
			tun_xdp_one(tun, q, &bufs[i], &flush, &queued);
		if (flush)
			xdp_do_flush();
		/* GRO sees the batch together; it runs when BHs are back on */
		if (queued)
			napi_schedule(&q->napi);
		tun_xdp_ctx_exit(&xctx);
		rcu_read_unlock();
		local_bh_enable();
		ret = total_len;
	} else {
		ret = tun_get_user(tun, q, ctl ? ctl->ptr : NULL,
				   &m->msg_iter, m->msg_flags & MSG_DONTWAIT,
				   m->msg_flags & MSG_MORE, NULL);
	}
	tun_put(tun);
	return ret;
}

static int tun_recvmsg(struct socket *sock, struct msghdr *m, size_t total_len,
		       int flags)
{
	struct tun_queue *q = container_of(sock, struct tun_queue, socket);
	void *ptr = m->msg_control;	/* an entry vhost took off the ring */
	struct tun_dev *tun;
	int ret;

	tun = tun_get(q);
	if (!tun) {
		tun_ptr_free(ptr);
		return -EBADFD;
	}
	if (flags & ~(MSG_DONTWAIT | MSG_TRUNC | MSG_ERRQUEUE)) {
		tun_ptr_free(ptr);
		ret = -EINVAL;
		goto out_put;
	}
	if (flags & MSG_ERRQUEUE) {
		ret = sock_recv_errqueue(sock->sk, m, total_len, SOL_PACKET,
					 TUN_TX_TIMESTAMP);
		goto out_put;
	}
	ret = tun_do_read(tun, q, &m->msg_iter, flags & MSG_DONTWAIT, ptr);
	if (ret > (ssize_t)total_len) {
		m->msg_flags |= MSG_TRUNC;
		if (!(flags & MSG_TRUNC))
			ret = total_len;
	}
out_put:
	tun_put(tun);
	return ret;
}

static int tun_ptr_len(void *ptr)
{
	if (!ptr)
		return 0;
	if (tun_is_xdp_frame(ptr))
		return tun_ptr_to_xdp(ptr)->len;
	return __skb_array_len_with_tag(ptr);
}

/* The length of the next frame, without taking it. */
static int tun_peek_len(struct socket *sock)
{
	struct tun_queue *q = container_of(sock, struct tun_queue, socket);
	struct tun_dev *tun;
	int len;

	tun = tun_get(q);
	if (!tun)
		return 0;
	len = PTR_RING_PEEK_CALL(&q->ring, tun_ptr_len);
	tun_put(tun);
	return len;
}

static const struct proto_ops tun_socket_ops = {
	.peek_len	= tun_peek_len,
	.sendmsg	= tun_sendmsg,
	.recvmsg	= tun_recvmsg,
};
