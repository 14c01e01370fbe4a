// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun/ring.c - shared-memory rings of a file (TUNSETRING): frames the
 * device transmits go into the RX ring instead of the queue's ptr_ring,
 * and frames user space puts into the TX ring are drained by a work item
 * through the write path (tun_get_user), so XDP, filters, counters and
 * GRO see them as they see written ones; the frames of a batch reach the
 * stack together (netif_receive_skb_list()). The protocol is in
 * include/uapi/linux/tun_ring.h and Documentation/tun_ring.rst.
 *
 * Part of tun.ko (tun.c).
 */

#include "tun.h"
#include "ring.h"
#include "read.h"
#include "write.h"

/*
 * One per file that asked for rings; hung on tun_queue.uring.
 *
 * Lifetime: the file's. Set up under RTNL, published with
 * rcu_assign_pointer() and never unpublished before the file's release:
 * xmit reads it under rcu_read_lock(), everything else through the file
 * (ioctl, poll, mmap hold it). A mapping holds the file too (vm_file),
 * so the area is freed only after the last munmap() and the last close.
 * At release: the work item is cancelled before the queue detaches, the
 * detach's synchronize_net() leaves no xmit on the ring, then it goes.
 *
 * Concurrency: the RX ring has many kernel producers (xmit is LLTX: any
 * CPU may transmit on a queue), serialised by @rx_lock, and one consumer,
 * user space. The TX ring has one producer, user space, and one consumer,
 * @tx_work (a work item never runs twice at once). User space may write
 * anything anywhere in the area at any time: the kernel reads each value
 * it acts on once (READ_ONCE) and bounds it before use.
 */
struct tun_ring {
	void *area;			/* vmalloc_user(), @size bytes */
	size_t size;
	u32 slots;			/* a power of 2 */
	u32 slot_size;
	struct tun_ring_idx *rx_idx;	/* in @area */
	struct tun_ring_idx *tx_idx;
	u8 *rx_slots;
	u8 *tx_slots;
	spinlock_t rx_lock;		/* RX producers; BH context */
	u32 rx_head;			/* the RX head, under @rx_lock */
	u32 tx_tail;			/* the TX tail, @tx_work's own */
	struct tun_queue *q;		/* the file's queue: outlives us */
	struct work_struct tx_work;
};

#define TUN_RING_MIN_SLOT	64
#define TUN_RING_MAX_SLOT	(128 << 10)
#define TUN_RING_MAX_SLOTS	32768
/* where the slots begin: after the two control blocks */
#define TUN_RING_SLOTS_OFF	256
/* frames the work item hands over between looks at the scheduler */
#define TUN_RING_TX_BATCH	64

static struct tun_ring_slot *tun_ring_slot(u8 *slots, const struct tun_ring *r,
					   u32 idx)
{
	return (struct tun_ring_slot *)(slots +
					(size_t)(idx & (r->slots - 1)) *
					r->slot_size);
}

/* The space for a frame in a slot. */
static u32 tun_ring_cap(const struct tun_ring *r)
{
	return r->slot_size - sizeof(struct tun_ring_slot);
}

/*
 * xmit's hook (tun_net_xmit()): put @skb into the RX ring and consume
 * it, or return -ENOSPC for the caller to drop it and count the drop (as
 * a full ptr_ring is counted). Called under rcu_read_lock() with BH off.
 */
static int tun_ring_xmit(struct tun_dev *tun, struct tun_queue *q,
			 struct tun_ring *r, struct sk_buff *skb)
{
	struct tun_ring_idx *idx = r->rx_idx;
	struct tun_ring_slot *slot;
	struct iov_iter to;
	struct kvec kv;
	ssize_t len;
	u32 head;

	spin_lock(&r->rx_lock);
	head = r->rx_head;
	/* pairs with the reader's release of tail: its slots are free */
	if (head - smp_load_acquire(&idx->tail) >= r->slots) {
		spin_unlock(&r->rx_lock);
		return -ENOSPC;
	}
	slot = tun_ring_slot(r->rx_slots, r, head);
	kv.iov_base = slot->data;
	kv.iov_len = tun_ring_cap(r);
	iov_iter_kvec(&to, ITER_DEST, &kv, 1, kv.iov_len);
	/* the same bytes read() would give, and the same tx counters */
	len = tun_put_user(tun, skb, &to);
	if (unlikely(len < 0)) {
		spin_unlock(&r->rx_lock);
		return -ENOSPC;
	}
	WRITE_ONCE(slot->flags, len > kv.iov_len ? TUN_RING_SLOT_TRUNC : 0);
	WRITE_ONCE(slot->len, min_t(size_t, len, kv.iov_len));
	r->rx_head = ++head;
	/* the slot's contents before the head that shows them */
	smp_store_release(&idx->head, head);
	spin_unlock(&r->rx_lock);
	consume_skb(skb);

	/*
	 * Pairs with the barrier in tun_ring_poll() between setting WAIT
	 * and looking at head: either it sees our head or we see its flag.
	 */
	smp_mb();
	if (READ_ONCE(idx->flags) & TUN_RING_F_WAIT) {
		WRITE_ONCE(idx->flags, 0);
		tun_notify_readers(q);
	}
	return 0;
}

/*
 * Hand one TX slot to the write path, which queues the frame on @batch
 * where write() would deliver it at once; its errors count where
 * write()'s do.
 */
static void tun_ring_tx_one(struct tun_dev *tun, struct tun_ring *r,
			    struct tun_ring_slot *slot,
			    struct tun_rx_batch *batch)
{
	struct tun_queue *q = r->q;
	struct iov_iter from;
	struct kvec kv;
	u32 len;

	len = READ_ONCE(slot->len);
	/*
	 * A frame longer than its slot, or a queue that now builds frames
	 * from iovecs (IFF_NAPI_FRAGS, after a new TUNSETIFF), is dropped.
	 */
	if (unlikely(len > tun_ring_cap(r) || READ_ONCE(q->napi_frags))) {
		dev_core_stats_rx_dropped_inc(tun->dev);
		return;
	}
	kv.iov_base = slot->data;
	kv.iov_len = len;
	iov_iter_kvec(&from, ITER_SOURCE, &kv, 1, len);
	/*
	 * Without blocking: a work item must not wait for socket memory
	 * (TUNSETSNDBUF). What that refuses (EAGAIN) is lost, and counted.
	 */
	if (tun_get_user(tun, q, NULL, &from, true, false, batch) == -EAGAIN)
		dev_core_stats_rx_dropped_inc(tun->dev);
}

static void tun_ring_tx_work(struct work_struct *work)
{
	struct tun_ring *r = container_of(work, struct tun_ring, tx_work);
	struct tun_ring_idx *idx = r->tx_idx;
	struct wait_queue_head *wq = sk_sleep(&r->q->sk);
	struct tun_rx_batch batch;
	struct tun_dev *tun;
	u32 head, n;

	tun_rx_batch_init(&batch);
	tun = tun_get(r->q);
	/* producers need not kick while we look */
	WRITE_ONCE(idx->flags, 0);
	for (;;) {
		/* pairs with the producer's release: the slots are filled */
		head = smp_load_acquire(&idx->head);
		n = head - r->tx_tail;
		if (!n || !tun) {
			/*
			 * Going idle: say so, then look once more. Pairs with
			 * the producer's barrier between publishing head and
			 * reading the flag: it kicks, or we see its frame.
			 */
			WRITE_ONCE(idx->flags, TUN_RING_F_KICK);
			smp_mb();
			if (!tun || smp_load_acquire(&idx->head) == r->tx_tail)
				break;
			WRITE_ONCE(idx->flags, 0);
			continue;
		}
		/* a head that claims more than a full ring is not believed */
		if (unlikely(n > r->slots)) {
			net_warn_ratelimited("%s: TX ring head %u, tail %u: ring stopped\n",
					     tun->dev->name, head, r->tx_tail);
			WRITE_ONCE(idx->flags, TUN_RING_F_KICK);
			break;
		}
		n = min_t(u32, n, TUN_RING_TX_BATCH);
		while (n--) {
			tun_ring_tx_one(tun, r, tun_ring_slot(r->tx_slots, r,
							      r->tx_tail),
					&batch);
			r->tx_tail++;
		}
		/*
		 * The slots are the producer's again once tail says so: the
		 * frames were copied out of them, so they are handed back
		 * before the stack sees the frames, which it gets as one
		 * list (BHs off, under RCU: tun_rx_batch_flush()).
		 */
		smp_store_release(&idx->tail, r->tx_tail);
		tun_rx_batch_flush(tun, &batch);
		if (wq_has_sleeper(wq))
			wake_up_interruptible_poll(wq, EPOLLOUT | EPOLLWRNORM);
		cond_resched();
	}
	if (tun)
		tun_put(tun);
}

/* TUNRINGKICK: no lock, no RTNL, it is the fast path's only system call. */
static int tun_ring_kick(struct tun_queue *q)
{
	/* set once, freed only after the file's release: no lock needed */
	struct tun_ring *r = rcu_dereference_check(q->uring, true);

	if (!r)
		return -ENXIO;
	if (!rcu_access_pointer(q->tun))
		return -EBADFD;
	queue_work(system_unbound_wq, &r->tx_work);
	return 0;
}

/* poll()'s view of the rings; the caller holds a device reference. */
static __poll_t tun_ring_poll(struct tun_dev *tun, struct tun_queue *q,
			      struct tun_ring *r)
{
	__poll_t mask = 0;

	/* head is ours (rx_head), tail the reader's: a racy look will do */
	WRITE_ONCE(r->rx_idx->flags, TUN_RING_F_WAIT);
	smp_mb();
	if (smp_load_acquire(&r->rx_idx->head) !=
	    READ_ONCE(r->rx_idx->tail))
		mask |= EPOLLIN | EPOLLRDNORM;

	/* tail is the work item's, head the writer's */
	if ((tun->dev->flags & IFF_UP) &&
	    READ_ONCE(r->tx_idx->head) - smp_load_acquire(&r->tx_idx->tail) <
	    r->slots)
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

/* TUNSETRING, under RTNL on an attached file. */
static int tun_ring_setup(struct tun_dev *tun, struct tun_queue *q,
			  void __user *argp)
{
	struct tun_ring_req req;
	size_t ring_bytes;
	struct tun_ring *r;
	int err;

	ASSERT_RTNL();

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.flags || req.reserved)
		return -EINVAL;
	if (req.slots < 2 || req.slots > TUN_RING_MAX_SLOTS ||
	    !is_power_of_2(req.slots))
		return -EINVAL;
	if (req.slot_size < TUN_RING_MIN_SLOT ||
	    req.slot_size > TUN_RING_MAX_SLOT ||
	    req.slot_size % TUN_RING_MIN_SLOT)
		return -EINVAL;
	/* frames of IFF_NAPI_FRAGS are built from iovecs, which we lack */
	if (q->napi_frags)
		return -EINVAL;
	if (rtnl_dereference(q->uring))
		return -EBUSY;
	ring_bytes = (size_t)req.slots * req.slot_size;
	if (TUN_RING_SLOTS_OFF + 2 * ring_bytes > TUN_RING_MAX_BYTES)
		return -E2BIG;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->size = PAGE_ALIGN(TUN_RING_SLOTS_OFF + 2 * ring_bytes);
	r->area = vmalloc_user(r->size);	/* zeroed */
	if (!r->area) {
		err = -ENOMEM;
		goto err_free;
	}
	r->slots = req.slots;
	r->slot_size = req.slot_size;
	r->rx_idx = r->area + TUN_RING_RX_IDX;
	r->tx_idx = r->area + TUN_RING_TX_IDX;
	r->rx_slots = r->area + TUN_RING_SLOTS_OFF;
	r->tx_slots = r->rx_slots + ring_bytes;
	r->tx_idx->flags = TUN_RING_F_KICK;	/* nobody drains yet */
	spin_lock_init(&r->rx_lock);
	r->q = q;
	INIT_WORK(&r->tx_work, tun_ring_tx_work);

	req.rx_offset = TUN_RING_SLOTS_OFF;
	req.tx_offset = TUN_RING_SLOTS_OFF + ring_bytes;
	req.mmap_size = r->size;
	if (copy_to_user(argp, &req, sizeof(req))) {
		err = -EFAULT;
		goto err_vfree;
	}
	/* from here on xmit fills the ring */
	rcu_assign_pointer(q->uring, r);
	return 0;

err_vfree:
	vfree(r->area);
err_free:
	kfree(r);
	return err;
}

static int tun_ring_mmap(struct tun_queue *q, struct vm_area_struct *vma)
{
	/* set once, freed only after the file's release: no lock needed */
	struct tun_ring *r = rcu_dereference_check(q->uring, true);

	/* as a file without mmap: what the stock driver answers */
	if (!r)
		return -ENODEV;
	if (vma->vm_pgoff)
		return -EINVAL;
	/* refuses a mapping longer than the area */
	return remap_vmalloc_range(vma, r->area, 0);
}

/* The file's release, before it detaches: no more TX draining. */
static void tun_ring_stop(struct tun_queue *q)
{
	struct tun_ring *r = rcu_dereference_protected(q->uring, true);

	if (r)
		cancel_work_sync(&r->tx_work);
}

/* The file's release, after it detached: no xmit can see the ring. */
static void tun_ring_free(struct tun_queue *q)
{
	struct tun_ring *r = rcu_dereference_protected(q->uring, true);

	if (!r)
		return;
	RCU_INIT_POINTER(q->uring, NULL);
	vfree(r->area);
	kfree(r);
}
