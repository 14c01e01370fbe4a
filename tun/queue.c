// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun/queue.c - attaching files to devices and letting go: the queue
 * lifecycle, its NAPI context, and device teardown.
 *
 * Part of tun.ko (tun.c).
 */

#include "../include/tun_compat.h"
#include "tun.h"
#include "queue.h"

/*
 * Owner and group (TUNSETOWNER/TUNSETGROUP) let a user without
 * CAP_NET_ADMIN attach to a device: each one that is set must match.
 * Whether a device with neither set is open to everyone depends on the
 * kernel series (tun_compat.h). The capability is checked last, only when
 * owner and group do not let the caller in: a check is audited when an
 * LSM refuses it, and one the attach does not need must not be made.
 */
static bool tun_may_attach(const struct tun_dev *tun)
{
	const struct cred *cred = current_cred();
	bool owned = uid_valid(tun->owner) || gid_valid(tun->group);

	if ((!uid_valid(tun->owner) || uid_eq(cred->euid, tun->owner)) &&
	    (!gid_valid(tun->group) || in_egroup_p(tun->group)) &&
	    (owned || TUN_COMPAT_UNOWNED_IS_OPEN))
		return true;
	return ns_capable(dev_net(tun->dev)->user_ns, CAP_NET_ADMIN);
}

/* IFF_NAPI: hand what writers queued to GRO, up to the budget. */
static int tun_napi_poll(struct napi_struct *napi, int budget)
{
	struct tun_queue *q = container_of(napi, struct tun_queue, napi);
	struct sk_buff_head *wq = &q->sk.sk_write_queue;
	struct sk_buff_head batch;
	struct sk_buff *skb;
	int done = 0;

	__skb_queue_head_init(&batch);
	spin_lock(&wq->lock);
	skb_queue_splice_tail_init(wq, &batch);
	spin_unlock(&wq->lock);

	while (done < budget && (skb = __skb_dequeue(&batch))) {
		napi_gro_receive(napi, skb);
		done++;
	}
	if (!skb_queue_empty(&batch)) {
		/* over budget: the rest goes back in front, in order */
		spin_lock(&wq->lock);
		skb_queue_splice(&batch, wq);
		spin_unlock(&wq->lock);
	}
	if (done < budget)
		napi_complete_done(napi, done);
	return done;
}

static void tun_napi_setup(struct tun_dev *tun, struct tun_queue *q,
			   bool napi, bool frags)
{
	q->napi_on = napi;
	q->napi_frags = napi && frags;
	if (napi) {
		netif_napi_add_tx(tun->dev, &q->napi, tun_napi_poll);
		napi_enable(&q->napi);
	}
}

/*
 * Everything that can fail, done before the queue becomes visible: the
 * LSM's verdict and a ring sized for the device's txqueuelen.
 */
static int tun_queue_prepare(struct tun_dev *tun, struct tun_queue *q,
			     bool skip_filter)
{
	int err;

	ASSERT_RTNL();

	err = security_tun_dev_attach(&q->sk, tun->security);
	if (err < 0)
		return err;
	if (rtnl_dereference(q->tun) && !q->disabled_on)
		return -EINVAL;
	if (!(tun->flags & IFF_MULTI_QUEUE) && tun->numqueues == 1)
		return -EBUSY;
	if (!q->disabled_on &&
	    tun->numqueues + tun->numdisabled == TUN_MAX_QUEUES)
		return -E2BIG;

	/* a persistent device's filter follows it to each new file */
	if (tun->filter_attached && !skip_filter) {
		lock_sock(&q->sk);
		err = sk_attach_filter(&tun->fprog, &q->sk);
		release_sock(&q->sk);
		if (err)
			return err;
	}

	/* a disabled queue kept its ring and its XDP registration */
	if (q->disabled_on)
		return 0;
	if (ptr_ring_resize(&q->ring, tun->dev->tx_queue_len, GFP_KERNEL,
			    tun_ptr_free))
		return -ENOMEM;
	err = xdp_rxq_info_reg(&q->xdp_rxq, tun->dev, tun->numqueues, 0);
	if (err < 0)
		return err;
	err = xdp_rxq_info_reg_mem_model(&q->xdp_rxq, MEM_TYPE_PAGE_SHARED,
					 NULL);
	if (err < 0) {
		xdp_rxq_info_unreg(&q->xdp_rxq);
		return err;
	}
	return 0;
}

static void tun_update_real_queues(struct tun_dev *tun)
{
	/* 0 is refused by the core and leaves the old count: harmless */
	netif_set_real_num_tx_queues(tun->dev, tun->numqueues);
	netif_set_real_num_rx_queues(tun->dev, tun->numqueues);
}

/*
 * Cannot fail: enable @q on @tun, either newly attached or re-enabled
 * from the disabled list. The caller publishes q->tun once the device is
 * usable.
 */
static void tun_queue_link(struct tun_dev *tun, struct tun_queue *q,
			   bool napi, bool frags)
{
	ASSERT_RTNL();

	if (q->disabled_on) {
		list_del_init(&q->disabled_node);
		tun->numdisabled--;
		q->disabled_on = NULL;
		if (q->napi_on)
			napi_enable(&q->napi);
	} else {
		sock_hold(&q->sk);	/* the device's reference */
		tun_napi_setup(tun, q, napi, frags);
	}
	q->sk.sk_shutdown &= ~RCV_SHUTDOWN;
	q->index = tun->numqueues;
	q->xdp_rxq.queue_index = q->index;
	if (rtnl_dereference(tun->xdp_prog))
		sock_set_flag(&q->sk, SOCK_XDP);
	rcu_assign_pointer(tun->queues[q->index], q);
	tun->numqueues++;
	tun_update_real_queues(tun);
}

/* Remove @q from the device; RTNL held. Returns true if it was attached. */
static bool tun_queue_unlink(struct tun_dev *tun, struct tun_queue *q)
{
	unsigned int last = tun->numqueues - 1;
	struct tun_queue *moved;

	ASSERT_RTNL();

	if (rtnl_dereference(tun->queues[q->index]) != q)
		return false;

	/* keep queues[] dense: the last queue takes the freed slot */
	moved = rtnl_dereference(tun->queues[last]);
	rcu_assign_pointer(tun->queues[q->index], moved);
	moved->index = q->index;
	moved->xdp_rxq.queue_index = q->index;
	RCU_INIT_POINTER(tun->queues[last], NULL);
	tun->numqueues--;
	tun_update_real_queues(tun);
	return true;
}

/*
 * TUNSETQUEUE/IFF_DETACH_QUEUE: stop delivering to @q but keep it bound,
 * so that IFF_ATTACH_QUEUE can bring it back. What it had queued is lost.
 */
static void tun_queue_disable(struct tun_dev *tun, struct tun_queue *q)
{
	tun_queue_unlink(tun, q);
	if (q->napi_on)
		napi_disable(&q->napi);
	q->disabled_on = tun;
	list_add_tail(&q->disabled_node, &tun->disabled);
	tun->numdisabled++;
	synchronize_net();	/* no xmit sees q any more */
	tun_queue_purge(q);
}

/* What attaching set up and only leaving the device undoes. */
static void tun_queue_release(struct tun_queue *q)
{
	if (q->napi_on) {
		netif_napi_del(&q->napi);
		q->napi_on = false;
	}
	xdp_rxq_info_unreg(&q->xdp_rxq);
}

/* Wake anyone blocked on @q and make further blocking reads fail. */
static void tun_queue_shutdown(struct tun_queue *q)
{
	q->sk.sk_shutdown |= RCV_SHUTDOWN;
	q->sk.sk_data_ready(&q->sk);
}

/*
 * The file is going away, or being unbound from its device: detach it,
 * and delete the device if it was its last queue and not persistent.
 */
static void tun_detach(struct tun_queue *q)
{
	struct tun_dev *tun;

	rtnl_lock();
	tun = rtnl_dereference(q->tun);
	if (!tun)
		goto out_unlock;

	/* a disabled queue's NAPI is disabled already */
	if (q->napi_on && !q->disabled_on)
		napi_disable(&q->napi);
	tun_queue_release(q);
	if (q->disabled_on) {
		list_del_init(&q->disabled_node);
		tun->numdisabled--;
		q->disabled_on = NULL;
	} else {
		tun_queue_unlink(tun, q);
	}
	synchronize_net();	/* no xmit, no NAPI poller sees q any more */
	tun_queue_purge(q);
	RCU_INIT_POINTER(q->tun, NULL);
	sock_put(&q->sk);		/* the device's reference */

	if (!tun->numqueues && !tun->numdisabled) {
		netif_carrier_off(tun->dev);
		if (!(tun->flags & IFF_PERSIST) &&
		    tun->dev->reg_state == NETREG_REGISTERED)
			unregister_netdevice(tun->dev);
	}
	if (tun->dev->reg_state == NETREG_REGISTERED)
		netdev_state_change(tun->dev);
out_unlock:
	rtnl_unlock();
}

/*
 * The device is being unregistered: let go of every queue. The device is
 * closed by now, so xmit no longer runs; readers and writers may still
 * hold the device (tun_get()) and are woken to find it gone.
 */
static void tun_detach_all(struct tun_dev *tun)
{
	unsigned int i, n = tun->numqueues;
	struct tun_queue *q, *tmp;

	ASSERT_RTNL();

	for (i = 0; i < n; i++) {
		q = rtnl_dereference(tun->queues[i]);
		if (q->napi_on)
			napi_disable(&q->napi);
		RCU_INIT_POINTER(q->tun, NULL);
		tun_queue_shutdown(q);
	}
	list_for_each_entry(q, &tun->disabled, disabled_node) {
		RCU_INIT_POINTER(q->tun, NULL);
		tun_queue_shutdown(q);
	}
	synchronize_net();

	for (i = 0; i < n; i++) {
		q = rtnl_dereference(tun->queues[i]);
		RCU_INIT_POINTER(tun->queues[i], NULL);
		tun_queue_release(q);
		tun_queue_purge(q);
		sock_put(&q->sk);	/* the device's reference */
	}
	tun->numqueues = 0;
	list_for_each_entry_safe(q, tmp, &tun->disabled, disabled_node) {
		list_del_init(&q->disabled_node);
		q->disabled_on = NULL;
		tun_queue_release(q);
		tun_queue_purge(q);
		sock_put(&q->sk);	/* the device's reference */
	}
	tun->numdisabled = 0;

	/* the reference TUNSETPERSIST took; see tun_set_persist() */
	if (tun->flags & IFF_PERSIST)
		module_put(THIS_MODULE);
}
