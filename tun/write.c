// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun/write.c - the write path: from user space into the stack.
 *
 * Part of tun.ko (tun.c).
 */

#include "../include/tun_compat.h"
#include "../include/tun_vnet.h"
#include "tun.h"
#include "write.h"
#include "flow.h"
#include "xdp.h"

/*
 * The skb is charged to the queue's socket, so TUNSETSNDBUF bounds the
 * memory a writer can pin in the stack. @linear is how much the caller
 * wants in the head (0: no preference); the rest goes into page
 * fragments of TUN_COMPAT_FRAG_ORDER. With TUN_COMPAT_PAGED_WRITES (6.6
 * on) what fragments cannot hold grows the head, so the largest frame is
 * bounded by kmalloc (ENOBUFS beyond); before, a rest longer than
 * MAX_SKB_FRAGS pages is refused by the allocator (EMSGSIZE). Either way
 * as Linux's driver of the kernel we run on does.
 */
static struct sk_buff *tun_alloc_skb(struct tun_queue *q, size_t headroom,
				     size_t len, size_t linear, bool noblock)
{
	const size_t frag_max = MAX_SKB_FRAGS *
				(PAGE_SIZE << TUN_COMPAT_FRAG_ORDER);
	struct sk_buff *skb;
	int err;

	if (headroom + len < PAGE_SIZE || !linear)
		linear = len;
	else if (TUN_COMPAT_PAGED_WRITES && len - linear > frag_max)
		linear = len - frag_max;

	skb = sock_alloc_send_pskb(&q->sk, headroom + linear, len - linear,
				   noblock, &err, TUN_COMPAT_FRAG_ORDER);
	if (!skb)
		return ERR_PTR(err);

	skb_reserve(skb, headroom);
	skb_put(skb, linear);
	skb->data_len = len - linear;
	skb->len += len - linear;
	return skb;
}

/*
 * Small frames written without blocking to a tap go into a page fragment
 * with XDP headroom, so that a native XDP program can see them before
 * there is an skb; everything else runs XDP, if any, on the skb.
 */
static bool tun_can_build_skb(struct tun_dev *tun, struct tun_queue *q,
			      size_t len, bool noblock, bool zerocopy)
{
	return tun_is_tap(tun) && q->sk.sk_sndbuf == INT_MAX && noblock &&
	       !zerocopy &&
	       SKB_DATA_ALIGN(len + TUN_RX_PAD + XDP_PACKET_HEADROOM) +
	       SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) <= PAGE_SIZE;
}

static struct sk_buff *tun_finish_build(struct tun_queue *q,
					struct page_frag *frag, char *buf,
					int buflen, int len, int pad)
{
	struct sk_buff *skb = build_skb(buf, buflen);

	if (!skb)
		return ERR_PTR(-ENOMEM);
	skb_reserve(skb, pad);
	skb_put(skb, len);
	skb_set_owner_w(skb, &q->sk);

	/* the skb owns its piece of the page from now on */
	get_page(frag->page);
	frag->offset += buflen;
	return skb;
}

/*
 * Returns the skb to go on with, NULL if XDP took the frame (sent it on
 * or dropped it: the write still succeeds), or an ERR_PTR. *@run_xdp
 * says whether XDP is still to be run, generically, on the skb.
 */
static struct sk_buff *tun_build_skb(struct tun_dev *tun, struct tun_queue *q,
				     struct iov_iter *from,
				     const struct virtio_net_hdr *hdr,
				     int len, bool *run_xdp)
{
	struct page_frag *frag = &current->task_frag;
	int buflen = SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
	struct sk_buff *skb = NULL;
	struct tun_xdp_ctx xctx;
	struct bpf_prog *prog;
	int pad = TUN_RX_PAD;
	struct xdp_buff xdp;
	char *buf;
	u32 act;
	int ret;

	if (rcu_access_pointer(tun->xdp_prog))
		pad += XDP_PACKET_HEADROOM;
	buflen += SKB_DATA_ALIGN(len + pad);

	frag->offset = ALIGN((u64)frag->offset, SMP_CACHE_BYTES);
	if (unlikely(!skb_page_frag_refill(buflen, frag, GFP_KERNEL)))
		return ERR_PTR(-ENOMEM);
	buf = (char *)page_address(frag->page) + frag->offset;
	if (copy_page_from_iter(frag->page, frag->offset + pad, len, from) !=
	    len)
		return ERR_PTR(-EFAULT);

	/* a program attached since we sized the headroom runs generically */
	if (hdr->gso_type || pad == TUN_RX_PAD) {
		*run_xdp = true;
		return tun_finish_build(q, frag, buf, buflen, len, pad);
	}
	*run_xdp = false;

	local_bh_disable();
	rcu_read_lock();
	tun_xdp_ctx_enter(&xctx);
	prog = rcu_dereference(tun->xdp_prog);
	if (prog) {
		xdp_init_buff(&xdp, buflen, &q->xdp_rxq);
		xdp_prepare_buff(&xdp, buf, pad, len, false);
		act = bpf_prog_run_xdp(prog, &xdp);
		/* a frame sent on keeps its piece of the page */
		if (act == XDP_REDIRECT || act == XDP_TX) {
			get_page(frag->page);
			frag->offset += buflen;
		}
		ret = tun_xdp_act(tun, prog, &xdp, act);
		if (ret < 0) {
			if (act == XDP_REDIRECT || act == XDP_TX)
				put_page(frag->page);
			goto out_unlock;
		}
		if (ret == XDP_REDIRECT)
			xdp_do_flush();
		if (ret != XDP_PASS)
			goto out_unlock;
		pad = xdp.data - xdp.data_hard_start;
		len = xdp.data_end - xdp.data;
	}
	skb = tun_finish_build(q, frag, buf, buflen, len, pad);
out_unlock:
	tun_xdp_ctx_exit(&xctx);
	rcu_read_unlock();
	local_bh_enable();
	return skb;
}

/* XDP on an skb (generic mode): true if the program kept the frame. */
static bool tun_xdp_generic(struct tun_dev *tun, struct sk_buff **pskb)
{
	struct bpf_prog *prog;
	bool pass = true;

	local_bh_disable();
	rcu_read_lock();
	prog = rcu_dereference(tun->xdp_prog);
	if (prog)
		pass = tun_compat_xdp_generic(prog, pskb) == XDP_PASS;
	rcu_read_unlock();
	local_bh_enable();
	return pass;
}

/*
 * IFF_NAPI_FRAGS: build the frame in the NAPI context's skb, the first
 * iovec in its head and each further one, page-sized at most, in a
 * fragment of its own, as a NIC's receive ring would deliver it.
 */
static struct sk_buff *tun_napi_alloc_frags(struct tun_queue *q, size_t len,
					    const struct iov_iter *it)
{
	const struct iovec *iov = tun_compat_iter_iov(it);
	struct sk_buff *skb;
	size_t linear;
	int err, i;

	if (it->nr_segs > MAX_SKB_FRAGS + 1 ||
	    len > (ETH_MAX_MTU - NET_SKB_PAD - NET_IP_ALIGN))
		return ERR_PTR(-EMSGSIZE);

	local_bh_disable();
	skb = napi_get_frags(&q->napi);
	local_bh_enable();
	if (!skb)
		return ERR_PTR(-ENOMEM);

	linear = iov_iter_single_seg_count(it);
	err = __skb_grow(skb, linear);
	if (err)
		goto err_free_frags;
	skb->len = len;
	skb->data_len = len - linear;
	skb->truesize += skb->data_len;

	for (i = 1; i < it->nr_segs; i++) {
		size_t fragsz = iov[i].iov_len;
		struct page *page;
		void *frag;

		if (!fragsz || fragsz > PAGE_SIZE) {
			err = -EINVAL;
			goto err_free_frags;
		}
		frag = netdev_alloc_frag(fragsz);
		if (!frag) {
			err = -ENOMEM;
			goto err_free_frags;
		}
		page = virt_to_head_page(frag);
		skb_fill_page_desc(skb, i - 1, page, frag - page_address(page),
				   fragsz);
	}
	return skb;

err_free_frags:
	napi_free_frags(&q->napi);	/* the skb and the fragments so far */
	return ERR_PTR(err);
}

/*
 * Ethtool rx-frames (rx_batched): frames written with MSG_MORE (vhost-net)
 * are held back and handed to the stack together, up to that many; a
 * frame without MSG_MORE flushes the batch.
 */
static void tun_rx_batched(struct tun_dev *tun, struct tun_queue *q,
			   struct sk_buff *skb, bool more)
{
	struct sk_buff_head *wq = &q->sk.sk_write_queue;
	u32 batch_max = READ_ONCE(tun->rx_batched);
	struct sk_buff_head batch;
	struct sk_buff *held;
	bool flush = false;

	if (!batch_max || (!more && skb_queue_empty(wq))) {
		local_bh_disable();
		netif_receive_skb(skb);
		local_bh_enable();
		return;
	}

	spin_lock(&wq->lock);
	if (!more || skb_queue_len(wq) == batch_max) {
		__skb_queue_head_init(&batch);
		skb_queue_splice_tail_init(wq, &batch);
		flush = true;
	} else {
		__skb_queue_tail(wq, skb);
	}
	spin_unlock(&wq->lock);

	if (flush) {
		local_bh_disable();
		while ((held = __skb_dequeue(&batch)))
			netif_receive_skb(held);
		netif_receive_skb(skb);
		local_bh_enable();
	}
}

/*
 * IFF_NAPI: queue @skb for tun_napi_poll(); BHs off. Under the list's
 * lock, because a queue being disabled purges the list after it sets
 * disabled_on: nothing queued after the check is left behind. Returns the
 * length of the list, or -EBUSY (@skb freed) if the queue is disabled.
 */
static int tun_napi_queue(struct tun_queue *q, struct sk_buff *skb)
{
	struct sk_buff_head *wq = &q->sk.sk_write_queue;
	int qlen;

	spin_lock(&wq->lock);
	if (unlikely(READ_ONCE(q->disabled_on))) {
		spin_unlock(&wq->lock);
		kfree_skb(skb);
		return -EBUSY;
	}
	__skb_queue_tail(wq, skb);
	qlen = skb_queue_len(wq);
	spin_unlock(&wq->lock);
	return qlen;
}

/*
 * Hand a built frame to the stack: through GRO for the NAPI modes, else
 * at once (or in a batch). Consumes @skb; returns 0 or a negative errno.
 */
static int tun_rx_deliver(struct tun_dev *tun, struct tun_queue *q,
			  struct sk_buff *skb, bool more)
{
	u32 headlen;
	int qlen;

	if (q->napi_frags) {
		/* GRO takes the frame from its Ethernet header */
		skb_push(skb, ETH_HLEN);
		headlen = eth_get_headlen(tun->dev, skb->data,
					  skb_headlen(skb));
		if (unlikely(headlen > skb_headlen(skb))) {
			dev_core_stats_rx_dropped_inc(tun->dev);
			napi_free_frags(&q->napi);
			return -ENOMEM;
		}
		if (!napi_schedule_prep(&q->napi)) {
			/* disabled, or another writer's frame in flight */
			napi_free_frags(&q->napi);
			return -EBUSY;
		}
		local_bh_disable();
		napi_gro_frags(&q->napi);
		napi_complete(&q->napi);
		local_bh_enable();
		return 0;
	}

	if (q->napi_on) {
		local_bh_disable();
		qlen = tun_napi_queue(q, skb);
		if (qlen > 0 && (!more || qlen > NAPI_POLL_WEIGHT))
			napi_schedule(&q->napi);
		local_bh_enable();
		return qlen < 0 ? qlen : 0;
	}

	tun_rx_batched(tun, q, skb, more);
	return 0;
}

static void tun_rx_batch_init(struct tun_rx_batch *b)
{
	INIT_LIST_HEAD(&b->skbs);
	b->packets = 0;
	b->bytes = 0;
}

/*
 * The drainer's frame, @len bytes as counted: queued on @b if write()
 * would hand it to the stack at once, that is on a queue without NAPI
 * (IFF_NAPI keeps its own list and GRO: tun_rx_deliver()) and with no
 * frames held back by rx_batched, which go to the stack with the next
 * frame; there what @b holds goes first, and this frame the usual way.
 * Under rcu_read_lock(), the device seen up. Returns true if queued.
 */
static bool tun_rx_batch_add(struct tun_dev *tun, struct tun_queue *q,
			     struct tun_rx_batch *b, struct sk_buff *skb,
			     size_t len)
{
	if (q->napi_on)
		return false;
	if (READ_ONCE(tun->rx_batched) &&
	    !skb_queue_empty_lockless(&q->sk.sk_write_queue)) {
		tun_rx_batch_flush(tun, b);
		return false;
	}
	list_add_tail(&skb->list, &b->skbs);
	b->packets++;
	b->bytes += len;
	return true;
}

/*
 * Hand what @b holds to the stack in one call, and count it as write()
 * counts a frame it delivers.
 *
 * The count comes first: the stack may answer a frame at once (an echo
 * reply queued for the reader, a TX slot published), and whoever sees
 * that answer must see the frame counted in rx_packets too. Counting
 * after the delivery let a reader of the ring find the reply before the
 * count; tests/tun/ring's tx_oversize_dropped saw it under load.
 *
 * RCU and BHs, as on write()'s path (tun_write_deliver() and
 * tun_rx_batched()), on 6.1 and 6.12 alike: netif_receive_skb_list(),
 * like netif_receive_skb(), may only be called in softirq context with
 * interrupts on, so from this work item with BHs off; the per-CPU
 * counters want preemption off, which that gives too. IFF_UP is looked
 * at and the frames delivered in one RCU read-side section, so that
 * dev_close()'s synchronize_net() waits for the delivery and a device
 * seen down gets none: then each frame is dropped and counted as a
 * write() that found the device down counts it (rx_dropped, not
 * received). The stack's own receive takes rcu_read_lock() again.
 */
static void tun_rx_batch_flush(struct tun_dev *tun, struct tun_rx_batch *b)
{
	struct net_device *dev = tun->dev;
	struct pcpu_sw_netstats *tstats;
	struct sk_buff *skb, *next;

	if (list_empty(&b->skbs))
		return;

	rcu_read_lock();
	if (unlikely(!(dev->flags & IFF_UP))) {
		list_for_each_entry_safe(skb, next, &b->skbs, list) {
			skb_list_del_init(skb);
			dev_core_stats_rx_dropped_inc(dev);
			kfree_skb(skb);
		}
	} else {
		local_bh_disable();
		tstats = this_cpu_ptr(dev->tstats);
		u64_stats_update_begin(&tstats->syncp);
		u64_stats_add(&tstats->rx_packets, b->packets);
		u64_stats_add(&tstats->rx_bytes, b->bytes);
		u64_stats_update_end(&tstats->syncp);
		netif_receive_skb_list(&b->skbs);
		local_bh_enable();
	}
	rcu_read_unlock();
	tun_rx_batch_init(b);
}

/*
 * What the headers in front of a written frame said, and how the frame
 * is to be built; filled by tun_write_headers().
 */
struct tun_wframe {
	struct tun_pi pi;
	struct virtio_net_hdr hdr;
	size_t len;		/* of the frame, after the headers */
	size_t hdr_len;		/* what the vnet header says is headers */
	size_t headroom;	/* of an skb the frame is copied into */
	bool frags;		/* IFF_NAPI_FRAGS: built in q->napi.skb */
	struct tun_rx_batch *batch;	/* the drainer's, or NULL */
};

/*
 * The vnet header (IFF_VNET_HDR). The header must cover the checksum
 * field it points at. The field is 16 bits: an end past 64K wraps, as in
 * Linux, and the frame then fails the checks of tun_vnet_to_skb().
 */
static int tun_write_vnet_hdr(struct tun_dev *tun, struct iov_iter *from,
			      struct tun_wframe *w)
{
	size_t sz = READ_ONCE(tun->vnet_hdr_sz);
	struct virtio_net_hdr *hdr = &w->hdr;

	if (w->len < sz)
		return -EINVAL;
	w->len -= sz;
	if (!copy_from_iter_full(hdr, sizeof(*hdr), from))
		return -EFAULT;
	w->hdr_len = tun16_to_cpu(tun, hdr->hdr_len);
	if (hdr->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		unsigned int end = tun16_to_cpu(tun, hdr->csum_start) +
				   tun16_to_cpu(tun, hdr->csum_offset) + 2;

		if (end > w->hdr_len) {
			hdr->hdr_len = cpu_to_tun16(tun, (u16)end);
			w->hdr_len = tun16_to_cpu(tun, hdr->hdr_len);
		}
	}
	if (w->hdr_len > w->len)
		return -EINVAL;
	iov_iter_advance(from, sz - sizeof(*hdr));
	return 0;
}

/*
 * The headers in front of the frame (struct tun_pi, the vnet header) and
 * the checks of its length. A malformed request is refused here, before
 * anything is counted.
 */
static int tun_write_headers(struct tun_dev *tun, struct iov_iter *from,
			     struct tun_wframe *w)
{
	int err;

	if (!(tun->flags & IFF_NO_PI)) {
		if (w->len < sizeof(w->pi))
			return -EINVAL;
		w->len -= sizeof(w->pi);
		if (!copy_from_iter_full(&w->pi, sizeof(w->pi), from))
			return -EFAULT;
	}
	if (tun->flags & IFF_VNET_HDR) {
		err = tun_write_vnet_hdr(tun, from, w);
		if (err)
			return err;
	}
	if (tun_is_tap(tun)) {
		w->headroom += NET_IP_ALIGN;
		if (w->len < ETH_HLEN || (w->hdr_len && w->hdr_len < ETH_HLEN))
			return -EINVAL;
	}
	return 0;
}

/* Free a written frame: a frags frame is the NAPI context's skb. */
static void tun_write_free(struct tun_queue *q, struct sk_buff *skb,
			   bool frags)
{
	if (frags)
		napi_free_frags(&q->napi);
	else
		kfree_skb(skb);
}

/*
 * A frame refused once past its headers counts as dropped on receive,
 * unless only socket memory was short for a writer that would not wait
 * (EAGAIN: the write can be retried). Frees @skb, if any; returns @err.
 */
static int tun_write_drop(struct tun_dev *tun, struct tun_queue *q,
			  struct sk_buff *skb, bool frags, int err)
{
	if (err != -EAGAIN)
		dev_core_stats_rx_dropped_inc(tun->dev);
	if (skb)
		tun_write_free(q, skb, frags);
	return err;
}

/*
 * The frame in an skb: built in a page fragment (where native XDP may
 * take it first), in the NAPI context's skb (IFF_NAPI_FRAGS), or copied
 * into one we allocate. Returns the skb, NULL if XDP took the frame, or
 * an ERR_PTR, the drop counted. *@run_xdp says whether XDP is still to
 * be run, generically, on the skb.
 */
static struct sk_buff *tun_write_alloc(struct tun_dev *tun,
				       struct tun_queue *q,
				       struct iov_iter *from,
				       const struct tun_wframe *w,
				       bool noblock, bool *run_xdp)
{
	struct sk_buff *skb;
	size_t linear;

	*run_xdp = true;
	if (!w->frags && tun_can_build_skb(tun, q, w->len, noblock, false)) {
		skb = tun_build_skb(tun, q, from, &w->hdr, w->len, run_xdp);
		if (IS_ERR(skb))
			tun_write_drop(tun, q, NULL, false, PTR_ERR(skb));
		return skb;
	}

	if (w->frags) {
		skb = tun_napi_alloc_frags(q, w->len, from);
	} else {
		/* the headers the vnet header announces go in the head */
		linear = min_t(size_t, w->hdr_len, SKB_MAX_HEAD(w->headroom));
		if (TUN_COMPAT_PAGED_WRITES && !linear)
			linear = min_t(size_t, w->len,
				       SKB_MAX_HEAD(w->headroom));
		skb = tun_alloc_skb(q, w->headroom, w->len, linear, noblock);
	}
	if (IS_ERR(skb)) {
		tun_write_drop(tun, q, NULL, w->frags, PTR_ERR(skb));
		return skb;
	}
	if (skb_copy_datagram_from_iter(skb, 0, from, w->len))
		return ERR_PTR(tun_write_drop(tun, q, skb, w->frags, -EFAULT));
	return skb;
}

/*
 * The skb's offload state and protocol, from the headers and the frame.
 * A refused frame is freed and counted: a vnet header that does not fit
 * the frame as a framing error, anything else as dropped.
 */
static int tun_write_setup(struct tun_dev *tun, struct tun_queue *q,
			   struct sk_buff *skb, struct tun_wframe *w)
{
	u8 version;

	if (tun_vnet_to_skb(skb, &w->hdr, tun_vnet_le(tun))) {
		atomic_long_inc(&tun->rx_frame_errors);
		tun_write_free(q, skb, w->frags);
		return -EINVAL;
	}

	if (tun_is_tap(tun)) {
		if (w->frags && !pskb_may_pull(skb, ETH_HLEN))
			return tun_write_drop(tun, q, skb, true, -ENOMEM);
		skb->protocol = eth_type_trans(skb, tun->dev);
	} else {
		if (tun->flags & IFF_NO_PI) {
			version = skb->len ? skb->data[0] >> 4 : 0;
			if (version == 4)
				w->pi.proto = htons(ETH_P_IP);
			else if (version == 6)
				w->pi.proto = htons(ETH_P_IPV6);
			else
				return tun_write_drop(tun, q, skb, w->frags,
						      -EINVAL);
		}
		skb_reset_mac_header(skb);
		skb->protocol = w->pi.proto;
		skb->dev = tun->dev;
	}

	skb_reset_network_header(skb);
	skb_probe_transport_header(skb);
	skb_record_rx_queue(skb, q->index);
	return 0;
}

/*
 * Generic XDP, then the stack: the frame is consumed either way. The
 * write succeeds (0) if the program took the frame; an error of the
 * delivery itself is counted where it happens.
 */
static int tun_write_deliver(struct tun_dev *tun, struct tun_queue *q,
			     struct sk_buff *skb, const struct tun_wframe *w,
			     bool run_xdp, bool more)
{
	struct net_device *dev = tun->dev;
	bool pass, queued;
	u32 hash;
	int err;

	if (run_xdp) {
		pass = tun_xdp_generic(tun, &skb);
		/*
		 * A frags frame is the NAPI context's skb, which the program
		 * may have consumed (sent on or freed) or, since 6.10,
		 * replaced by a copy: napi.skb must never be left pointing
		 * at what the next napi_get_frags() would build in.
		 */
		if (w->frags)
			q->napi.skb = pass ? skb : NULL;
		if (!pass)
			return 0;
	}

	hash = tun_flow_hash_written(tun, q, skb);

	rcu_read_lock();
	if (unlikely(!(dev->flags & IFF_UP))) {
		rcu_read_unlock();
		return tun_write_drop(tun, q, skb, w->frags, -EIO);
	}
	queued = w->batch && tun_rx_batch_add(tun, q, w->batch, skb, w->len);
	err = queued ? 0 : tun_rx_deliver(tun, q, skb, more);
	rcu_read_unlock();
	if (err)
		return err;

	/*
	 * A queued frame is counted when its batch is delivered; its flow
	 * is learnt now, as it only steers xmit's choice of a queue.
	 */
	if (!queued) {
		/* per-CPU counters: this CPU's until the update is done */
		preempt_disable();
		dev_sw_netstats_rx_add(dev, w->len);
		preempt_enable();
	}
	if (hash)
		tun_flow_learn(tun, hash, READ_ONCE(q->index));
	return 0;
}

/*
 * A frame past its headers, to the stack; 0 or a negative errno. The
 * steps free and count what they refuse. @ubuf as for tun_get_user().
 */
static int tun_write_frame(struct tun_dev *tun, struct tun_queue *q,
			   struct ubuf_info *ubuf, struct iov_iter *from,
			   struct tun_wframe *w, bool noblock, bool more)
{
	struct sk_buff *skb;
	bool run_xdp;
	int err;

	skb = tun_write_alloc(tun, q, from, w, noblock, &run_xdp);
	if (IS_ERR(skb))
		return PTR_ERR(skb);
	if (!skb) {
		/*
		 * XDP took it, copied: vhost-net's pages are free. A success
		 * without this would leave vhost waiting for them for ever
		 * (on an error it drops its own reference instead).
		 */
		if (ubuf)
			tun_compat_ubuf_copied(ubuf);
		return 0;
	}

	err = tun_write_setup(tun, q, skb, w);
	if (err)
		return err;
	/* copied and accepted: what the stack does with it is not vhost's */
	if (ubuf)
		tun_compat_ubuf_copied(ubuf);

	return tun_write_deliver(tun, q, skb, w, run_xdp, more);
}

/*
 * tun_get_user - one frame written to queue @q, into the stack.
 * @ubuf: vhost-net's zero-copy completion, if it offered one. We always
 * copy, so it is told that its pages are free again as soon as they are
 * copied (or the frame is gone); on an error vhost drops its own
 * reference instead.
 * @batch: the ring's drainer's; a frame write() would hand to the stack
 * at once is queued there instead, for tun_rx_batch_flush(). NULL for
 * write(), sendmsg() and vhost.
 *
 * Returns the bytes taken (the whole of @from) or a negative errno.
 */
static ssize_t tun_get_user(struct tun_dev *tun, struct tun_queue *q,
			    struct ubuf_info *ubuf, struct iov_iter *from,
			    bool noblock, bool more, struct tun_rx_batch *batch)
{
	size_t total = iov_iter_count(from);
	struct tun_wframe w = {
		.pi.proto	= htons(ETH_P_IP),
		.len		= total,
		.headroom	= READ_ONCE(tun->rx_headroom),
		.frags		= q->napi_frags,
		.batch		= batch,
	};
	int err;

	err = tun_write_headers(tun, from, &w);
	if (err)
		return err;

	/* one writer at a time builds in the NAPI context's skb */
	if (w.frags)
		mutex_lock(&q->napi_mutex);
	err = tun_write_frame(tun, q, ubuf, from, &w, noblock, more);
	if (w.frags)
		mutex_unlock(&q->napi_mutex);
	if (err)
		return err;
	return total;
}

static ssize_t tun_chr_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct tun_queue *q = iocb->ki_filp->private_data;
	struct tun_dev *tun;
	ssize_t ret;

	tun = tun_get(q);
	if (!tun)
		return -EBADFD;
	ret = tun_get_user(tun, q, NULL, from, tun_iocb_noblock(iocb), false,
			   NULL);
	tun_put(tun);
	return ret;
}
