// SPDX-License-Identifier: GPL-2.0
/*
 * The class table of tun_policy.ko (policy/class.c), compiled into this
 * program against kshim.h and tested in user space: no module is needed,
 * and the result is the same on every kernel.
 *
 *   rfc1812_*     the lookup rules on small tables: basic match, longest
 *                 match, weak TOS (with the fall-back to a shorter prefix
 *                 when no route of the longest one fits the TOS), metric
 *   add_*, del_*  what is refused and why; delete's narrowing; nothing
 *                 leaks, and a failed allocation changes nothing
 *   walk_*        the dump order, resuming, stopping
 *   locking_*     writers without the lock, readers outside RCU: caught
 *   random_*      thousands of random routes, adds, deletes and lookups
 *                 against a brute-force model, with the trie's invariants
 *                 and the full dump checked along the way
 *   selftest      policy/class_selftest.c, the module's load-time test
 *
 * kshim.h counts allocations: after a flush, or after deleting every
 * route, nothing may be left.
 */
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tt.h"

#define TPOL_DEBUG 1
#include "kshim.h"
#include "../../policy/class.c"
#include "../../policy/class_selftest.c"

static struct mutex lock;
static struct tpol_class cls;

#define REJECT	(-1)
#define THROW	(-2)

/* A route; UNICAST ones with id n > 0 go via 192.0.2.n. */
static struct tpol_route R(const char *dst, int len, int tos, unsigned metric,
			   int id)
{
	struct tpol_route rt = {
		.dst = tt_ip4(dst), .dst_len = len, .tos = tos,
		.metric = metric, .type = TPOL_ROUTE_UNICAST,
	};

	if (id == REJECT)
		rt.type = TPOL_ROUTE_REJECT;
	else if (id == THROW)
		rt.type = TPOL_ROUTE_THROW;
	else
		rt.gw = htonl(0xc0000200 | (id & 0xff));
	return rt;
}

static int same(const struct tpol_route *a, const struct tpol_route *b)
{
	return a->dst == b->dst && a->dst_len == b->dst_len &&
	       a->tos == b->tos && a->metric == b->metric && a->gw == b->gw &&
	       a->oif == b->oif && a->type == b->type;
}

static int add(const char *dst, int len, int tos, unsigned metric, int id)
{
	struct tpol_route rt = R(dst, len, tos, metric, id);

	return tpol_class_add(&cls, &rt);
}

/* Looks up as a reader does: in RCU, without the writers' lock. */
static int look(const char *daddr, int tos)
{
	const struct tpol_route *rt;
	int id = 0;

	mutex_unlock(&lock);
	rcu_read_lock();
	rt = tpol_class_lookup(&cls, tt_ip4(daddr), tos);
	if (rt && rt->type == TPOL_ROUTE_REJECT)
		id = REJECT;
	else if (rt && rt->type == TPOL_ROUTE_THROW)
		id = THROW;
	else if (rt)
		id = ntohl(rt->gw) & 0xff;
	rcu_read_unlock();
	mutex_lock(&lock);
	return id;
}

/* Each case starts from an empty class, with the lock held. */
static void fresh(void)
{
	tpol_class_flush(&cls);
	kshim_fail_in = 0;
}

/* Empty the class; what is still allocated then is a leak. */
static long drain(void)
{
	tpol_class_flush(&cls);
	return kshim_live;
}

#define TRIE_OK() TT_EQ(tpol_class_check(&cls), 0)

/* ---- RFC 1812, 5.2.4.3 ---- */

static int c_basic_match(void)
{
	fresh();
	TT_EQ(look("10.1.2.3", 0), 0);
	TT_EQ(add("10.0.0.0", 8, 0, 0, 1), 0);
	TT_EQ(look("10.0.0.0", 0), 1);
	TT_EQ(look("10.255.255.255", 0), 1);
	TT_EQ(look("9.255.255.255", 0), 0);
	TT_EQ(look("11.0.0.0", 0), 0);
	TT_EQ(add("198.18.0.0", 15, 0, 0, 2), 0);
	TT_EQ(look("198.19.255.1", 0), 2);
	TT_EQ(look("198.20.0.1", 0), 0);
	TT_EQ(look("198.17.255.255", 0), 0);
	TRIE_OK();
	TT_EQ(drain(), 0);
	return TT_PASS;
}

static int c_longest_match(void)
{
	fresh();
	/* Added out of order, so that inserts go above and between. */
	TT_EQ(add("10.1.2.3", 32, 0, 0, 5), 0);
	TT_EQ(add("10.1.0.0", 16, 0, 0, 2), 0);
	TT_EQ(add("0.0.0.0", 0, 0, 0, 4), 0);
	TT_EQ(add("10.1.2.0", 24, 0, 0, 3), 0);
	TT_EQ(add("10.0.0.0", 8, 0, 0, 1), 0);
	TT_EQ(add("10.1.2.2", 31, 0, 0, 6), 0);
	TRIE_OK();
	TT_EQ(look("10.1.2.3", 0), 5);
	TT_EQ(look("10.1.2.2", 0), 6);
	TT_EQ(look("10.1.2.4", 0), 3);
	TT_EQ(look("10.1.3.1", 0), 2);
	TT_EQ(look("10.2.0.1", 0), 1);
	TT_EQ(look("11.0.0.1", 0), 4);
	TT_EQ(look("255.255.255.255", 0), 4);
	TT_EQ(look("0.0.0.0", 0), 4);
	TT_EQ(drain(), 0);
	return TT_PASS;
}

static int c_weak_tos(void)
{
	fresh();
	TT_EQ(add("10.1.0.0", 16, 0, 5, 1), 0);
	TT_EQ(add("10.1.0.0", 16, 0x10, 9, 2), 0);
	TT_EQ(add("10.1.0.0", 16, 0x08, 1, 3), 0);
	/* The packet's tos wins over tos 0, even with a higher metric. */
	TT_EQ(look("10.1.9.9", 0x10), 2);
	TT_EQ(look("10.1.9.9", 0x08), 3);
	/* Another tos, or none: tos 0 routes match any. */
	TT_EQ(look("10.1.9.9", 0x04), 1);
	TT_EQ(look("10.1.9.9", 0), 1);
	TT_EQ(look("10.1.9.9", 0x18), 1);
	TT_EQ(drain(), 0);
	return TT_PASS;
}

static int c_weak_tos_falls_back(void)
{
	fresh();
	/* The longest prefix has routes, none for this tos: the next. */
	TT_EQ(add("172.16.0.0", 16, 0x10, 0, 1), 0);
	TT_EQ(add("172.16.0.0", 16, 0x08, 0, 2), 0);
	TT_EQ(add("172.0.0.0", 8, 0, 7, 3), 0);
	TT_EQ(add("172.16.5.0", 24, 0x04, 0, 4), 0);
	TT_EQ(look("172.16.5.1", 0x10), 1);
	TT_EQ(look("172.16.5.1", 0x08), 2);
	TT_EQ(look("172.16.5.1", 0x04), 4);
	TT_EQ(look("172.16.5.1", 0), 3);
	TT_EQ(look("172.16.5.1", 0x02), 3);
	/* Nothing at all for this tos: no route, even though prefixes cover. */
	TT_EQ(add("0.0.0.0", 0, 0x02, 0, 5), 0);
	TT_EQ(look("173.0.0.1", 0x10), 0);
	TT_EQ(look("173.0.0.1", 0x02), 5);
	TT_EQ(drain(), 0);
	return TT_PASS;
}

static int c_metric(void)
{
	struct tpol_route rt = R("10.1.0.0", 16, 0, 30, 0);

	fresh();
	TT_EQ(add("10.1.0.0", 16, 0, 30, 1), 0);
	TT_EQ(add("10.1.0.0", 16, 0, 10, 2), 0);
	TT_EQ(add("10.1.0.0", 16, 0, 20, 3), 0);
	TT_EQ(add("10.1.0.0", 16, 0x10, 40, 4), 0);
	TT_EQ(add("10.1.0.0", 16, 0x10, 0xffffffff, 5), 0);
	TT_EQ(look("10.1.0.1", 0), 2);
	TT_EQ(look("10.1.0.1", 0x10), 4);
	TT_EQ(tpol_class_del(&cls, &rt, TPOL_MATCH_METRIC | TPOL_MATCH_TOS,
			     NULL), 0);
	rt.metric = 10;
	TT_EQ(tpol_class_del(&cls, &rt, TPOL_MATCH_METRIC, NULL), 0);
	TT_EQ(look("10.1.0.1", 0), 3);
	rt.metric = 40;
	rt.tos = 0x10;
	TT_EQ(tpol_class_del(&cls, &rt, TPOL_MATCH_METRIC, NULL), 0);
	TT_EQ(look("10.1.0.1", 0x10), 5);
	/* Metric only orders routes of one prefix: longer still wins. */
	TT_EQ(add("10.1.1.0", 24, 0, 0xfffffffe, 6), 0);
	TT_EQ(look("10.1.1.1", 0), 6);
	TRIE_OK();
	TT_EQ(drain(), 0);
	return TT_PASS;
}

static int c_reject_throw(void)
{
	const struct tpol_route *rt;

	fresh();
	TT_EQ(add("0.0.0.0", 0, 0, 0, REJECT), 0);
	TT_EQ(add("10.0.0.0", 8, 0, 0, 1), 0);
	TT_EQ(add("10.1.0.0", 16, 0, 0, THROW), 0);
	TT_EQ(add("10.1.0.0", 16, 0x10, 0, 2), 0);
	TT_EQ(look("11.0.0.1", 0), REJECT);
	TT_EQ(look("10.2.0.1", 0), 1);
	/* THROW is the longest match: the class does not look further. */
	TT_EQ(look("10.1.0.1", 0), THROW);
	TT_EQ(look("10.1.0.1", 0x10), 2);
	/* The route returned is the stored one, with its fields. */
	rt = tpol_class_lookup(&cls, tt_ip4("10.1.0.1"), 0x04);
	TT_CHECK(rt, "no route");
	TT_EQ(rt->type, TPOL_ROUTE_THROW);
	TT_EQ(rt->dst, tt_ip4("10.1.0.0"));
	TT_EQ(rt->dst_len, 16);
	TT_EQ(rt->gw, 0);
	TT_EQ(rt->oif, 0);
	TT_EQ(drain(), 0);
	return TT_PASS;
}

/* The example of Documentation/tun_policy.rst. */
static int c_doc_example(void)
{
	fresh();
	TT_EQ(add("10.1.0.0", 16, 0x10, 9, 1), 0);
	TT_EQ(add("10.1.0.0", 16, 0, 5, 2), 0);
	TT_EQ(add("10.1.3.0", 24, 0x04, 0, 3), 0);
	TT_EQ(add("0.0.0.0", 0, 0, 0, REJECT), 0);
	TT_EQ(look("10.1.3.1", 0x04), 3);
	TT_EQ(look("10.1.3.1", 0x10), 1);
	TT_EQ(look("10.1.3.1", 0), 2);
	TT_EQ(look("11.0.0.1", 0), REJECT);
	TT_EQ(look("11.0.0.1", 0x10), REJECT);
	TT_EQ(drain(), 0);
	return TT_PASS;
}

/* The seed's OSPF setup: area classes end in `default reject`. */
static int c_default_reject_class(void)
{
	fresh();
	TT_EQ(add("198.18.0.0", 16, 0, 0, 1), 0);
	TT_EQ(add("198.18.4.0", 22, 0, 0, 2), 0);
	TT_EQ(add("0.0.0.0", 0, 0, 0, REJECT), 0);
	TT_EQ(look("198.18.5.5", 0), 2);
	TT_EQ(look("198.18.8.5", 0), 1);
	TT_EQ(look("198.19.0.1", 0), REJECT);
	TT_EQ(look("8.8.8.8", 0x10), REJECT);
	TT_EQ(drain(), 0);
	return TT_PASS;
}

/* ---- add ---- */

static int c_add_eexist(void)
{
	struct tpol_route rt = R("10.0.0.0", 8, 0, 1, 1);
	unsigned int gen;

	fresh();
	TT_EQ(tpol_class_add(&cls, &rt), 0);
	gen = tpol_class_gen(&cls);
	/* The key is (prefix, tos, metric): nothing else counts. */
	TT_EQ(tpol_class_add(&cls, &rt), -EEXIST);
	rt.gw = htonl(0xc0000263);
	TT_EQ(tpol_class_add(&cls, &rt), -EEXIST);
	rt = R("10.0.0.0", 8, 0, 1, THROW);
	TT_EQ(tpol_class_add(&cls, &rt), -EEXIST);
	TT_EQ(tpol_class_gen(&cls), gen);
	TT_EQ(tpol_class_count(&cls), 1);
	/* Any part of the key differing makes another route. */
	TT_EQ(add("10.0.0.0", 8, 0, 2, 2), 0);
	TT_EQ(add("10.0.0.0", 8, 0x10, 1, 3), 0);
	TT_EQ(add("10.0.0.0", 9, 0, 1, 4), 0);
	TT_EQ(add("11.0.0.0", 8, 0, 1, 5), 0);
	TT_EQ(tpol_class_count(&cls), 5);
	TT_EQ(tpol_class_gen(&cls), gen + 4);
	TRIE_OK();
	TT_EQ(drain(), 0);
	return TT_PASS;
}

static int c_add_einval(void)
{
	struct tpol_route rt;
	unsigned int gen;

	fresh();
	gen = tpol_class_gen(&cls);
	rt = R("10.0.0.1", 8, 0, 0, 1);		/* host bits */
	TT_EQ(tpol_class_add(&cls, &rt), -EINVAL);
	rt = R("0.0.0.1", 0, 0, 0, 1);
	TT_EQ(tpol_class_add(&cls, &rt), -EINVAL);
	rt = R("10.0.0.0", 33, 0, 0, 1);
	TT_EQ(tpol_class_add(&cls, &rt), -EINVAL);
	rt = R("10.0.0.0", 8, 0, 0, 1);		/* nowhere to send to */
	rt.gw = 0;
	TT_EQ(tpol_class_add(&cls, &rt), -EINVAL);
	rt.oif = -2;
	TT_EQ(tpol_class_add(&cls, &rt), -EINVAL);
	rt = R("10.0.0.0", 8, 0, 0, REJECT);	/* special routes go nowhere */
	rt.gw = htonl(0xc0000201);
	TT_EQ(tpol_class_add(&cls, &rt), -EINVAL);
	rt = R("10.0.0.0", 8, 0, 0, THROW);
	rt.oif = 1;
	TT_EQ(tpol_class_add(&cls, &rt), -EINVAL);
	rt = R("10.0.0.0", 8, 0, 0, 1);
	rt.type = __TPOL_ROUTE_MAX;
	TT_EQ(tpol_class_add(&cls, &rt), -EINVAL);
	TT_EQ(tpol_class_count(&cls), 0);
	TT_EQ(tpol_class_gen(&cls), gen);
	TT_EQ(kshim_live, 0);

	/* A device alone, a gateway alone, or both. */
	rt = R("10.0.0.0", 8, 0, 0, 1);
	rt.gw = 0;
	rt.oif = 7;
	TT_EQ(tpol_class_add(&cls, &rt), 0);
	rt = R("10.0.0.0", 8, 0, 1, 1);
	TT_EQ(tpol_class_add(&cls, &rt), 0);
	rt.metric = 2;
	rt.oif = 7;
	TT_EQ(tpol_class_add(&cls, &rt), 0);
	/* Host routes, and the default route. */
	TT_EQ(add("255.255.255.255", 32, 0, 0, 1), 0);
	TT_EQ(add("0.0.0.0", 32, 0, 0, 1), 0);
	TT_EQ(add("0.0.0.0", 0, 0xff, 0, 1), 0);
	TRIE_OK();
	TT_EQ(drain(), 0);
	return TT_PASS;
}

/* Every allocation an add makes, failed in turn, leaves no trace. */
static int snap_fn(const struct tpol_route *rt, void *arg)
{
	char *buf = arg;
	size_t n = strlen(buf);

	snprintf(buf + n, 8192 - n, "%08x/%u,%u,%u,%u,%08x,%d;",
		 ntohl(rt->dst), rt->dst_len, rt->tos, rt->metric, rt->type,
		 ntohl(rt->gw), rt->oif);
	return 0;
}

static int c_add_enomem(void)
{
	/* New leaf; between two; needs a branch; into a branch; existing. */
	static const struct {
		const char *dst;
		int len, tos;
		unsigned int allocs;
	} shapes[] = {
		{ "10.1.2.0", 24, 0, 2 },
		{ "10.1.0.0", 16, 0, 2 },
		{ "10.128.0.0", 9, 0, 2 },
		{ "10.64.0.0", 10, 0, 3 },
		{ "10.0.0.0", 15, 0, 1 },	/* the branch of 10.0/16, 10.1/17 */
		{ "10.0.0.0", 8, 0x10, 1 },
		{ "0.0.0.0", 0, 0, 2 },
	};
	struct tpol_route any = R("10.0.0.0", 15, 0, 0, 0);
	char before[8192], after[8192];
	unsigned int i, k, gen, count;
	long live;
	int err;

	for (i = 0; i < ARRAY_SIZE(shapes); i++) {
		fresh();
		TT_EQ(add("10.0.0.0", 8, 0, 0, 1), 0);
		TT_EQ(add("10.0.0.0", 16, 0, 0, 2), 0);
		TT_EQ(add("10.1.0.0", 17, 0, 0, 3), 0);
		TT_EQ(add("10.1.2.3", 32, 0, 0, 4), 0);
		TT_EQ(add("10.0.0.0", 15, 0x08, 0, 5), 0);	/* a prefix, ... */
		TT_EQ(add("10.0.0.0", 15, 0x08, 1, 6), 0);
		TT_EQ(tpol_class_del(&cls, &any, 0, NULL), 0);
		TT_EQ(tpol_class_del(&cls, &any, 0, NULL), 0);	/* ... a branch */
		TRIE_OK();
		before[0] = 0;
		tpol_class_walk(&cls, NULL, snap_fn, before);
		gen = tpol_class_gen(&cls);
		count = tpol_class_count(&cls);
		live = kshim_live;
		for (k = 1; ; k++) {
			kshim_fail_in = k;
			err = add(shapes[i].dst, shapes[i].len, shapes[i].tos,
				  7, 9);
			if (!err)
				break;
			TT_CHECK(err == -ENOMEM, "%s/%d, allocation %u: %s",
				 shapes[i].dst, shapes[i].len, k,
				 tt_errname(-err));
			after[0] = 0;
			tpol_class_walk(&cls, NULL, snap_fn, after);
			TT_STREQ(after, before);
			TT_EQ(tpol_class_gen(&cls), gen);
			TT_EQ(kshim_live, live);
			TRIE_OK();
		}
		kshim_fail_in = 0;
		/* It took exactly the allocations that shape needs. */
		TT_CHECK(k - 1 == shapes[i].allocs,
			 "%s/%d: %u allocations, want %u", shapes[i].dst,
			 shapes[i].len, k - 1, shapes[i].allocs);
		TT_EQ(kshim_live, live + shapes[i].allocs);
		TT_EQ(tpol_class_count(&cls), count + 1);
		TRIE_OK();
	}
	TT_EQ(drain(), 0);
	return TT_PASS;
}

/* ---- del ---- */

static int c_del_esrch(void)
{
	struct tpol_route rt;
	unsigned int gen;

	fresh();
	rt = R("10.0.0.0", 8, 0, 0, 1);
	TT_EQ(tpol_class_del(&cls, &rt, 0, NULL), -ESRCH);
	TT_EQ(add("10.0.0.0", 8, 0, 0, 1), 0);
	TT_EQ(add("10.64.0.0", 10, 0, 0, 1), 0);
	TT_EQ(add("10.0.0.0", 16, 0, 0, 1), 0);	/* and the branch 10.0/9 */
	gen = tpol_class_gen(&cls);
	rt = R("10.0.0.0", 9, 0, 0, 1);
	TT_EQ(tpol_class_del(&cls, &rt, 0, NULL), -ESRCH);
	rt = R("10.0.0.0", 7, 0, 0, 1);
	TT_EQ(tpol_class_del(&cls, &rt, 0, NULL), -ESRCH);
	rt = R("10.0.0.0", 24, 0, 0, 1);
	TT_EQ(tpol_class_del(&cls, &rt, 0, NULL), -ESRCH);
	rt = R("11.0.0.0", 8, 0, 0, 1);
	TT_EQ(tpol_class_del(&cls, &rt, 0, NULL), -ESRCH);
	rt = R("10.0.0.0", 8, 0x10, 0, 1);
	TT_EQ(tpol_class_del(&cls, &rt, TPOL_MATCH_TOS, NULL), -ESRCH);
	rt = R("10.0.0.0", 8, 0, 1, 1);
	TT_EQ(tpol_class_del(&cls, &rt, TPOL_MATCH_METRIC, NULL), -ESRCH);
	rt = R("10.0.0.1", 8, 0, 0, 1);
	TT_EQ(tpol_class_del(&cls, &rt, 0, NULL), -EINVAL);
	rt = R("10.0.0.0", 33, 0, 0, 1);
	TT_EQ(tpol_class_del(&cls, &rt, 0, NULL), -EINVAL);
	TT_EQ(tpol_class_gen(&cls), gen);
	TT_EQ(tpol_class_count(&cls), 3);
	TT_EQ(drain(), 0);
	return TT_PASS;
}

static int c_del_narrowing(void)
{
	struct tpol_route rt, old;

	fresh();
	/* Dump order within the prefix: tos 4, tos 0x10, then tos 0 by metric. */
	TT_EQ(add("10.0.0.0", 8, 0, 5, 1), 0);
	TT_EQ(add("10.0.0.0", 8, 0, 1, 2), 0);
	TT_EQ(add("10.0.0.0", 8, 0x10, 9, 3), 0);
	TT_EQ(add("10.0.0.0", 8, 0x04, 9, 4), 0);
	TT_EQ(add("10.0.0.0", 8, 0, 3, REJECT), 0);
	TT_EQ(add("10.0.0.0", 8, 0, 7, 6), 0);
	rt = R("10.0.0.0", 8, 0, 8, 0);
	rt.gw = 0;
	rt.oif = 5;
	TT_EQ(tpol_class_add(&cls, &rt), 0);

	/* By tos alone: 0 names tos 0, not "any". */
	rt = R("10.0.0.0", 8, 0, 0, 0);
	TT_EQ(tpol_class_del(&cls, &rt, TPOL_MATCH_TOS, &old), 0);
	TT_EQ(old.tos, 0);
	TT_EQ(old.metric, 1);
	/* By type. */
	rt.type = TPOL_ROUTE_REJECT;
	TT_EQ(tpol_class_del(&cls, &rt, TPOL_MATCH_TYPE, &old), 0);
	TT_EQ(old.metric, 3);
	TT_EQ(tpol_class_del(&cls, &rt, TPOL_MATCH_TYPE, &old), -ESRCH);
	/* By device, and by gateway. */
	rt = R("10.0.0.0", 8, 0, 0, 0);
	rt.oif = 5;
	TT_EQ(tpol_class_del(&cls, &rt, TPOL_MATCH_OIF, &old), 0);
	TT_EQ(old.metric, 8);
	TT_EQ(old.gw, 0);
	rt = R("10.0.0.0", 8, 0, 0, 6);
	TT_EQ(tpol_class_del(&cls, &rt, TPOL_MATCH_GW, &old), 0);
	TT_EQ(old.metric, 7);
	TT_EQ(tpol_class_del(&cls, &rt, TPOL_MATCH_GW, &old), -ESRCH);
	/* Several fields: all must match. */
	rt = R("10.0.0.0", 8, 0x10, 9, 4);
	TT_EQ(tpol_class_del(&cls, &rt, TPOL_MATCH_TOS | TPOL_MATCH_GW, &old),
	      -ESRCH);
	rt = R("10.0.0.0", 8, 0x10, 9, 3);
	TT_EQ(tpol_class_del(&cls, &rt, TPOL_MATCH_TOS | TPOL_MATCH_METRIC |
			     TPOL_MATCH_GW | TPOL_MATCH_TYPE, &old), 0);
	TT_EQ(ntohl(old.gw) & 0xff, 3);
	/* Nothing narrowed: the first in dump order, tos 4 before tos 0. */
	TT_EQ(tpol_class_count(&cls), 2);
	TT_EQ(tpol_class_del(&cls, &rt, 0, &old), 0);
	TT_EQ(old.tos, 0x04);
	TT_EQ(tpol_class_del(&cls, &rt, 0, &old), 0);
	TT_EQ(ntohl(old.gw) & 0xff, 1);
	TT_EQ(tpol_class_del(&cls, &rt, 0, &old), -ESRCH);
	TT_EQ(tpol_class_count(&cls), 0);
	TT_EQ(kshim_live, 0);
	return TT_PASS;
}

/* Deleting every route one by one, in several orders, frees it all. */
static int c_del_prunes(void)
{
	static const char *const dsts[] = {
		"10.0.0.0/8", "10.0.0.0/16", "10.1.0.0/16", "10.1.128.0/17",
		"10.1.2.0/24", "10.1.3.0/24", "10.1.2.3/32", "10.1.2.2/32",
		"0.0.0.0/0", "192.168.0.0/16", "192.168.1.0/24", "128.0.0.0/1",
		"0.0.0.0/1", "255.255.255.255/32", "10.255.0.0/16",
	};
	const unsigned int n = ARRAY_SIZE(dsts);
	unsigned int order[ARRAY_SIZE(dsts)], round, i, j, t;
	struct tpol_route rt;
	char buf[32];
	int len;

	for (round = 0; round < 64; round++) {
		fresh();
		for (i = 0; i < n; i++) {
			snprintf(buf, sizeof(buf), "%s", dsts[i]);
			*strchr(buf, '/') = 0;
			len = atoi(strchr(dsts[i], '/') + 1);
			TT_EQ(add(buf, len, 0, 0, 1), 0);
			TT_EQ(add(buf, len, 0x10, 0, 2), 0);
			order[i] = i;
		}
		TRIE_OK();
		/* round 0 deletes in order, 1 in reverse, then shuffled */
		for (i = 0; i < n && round; i++) {
			j = round == 1 ? n - 1 - i : i + (unsigned)rand() % (n - i);
			t = order[i], order[i] = order[j], order[j] = t;
		}
		for (i = 0; i < n; i++) {
			snprintf(buf, sizeof(buf), "%s", dsts[order[i]]);
			*strchr(buf, '/') = 0;
			len = atoi(strchr(dsts[order[i]], '/') + 1);
			rt = R(buf, len, 0, 0, 0);
			TT_EQ(tpol_class_del(&cls, &rt, 0, NULL), 0);
			TRIE_OK();
			TT_EQ(tpol_class_del(&cls, &rt, 0, NULL), 0);
			TRIE_OK();
		}
		TT_CHECK(!rcu_access_pointer(cls.root), "round %u: vertices left",
			 round);
		TT_EQ(kshim_live, 0);
	}
	return TT_PASS;
}

/* ---- walk ---- */

struct collect {
	struct tpol_route rt[64];
	unsigned int n, stop_at;
};

static int collect_fn(const struct tpol_route *rt, void *arg)
{
	struct collect *c = arg;

	if (c->n >= ARRAY_SIZE(c->rt))
		return -ENOSPC;
	c->rt[c->n++] = *rt;
	return c->n == c->stop_at ? 42 : 0;
}

static int c_walk_order(void)
{
	/* In the order a dump must give them. */
	static const struct {
		const char *dst;
		int len, tos;
		unsigned int metric;
	} want[] = {
		{ "0.0.0.0", 0, 0x10, 0 },
		{ "0.0.0.0", 0, 0, 0 },
		{ "0.0.0.0", 32, 0, 0 },
		{ "10.0.0.0", 8, 0x04, 3 },
		{ "10.0.0.0", 8, 0x04, 4 },
		{ "10.0.0.0", 8, 0x1c, 0 },
		{ "10.0.0.0", 8, 0, 0 },
		{ "10.0.0.0", 8, 0, 1 },
		{ "10.0.0.0", 8, 0, 0xffffffff },
		{ "10.0.0.0", 16, 0, 0 },
		{ "10.0.0.0", 24, 0, 0 },
		{ "10.0.1.0", 24, 0, 0 },
		{ "10.1.0.0", 16, 0, 0 },
		{ "10.128.0.0", 9, 0, 0 },
		{ "11.0.0.0", 8, 0, 0 },
		{ "128.0.0.0", 1, 0, 0 },
		{ "255.255.255.255", 32, 0, 0 },
	};
	struct collect c = { .n = 0 };
	unsigned int i;

	fresh();
	/* Added back to front, then every other one again at the end. */
	for (i = ARRAY_SIZE(want); i-- > 0;)
		if (i % 2)
			TT_EQ(add(want[i].dst, want[i].len, want[i].tos,
				  want[i].metric, 1), 0);
	for (i = 0; i < ARRAY_SIZE(want); i += 2)
		TT_EQ(add(want[i].dst, want[i].len, want[i].tos,
			  want[i].metric, 1), 0);
	TT_EQ(tpol_class_walk(&cls, NULL, collect_fn, &c), 0);
	TT_EQ(c.n, ARRAY_SIZE(want));
	for (i = 0; i < c.n; i++) {
		TT_CHECK(c.rt[i].dst == tt_ip4(want[i].dst) &&
			 c.rt[i].dst_len == want[i].len &&
			 c.rt[i].tos == want[i].tos &&
			 c.rt[i].metric == want[i].metric,
			 "entry %u is %08x/%u tos %u metric %u, want %s/%d tos %d metric %u",
			 i, ntohl(c.rt[i].dst), c.rt[i].dst_len, c.rt[i].tos,
			 c.rt[i].metric, want[i].dst, want[i].len, want[i].tos,
			 want[i].metric);
	}
	TT_EQ(drain(), 0);
	return TT_PASS;
}

static int c_walk_resume(void)
{
	struct collect all = { .n = 0 }, rest;
	struct tpol_route after;
	unsigned int i, j;

	fresh();
	TT_EQ(add("10.0.0.0", 8, 0, 0, 1), 0);
	TT_EQ(add("10.0.0.0", 8, 0, 5, 1), 0);
	TT_EQ(add("10.0.0.0", 8, 0x10, 5, 1), 0);
	TT_EQ(add("10.1.0.0", 16, 0, 0, 1), 0);
	TT_EQ(add("10.200.0.0", 16, 0, 0, 1), 0);
	TT_EQ(add("10.200.0.0", 24, 0, 0, 1), 0);
	TT_EQ(add("192.168.0.0", 16, 0, 0, 1), 0);
	TT_EQ(add("0.0.0.0", 0, 0, 0, 1), 0);
	TT_EQ(tpol_class_walk(&cls, NULL, collect_fn, &all), 0);
	TT_EQ(all.n, 8);
	for (i = 0; i < all.n; i++) {
		memset(&rest, 0, sizeof(rest));
		after = all.rt[i];
		TT_EQ(tpol_class_walk(&cls, &after, collect_fn, &rest), 0);
		TT_EQ(rest.n, all.n - i - 1);
		for (j = 0; j < rest.n; j++)
			TT_CHECK(same(&rest.rt[j], &all.rt[i + 1 + j]),
				 "resumed behind %u: entry %u differs", i, j);
	}
	/* From a route that has gone since: where it would be. */
	after = R("10.0.0.0", 8, 0, 3, 0);
	memset(&rest, 0, sizeof(rest));
	TT_EQ(tpol_class_walk(&cls, &after, collect_fn, &rest), 0);
	TT_EQ(rest.n, 5);
	TT_EQ(rest.rt[0].metric, 5);
	after = R("10.128.0.0", 9, 0, 0, 0);
	memset(&rest, 0, sizeof(rest));
	TT_EQ(tpol_class_walk(&cls, &after, collect_fn, &rest), 0);
	TT_EQ(rest.n, 3);
	TT_EQ(rest.rt[0].dst, tt_ip4("10.200.0.0"));
	after = R("255.255.255.255", 32, 0, 0, 0);
	memset(&rest, 0, sizeof(rest));
	TT_EQ(tpol_class_walk(&cls, &after, collect_fn, &rest), 0);
	TT_EQ(rest.n, 0);
	TT_EQ(drain(), 0);
	return TT_PASS;
}

static int c_walk_stops(void)
{
	struct collect c = { .n = 0, .stop_at = 3 };

	fresh();
	TT_EQ(tpol_class_walk(&cls, NULL, collect_fn, &c), 0);
	TT_EQ(c.n, 0);
	TT_EQ(add("10.0.0.0", 8, 0, 0, 1), 0);
	TT_EQ(add("10.1.0.0", 16, 0, 0, 1), 0);
	TT_EQ(add("10.2.0.0", 16, 0, 0, 1), 0);
	TT_EQ(add("10.3.0.0", 16, 0, 0, 1), 0);
	TT_EQ(tpol_class_walk(&cls, NULL, collect_fn, &c), 42);
	TT_EQ(c.n, 3);
	/* Readers may walk too. */
	c.n = 0;
	c.stop_at = 0;
	mutex_unlock(&lock);
	rcu_read_lock();
	TT_EQ(tpol_class_walk(&cls, NULL, collect_fn, &c), 0);
	rcu_read_unlock();
	mutex_lock(&lock);
	TT_EQ(c.n, 4);
	TT_EQ(drain(), 0);
	return TT_PASS;
}

static int c_flush(void)
{
	unsigned int i, gen;
	char a[16];

	fresh();
	for (i = 0; i < 1000; i++) {
		snprintf(a, sizeof(a), "10.%u.%u.0", i / 256, i % 256);
		TT_EQ(add(a, 24, 0, 0, 1), 0);
		TT_EQ(add(a, 24 + i % 9, 0x10, 0, 2), 0);
	}
	TT_EQ(tpol_class_count(&cls), 2000);
	TRIE_OK();
	gen = tpol_class_gen(&cls);
	tpol_class_flush(&cls);
	TT_EQ(tpol_class_count(&cls), 0);
	TT_CHECK(tpol_class_gen(&cls) != gen, "flush left gen alone");
	TT_EQ(kshim_live, 0);
	TT_EQ(look("10.1.1.1", 0), 0);
	TT_EQ(look("10.1.1.1", 0x10), 0);
	TRIE_OK();
	/* The class works again afterwards. */
	TT_EQ(add("10.1.1.0", 24, 0, 0, 3), 0);
	TT_EQ(look("10.1.1.1", 0x10), 3);
	TT_EQ(drain(), 0);
	return TT_PASS;
}

/* ---- locking rules, checked by kshim.h ---- */

/* fn, run in a child, must die of kshim's abort(). */
static int dies(void (*fn)(void))
{
	struct rlimit nocore = { 0, 0 };
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	TT_SYS(pid);
	if (!pid) {
		setrlimit(RLIMIT_CORE, &nocore);
		fn();
		_exit(0);
	}
	TT_SYS(waitpid(pid, &st, 0));
	TT_CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT,
		 "the child was not stopped (status 0x%x)", st);
	return TT_PASS;
}

static void add_unlocked(void)
{
	mutex_unlock(&lock);
	add("10.0.0.0", 8, 0, 0, 1);
}

static void del_unlocked(void)
{
	struct tpol_route rt = R("10.0.0.0", 8, 0, 0, 1);

	mutex_unlock(&lock);
	tpol_class_del(&cls, &rt, 0, NULL);
}

static void flush_unlocked(void)
{
	mutex_unlock(&lock);
	tpol_class_flush(&cls);
}

static void lookup_outside_rcu(void)
{
	mutex_unlock(&lock);
	tpol_class_lookup(&cls, tt_ip4("10.0.0.1"), 0);
}

static int c_locking_writers(void)
{
	fresh();
	TT_EQ(add("10.0.0.0", 8, 0, 0, 1), 0);
	if (dies(add_unlocked) || dies(del_unlocked) || dies(flush_unlocked))
		return TT_FAIL;
	TT_EQ(drain(), 0);
	return TT_PASS;
}

static int c_locking_readers(void)
{
	fresh();
	TT_EQ(add("10.0.0.0", 8, 0, 0, 1), 0);
	if (dies(lookup_outside_rcu))
		return TT_FAIL;
	TT_EQ(drain(), 0);
	return TT_PASS;
}

/* ---- random, against a model ---- */

#define MODEL_MAX 2500

static struct tpol_route model[MODEL_MAX];
static unsigned int nmodel;
static u32 rnd_state;

static u32 rnd(void)
{
	/* xorshift32, seeded per run: failures are reproducible */
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static u32 mask(unsigned int len)
{
	return len ? ~0u << (32 - len) : 0;
}

/*
 * The rules as RFC 1812 writes them: for each length from 32 down, the
 * routes of that length covering addr; among them those with the packet's
 * tos if it is non-zero and any has it, else those with tos 0; the lowest
 * metric of those. The first length that offers one decides.
 */
static const struct tpol_route *model_lookup(u32 addr, u8 tos)
{
	const struct tpol_route *exact[33] = { 0 }, *any[33] = { 0 }, **slot;
	unsigned int i;
	int len;

	for (i = 0; i < nmodel; i++) {
		const struct tpol_route *m = &model[i];

		if ((addr ^ ntohl(m->dst)) & mask(m->dst_len))
			continue;
		if (m->tos && m->tos == tos)
			slot = &exact[m->dst_len];
		else if (!m->tos)
			slot = &any[m->dst_len];
		else
			continue;
		if (!*slot || m->metric < (*slot)->metric)
			*slot = m;
	}
	for (len = 32; len >= 0; len--) {
		if (exact[len])
			return exact[len];
		if (any[len])
			return any[len];
	}
	return NULL;
}

static int model_find(const struct tpol_route *rt)
{
	unsigned int i;

	for (i = 0; i < nmodel; i++)
		if (model[i].dst == rt->dst && model[i].dst_len == rt->dst_len &&
		    model[i].tos == rt->tos && model[i].metric == rt->metric)
			return i;
	return -1;
}

/* Dump order, as the header describes it. */
static int dump_cmp(const void *pa, const void *pb)
{
	const struct tpol_route *a = pa, *b = pb;
	unsigned int ta = a->tos ? a->tos : 0x100, tb = b->tos ? b->tos : 0x100;

	if (a->dst != b->dst)
		return ntohl(a->dst) < ntohl(b->dst) ? -1 : 1;
	if (a->dst_len != b->dst_len)
		return a->dst_len < b->dst_len ? -1 : 1;
	if (ta != tb)
		return ta < tb ? -1 : 1;
	if (a->metric != b->metric)
		return a->metric < b->metric ? -1 : 1;
	return 0;
}

static u32 bases[6];

static struct tpol_route random_route(void)
{
	static const u8 toses[] = { 0, 0, 0, 0x04, 0x08, 0x10, 0x1c };
	struct tpol_route rt = { .type = TPOL_ROUTE_UNICAST };
	u32 r = rnd(), addr;
	unsigned int len;

	/* Near a few bases, so that prefixes nest and part everywhere. */
	addr = (r & 7) == 7 ? rnd() : bases[(r & 7) % 6] ^ (rnd() >> (rnd() % 32));
	switch ((r >> 3) & 3) {
	case 0:
		len = rnd() % 33;
		break;
	case 1:
		len = 32 - rnd() % 4;
		break;
	default:
		len = 8 + rnd() % 17;
	}
	rt.dst = htonl(addr & mask(len));
	rt.dst_len = len;
	rt.tos = toses[(r >> 8) % ARRAY_SIZE(toses)];
	rt.metric = (r >> 16) % 3 ? (r >> 24) % 4 : rnd();
	switch (rnd() % 8) {
	case 0:
		rt.type = TPOL_ROUTE_REJECT;
		break;
	case 1:
		rt.type = TPOL_ROUTE_THROW;
		break;
	default:
		rt.gw = rnd() % 3 ? htonl(rnd() | 1) : 0;
		rt.oif = rt.gw && rnd() % 2 ? 0 : 1 + rnd() % 100;
	}
	return rt;
}

/* An address where answers change: inside, at the edges, just outside. */
static u32 random_addr(void)
{
	const struct tpol_route *m;
	u32 r = rnd(), lo, hi;

	if (!nmodel || (r & 3) == 0)
		return (r & 4) ? rnd() : bases[(r >> 3) % 6] ^ (rnd() >> (rnd() % 32));
	m = &model[(r >> 2) % nmodel];
	lo = ntohl(m->dst);
	hi = lo | ~mask(m->dst_len);
	switch ((r >> 20) % 5) {
	case 0:
		return lo;
	case 1:
		return hi;
	case 2:
		return lo - 1;
	case 3:
		return hi + 1;
	}
	return lo | (rnd() & ~mask(m->dst_len));
}

static int check_lookups(unsigned int count)
{
	static const u8 toses[] = { 0, 0x04, 0x08, 0x10, 0x1c, 0x02 };
	const struct tpol_route *got, *want;
	struct tpol_route copy;
	unsigned int i;
	u32 addr;
	u8 tos;

	for (i = 0; i < count; i++) {
		addr = random_addr();
		tos = toses[rnd() % ARRAY_SIZE(toses)];
		want = model_lookup(addr, tos);
		rcu_read_lock();
		got = tpol_class_lookup(&cls, htonl(addr), tos);
		if (got)
			copy = *got;
		rcu_read_unlock();
		TT_CHECK(!got == !want && (!got || same(&copy, want)),
			 "lookup %08x tos 0x%02x: got %s%08x/%u tos %u metric %u, want %s%08x/%u tos %u metric %u",
			 addr, tos, got ? "" : "none ",
			 got ? ntohl(copy.dst) : 0, got ? copy.dst_len : 0,
			 got ? copy.tos : 0, got ? copy.metric : 0,
			 want ? "" : "none ", want ? ntohl(want->dst) : 0,
			 want ? want->dst_len : 0, want ? want->tos : 0,
			 want ? want->metric : 0);
	}
	return TT_PASS;
}

static struct tpol_route seen[MODEL_MAX], sorted[MODEL_MAX];
static unsigned int nseen;

static int seen_fn(const struct tpol_route *rt, void *arg)
{
	(void)arg;
	if (nseen >= MODEL_MAX)
		return -ENOSPC;
	seen[nseen++] = *rt;
	return 0;
}

static int check_dump(void)
{
	struct tpol_route after;
	unsigned int i, k, from;

	TRIE_OK();
	TT_EQ(tpol_class_count(&cls), nmodel);
	memcpy(sorted, model, nmodel * sizeof(*model));
	qsort(sorted, nmodel, sizeof(*sorted), dump_cmp);
	nseen = 0;
	TT_EQ(tpol_class_walk(&cls, NULL, seen_fn, NULL), 0);
	TT_EQ(nseen, nmodel);
	for (i = 0; i < nmodel; i++)
		TT_CHECK(same(&seen[i], &sorted[i]),
			 "dump entry %u is %08x/%u tos %u metric %u, want %08x/%u tos %u metric %u",
			 i, ntohl(seen[i].dst), seen[i].dst_len, seen[i].tos,
			 seen[i].metric, ntohl(sorted[i].dst),
			 sorted[i].dst_len, sorted[i].tos, sorted[i].metric);
	/* Resumed from a random key, present or not. */
	for (k = 0; k < 4; k++) {
		after = random_route();
		for (from = 0; from < nmodel && dump_cmp(&sorted[from], &after) <= 0;)
			from++;
		nseen = 0;
		TT_EQ(tpol_class_walk(&cls, &after, seen_fn, NULL), 0);
		TT_EQ(nseen, nmodel - from);
		for (i = 0; i < nseen; i++)
			TT_CHECK(same(&seen[i], &sorted[from + i]),
				 "resumed dump entry %u differs", i);
	}
	return TT_PASS;
}

static int model_add(void)
{
	struct tpol_route rt = random_route();
	int want = model_find(&rt) >= 0 ? -EEXIST : 0;

	TT_EQ(tpol_class_add(&cls, &rt), want);
	if (!want)
		model[nmodel++] = rt;
	return TT_PASS;
}

/* Delete a random route, or a random key, with random narrowing. */
static int model_del(void)
{
	static const unsigned int matches[] = {
		0, TPOL_MATCH_TOS, TPOL_MATCH_TOS | TPOL_MATCH_METRIC,
		TPOL_MATCH_METRIC, TPOL_MATCH_TYPE, TPOL_MATCH_GW | TPOL_MATCH_OIF,
		TPOL_MATCH_TOS | TPOL_MATCH_METRIC | TPOL_MATCH_GW |
			TPOL_MATCH_OIF | TPOL_MATCH_TYPE,
	};
	struct tpol_route rt, old;
	unsigned int match = matches[rnd() % ARRAY_SIZE(matches)], i;
	int want = -1, err;

	rt = nmodel && rnd() % 4 ? model[rnd() % nmodel] : random_route();
	for (i = 0; i < nmodel; i++) {
		const struct tpol_route *m = &model[i];

		if (m->dst != rt.dst || m->dst_len != rt.dst_len ||
		    ((match & TPOL_MATCH_TOS) && m->tos != rt.tos) ||
		    ((match & TPOL_MATCH_METRIC) && m->metric != rt.metric) ||
		    ((match & TPOL_MATCH_GW) && m->gw != rt.gw) ||
		    ((match & TPOL_MATCH_OIF) && m->oif != rt.oif) ||
		    ((match & TPOL_MATCH_TYPE) && m->type != rt.type))
			continue;
		if (want < 0 || dump_cmp(m, &model[want]) < 0)
			want = i;
	}
	err = tpol_class_del(&cls, &rt, match, &old);
	TT_EQ(err, want < 0 ? -ESRCH : 0);
	if (want >= 0) {
		TT_CHECK(same(&old, &model[want]), "deleted the wrong route");
		model[want] = model[--nmodel];
	}
	return TT_PASS;
}

static int random_run(u32 seed, unsigned int fill, unsigned int ops)
{
	unsigned int i;
	bool grow;

	rnd_state = seed;
	for (i = 0; i < ARRAY_SIZE(bases); i++)
		bases[i] = rnd();
	nmodel = 0;
	fresh();

	/* Fill, look up a lot, churn, then empty it through deletes. */
	while (nmodel < fill)
		if (model_add())
			return TT_FAIL;
	if (check_dump() || check_lookups(4000))
		return TT_FAIL;
	for (i = 0; i < ops; i++) {
		grow = (rnd() % 2 || !nmodel) && nmodel < MODEL_MAX;
		if (grow ? model_add() : model_del())
			return TT_FAIL;
		if (check_lookups(2))
			return TT_FAIL;
		if (i % 512 == 511 && check_dump())
			return TT_FAIL;
	}
	if (check_dump())
		return TT_FAIL;
	while (nmodel) {
		i = rnd() % nmodel;
		TT_EQ(tpol_class_del(&cls, &model[i], TPOL_MATCH_TOS |
				     TPOL_MATCH_METRIC, NULL), 0);
		model[i] = model[--nmodel];
		if (check_lookups(1))
			return TT_FAIL;
		if (nmodel % 256 == 0 && check_dump())
			return TT_FAIL;
	}
	TT_CHECK(!rcu_access_pointer(cls.root), "vertices left in an empty class");
	TT_EQ(kshim_live, 0);
	return TT_PASS;
}

static int c_random_small(void)
{
	u32 seed;

	/* Many small tables: every shape of a few nested prefixes. */
	for (seed = 1; seed <= 300; seed++)
		if (random_run(seed * 0x9e3779b9u, 12, 60)) {
			tt_note("seed %u", seed);
			return TT_FAIL;
		}
	return TT_PASS;
}

static int c_random_large(void)
{
	u32 seed;

	for (seed = 1; seed <= 6; seed++)
		if (random_run(seed * 0x85ebca6bu, 2000, 3000)) {
			tt_note("seed %u", seed);
			return TT_FAIL;
		}
	return TT_PASS;
}

static int c_selftest(void)
{
	bool ok;

	mutex_unlock(&lock);
	ok = tpol_class_selftest();
	mutex_lock(&lock);
	TT_CHECK(ok, "tpol_class_selftest() failed");
	TT_EQ(kshim_live, 0);
	return TT_PASS;
}

static int c_no_warnings(void)
{
	fresh();
	TT_EQ(kshim_warnings, 0);
	TT_EQ(kshim_live, 0);
	return TT_PASS;
}

int main(void)
{
	tt_init();
	mutex_init(&lock);
	tpol_class_init(&cls, &lock);
	mutex_lock(&lock);

	tt_run("rfc1812_basic_match", c_basic_match);
	tt_run("rfc1812_longest_match", c_longest_match);
	tt_run("rfc1812_weak_tos", c_weak_tos);
	tt_run("rfc1812_weak_tos_falls_back", c_weak_tos_falls_back);
	tt_run("rfc1812_metric", c_metric);
	tt_run("reject_and_throw", c_reject_throw);
	tt_run("default_reject_class", c_default_reject_class);
	tt_run("documented_example", c_doc_example);
	tt_run("add_eexist", c_add_eexist);
	tt_run("add_einval", c_add_einval);
	tt_run("add_enomem_changes_nothing", c_add_enomem);
	tt_run("del_esrch", c_del_esrch);
	tt_run("del_narrowing", c_del_narrowing);
	tt_run("del_prunes_and_frees", c_del_prunes);
	tt_run("walk_order", c_walk_order);
	tt_run("walk_resume", c_walk_resume);
	tt_run("walk_stops", c_walk_stops);
	tt_run("flush", c_flush);
	tt_run("locking_writers_need_the_lock", c_locking_writers);
	tt_run("locking_readers_need_rcu", c_locking_readers);
	tt_run("random_small_tables", c_random_small);
	tt_run("random_large_tables", c_random_large);
	tt_run("selftest", c_selftest);
	tt_run("no_warnings_no_leaks", c_no_warnings);
	return tt_done();
}
