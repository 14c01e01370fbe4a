// SPDX-License-Identifier: GPL-2.0
/*
 * lpm: the class-lookup benchmark of tun_policy.ko (issue 9).
 *
 * policy/class.c, the very file the module compiles, is built in here
 * against shim.h and filled with a BGP-like IPv4 table (500,000 distinct
 * prefixes by default, fixed seed); a plain binary trie, one bit per
 * level, is built from the same prefixes in the same order with the same
 * allocator as the baseline. Both answer every lookup key (a fixed-seed
 * mix of hits and misses) and must agree on every one: a single mismatch
 * fails the run. Then each is timed on one core (pinned), in lookups per
 * second of the thread's CPU time (the machine may be shared: time spent
 * descheduled is not the lookup's), and a line per implementation is
 * printed:
 *
 *   BENCH name=lpm/<impl> lookups_per_s=<f> bytes_per_prefix=<f> build_s=<f>
 *
 * bytes_per_prefix counts what the kernel's slab allocator would hand
 * out for the structure (shim.h), divided by the number of prefixes.
 *
 * The length mix (lens[] below) is the shape of the public IPv4 BGP
 * table's prefix-length histogram as the CIDR Report and
 * bgp.potaroo.net publish it (2023-2025, ~1M prefixes): about 60 % /24,
 * then /22 and /23 (~21 %), /16 to /21 (~16 %), a few shorter ones, and
 * nothing longer than /24 (the default-free zone filters them). The
 * figures are rounded; the benchmark cares about the shape, not the
 * last percent. As in a real table, some of the longer prefixes are
 * more-specifics of shorter ones (NEST_PCT), which gives the lookup the
 * nested prefixes it must fall back through.
 *
 * Usage: lpm [-n PREFIXES] [-k KEYS] [-s SEED] [-t SECONDS] [-r REPEATS]
 */
#include <sched.h>
#include <time.h>
#include <unistd.h>

#define TPOL_DEBUG 1		/* for tpol_class_check(); lookup unchanged */
#define TPOL_JUMP_MIN 4096	/* the module's, not TPOL_DEBUG's 16 */
#include "shim.h"
#include "../../../policy/class.c"

/* Per 100,000 prefixes, by length. */
static const struct {
	u8 len;
	unsigned int per100k;
} lens[] = {
	{ 8, 15 },    { 9, 15 },     { 10, 30 },   { 11, 70 },   { 12, 150 },
	{ 13, 300 },  { 14, 500 },   { 15, 800 },  { 16, 1400 }, { 17, 1000 },
	{ 18, 1600 }, { 19, 3400 },  { 20, 4500 }, { 21, 4600 }, { 22, 11500 },
	{ 23, 9800 }, { 24, 60320 },
};

/* Of the prefixes of /17 and longer, this many are inside a shorter one. */
#define NEST_PCT	40

static u64 rng;

/* xorshift64*: the same sequence on every machine for a given seed. */
static u64 rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static u32 rnd32(void)
{
	return rnd() >> 32;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static u32 mask(unsigned int len)
{
	return len ? ~0U << (32 - len) : 0;
}

static void die(const char *what)
{
	fprintf(stderr, "lpm: %s\n", what);
	exit(1);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p)
		die("out of memory");
	return p;
}

/* ---- the prefixes ---- */

struct pfx {
	u32 addr;	/* host order */
	u8 len;
};

/* An open-addressing set of (addr, len), to keep the prefixes distinct. */
static u64 *set;
static size_t set_mask;

static bool set_add(u32 addr, u8 len)
{
	u64 v = (u64)addr << 8 | len | 1ULL << 40;
	size_t i = (v * 0x9e3779b97f4a7c15ULL) >> 20 & set_mask;

	while (set[i]) {
		if (set[i] == v)
			return false;
		i = (i + 1) & set_mask;
	}
	set[i] = v;
	return true;
}

/* A unicast address: 1.0.0.0 to 223.255.255.255, not 10/8 or 127/8. */
static u32 unicast(void)
{
	u32 a;

	do
		a = rnd32();
	while (a < 0x01000000 || a >= 0xe0000000 || a >> 24 == 10 ||
	       a >> 24 == 127);
	return a;
}

static struct pfx *gen_prefixes(unsigned int n)
{
	struct pfx *p = xcalloc(n, sizeof(*p));
	unsigned int i, j, k = 0, want, tries, total = 0;
	size_t sz = 1;
	u32 a;
	u8 len;

	while (sz < 4 * (size_t)n)
		sz <<= 1;
	set = xcalloc(sz, sizeof(*set));
	set_mask = sz - 1;

	for (i = 0; i < ARRAY_SIZE(lens); i++)
		total += lens[i].per100k;
	/* Shortest first, so that longer ones can nest in them. */
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		len = lens[i].len;
		want = i == ARRAY_SIZE(lens) - 1 ? n - k :
		       (unsigned int)((u64)n * lens[i].per100k / total);
		for (j = 0; j < want; j++) {
			for (tries = 0;; tries++) {
				if (tries > 1000)
					die("cannot place the prefixes: too many for the mix");
				if (len >= 17 && k && rnd() % 100 < NEST_PCT) {
					const struct pfx *up = &p[rnd() % k];

					a = up->addr | (rnd32() & ~mask(up->len));
				} else {
					a = unicast();
				}
				a &= mask(len);
				if (set_add(a, len))
					break;
			}
			p[k].addr = a;
			p[k].len = len;
			k++;
		}
	}
	free(set);

	/* A table arrives in no particular order: shuffle (Fisher-Yates). */
	for (i = n - 1; i > 0; i--) {
		struct pfx t = p[i];

		j = rnd() % (i + 1);
		p[i] = p[j];
		p[j] = t;
	}
	return p;
}

/*
 * The lookup keys: half inside a random prefix (always a hit), half
 * uniform over the whole 32-bit space (misses in the unrouted space,
 * hits, often of a short prefix, elsewhere).
 */
static u32 *gen_keys(const struct pfx *p, unsigned int n, unsigned int nkeys)
{
	u32 *k = xcalloc(nkeys, sizeof(*k));
	unsigned int i;

	for (i = 0; i < nkeys; i++) {
		if (rnd() & 1) {
			const struct pfx *q = &p[rnd() % n];

			k[i] = q->addr | (rnd32() & ~mask(q->len));
		} else {
			k[i] = rnd32();
		}
	}
	return k;
}

/* ---- the baseline: a binary trie, one bit per level ---- */

struct bt_node {
	struct bt_node *child[2];
	const struct tpol_route *rt;
};

static struct bt_node *bt_root;

static int bt_add(const struct tpol_route *rt)
{
	struct bt_node **slot = &bt_root;
	u32 k = be32_to_cpu(rt->dst);
	unsigned int i;

	for (i = 0;; i++) {
		if (!*slot) {
			*slot = kzalloc(sizeof(**slot), GFP_KERNEL);
			if (!*slot)
				return -ENOMEM;
		}
		if (i == rt->dst_len)
			break;
		slot = &(*slot)->child[k >> (31 - i) & 1];
	}
	if ((*slot)->rt)
		return -EEXIST;
	(*slot)->rt = rt;
	return 0;
}

static const struct tpol_route *bt_lookup(u32 k)
{
	const struct bt_node *n = bt_root;
	const struct tpol_route *best = NULL;
	unsigned int i = 0;

	while (n) {
		if (n->rt)
			best = n->rt;
		if (i == 32)
			break;
		n = n->child[k >> (31 - i) & 1];
		i++;
	}
	return best;
}

/* ---- timing ---- */

static struct tpol_class cls;
static struct mutex lock;

/* The sum of the gateways found keeps the compiler from skipping work. */
static u64 run_class(const u32 *keys, unsigned int nkeys)
{
	const struct tpol_route *rt;
	unsigned int i;
	u64 sum = 0;

	for (i = 0; i < nkeys; i++) {
		rt = tpol_class_lookup(&cls, cpu_to_be32(keys[i]), 0);
		if (rt)
			sum += rt->gw;
	}
	return sum;
}

static u64 run_bt(const u32 *keys, unsigned int nkeys)
{
	const struct tpol_route *rt;
	unsigned int i;
	u64 sum = 0;

	for (i = 0; i < nkeys; i++) {
		rt = bt_lookup(keys[i]);
		if (rt)
			sum += rt->gw;
	}
	return sum;
}

static volatile u64 sink;

/*
 * The vertices a class.c lookup visits for @k, walking the trie as
 * tpol_class_lookup() does (from the jump table's entry, then from the
 * root if that found nothing): each one is a dependent load, a cache
 * miss once the table is larger than the caches.
 */
static unsigned int class_walk_visits(const struct tpol_pnode *p, u32 k,
				      bool *found)
{
	const struct tpol_rnode *rn;
	unsigned int n = 0;

	while (p && tpol_covers(p, k)) {
		n++;
		for (rn = p->routes; rn; rn = rn->next)
			if (!rn->rt.tos)
				*found = true;
		if (p->len == 32)
			break;
		p = p->child[tpol_kbit(k, p->len)];
	}
	return n + !!p;
}

static unsigned int class_visits(u32 k)
{
	unsigned int n = 0;
	bool found = false;

	if (cls.jump) {
		n = 1 + class_walk_visits(cls.jump->v[k >> (32 - TPOL_JUMP_BITS)],
					  k, &found);
		if (found)
			return n;
	}
	return n + class_walk_visits(cls.root, k, &found);
}

static unsigned int bt_visits(u32 k)
{
	const struct bt_node *nd = bt_root;
	unsigned int n = 0, i = 0;

	while (nd && i <= 32) {
		n++;
		if (i == 32)
			break;
		nd = nd->child[k >> (31 - i) & 1];
		i++;
	}
	return n;
}

/*
 * Lookups per second: passes over the keys for @secs, the best of
 * @repeats such runs (the machine may be shared: the best run is the one
 * least disturbed).
 */
static double measure(u64 (*run)(const u32 *, unsigned int), const u32 *keys,
		      unsigned int nkeys, double secs, unsigned int repeats)
{
	double best = 0, t0, t;
	unsigned long passes;
	unsigned int r;

	sink += run(keys, nkeys);	/* warm up */
	for (r = 0; r < repeats; r++) {
		passes = 0;
		t0 = now();
		do {
			sink += run(keys, nkeys);
			passes++;
			t = now() - t0;
		} while (t < secs);
		if (passes * (double)nkeys / t > best)
			best = passes * (double)nkeys / t;
	}
	return best;
}

static void pin(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	CPU_ZERO(&set);
	CPU_SET(cpu < 0 ? 0 : cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		fprintf(stderr, "lpm: not pinned: %s\n", strerror(errno));
	else
		printf("# pinned to cpu %d\n", cpu < 0 ? 0 : cpu);
}

int main(int argc, char **argv)
{
	unsigned int n = 500000, nkeys = 1 << 20, repeats = 3, i, hits = 0;
	unsigned int hist[33] = { 0 };
	double secs = 1.0, t, build_class, build_bt, lps_class, lps_bt;
	size_t bytes_class, bytes_bt;
	u64 visits_class = 0, visits_bt = 0;
	struct tpol_route *routes;
	struct pfx *p;
	u64 seed = 0x74706f6cULL;
	u32 *keys;
	int opt;

	while ((opt = getopt(argc, argv, "n:k:s:t:r:")) != -1) {
		switch (opt) {
		case 'n':
			n = strtoul(optarg, NULL, 0);
			break;
		case 'k':
			nkeys = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 't':
			secs = strtod(optarg, NULL);
			break;
		case 'r':
			repeats = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: lpm [-n PREFIXES] [-k KEYS] [-s SEED] [-t SECONDS] [-r REPEATS]\n");
			return 2;
		}
	}
	if (!n || !nkeys || !repeats || !seed)
		die("-n, -k, -r and -s must be non-zero");
	pin();

	rng = seed;
	p = gen_prefixes(n);
	keys = gen_keys(p, n, nkeys);
	routes = xcalloc(n, sizeof(*routes));
	for (i = 0; i < n; i++) {
		routes[i].dst = cpu_to_be32(p[i].addr);
		routes[i].dst_len = p[i].len;
		routes[i].gw = cpu_to_be32(i + 1);	/* names the prefix */
		routes[i].oif = 1;
		routes[i].type = TPOL_ROUTE_UNICAST;
		hist[p[i].len]++;
	}
	printf("# %u prefixes, seed %#llx; by length:", n,
	       (unsigned long long)seed);
	for (i = 0; i <= 32; i++)
		if (hist[i])
			printf(" /%u %u", i, hist[i]);
	printf("\n");

	/* Build both, the same prefixes in the same order. */
	lock.held = 1;
	tpol_class_init(&cls, &lock);
	t = now();
	for (i = 0; i < n; i++)
		if (tpol_class_add(&cls, &routes[i]))
			die("tpol_class_add failed");
	build_class = now() - t;
	bytes_class = shim_bytes + shim_vbytes;
	if (tpol_class_count(&cls) != n || tpol_class_check(&cls))
		die("class.c: the trie is inconsistent");
	printf("# class.c: %zu objects, %zu bytes, of which %zu in its jump table\n",
	       shim_objects, bytes_class, shim_vbytes);

	t = now();
	for (i = 0; i < n; i++)
		if (bt_add(&routes[i]))
			die("binary trie: add failed");
	build_bt = now() - t;
	bytes_bt = shim_bytes + shim_vbytes - bytes_class;
	printf("# binary trie: %zu bytes\n", bytes_bt);

	/* Every key, both ways: they must agree, route for route. */
	for (i = 0; i < nkeys; i++) {
		const struct tpol_route *a, *b;

		a = tpol_class_lookup(&cls, cpu_to_be32(keys[i]), 0);
		b = bt_lookup(keys[i]);
		/* class.c returns its copy: the gateway names the prefix. */
		if (!a != !b || (a && a->gw != b->gw) ||
		    tpol_class_lookup(&cls, cpu_to_be32(keys[i]), 0x10) != a) {
			fprintf(stderr, "lpm: MISMATCH for %08x: class.c %08x/%d, binary trie %08x/%d\n",
				keys[i], a ? be32_to_cpu(a->dst) : 0,
				a ? a->dst_len : -1,
				b ? be32_to_cpu(b->dst) : 0,
				b ? b->dst_len : -1);
			return 1;
		}
		hits += !!a;
	}
	printf("# %u keys, %u hits (%.1f %%), both agree on every key\n",
	       nkeys, hits, 100.0 * hits / nkeys);
	for (i = 0; i < nkeys; i++) {
		visits_class += class_visits(keys[i]);
		visits_bt += bt_visits(keys[i]);
	}
	printf("# dependent loads per lookup: class.c %.1f (vertices, and the jump entry), binary trie %.1f\n",
	       (double)visits_class / nkeys, (double)visits_bt / nkeys);

	lps_class = measure(run_class, keys, nkeys, secs, repeats);
	lps_bt = measure(run_bt, keys, nkeys, secs, repeats);
	printf("BENCH name=lpm/class lookups_per_s=%.0f bytes_per_prefix=%.1f build_s=%.3f\n",
	       lps_class, (double)bytes_class / n, build_class);
	printf("BENCH name=lpm/bintrie lookups_per_s=%.0f bytes_per_prefix=%.1f build_s=%.3f\n",
	       lps_bt, (double)bytes_bt / n, build_bt);

	tpol_class_flush(&cls);
	if (shim_bytes + shim_vbytes != bytes_bt)
		die("class.c: the flush left objects behind");
	return 0;
}
