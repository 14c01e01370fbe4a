// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun/flow.c - the flow table: which queue answers which flow, for multiqueue
 * steering.
 *
 * Part of tun.ko (tun.c).
 */

#include "tun.h"
#include "flow.h"

static struct hlist_head *tun_flow_bucket(struct tun_dev *tun, u32 hash)
{
	return &tun->flows[hash & (TUN_FLOW_BUCKETS - 1)];
}

/* RCU, or flow_lock held. */
static struct tun_flow *tun_flow_find(struct tun_dev *tun, u32 hash)
{
	struct tun_flow *f;

	hlist_for_each_entry_rcu(f, tun_flow_bucket(tun, hash), node,
				 lockdep_is_held(&tun->flow_lock))
		if (f->hash == hash)
			return f;
	return NULL;
}

static void tun_flow_remove(struct tun_dev *tun, struct tun_flow *f)
{
	lockdep_assert_held(&tun->flow_lock);
	hlist_del_rcu(&f->node);
	kfree_rcu(f, rcu);
	tun->flow_count--;
}

/*
 * The hash of a frame written to @q, to learn its flow's queue from once
 * it is delivered; 0 when nothing is to be learnt (one queue, a steering
 * program, or a disabled queue). Taken before the stack may consume @skb.
 */
static u32 tun_flow_hash_written(struct tun_dev *tun, struct tun_queue *q,
				 struct sk_buff *skb)
{
	if (READ_ONCE(tun->numqueues) <= 1 || READ_ONCE(q->disabled_on) ||
	    rcu_access_pointer(tun->steering_prog))
		return 0;
	return __skb_get_hash_symmetric(skb);
}

/*
 * The write path saw @hash written from queue @queue. A flow the stack
 * has answered is recorded for RFS too, as a socket's recvmsg() records
 * its flow: the writer, reading the answers, runs on this CPU.
 */
static void tun_flow_learn(struct tun_dev *tun, u32 hash, u16 queue)
{
	struct tun_flow *f;

	rcu_read_lock();
	f = tun_flow_find(tun, hash);
	if (f) {
		if (READ_ONCE(f->queue) != queue)
			WRITE_ONCE(f->queue, queue);
		if (READ_ONCE(f->updated) != jiffies)
			WRITE_ONCE(f->updated, jiffies);
		sock_rps_record_flow_hash(READ_ONCE(f->rps_hash));
		rcu_read_unlock();
		return;
	}
	rcu_read_unlock();

	spin_lock_bh(&tun->flow_lock);
	if (!tun_flow_find(tun, hash) && tun->flow_count < TUN_FLOW_MAX) {
		f = kmalloc(sizeof(*f), GFP_ATOMIC);
		if (f) {
			f->hash = hash;
			f->queue = queue;
			f->updated = jiffies;
			f->rps_hash = 0;
			hlist_add_head_rcu(&f->node, tun_flow_bucket(tun, hash));
			tun->flow_count++;
		}
	}
	if (!timer_pending(&tun->flow_gc))
		mod_timer(&tun->flow_gc, round_jiffies_up(jiffies +
							  TUN_FLOW_EXPIRE));
	spin_unlock_bh(&tun->flow_lock);
}

/* RCU: the stack sends a packet of @f's flow, of hash @hash. */
static void tun_flow_sent(struct tun_flow *f, u32 hash)
{
	if (READ_ONCE(f->rps_hash) != hash)
		WRITE_ONCE(f->rps_hash, hash);
}

/*
 * RCU, from xmit: with one queue the stack does not ask us to select one
 * (tun_net_select_queue() would note the flow), so note it here, when
 * RPS is in use at all and no steering program replaces the flows.
 */
static void tun_flow_sent_one_queue(struct tun_dev *tun, struct sk_buff *skb)
{
#ifdef CONFIG_RPS
	struct tun_flow *f;
	u32 hash;

	if (READ_ONCE(tun->numqueues) != 1 ||
	    !static_branch_unlikely(&rps_needed) ||
	    rcu_access_pointer(tun->steering_prog))
		return;
	hash = __skb_get_hash_symmetric(skb);
	f = tun_flow_find(tun, hash);
	if (f)
		tun_flow_sent(f, hash);
#endif
}

static void tun_flow_gc(struct timer_list *t)
{
	struct tun_dev *tun = from_timer(tun, t, flow_gc);
	unsigned long next = jiffies + TUN_FLOW_EXPIRE;
	struct tun_flow *f;
	struct hlist_node *tmp;
	unsigned int i;

	spin_lock(&tun->flow_lock);
	for (i = 0; i < TUN_FLOW_BUCKETS; i++) {
		hlist_for_each_entry_safe(f, tmp, &tun->flows[i], node) {
			unsigned long expires = READ_ONCE(f->updated) +
						TUN_FLOW_EXPIRE;

			if (time_before_eq(expires, jiffies))
				tun_flow_remove(tun, f);
			else if (time_before(expires, next))
				next = expires;
		}
	}
	if (tun->flow_count)
		mod_timer(&tun->flow_gc, round_jiffies_up(next));
	spin_unlock(&tun->flow_lock);
}

/* When nobody can look any more: the device is being freed. */
static void tun_flow_flush(struct tun_dev *tun)
{
	struct tun_flow *f;
	struct hlist_node *tmp;
	unsigned int i;

	del_timer_sync(&tun->flow_gc);
	spin_lock_bh(&tun->flow_lock);
	for (i = 0; i < TUN_FLOW_BUCKETS; i++)
		hlist_for_each_entry_safe(f, tmp, &tun->flows[i], node)
			tun_flow_remove(tun, f);
	spin_unlock_bh(&tun->flow_lock);
}
