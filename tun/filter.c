// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun/filter.c - the filters: the tap MAC filter, the socket filter, and
 * the eBPF filter and steering programs.
 *
 * Part of tun.ko (tun.c).
 */

#include "tun.h"
#include "filter.h"

static int tun_mac_hash(const u8 *addr)
{
	return ether_crc(ETH_ALEN, addr) >> 26;
}

/* Called from xmit: true if the frame may go to the reader. */
static bool tun_txfilter_pass(const struct tun_txfilter *flt,
			      const struct sk_buff *skb)
{
	/* the MAC header is at skb->data here, eth_hdr() is not set yet */
	const struct ethhdr *eh = (const struct ethhdr *)skb->data;
	unsigned int i, n = smp_load_acquire(&flt->count);
	int bit;

	if (!n)
		return true;
	for (i = 0; i < n; i++)
		if (ether_addr_equal(eh->h_dest, flt->addr[i]))
			return true;
	if (!is_multicast_ether_addr(eh->h_dest))
		return false;
	bit = tun_mac_hash(eh->h_dest);
	return flt->mask[bit >> 5] & (1U << (bit & 31));
}

/*
 * TUNSETTXFILTER: the first TUN_FLT_EXACT addresses match exactly, the
 * rest must be multicast and go into the hash. A unicast address that
 * does not fit leaves the filter off. Returns the number of exact ones.
 */
static int tun_txfilter_set(struct tun_txfilter *flt, void __user *arg)
{
	struct tun_filter uf;
	u8 (*addr)[ETH_ALEN];
	unsigned int n, exact;
	int ret;

	if (copy_from_user(&uf, arg, sizeof(uf)))
		return -EFAULT;
	if (!uf.count) {
		WRITE_ONCE(flt->count, 0);
		return 0;
	}

	addr = memdup_user(arg + sizeof(uf), (size_t)uf.count * ETH_ALEN);
	if (IS_ERR(addr))
		return PTR_ERR(addr);

	WRITE_ONCE(flt->count, 0);
	smp_wmb();	/* xmit sees the filter off before it changes */

	exact = min_t(unsigned int, uf.count, TUN_FLT_EXACT);
	for (n = 0; n < exact; n++)
		ether_addr_copy(flt->addr[n], addr[n]);

	memset(flt->mask, 0, sizeof(flt->mask));
	ret = 0;
	for (; n < uf.count; n++) {
		int bit;

		if (!is_multicast_ether_addr(addr[n]))
			goto out_free;	/* stays off */
		bit = tun_mac_hash(addr[n]);
		flt->mask[bit >> 5] |= 1U << (bit & 31);
	}
	if (uf.flags & TUN_FLT_ALLMULTI)
		memset(flt->mask, 0xff, sizeof(flt->mask));

	smp_store_release(&flt->count, exact);
	ret = exact;
out_free:
	kfree(addr);
	return ret;
}

/* TUNATTACHFILTER's classic BPF, on every attached queue's socket. */
static void tun_sockfilter_detach(struct tun_dev *tun, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct tun_queue *q = rtnl_dereference(tun->queues[i]);

		lock_sock(&q->sk);
		sk_detach_filter(&q->sk);
		release_sock(&q->sk);
	}
	tun->filter_attached = false;
}

static int tun_sockfilter_attach(struct tun_dev *tun)
{
	unsigned int i;
	int err;

	for (i = 0; i < tun->numqueues; i++) {
		struct tun_queue *q = rtnl_dereference(tun->queues[i]);

		lock_sock(&q->sk);
		err = sk_attach_filter(&tun->fprog, &q->sk);
		release_sock(&q->sk);
		if (err) {
			tun_sockfilter_detach(tun, i);
			return err;
		}
	}
	tun->filter_attached = true;
	return 0;
}

static void tun_prog_free(struct rcu_head *rcu)
{
	struct tun_prog *p = container_of(rcu, struct tun_prog, rcu);

	bpf_prog_destroy(p->prog);
	kfree(p);
}

/*
 * Install @prog (NULL: remove) in @slot; the old one goes after a grace
 * period.
 */
static int tun_set_prog(struct tun_dev *tun, struct tun_prog __rcu **slot,
			struct bpf_prog *prog)
{
	struct tun_prog *old, *new = NULL;

	if (prog) {
		new = kmalloc(sizeof(*new), GFP_KERNEL);
		if (!new) {
			bpf_prog_put(prog);
			return -ENOMEM;
		}
		new->prog = prog;
	}

	spin_lock_bh(&tun->lock);
	old = rcu_dereference_protected(*slot, lockdep_is_held(&tun->lock));
	rcu_assign_pointer(*slot, new);
	spin_unlock_bh(&tun->lock);

	if (old)
		call_rcu(&old->rcu, tun_prog_free);
	return 0;
}

/* TUNSETSTEERINGEBPF/TUNSETFILTEREBPF: an fd, or -1 to remove. */
static int tun_set_prog_user(struct tun_dev *tun, struct tun_prog __rcu **slot,
			     void __user *arg)
{
	struct bpf_prog *prog = NULL;
	int fd;

	if (copy_from_user(&fd, arg, sizeof(fd)))
		return -EFAULT;
	if (fd != -1) {
		prog = bpf_prog_get_type(fd, BPF_PROG_TYPE_SOCKET_FILTER);
		if (IS_ERR(prog))
			return PTR_ERR(prog);
	}
	return tun_set_prog(tun, slot, prog);
}

/* The filter program's verdict: how much of the frame to keep (0: drop). */
static unsigned int tun_run_filter_prog(struct tun_dev *tun,
					struct sk_buff *skb)
{
	struct tun_prog *p = rcu_dereference(tun->filter_prog);

	return p ? bpf_prog_run_clear_cb(p->prog, skb) : skb->len;
}
