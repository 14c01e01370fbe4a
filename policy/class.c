// SPDX-License-Identifier: GPL-2.0-only
/*
 * policy/class.c - the class table: longest-prefix match with weak TOS and
 * metric, RCU readers, one writer at a time. policy/class.h describes the
 * structure and its locking.
 *
 * Part of tun_policy.ko (tun_policy.c).
 * tests/policy/class_table.c also builds it in user space, against
 * tests/policy/kshim.h: use nothing from the kernel that the shim lacks.
 */
#ifdef __KERNEL__
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/lockdep.h>
#include <linux/printk.h>
#include <linux/slab.h>
#endif

#include "class.h"

/*
 * A pre-order walk keeps, per vertex on the current path, at most one
 * sibling still to visit, plus the vertex it is about to visit: 33 + 1.
 * That holds for readers racing with writers too, since every child
 * pointer leads to a longer prefix at any time.
 */
#define TPOL_STACK	34

#define deref_w(c, p)	rcu_dereference_protected(p, lockdep_is_held((c)->lock))
#define deref_r(c, p)	rcu_dereference_check(p, lockdep_is_held((c)->lock))

/* The netmask of a prefix length, in host order. */
static inline u32 tpol_pmask(u8 len)
{
	return len ? ~0U << (32 - len) : 0;
}

/* Bit number @i of @k, counting from the most significant (0..31). */
static inline unsigned int tpol_kbit(u32 k, u8 i)
{
	return (k >> (31 - i)) & 1;
}

static inline bool tpol_covers(const struct tpol_pnode *p, u32 k)
{
	return !((k ^ p->key) & tpol_pmask(p->len));
}

/* How many leading bits @a and @b share, at most @max. */
static u8 tpol_common_len(u32 a, u32 b, u8 max)
{
	unsigned int n = 32 - fls(a ^ b);

	return n < max ? n : max;
}

/* tos 0 matches any packet, so it is tried last. */
static inline unsigned int tpol_tos_rank(u8 tos)
{
	return tos ? tos : 256;
}

/* Lookup order within one prefix; 0 for the same key. */
static int tpol_rt_order(const struct tpol_route *a, const struct tpol_route *b)
{
	unsigned int ta = tpol_tos_rank(a->tos), tb = tpol_tos_rank(b->tos);

	if (ta != tb)
		return ta < tb ? -1 : 1;
	if (a->metric != b->metric)
		return a->metric < b->metric ? -1 : 1;
	return 0;
}

/* Dump order; 0 for the same key. */
static int tpol_rt_cmp(const struct tpol_route *a, const struct tpol_route *b)
{
	u32 ka = be32_to_cpu(a->dst), kb = be32_to_cpu(b->dst);

	if (ka != kb)
		return ka < kb ? -1 : 1;
	if (a->dst_len != b->dst_len)
		return a->dst_len < b->dst_len ? -1 : 1;
	return tpol_rt_order(a, b);
}

static bool tpol_valid_prefix(__be32 dst, u8 len)
{
	return len <= 32 && !(be32_to_cpu(dst) & ~tpol_pmask(len));
}

static bool tpol_valid_route(const struct tpol_route *rt)
{
	if (!tpol_valid_prefix(rt->dst, rt->dst_len) || rt->oif < 0)
		return false;
	switch (rt->type) {
	case TPOL_ROUTE_UNICAST:
		return rt->gw || rt->oif;
	case TPOL_ROUTE_REJECT:
	case TPOL_ROUTE_THROW:
		return !rt->gw && !rt->oif;
	}
	return false;
}

static bool tpol_rt_match(const struct tpol_route *rt,
			  const struct tpol_route *want, unsigned int match)
{
	if ((match & TPOL_MATCH_TOS) && rt->tos != want->tos)
		return false;
	if ((match & TPOL_MATCH_METRIC) && rt->metric != want->metric)
		return false;
	if ((match & TPOL_MATCH_GW) && rt->gw != want->gw)
		return false;
	if ((match & TPOL_MATCH_OIF) && rt->oif != want->oif)
		return false;
	if ((match & TPOL_MATCH_TYPE) && rt->type != want->type)
		return false;
	return true;
}

static void tpol_changed(struct tpol_class *c, unsigned int count)
{
	WRITE_ONCE(c->count, count);
	WRITE_ONCE(c->gen, c->gen + 1);
}

void tpol_class_init(struct tpol_class *c, struct mutex *lock)
{
	RCU_INIT_POINTER(c->root, NULL);
	RCU_INIT_POINTER(c->jump, NULL);
	c->lock = lock;
	c->count = 0;
	c->gen = 0;
}

/* The first key of block @i of the jump table. */
static inline u32 tpol_block_key(unsigned int i)
{
	return (u32)i << (32 - TPOL_JUMP_BITS);
}

/*
 * Where the walk for the keys of the block of @k, arrived at @p, reaches
 * its first vertex of TPOL_JUMP_BITS bits or more (struct tpol_jump).
 * Above that length a vertex's covering and its child depend only on the
 * block, not on the rest of the key.
 */
static struct tpol_pnode *tpol_jump_target(struct tpol_class *c,
					   struct tpol_pnode *p, u32 k)
{
	while (p && p->len < TPOL_JUMP_BITS && tpol_covers(p, k))
		p = deref_w(c, p->child[tpol_kbit(k, p->len)]);
	return p && p->len >= TPOL_JUMP_BITS ? p : NULL;
}

/*
 * The link below @up towards @key (the root link for a NULL @up) has
 * changed: re-points the entries of the blocks whose walks go through
 * it. A link below a vertex of TPOL_JUMP_BITS bits or more is behind
 * every entry. Called after the change is published and before what it
 * unlinked is queued for freeing (see class.h).
 */
static void tpol_jump_fix(struct tpol_class *c, struct tpol_pnode *up, u32 key)
{
	struct tpol_jump *j = deref_w(c, c->jump);
	struct tpol_pnode __rcu **slot = &c->root;
	unsigned int i, first, n;
	struct tpol_pnode *top;
	u8 len = 0;

	if (!j || (up && up->len >= TPOL_JUMP_BITS))
		return;
	if (up) {
		slot = &up->child[tpol_kbit(key, up->len)];
		len = up->len + 1;
	}
	top = deref_w(c, *slot);
	first = (key & tpol_pmask(len)) >> (32 - TPOL_JUMP_BITS);
	n = 1U << (TPOL_JUMP_BITS - len);
	for (i = first; i < first + n; i++)
		rcu_assign_pointer(j->v[i],
				   tpol_jump_target(c, top, tpol_block_key(i)));
}

/*
 * Gives a class that has grown to TPOL_JUMP_MIN routes its jump table,
 * complete before it is published. Without memory for it the class goes
 * on without one (the next add tries again): it is only a shortcut.
 */
static void tpol_jump_build(struct tpol_class *c)
{
	struct tpol_pnode *root = deref_w(c, c->root);
	struct tpol_jump *j;
	unsigned int i;

	if (c->count < TPOL_JUMP_MIN || rcu_access_pointer(c->jump))
		return;
	/* No warning: failing here is harmless, and the next add retries. */
	j = kvzalloc(sizeof(*j), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!j)
		return;
	for (i = 0; i < ARRAY_SIZE(j->v); i++)
		RCU_INIT_POINTER(j->v[i],
				 tpol_jump_target(c, root, tpol_block_key(i)));
	rcu_assign_pointer(c->jump, j);
}

/* Unpublishes the jump table, before any vertex it names is freed. */
static void tpol_jump_drop(struct tpol_class *c)
{
	struct tpol_jump *j = deref_w(c, c->jump);

	if (!j)
		return;
	RCU_INIT_POINTER(c->jump, NULL);
	kvfree_rcu(j, rcu);
}

/*
 * Descends to the prefix @key/@len. Returns its vertex, or NULL with
 * *@slotp the link where a vertex for it would go (empty, or holding a
 * vertex that is not a prefix of @key/@len) and *@upp the vertex owning
 * that link (NULL for the root).
 */
static struct tpol_pnode *tpol_descend(struct tpol_class *c, u32 key, u8 len,
				       struct tpol_pnode __rcu ***slotp,
				       struct tpol_pnode **upp)
{
	struct tpol_pnode __rcu **slot = &c->root;
	struct tpol_pnode *up = NULL, *p;

	while ((p = deref_w(c, *slot))) {
		if (p->len > len || !tpol_covers(p, key))
			break;
		if (p->len == len)
			return p;
		up = p;
		slot = &p->child[tpol_kbit(key, p->len)];
	}
	*slotp = slot;
	*upp = up;
	return NULL;
}

/*
 * Hangs a new vertex for @key/@len, holding @rn, at @slot below @up. The
 * vertex already there, if any, either extends the new prefix and goes
 * below it, or parts from it at some bit, and then a branch vertex for
 * their common prefix takes the slot with both below. Everything new is
 * complete before the one store that publishes it.
 */
static int tpol_link_prefix(struct tpol_class *c, u32 key, u8 len,
			    struct tpol_rnode *rn, struct tpol_pnode __rcu **slot,
			    struct tpol_pnode *up)
{
	struct tpol_pnode *down = deref_w(c, *slot), *p, *b;
	u8 common;

	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return -ENOMEM;
	p->key = key;
	p->len = len;
	RCU_INIT_POINTER(p->routes, rn);

	if (!down) {
		p->parent = up;
		rcu_assign_pointer(*slot, p);
		tpol_jump_fix(c, up, key);
		return 0;
	}

	/*
	 * tpol_descend() stopped at down: either down->len > len, or down does
	 * not cover key, and then they share fewer than down->len bits.
	 */
	common = tpol_common_len(key, down->key, len);
	if (common == len) {
		RCU_INIT_POINTER(p->child[tpol_kbit(down->key, len)], down);
		p->parent = up;
		down->parent = p;
		rcu_assign_pointer(*slot, p);
		tpol_jump_fix(c, up, key);
		return 0;
	}

	b = kzalloc(sizeof(*b), GFP_KERNEL_ACCOUNT);
	if (!b) {
		kfree(p);
		return -ENOMEM;
	}
	b->key = key & tpol_pmask(common);
	b->len = common;
	RCU_INIT_POINTER(b->child[tpol_kbit(key, common)], p);
	RCU_INIT_POINTER(b->child[tpol_kbit(down->key, common)], down);
	b->parent = up;
	p->parent = b;
	down->parent = b;
	rcu_assign_pointer(*slot, b);
	tpol_jump_fix(c, up, key);
	return 0;
}

int tpol_class_add(struct tpol_class *c, const struct tpol_route *rt)
{
	struct tpol_rnode __rcu **link = NULL;
	struct tpol_rnode *rn, *cur = NULL;
	/*
	 * tpol_descend() sets slot and up whenever it returns NULL, the only
	 * case that uses them; gcc cannot always see that (-Wmaybe-
	 * uninitialized in the user-space builds), hence the NULLs.
	 */
	struct tpol_pnode __rcu **slot = NULL;
	struct tpol_pnode *p, *up = NULL;
	u32 key = be32_to_cpu(rt->dst);
	int err, d;

	lockdep_assert_held(c->lock);
	if (!tpol_valid_route(rt))
		return -EINVAL;

	p = tpol_descend(c, key, rt->dst_len, &slot, &up);
	if (p) {
		link = &p->routes;
		while ((cur = deref_w(c, *link))) {
			d = tpol_rt_order(&cur->rt, rt);
			if (!d)
				return -EEXIST;
			if (d > 0)
				break;
			link = &cur->next;
		}
	}

	rn = kzalloc(sizeof(*rn), GFP_KERNEL_ACCOUNT);
	if (!rn)
		return -ENOMEM;
	rn->rt = *rt;

	if (p) {
		RCU_INIT_POINTER(rn->next, cur);
		rcu_assign_pointer(*link, rn);
	} else {
		err = tpol_link_prefix(c, key, rt->dst_len, rn, slot, up);
		if (err) {
			kfree(rn);
			return err;
		}
	}
	tpol_changed(c, c->count + 1);
	tpol_jump_build(c);
	return 0;
}

static struct tpol_pnode __rcu **tpol_slot_of(struct tpol_class *c,
					      struct tpol_pnode *p)
{
	struct tpol_pnode *up = p->parent;

	return up ? &up->child[tpol_kbit(p->key, up->len)] : &c->root;
}

/*
 * Puts @by (a child of @p, or NULL) where @p hangs, and re-points the
 * jump entries that named @p: the caller frees @p next.
 */
static void tpol_replace(struct tpol_class *c, struct tpol_pnode *p,
			 struct tpol_pnode *by)
{
	struct tpol_pnode __rcu **slot = tpol_slot_of(c, p);

	if (by)
		by->parent = p->parent;
	rcu_assign_pointer(*slot, by);
	tpol_jump_fix(c, p->parent, p->key);
}

/*
 * @p has lost its last route. With two children it stays, as a branch
 * vertex; otherwise its child (if any) takes its place. A leaf's removal
 * can leave its parent a branch vertex with one child, which goes too.
 * Readers still on a removed vertex keep its child pointers until the
 * grace period ends.
 */
static void tpol_prune(struct tpol_class *c, struct tpol_pnode *p)
{
	struct tpol_pnode *c0 = deref_w(c, p->child[0]);
	struct tpol_pnode *c1 = deref_w(c, p->child[1]);
	struct tpol_pnode *up = p->parent, *other;

	if (c0 && c1)
		return;
	tpol_replace(c, p, c0 ? c0 : c1);
	kfree_rcu(p, rcu);
	if (c0 || c1 || !up || rcu_access_pointer(up->routes))
		return;
	other = deref_w(c, up->child[0]);
	if (!other)
		other = deref_w(c, up->child[1]);
	tpol_replace(c, up, other);
	kfree_rcu(up, rcu);
}

int tpol_class_del(struct tpol_class *c, const struct tpol_route *rt,
		   unsigned int match, struct tpol_route *old)
{
	struct tpol_pnode __rcu **slot;
	struct tpol_rnode __rcu **link;
	struct tpol_pnode *p, *up;
	struct tpol_rnode *cur;

	lockdep_assert_held(c->lock);
	if (!tpol_valid_prefix(rt->dst, rt->dst_len))
		return -EINVAL;

	p = tpol_descend(c, be32_to_cpu(rt->dst), rt->dst_len, &slot, &up);
	if (!p)
		return -ESRCH;
	link = &p->routes;
	while ((cur = deref_w(c, *link)) && !tpol_rt_match(&cur->rt, rt, match))
		link = &cur->next;
	if (!cur)
		return -ESRCH;

	rcu_assign_pointer(*link, deref_w(c, cur->next));
	if (old)
		*old = cur->rt;
	kfree_rcu(cur, rcu);
	if (!rcu_access_pointer(p->routes))
		tpol_prune(c, p);
	tpol_changed(c, c->count - 1);
	if (!c->count)
		tpol_jump_drop(c);
	return 0;
}

static bool tpol_push(struct tpol_pnode **stack, unsigned int *n,
		      struct tpol_pnode *p)
{
	if (!p)
		return true;
	if (WARN_ON_ONCE(*n >= TPOL_STACK))
		return false;
	stack[(*n)++] = p;
	return true;
}

void tpol_class_flush(struct tpol_class *c)
{
	struct tpol_pnode *stack[TPOL_STACK], *p;
	struct tpol_rnode *rn, *next;
	unsigned int n = 0;

	lockdep_assert_held(c->lock);
	tpol_jump_drop(c);
	p = deref_w(c, c->root);
	if (!p)
		return;
	RCU_INIT_POINTER(c->root, NULL);
	tpol_push(stack, &n, p);
	while (n) {
		p = stack[--n];
		/*
		 * Take everything needed from p before it is queued: we are
		 * no RCU reader, the grace period may end at once.
		 */
		tpol_push(stack, &n, deref_w(c, p->child[1]));
		tpol_push(stack, &n, deref_w(c, p->child[0]));
		for (rn = deref_w(c, p->routes); rn; rn = next) {
			next = deref_w(c, rn->next);
			kfree_rcu(rn, rcu);
		}
		kfree_rcu(p, rcu);
	}
	tpol_changed(c, 0);
}

/* The walk of tpol_class_lookup(), from @p down. */
static const struct tpol_route *tpol_walk_from(const struct tpol_class *c,
					       const struct tpol_pnode *p, u32 k,
					       u8 tos)
{
	const struct tpol_route *best = NULL;
	const struct tpol_rnode *rn;

	/*
	 * Down the covering prefixes, shortest first: a longer one with a
	 * route for this tos overrides what a shorter one offered (rule 2),
	 * and one without leaves it (the fall-back of rule 3). Within a
	 * prefix, the list order makes the first fit the answer to rules
	 * 3 and 4.
	 */
	while (p && tpol_covers(p, k)) {
		for (rn = deref_r(c, p->routes); rn; rn = deref_r(c, rn->next)) {
			if (!rn->rt.tos || rn->rt.tos == tos) {
				best = &rn->rt;
				break;
			}
		}
		if (p->len == 32)
			break;
		p = deref_r(c, p->child[tpol_kbit(k, p->len)]);
	}
	return best;
}

const struct tpol_route *tpol_class_lookup(const struct tpol_class *c,
					   __be32 daddr, u8 tos)
{
	const struct tpol_jump *j = deref_r(c, c->jump);
	const struct tpol_route *best;
	u32 k = be32_to_cpu(daddr);

	/*
	 * A route found below the block's entry is longer than any the
	 * shortcut skipped, so it wins; with none, the skipped top of the
	 * trie may still have one.
	 */
	if (j) {
		best = tpol_walk_from(c, deref_r(c, j->v[k >> (32 - TPOL_JUMP_BITS)]),
				      k, tos);
		if (best)
			return best;
	}
	return tpol_walk_from(c, deref_r(c, c->root), k, tos);
}

int tpol_class_walk(const struct tpol_class *c, const struct tpol_route *after,
		    tpol_class_walk_fn fn, void *arg)
{
	struct tpol_pnode *stack[TPOL_STACK];
	const struct tpol_pnode *p;
	const struct tpol_rnode *rn;
	u32 from = after ? be32_to_cpu(after->dst) : 0;
	unsigned int n = 0;
	int ret;

	tpol_push(stack, &n, deref_r(c, c->root));
	while (n) {
		p = stack[--n];
		/* Every address below p precedes @after's: skip it all. */
		if (after && (p->key | ~tpol_pmask(p->len)) < from)
			continue;
		for (rn = deref_r(c, p->routes); rn; rn = deref_r(c, rn->next)) {
			if (after && tpol_rt_cmp(&rn->rt, after) <= 0)
				continue;
			ret = fn(&rn->rt, arg);
			if (ret)
				return ret;
		}
		/* child[0] holds the lower addresses: it goes first. */
		if (!tpol_push(stack, &n, deref_r(c, p->child[1])) ||
		    !tpol_push(stack, &n, deref_r(c, p->child[0])))
			return -EFAULT;
	}
	return 0;
}

#ifdef TPOL_DEBUG
static int tpol_check_vertex(const struct tpol_class *c,
			     const struct tpol_pnode *p, unsigned int *routes)
{
	const struct tpol_rnode *rn, *prev = NULL;
	const struct tpol_pnode *q;
	unsigned int b;

	if (p->len > 32 || (p->key & ~tpol_pmask(p->len))) {
		pr_err("class check: vertex %08x/%u malformed\n", p->key, p->len);
		return -EINVAL;
	}
	for (b = 0; b < 2; b++) {
		q = deref_r(c, p->child[b]);
		if (!q)
			continue;
		if (q->parent != p || q->len <= p->len || !tpol_covers(p, q->key) ||
		    tpol_kbit(q->key, p->len) != b) {
			pr_err("class check: %08x/%u is no child %u of %08x/%u\n",
			       q->key, q->len, b, p->key, p->len);
			return -EINVAL;
		}
	}
	rn = deref_r(c, p->routes);
	if (!rn && !(rcu_access_pointer(p->child[0]) &&
		     rcu_access_pointer(p->child[1]))) {
		pr_err("class check: branch %08x/%u lacks a child\n",
		       p->key, p->len);
		return -EINVAL;
	}
	for (; rn; prev = rn, rn = deref_r(c, rn->next)) {
		(*routes)++;
		if (be32_to_cpu(rn->rt.dst) != p->key ||
		    rn->rt.dst_len != p->len || !tpol_valid_route(&rn->rt) ||
		    (prev && tpol_rt_order(&prev->rt, &rn->rt) >= 0)) {
			pr_err("class check: route %08x/%u tos %u metric %u misplaced in %08x/%u\n",
			       be32_to_cpu(rn->rt.dst), rn->rt.dst_len,
			       rn->rt.tos, rn->rt.metric, p->key, p->len);
			return -EINVAL;
		}
	}
	return 0;
}

/* Every entry of the jump table is where the block's walk leads. */
static int tpol_check_jump(const struct tpol_class *c)
{
	const struct tpol_jump *j = deref_r(c, c->jump);
	const struct tpol_pnode *p, *want;
	unsigned int i;
	u32 k;

	if (!j)
		return 0;
	if (!c->count) {
		pr_err("class check: an empty class keeps its jump table\n");
		return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(j->v); i++) {
		k = tpol_block_key(i);
		p = deref_r(c, c->root);
		while (p && p->len < TPOL_JUMP_BITS && tpol_covers(p, k))
			p = deref_r(c, p->child[tpol_kbit(k, p->len)]);
		want = p && p->len >= TPOL_JUMP_BITS ? p : NULL;
		if (deref_r(c, j->v[i]) != want) {
			pr_err("class check: jump entry %u is stale\n", i);
			return -EINVAL;
		}
	}
	return 0;
}

int tpol_class_check(const struct tpol_class *c)
{
	struct tpol_pnode *stack[TPOL_STACK], *p;
	unsigned int n = 0, routes = 0;
	int err;

	p = deref_r(c, c->root);
	if (p && p->parent) {
		pr_err("class check: the root has a parent\n");
		return -EINVAL;
	}
	tpol_push(stack, &n, p);
	while (n) {
		p = stack[--n];
		err = tpol_check_vertex(c, p, &routes);
		if (err)
			return err;
		if (!tpol_push(stack, &n, deref_r(c, p->child[1])) ||
		    !tpol_push(stack, &n, deref_r(c, p->child[0])))
			return -EINVAL;
	}
	if (routes != c->count) {
		pr_err("class check: %u routes, count says %u\n",
		       routes, c->count);
		return -EINVAL;
	}
	return tpol_check_jump(c);
}
#endif /* TPOL_DEBUG */
