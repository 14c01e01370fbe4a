// SPDX-License-Identifier: GPL-2.0-only
/*
 * policy/class_selftest.c - the class table checked at module load.
 *
 * Compiled only when TPOL_DEBUG is defined (build with `make TPOL_DEBUG=1`),
 * included by tun_policy.c after policy/class.c, and run by tpol_init():
 * a failure fails the load. tests/policy/class_table.c runs it in user
 * space as well.
 *
 * First the rules of RFC 1812 on a small hand-made table, then random
 * adds, deletes and lookups checked against a brute-force model (a plain
 * array of routes), with the trie's invariants (tpol_class_check) and the
 * dump order checked as the table grows and shrinks.
 */
#ifdef __KERNEL__
#include <linux/slab.h>
#endif

#define ST_IP(a, b, c, d)	cpu_to_be32((u32)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define ST_REJECT		(-1)
#define ST_THROW		(-2)
#define ST_ROUTES		256	/* the model's capacity */
#define ST_OPS			3000

struct tpol_st {
	struct tpol_class c;
	struct mutex lock;
	unsigned int checks;
	u32 rnd;
	u32 base[8];
	struct tpol_route *model;	/* ST_ROUTES */
	struct tpol_route *seen;	/* ST_ROUTES, filled by a walk */
	unsigned int nmodel, nseen;
	const struct tpol_route *resume;
};

#define ST_CHECK(s, cond)                                                      \
	do {                                                                   \
		(s)->checks++;                                                 \
		if (!(cond)) {                                                 \
			pr_err("class selftest: line %d: %s\n", __LINE__,      \
			       #cond);                                         \
			return false;                                          \
		}                                                              \
	} while (0)

#define ST_TRIE_OK(s)	ST_CHECK(s, !tpol_class_check(&(s)->c))

/*
 * The hand-made routes carry an id: a UNICAST route with id n > 0 has the
 * gateway 192.0.2.n, and ST_REJECT/ST_THROW stand for those types.
 */
static struct tpol_route __init st_route(__be32 dst, u8 len, u8 tos,
					 u32 metric, int id)
{
	struct tpol_route rt = {
		.dst = dst, .dst_len = len, .tos = tos, .metric = metric,
		.type = TPOL_ROUTE_UNICAST,
	};

	if (id == ST_REJECT)
		rt.type = TPOL_ROUTE_REJECT;
	else if (id == ST_THROW)
		rt.type = TPOL_ROUTE_THROW;
	else
		rt.gw = ST_IP(192, 0, 2, id);
	return rt;
}

static int __init st_add(struct tpol_st *s, __be32 dst, u8 len, u8 tos,
			 u32 metric, int id)
{
	struct tpol_route rt = st_route(dst, len, tos, metric, id);

	return tpol_class_add(&s->c, &rt);
}

static int __init st_del(struct tpol_st *s, __be32 dst, u8 len, u8 tos,
			 u32 metric)
{
	struct tpol_route rt = st_route(dst, len, tos, metric, 1);

	return tpol_class_del(&s->c, &rt, TPOL_MATCH_TOS | TPOL_MATCH_METRIC,
			      NULL);
}

/* The id of the route a reader finds, 0 for none. */
static int __init st_look(struct tpol_st *s, __be32 daddr, u8 tos)
{
	const struct tpol_route *rt;
	int id = 0;

	rcu_read_lock();
	rt = tpol_class_lookup(&s->c, daddr, tos);
	if (rt && rt->type == TPOL_ROUTE_REJECT)
		id = ST_REJECT;
	else if (rt && rt->type == TPOL_ROUTE_THROW)
		id = ST_THROW;
	else if (rt)
		id = be32_to_cpu(rt->gw) & 0xff;
	rcu_read_unlock();
	return id;
}

static bool __init st_rules(struct tpol_st *s)
{
	struct tpol_route rt, old;

	ST_CHECK(s, st_look(s, ST_IP(10, 1, 2, 3), 0) == 0);

	/* 1 and 2: basic and longest match. */
	ST_CHECK(s, !st_add(s, ST_IP(10, 0, 0, 0), 8, 0, 10, 1));
	ST_CHECK(s, !st_add(s, ST_IP(10, 1, 0, 0), 16, 0, 10, 2));
	ST_CHECK(s, !st_add(s, ST_IP(10, 1, 2, 0), 24, 0, 10, 3));
	ST_CHECK(s, !st_add(s, ST_IP(0, 0, 0, 0), 0, 0, 10, 4));
	ST_CHECK(s, !st_add(s, ST_IP(10, 1, 2, 3), 32, 0, 10, 5));
	ST_TRIE_OK(s);
	ST_CHECK(s, tpol_class_count(&s->c) == 5);
	ST_CHECK(s, st_look(s, ST_IP(10, 1, 2, 3), 0) == 5);
	ST_CHECK(s, st_look(s, ST_IP(10, 1, 2, 4), 0) == 3);
	ST_CHECK(s, st_look(s, ST_IP(10, 1, 3, 1), 0) == 2);
	ST_CHECK(s, st_look(s, ST_IP(10, 2, 0, 1), 0) == 1);
	ST_CHECK(s, st_look(s, ST_IP(11, 0, 0, 1), 0) == 4);
	ST_CHECK(s, st_look(s, ST_IP(255, 255, 255, 255), 0x10) == 4);

	/* 3: weak TOS beats metric; other TOS values fall to tos 0. */
	ST_CHECK(s, !st_add(s, ST_IP(10, 1, 0, 0), 16, 0x10, 50, 6));
	ST_CHECK(s, st_look(s, ST_IP(10, 1, 3, 1), 0x10) == 6);
	ST_CHECK(s, st_look(s, ST_IP(10, 1, 3, 1), 0x08) == 2);
	ST_CHECK(s, st_look(s, ST_IP(10, 1, 3, 1), 0) == 2);
	/* A longer prefix offering only another tos does not hide this one. */
	ST_CHECK(s, !st_add(s, ST_IP(10, 1, 3, 0), 24, 0x04, 1, 7));
	ST_CHECK(s, st_look(s, ST_IP(10, 1, 3, 1), 0x04) == 7);
	ST_CHECK(s, st_look(s, ST_IP(10, 1, 3, 1), 0x10) == 6);
	ST_CHECK(s, st_look(s, ST_IP(10, 1, 3, 1), 0x08) == 2);
	ST_TRIE_OK(s);

	/* 4: the lowest metric, within the same tos. */
	ST_CHECK(s, !st_add(s, ST_IP(10, 1, 0, 0), 16, 0, 5, 8));
	ST_CHECK(s, st_look(s, ST_IP(10, 1, 3, 1), 0) == 8);
	ST_CHECK(s, st_look(s, ST_IP(10, 1, 3, 1), 0x10) == 6);
	ST_CHECK(s, !st_del(s, ST_IP(10, 1, 0, 0), 16, 0, 5));
	ST_CHECK(s, st_look(s, ST_IP(10, 1, 3, 1), 0) == 2);

	/* REJECT and THROW are chosen like any route and returned as such. */
	ST_CHECK(s, !st_add(s, ST_IP(10, 1, 2, 0), 24, 0, 1, ST_THROW));
	ST_CHECK(s, st_look(s, ST_IP(10, 1, 2, 4), 0) == ST_THROW);
	ST_CHECK(s, !st_add(s, ST_IP(10, 1, 2, 0), 24, 0x04, 20, ST_REJECT));
	ST_CHECK(s, st_look(s, ST_IP(10, 1, 2, 4), 0x04) == ST_REJECT);
	ST_CHECK(s, st_look(s, ST_IP(10, 1, 2, 3), 0x04) == 5);

	/* The key decides duplicates, whatever else differs. */
	ST_CHECK(s, st_add(s, ST_IP(10, 1, 2, 0), 24, 0, 1, 9) == -EEXIST);
	ST_CHECK(s, st_add(s, ST_IP(10, 1, 2, 0), 24, 0x04, 20, 9) == -EEXIST);
	ST_CHECK(s, tpol_class_count(&s->c) == 9);

	/* Malformed routes. */
	ST_CHECK(s, st_add(s, ST_IP(10, 1, 2, 1), 24, 0, 1, 9) == -EINVAL);
	ST_CHECK(s, st_add(s, ST_IP(10, 1, 2, 0), 33, 0, 1, 9) == -EINVAL);
	rt = st_route(ST_IP(10, 9, 0, 0), 16, 0, 0, 9);
	rt.gw = 0;
	ST_CHECK(s, tpol_class_add(&s->c, &rt) == -EINVAL);
	rt.oif = -1;
	ST_CHECK(s, tpol_class_add(&s->c, &rt) == -EINVAL);
	rt.oif = 3;
	ST_CHECK(s, !tpol_class_add(&s->c, &rt));
	rt = st_route(ST_IP(10, 9, 0, 0), 16, 0, 1, ST_REJECT);
	rt.oif = 3;
	ST_CHECK(s, tpol_class_add(&s->c, &rt) == -EINVAL);
	rt = st_route(ST_IP(10, 9, 0, 0), 16, 0, 1, 9);
	rt.type = __TPOL_ROUTE_MAX;
	ST_CHECK(s, tpol_class_add(&s->c, &rt) == -EINVAL);
	ST_CHECK(s, tpol_class_count(&s->c) == 10);
	ST_TRIE_OK(s);

	/* Deleting: missing prefixes and keys, narrowing, the first match. */
	ST_CHECK(s, st_del(s, ST_IP(10, 1, 4, 0), 24, 0, 10) == -ESRCH);
	ST_CHECK(s, st_del(s, ST_IP(10, 1, 2, 0), 24, 0, 11) == -ESRCH);
	ST_CHECK(s, st_del(s, ST_IP(10, 1, 2, 1), 24, 0, 10) == -EINVAL);
	/* 10.0.0.0/15 is the branch above 10.0/16 and 10.1/16: no routes. */
	ST_CHECK(s, !st_add(s, ST_IP(10, 0, 0, 0), 16, 0, 1, 12));
	ST_CHECK(s, st_del(s, ST_IP(10, 0, 0, 0), 15, 0, 0) == -ESRCH);
	rt = st_route(ST_IP(10, 1, 2, 0), 24, 0, 0, 3);
	ST_CHECK(s, tpol_class_del(&s->c, &rt, TPOL_MATCH_TYPE | TPOL_MATCH_GW,
				   &old) == 0);
	ST_CHECK(s, old.metric == 10 && old.gw == ST_IP(192, 0, 2, 3));
	ST_CHECK(s, tpol_class_del(&s->c, &rt, TPOL_MATCH_GW, NULL) == -ESRCH);
	/* 10.1.2.0/24 keeps tos 4 REJECT and tos 0 THROW: tos 4 goes first. */
	ST_CHECK(s, tpol_class_del(&s->c, &rt, 0, &old) == 0);
	ST_CHECK(s, old.type == TPOL_ROUTE_REJECT && old.tos == 0x04);
	ST_CHECK(s, tpol_class_del(&s->c, &rt, 0, &old) == 0);
	ST_CHECK(s, old.type == TPOL_ROUTE_THROW);
	ST_CHECK(s, tpol_class_del(&s->c, &rt, 0, &old) == -ESRCH);
	ST_CHECK(s, st_look(s, ST_IP(10, 1, 2, 4), 0) == 2);
	ST_CHECK(s, st_look(s, ST_IP(10, 1, 2, 3), 0) == 5);
	ST_CHECK(s, tpol_class_count(&s->c) == 8);
	ST_TRIE_OK(s);

	tpol_class_flush(&s->c);
	ST_CHECK(s, tpol_class_count(&s->c) == 0);
	ST_CHECK(s, !rcu_access_pointer(s->c.root));
	ST_CHECK(s, st_look(s, ST_IP(10, 1, 2, 3), 0) == 0);
	return true;
}

/* ---- the random part, against a model ---- */

static u32 __init st_rand(struct tpol_st *s)
{
	/* xorshift32: reproducible on every build, kernel or not */
	s->rnd ^= s->rnd << 13;
	s->rnd ^= s->rnd >> 17;
	s->rnd ^= s->rnd << 5;
	return s->rnd;
}

static u32 __init st_mask(unsigned int len)
{
	return len ? 0xffffffffU << (32 - len) : 0;
}

static bool __init st_covers(const struct tpol_route *rt, u32 addr)
{
	return !((addr ^ be32_to_cpu(rt->dst)) & st_mask(rt->dst_len));
}

/* The model's answer, by the rules as written, over every route. */
static const struct tpol_route *__init st_model_lookup(struct tpol_st *s,
						       u32 addr, u8 tos)
{
	const struct tpol_route *best = NULL, *rt;
	unsigned int i;

	for (i = 0; i < s->nmodel; i++) {
		rt = &s->model[i];
		if (!st_covers(rt, addr) || (rt->tos && rt->tos != tos))
			continue;
		if (!best || rt->dst_len > best->dst_len) {
			best = rt;
			continue;
		}
		if (rt->dst_len < best->dst_len)
			continue;
		if (!!rt->tos != !!best->tos) {
			if (rt->tos)
				best = rt;
			continue;
		}
		if (rt->metric < best->metric)
			best = rt;
	}
	return best;
}

static bool __init st_same_key(const struct tpol_route *a,
			       const struct tpol_route *b)
{
	return a->dst == b->dst && a->dst_len == b->dst_len &&
	       a->tos == b->tos && a->metric == b->metric;
}

static bool __init st_same(const struct tpol_route *a,
			   const struct tpol_route *b)
{
	return st_same_key(a, b) && a->gw == b->gw && a->oif == b->oif &&
	       a->type == b->type;
}

/* Dump order, as the header states it. */
static bool __init st_before(const struct tpol_route *a,
			     const struct tpol_route *b)
{
	u32 ka = be32_to_cpu(a->dst), kb = be32_to_cpu(b->dst);

	if (ka != kb)
		return ka < kb;
	if (a->dst_len != b->dst_len)
		return a->dst_len < b->dst_len;
	if (a->tos != b->tos)
		return b->tos == 0 || (a->tos && a->tos < b->tos);
	return a->metric < b->metric;
}

static int __init st_collect(const struct tpol_route *rt, void *arg)
{
	struct tpol_st *s = arg;

	if (s->nseen >= ST_ROUTES)
		return -ENOSPC;
	s->seen[s->nseen++] = *rt;
	return 0;
}

/*
 * A full walk is sorted and holds exactly the model's routes; a walk
 * resumed behind one of them gives the rest.
 */
static bool __init st_walk_ok(struct tpol_st *s)
{
	unsigned int i, j, full;
	struct tpol_route after;

	s->nseen = 0;
	ST_CHECK(s, !tpol_class_walk(&s->c, NULL, st_collect, s));
	ST_CHECK(s, s->nseen == s->nmodel);
	for (i = 0; i < s->nseen; i++) {
		for (j = 0; j < s->nmodel; j++)
			if (st_same(&s->seen[i], &s->model[j]))
				break;
		ST_CHECK(s, j < s->nmodel);
		ST_CHECK(s, !i || st_before(&s->seen[i - 1], &s->seen[i]));
	}
	if (!s->nseen)
		return true;

	full = s->nseen;
	i = st_rand(s) % full;
	after = s->seen[i];
	s->nseen = 0;
	ST_CHECK(s, !tpol_class_walk(&s->c, &after, st_collect, s));
	ST_CHECK(s, s->nseen == full - i - 1);
	for (j = 0; j < s->nseen; j++)
		ST_CHECK(s, st_before(&after, &s->seen[j]));
	return true;
}

static struct tpol_route __init st_random_route(struct tpol_st *s)
{
	static const u8 toses[] = { 0, 0, 0, 0x04, 0x08, 0x10 };
	struct tpol_route rt = { .type = TPOL_ROUTE_UNICAST };
	u32 r = st_rand(s), addr;
	unsigned int len;

	addr = s->base[r % 8] ^ (st_rand(s) >> (st_rand(s) % 32));
	len = r >> 8 & 31;
	if (r & 0x10000)
		len = 8 + len % 25;	/* lengths near the bases' are common */
	if (!(r & 0xf00000))
		len = 32;
	rt.dst = cpu_to_be32(addr & st_mask(len));
	rt.dst_len = len;
	rt.tos = toses[(r >> 24) % ARRAY_SIZE(toses)];
	rt.metric = (r >> 28) % 4;
	switch (st_rand(s) % 10) {
	case 0:
		rt.type = TPOL_ROUTE_REJECT;
		break;
	case 1:
		rt.type = TPOL_ROUTE_THROW;
		break;
	default:
		rt.gw = cpu_to_be32(st_rand(s) | 1);
		rt.oif = st_rand(s) % 4;
	}
	return rt;
}

static u32 __init st_random_addr(struct tpol_st *s)
{
	u32 r = st_rand(s);

	if (s->nmodel && (r & 1))
		return be32_to_cpu(s->model[(r >> 1) % s->nmodel].dst) ^
		       (st_rand(s) >> (st_rand(s) % 32));
	if (r & 2)
		return s->base[(r >> 2) % 8] ^ (st_rand(s) >> (r >> 8) % 32);
	return st_rand(s);
}

static bool __init st_random_op(struct tpol_st *s)
{
	static const u8 toses[] = { 0, 0x04, 0x08, 0x10, 0x1c };
	struct tpol_route rt, old;
	const struct tpol_route *got, *want;
	unsigned int i, match;
	int err, expect;
	u32 r = st_rand(s), addr;
	bool same;
	u8 tos;

	if (s->nmodel < ST_ROUTES && (r % 8 < 5 || !s->nmodel)) {
		rt = st_random_route(s);
		for (i = 0; i < s->nmodel; i++)
			if (st_same_key(&s->model[i], &rt))
				break;
		expect = i < s->nmodel ? -EEXIST : 0;
		err = tpol_class_add(&s->c, &rt);
		ST_CHECK(s, err == expect);
		if (!err)
			s->model[s->nmodel++] = rt;
	} else {
		/* Half the time a route that exists; some with fewer fields. */
		if (r & 8)
			rt = s->model[(r >> 4) % s->nmodel];
		else
			rt = st_random_route(s);
		match = (r & 0x10000) ? 0 : TPOL_MATCH_TOS | TPOL_MATCH_METRIC;
		want = NULL;
		for (i = 0; i < s->nmodel; i++) {
			const struct tpol_route *m = &s->model[i];

			if (m->dst != rt.dst || m->dst_len != rt.dst_len)
				continue;
			if (match && !st_same_key(m, &rt))
				continue;
			if (!want || st_before(m, want))
				want = m;
		}
		err = tpol_class_del(&s->c, &rt, match, &old);
		ST_CHECK(s, err == (want ? 0 : -ESRCH));
		if (want) {
			ST_CHECK(s, st_same(&old, want));
			i = want - s->model;
			s->model[i] = s->model[--s->nmodel];
		}
	}
	ST_CHECK(s, tpol_class_count(&s->c) == s->nmodel);

	for (i = 0; i < 4; i++) {
		addr = st_random_addr(s);
		tos = toses[st_rand(s) % ARRAY_SIZE(toses)];
		want = st_model_lookup(s, addr, tos);
		rcu_read_lock();
		got = tpol_class_lookup(&s->c, cpu_to_be32(addr), tos);
		same = !got == !want && (!got || st_same(got, want));
		rcu_read_unlock();
		ST_CHECK(s, same);
	}
	return true;
}

static bool __init st_random(struct tpol_st *s, u32 seed, unsigned int ops)
{
	unsigned int i;

	s->rnd = seed ? seed : 1;
	for (i = 0; i < ARRAY_SIZE(s->base); i++)
		s->base[i] = st_rand(s);
	s->nmodel = 0;
	for (i = 0; i < ops; i++) {
		if (!st_random_op(s))
			return false;
		if (i % 64 == 63 || i == ops - 1) {
			ST_TRIE_OK(s);
			if (!st_walk_ok(s))
				return false;
		}
	}
	/* Empty it through deletes, so that every prune path runs. */
	while (s->nmodel) {
		struct tpol_route rt = s->model[st_rand(s) % s->nmodel];

		ST_CHECK(s, !tpol_class_del(&s->c, &rt, TPOL_MATCH_TOS |
					    TPOL_MATCH_METRIC, NULL));
		for (i = 0; !st_same_key(&s->model[i], &rt); i++)
			;
		s->model[i] = s->model[--s->nmodel];
		if (s->nmodel % 16 == 0)
			ST_TRIE_OK(s);
	}
	ST_CHECK(s, !rcu_access_pointer(s->c.root));
	return true;
}

static bool __init tpol_class_selftest(void)
{
	struct tpol_st *s;
	bool ok = false;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		goto out_report;
	s->model = kcalloc(ST_ROUTES, sizeof(*s->model), GFP_KERNEL);
	s->seen = kcalloc(ST_ROUTES, sizeof(*s->seen), GFP_KERNEL);
	if (!s->model || !s->seen)
		goto out_free;
	mutex_init(&s->lock);
	tpol_class_init(&s->c, &s->lock);

	mutex_lock(&s->lock);
	ok = st_rules(s) && st_random(s, 0x2545f491, ST_OPS);
	tpol_class_flush(&s->c);
	mutex_unlock(&s->lock);
	mutex_destroy(&s->lock);
out_free:
	if (ok)
		pr_info("class selftest: %u checks passed\n", s->checks);
	kfree(s->seen);
	kfree(s->model);
	kfree(s);
out_report:
	if (!ok)
		pr_err("class selftest: FAILED\n");
	return ok;
}
