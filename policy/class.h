/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * policy/class.h - a class: one routing table of tun_policy.ko.
 *
 * A class holds routes (the seed's "nodes") keyed by (destination prefix,
 * prefix length, tos, metric), each carrying a type, a gateway and an
 * output device. tpol_class_lookup() picks the route for (daddr, tos) by
 * the rules of RFC 1812, 5.2.4.3, in the seed's order:
 *
 *   1. basic match: the route's prefix covers daddr;
 *   2. longest match: the longest such prefix is tried first;
 *   3. weak TOS: of that prefix's routes, those whose tos equals the
 *      packet's win over those of tos 0, which match any tos; a route with
 *      another non-zero tos does not match at all. When no route of the
 *      prefix matches the tos, the next shorter covering prefix is tried;
 *   4. metric: the lowest metric wins among what is left.
 *
 * The table compares tos values as given: the caller masks the packet's
 * TOS byte (e.g. to its RFC 1349 bits) the same way it masks the tos of
 * the routes it adds. REJECT and THROW routes take part in the choice like
 * any other; what they mean (end the whole lookup with an error, end the
 * lookup in this class) is the caller's business, so the lookup just
 * returns them.
 *
 * The structure is a path-compressed binary trie over the 32 address bits
 * (struct tpol_pnode), one vertex per prefix that has routes plus the
 * branch vertices that hold the trie together; each prefix vertex lists
 * its routes (struct tpol_rnode) in lookup order. The file is free of
 * network-stack types so that tests/policy/class_table.c can build it in
 * user space against tests/policy/kshim.h.
 *
 * Locking:
 *   - Writers (tpol_class_add, _del, _flush) are serialised by a mutex the
 *     caller owns and names in tpol_class_init(); they assert it with
 *     lockdep and allocate with GFP_KERNEL_ACCOUNT, so they may sleep.
 *   - Readers (tpol_class_lookup, tpol_class_walk) take no lock: they run
 *     under rcu_read_lock() (the fib_rules and netfilter paths already do)
 *     or with the writers' mutex held. A returned route stays valid until
 *     the reader leaves its RCU read-side section or drops the mutex.
 *   - Every pointer a reader follows (tpol_class.root, tpol_pnode.child[],
 *     tpol_pnode.routes, tpol_rnode.next) is published with
 *     rcu_assign_pointer() after what it points to is complete, and is
 *     never cleared in an unlinked object: a reader standing on a vertex
 *     or route that a writer has just removed still finds its way on.
 *     Removed objects are freed after a grace period (kfree_rcu).
 *   - tpol_pnode.parent is the writers' own: readers never use it.
 *   - tpol_class.jump (below) is published like the rest; a writer that
 *     changes a link re-points the entries that led through it before it
 *     queues anything unlinked for freeing, so every entry a reader can
 *     load points to a vertex that outlives the reader's section.
 *
 * The class object itself is the caller's: it must stay valid while
 * readers may reach it (unpublish it, wait for a grace period, then flush
 * and free it).
 */
#ifndef _TPOL_CLASS_H
#define _TPOL_CLASS_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#endif
#include "../include/uapi/linux/tun_policy.h"

/*
 * A route, as a value: what tpol_class_add() takes, tpol_class_del()
 * matches, tpol_class_walk() reports and tpol_class_lookup() returns.
 * The key is (dst/dst_len, tos, metric); dst has no bits set beyond
 * dst_len. A UNICAST route has a gateway or an output device or both;
 * REJECT and THROW routes have neither.
 */
struct tpol_route {
	__be32 dst;
	__be32 gw;		/* 0: none (directly connected) */
	u32 metric;
	int oif;		/* output ifindex, 0: none */
	u8 dst_len;
	u8 tos;
	u8 type;		/* enum tpol_route_kind */
};

/*
 * A stored route: one entry of a prefix vertex's list. The list is sorted
 * in lookup order: non-zero tos first, by increasing tos, then tos 0;
 * within one tos by increasing metric. So the first route whose tos is 0
 * or the packet's is the choice of rules 3 and 4, and that order is also
 * the dump order within a prefix.
 */
struct tpol_rnode {
	struct tpol_rnode __rcu *next;
	struct tpol_route rt;
	struct rcu_head rcu;
};

/*
 * A trie vertex for the prefix key/len (key in host order, zero beyond
 * len). child[b] leads to the longer prefixes whose bit number len
 * (counting from the most significant, 0..31) is b. A vertex without
 * routes is a branch vertex and always has both children; a vertex that
 * loses its last route and has fewer than two children is removed.
 * Depth: lengths strictly increase downwards, so a path has at most 33
 * vertices.
 */
struct tpol_pnode {
	struct tpol_pnode __rcu *child[2];
	struct tpol_rnode __rcu *routes;
	struct tpol_pnode *parent;	/* writers only */
	u32 key;
	u8 len;
	struct rcu_head rcu;
};

/*
 * The first stride of a large class: v[i] is the vertex at which the
 * trie walk for the addresses whose top TPOL_JUMP_BITS bits are i (a
 * "block") reaches its first vertex of TPOL_JUMP_BITS bits or more; NULL
 * when the walk ends before. Every key of a block walks the same path to
 * there, so a lookup may start at v[i]: a route it finds below is longer
 * than any it skipped, hence the answer; only when it finds none does it
 * walk again from the root (a miss, or a route of a short prefix). That
 * saves the dependent loads of the top of the trie, the walk's first
 * half in a table of full-Internet size.
 *
 * It costs 512 KiB, so a class only has one from TPOL_JUMP_MIN routes on
 * (until it is flushed or emptied); without one, or when allocating it
 * fails, lookups walk from the root, which is always correct.
 */
#define TPOL_JUMP_BITS	16
#ifndef TPOL_JUMP_MIN
#ifdef TPOL_DEBUG
#define TPOL_JUMP_MIN	16	/* so that the selftests cover it */
#else
#define TPOL_JUMP_MIN	4096
#endif
#endif

struct tpol_jump {
	struct rcu_head rcu;
	struct tpol_pnode __rcu *v[1 << TPOL_JUMP_BITS];
};

struct tpol_class {
	struct tpol_pnode __rcu *root;
	struct tpol_jump __rcu *jump;	/* NULL: none (see above) */
	struct mutex *lock;		/* the caller's; serialises writers */
	unsigned int count;		/* routes; written under lock */
	unsigned int gen;		/* bumped by every change, for dumps */
};

/* tpol_class_del(): which fields, besides dst/dst_len, must match. */
#define TPOL_MATCH_TOS		0x01
#define TPOL_MATCH_METRIC	0x02
#define TPOL_MATCH_GW		0x04
#define TPOL_MATCH_OIF		0x08
#define TPOL_MATCH_TYPE		0x10

void tpol_class_init(struct tpol_class *c, struct mutex *lock);

/*
 * Adds a copy of @rt. -EINVAL for a malformed route (dst_len > 32, bits
 * set beyond dst_len, unknown type, a UNICAST route with neither gw nor
 * oif, a REJECT/THROW route with either), -EEXIST when a route with the
 * same key is present (whatever its other fields), -ENOMEM. On error the
 * class is unchanged. Lock held.
 */
int tpol_class_add(struct tpol_class *c, const struct tpol_route *rt);

/*
 * Removes one route of prefix @rt->dst/@rt->dst_len whose fields named in
 * @match equal @rt's; fields not named match anything, like an `iproute
 * del` that leaves them out. Of several candidates, the first in dump
 * order goes (the one a lookup would prefer), one per call. The removed
 * route is copied to @old if not NULL. -EINVAL for a malformed prefix,
 * -ESRCH when nothing matches (what the kernel's own tables answer, so
 * that `iproute del` reads like `ip route del`). Lock held.
 */
int tpol_class_del(struct tpol_class *c, const struct tpol_route *rt,
		   unsigned int match, struct tpol_route *old);

/* Removes every route. Lock held. */
void tpol_class_flush(struct tpol_class *c);

/*
 * The route chosen for (@daddr, @tos), or NULL when no route matches.
 * rcu_read_lock() or the lock held; the result is valid as long.
 */
const struct tpol_route *tpol_class_lookup(const struct tpol_class *c,
					   __be32 daddr, u8 tos);

/*
 * Calls @fn for each route in dump order: by prefix address, then by
 * prefix length, then in a prefix's lookup order (see struct tpol_rnode).
 * With @after, starts behind the route with @after's key (dst, dst_len,
 * tos, metric), whether or not that route still exists: a dump resumes
 * from the last route it emitted. Stops early when @fn returns non-zero,
 * and returns that value; 0 when the walk completed. rcu_read_lock() or
 * the lock held; under RCU, @fn must not sleep. @rt is the stored route,
 * valid for as long as the lookup's result would be.
 */
typedef int (*tpol_class_walk_fn)(const struct tpol_route *rt, void *arg);
int tpol_class_walk(const struct tpol_class *c, const struct tpol_route *after,
		    tpol_class_walk_fn fn, void *arg);

/* The number of routes. Lock held, or a snapshot. */
static inline unsigned int tpol_class_count(const struct tpol_class *c)
{
	return READ_ONCE(c->count);
}

/*
 * Changes with every add, del and flush: a dump that saw the same value
 * before and after each part saw a consistent table.
 */
static inline unsigned int tpol_class_gen(const struct tpol_class *c)
{
	return READ_ONCE(c->gen);
}

#ifdef TPOL_DEBUG
/* Checks the trie's invariants; 0 or -EINVAL, with the reason logged. */
int tpol_class_check(const struct tpol_class *c);
#endif

#endif /* _TPOL_CLASS_H */
