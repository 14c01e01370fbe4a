// SPDX-License-Identifier: GPL-2.0
/*
 * tpolfuzz: a seeded fuzzer of tun_policy's netlink interface and hooks.
 *
 *	tpolfuzz [--seed N] [--seconds N] [--ops N] [--threads N] [--trace]
 *
 * Threads add and delete class routes (generic netlink) and rules
 * (RTM_NEWRULE/DELRULE of TPOL_FAMILY), well-formed and malformed, with
 * garbage attributes, headers and nests, and send traffic through the
 * rules meanwhile: packets written into two tun devices of a forwarding
 * namespace (PRE_ROUTING), and UDP and ICMP sent from the namespace itself
 * (LOCAL_OUT), with random TOS; devices go down, change address, go away
 * and come back under the rules that name them; namespaces full of rules
 * are made and deleted.
 *
 * Two kinds of namespace:
 *   the shared one, where all threads do all of this at once, unchecked
 *   (the console catches what goes wrong);
 *   one per thread, where only that thread changes anything, so that it
 *   can keep a model and check, without any timing: a well-formed route
 *   whose key is new is added, one whose key exists is refused with
 *   EEXIST, a delete of a route the model holds succeeds and of one it
 *   does not hold fails with ESRCH, every dump of the classes is exactly
 *   the model, and the number of rules dumped is exactly the three
 *   defaults plus the adds that succeeded minus the deletes that did.
 */
#include "fuzz.h"
#include "nl.h"
#include "tt.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../include/uapi/linux/tun_policy.h"

#define MAX_ROUTES 256
#define N_DEV 2

static int genl_id = -1;

/* The shared namespace and its two tun devices (tp0 198.18.1.1/24, tp1 .2.1). */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int shared_ns = -1;
static int dev_fd[N_DEV] = { -1, -1 };

struct route {
	uint8_t class, len, tos, type;
	uint32_t dst, metric, gw, oif;	/* dst, gw: network order */
};

/* A thread's own namespace and what it holds there. */
struct model {
	struct route r[MAX_ROUTES];
	int n;
	int rules;		/* of our family, defaults included */
	int checks;
};

/* ---- messages ---- */

static void genl_req(struct tt_nl *m, int cmd, int flags)
{
	struct genlmsghdr g = { .cmd = (uint8_t)cmd,
				.version = TPOL_GENL_VERSION };

	tt_nl_init(m, genl_id, flags, &g, sizeof(g));
}

static void put_route(struct tt_nl *m, const struct route *r, int full)
{
	tt_nl_put_u8(m, TPOL_A_CLASS, r->class);
	tt_nl_put(m, TPOL_A_DST, &r->dst, 4);
	tt_nl_put_u8(m, TPOL_A_DST_LEN, r->len);
	if (!full)
		return;
	tt_nl_put_u8(m, TPOL_A_TOS, r->tos);
	tt_nl_put_u32(m, TPOL_A_METRIC, r->metric);
	if (r->gw)
		tt_nl_put(m, TPOL_A_GATEWAY, &r->gw, 4);
	if (r->oif)
		tt_nl_put_u32(m, TPOL_A_OIF, r->oif);
	tt_nl_put_u8(m, TPOL_A_TYPE, r->type);
}

static uint32_t mask(int len)
{
	return len ? htonl(0xffffffffu << (32 - len)) : 0;
}

/* A well-formed route, of a class in 1..16 or 253..255. */
static void good_route(struct fz_thread *t, struct route *r)
{
	static const uint8_t tos[] = { 0, 0, 0, 0x04, 0x08, 0x10, 0x02 };

	memset(r, 0, sizeof(*r));
	r->class = fz_chance(&t->rng, 7, 8) ? 1 + fz_below(&t->rng, 16) :
					      253 + fz_below(&t->rng, 3);
	r->len = fz_chance(&t->rng, 1, 10) ? 0 : 8 + fz_below(&t->rng, 25);
	r->dst = htonl(0xc6120000u | fz_below(&t->rng, 0x10000) |
		       (fz_below(&t->rng, 2) << 16)) & mask(r->len);
	r->tos = tos[fz_below(&t->rng, sizeof(tos))];
	r->metric = fz_chance(&t->rng, 1, 2) ? 0 : fz_below(&t->rng, 4);
	r->type = TPOL_ROUTE_UNICAST + fz_below(&t->rng, 3);
	if (r->type == TPOL_ROUTE_UNICAST) {
		int w = (int)fz_below(&t->rng, 3);

		if (w != 1)
			r->gw = htonl(0xc6120000u |
				      fz_below(&t->rng, 4) << 8 |
				      (1 + fz_below(&t->rng, 254)));
		if (w != 0)
			r->oif = 1;	/* lo: never goes away */
	}
}

/* The same as good_route() for the shared namespace: any device. */
static void shared_route(struct fz_thread *t, struct route *r)
{
	good_route(t, r);
	if (r->oif)
		r->oif = 1 + fz_below(&t->rng, 12);
	if (fz_chance(&t->rng, 1, 4))
		r->dst = htonl(0xc6126400u) & mask(r->len);	/* 198.18.100/24 */
}

/* Malformed or odd attributes on top of a route request. */
static void garble(struct fz_thread *t, struct tt_nl *m, int max_type)
{
	int n = (int)fz_below(&t->rng, 4);

	for (int i = 0; i < n; i++) {
		uint8_t junk[64];
		size_t len = fz_size(&t->rng, sizeof(junk));
		int type = (int)fz_below(&t->rng, (uint32_t)max_type + 3);

		fz_fill(&t->rng, junk, len);
		if (fz_chance(&t->rng, 1, 6))
			type |= NLA_F_NESTED;
		tt_nl_put(m, type, junk, len);
	}
	if (fz_chance(&t->rng, 1, 8) && m->nh.nlmsg_len > NLMSG_HDRLEN + 8) {
		/* cut the message anywhere, even inside an attribute */
		m->nh.nlmsg_len -= fz_below(&t->rng, 8);
	}
}

/* ---- the model ---- */

static int route_key_eq(const struct route *a, const struct route *b)
{
	return a->class == b->class && a->dst == b->dst && a->len == b->len &&
	       a->tos == b->tos && a->metric == b->metric;
}

static int route_eq(const struct route *a, const struct route *b)
{
	return route_key_eq(a, b) && a->type == b->type && a->gw == b->gw &&
	       a->oif == b->oif;
}

static int model_find(struct model *md, const struct route *r)
{
	for (int i = 0; i < md->n; i++)
		if (route_key_eq(&md->r[i], r))
			return i;
	return -1;
}

struct dump {
	struct route r[MAX_ROUTES + 1];
	int n, bad, intr;
};

static int dump_route(struct nlmsghdr *nh, void *arg)
{
	struct dump *d = arg;
	size_t off = NLMSG_LENGTH(GENL_HDRLEN);
	struct route r = { 0 };

	if (nh->nlmsg_flags & NLM_F_DUMP_INTR)
		d->intr++;
	if (nh->nlmsg_type != genl_id) {
		d->bad++;
		return 0;
	}
	while (off + NLA_HDRLEN <= nh->nlmsg_len) {
		struct nlattr *a = (struct nlattr *)((char *)nh + off);
		uint8_t *p = (uint8_t *)a + NLA_HDRLEN;

		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > nh->nlmsg_len) {
			d->bad++;
			break;
		}
		switch (a->nla_type) {
		case TPOL_A_CLASS:
			r.class = *p;
			break;
		case TPOL_A_DST:
			memcpy(&r.dst, p, 4);
			break;
		case TPOL_A_DST_LEN:
			r.len = *p;
			break;
		case TPOL_A_TOS:
			r.tos = *p;
			break;
		case TPOL_A_METRIC:
			memcpy(&r.metric, p, 4);
			break;
		case TPOL_A_GATEWAY:
			memcpy(&r.gw, p, 4);
			break;
		case TPOL_A_OIF:
			memcpy(&r.oif, p, 4);
			break;
		case TPOL_A_TYPE:
			r.type = *p;
			break;
		}
		off += NLA_ALIGN(a->nla_len);
	}
	if (d->n < MAX_ROUTES + 1)
		d->r[d->n] = r;
	d->n++;
	return 0;
}

static int route_dump(struct fz_thread *t, int class, struct dump *d)
{
	static __thread struct tt_nl m;

	memset(d, 0, sizeof(*d));
	genl_req(&m, TPOL_CMD_GETROUTE, NLM_F_DUMP);
	if (class >= 0)
		tt_nl_put_u8(&m, TPOL_A_CLASS, (uint8_t)class);
	(void)t;
	return tt_nl_talk(NETLINK_GENERIC, &m, dump_route, d, NULL);
}

/* The dump of the thread's namespace must be exactly its model. */
static void model_check(struct fz_thread *t, struct model *md)
{
	static __thread struct dump d;
	int class = fz_chance(&t->rng, 1, 2) ? -1 :
		    (int)(1 + fz_below(&t->rng, 16));
	int want = 0, err;

	err = route_dump(t, class, &d);
	if (err) {
		fz_fail(t, "route dump: %s", err < 0 ? "no answer" :
			tt_errname(err));
		return;
	}
	if (d.bad || d.intr) {
		fz_fail(t, "route dump: %d malformed, %d interrupted messages "
			"in a namespace nobody else changes", d.bad, d.intr);
		return;
	}
	for (int i = 0; i < md->n; i++)
		want += class < 0 || md->r[i].class == class;
	if (d.n != want) {
		fz_fail(t, "route dump of class %d: %d routes, the model has %d",
			class, d.n, want);
		return;
	}
	for (int i = 0; i < d.n; i++) {
		int j = model_find(md, &d.r[i]);

		if (j < 0 || !route_eq(&md->r[j], &d.r[i]) ||
		    (class >= 0 && d.r[i].class != class)) {
			char a[16], g[16];

			inet_ntop(AF_INET, &d.r[i].dst, a, sizeof(a));
			inet_ntop(AF_INET, &d.r[i].gw, g, sizeof(g));
			fz_fail(t, "route dump: class %u %s/%u tos 0x%x metric %u "
				"type %u gw %s oif %u is not the model's",
				d.r[i].class, a, d.r[i].len, d.r[i].tos,
				d.r[i].metric, d.r[i].type, g, d.r[i].oif);
			return;
		}
	}
	md->checks++;
}

static int count_rule(struct nlmsghdr *nh, void *arg)
{
	struct fib_rule_hdr *frh = NLMSG_DATA(nh);
	int *n = arg;

	if (nh->nlmsg_type == RTM_NEWRULE && frh->family == TPOL_FAMILY)
		(*n)++;
	return 0;
}

static void rules_check(struct fz_thread *t, struct model *md)
{
	static __thread struct tt_nl m;
	struct fib_rule_hdr frh = { .family = TPOL_FAMILY };
	int n = 0, err;

	tt_nl_init(&m, RTM_GETRULE, NLM_F_DUMP, &frh, sizeof(frh));
	err = tt_nl_talk(NETLINK_ROUTE, &m, count_rule, &n, NULL);
	if (err) {
		fz_fail(t, "rule dump: %s", err < 0 ? "no answer" :
			tt_errname(err));
		return;
	}
	if (n != md->rules)
		fz_fail(t, "rule dump: %d rules, the model has %d", n,
			md->rules);
	md->checks++;
}

/* ---- which namespace ---- */

/*
 * Half the operations go to the shared namespace, half to the thread's
 * own (the model's).  Returns the model, or NULL for the shared one (the
 * thread is then in it until leave()).
 */
static void enter_shared(struct fz_thread *t);

static struct model *choose(struct fz_thread *t)
{
	if (fz_chance(&t->rng, 1, 2))
		return t->priv;
	enter_shared(t);
	return NULL;
}

static void enter_shared(struct fz_thread *t)
{
	int fd;

	pthread_mutex_lock(&lock);
	fd = fcntl(shared_ns, F_DUPFD_CLOEXEC, 0);
	pthread_mutex_unlock(&lock);
	if (fd < 0 || fz_ns_enter(fd))
		fz_fail(t, "setns shared: %s", tt_errname(errno));
	if (fd >= 0)
		close(fd);
}

static void leave(struct fz_thread *t, struct model *md)
{
	if (!md && fz_ns_enter(t->home_ns))
		fz_fail(t, "setns home: %s", tt_errname(errno));
}

/* ---- routes ---- */

static void op_route_add(struct fz_thread *t)
{
	static __thread struct tt_nl m;
	struct model *md = choose(t);
	struct route r;
	int err, i;

	if (md)
		good_route(t, &r);
	else
		shared_route(t, &r);
	genl_req(&m, TPOL_CMD_NEWROUTE, 0);
	put_route(&m, &r, 1);
	if (!md && fz_chance(&t->rng, 1, 4))
		garble(t, &m, TPOL_A_MAX);
	err = tt_nl_talk(NETLINK_GENERIC, &m, NULL, NULL, NULL);
	t->ok = !err;
	if (md) {
		i = model_find(md, &r);
		if (i >= 0 && err != EEXIST)
			fz_fail(t, "NEWROUTE of a key that exists: %s, want EEXIST",
				tt_errname(err));
		else if (i < 0 && err)
			fz_fail(t, "NEWROUTE of a new well-formed route: %s",
				err < 0 ? "no answer" : tt_errname(err));
		else if (i < 0 && md->n < MAX_ROUTES)
			md->r[md->n++] = r;
		else if (i < 0) {
			/* full: take it out again, keep the model exact */
			genl_req(&m, TPOL_CMD_DELROUTE, 0);
			put_route(&m, &r, 1);
			tt_nl_talk(NETLINK_GENERIC, &m, NULL, NULL, NULL);
		}
	}
	leave(t, md);
}

static void op_route_del(struct fz_thread *t)
{
	static __thread struct tt_nl m;
	struct model *md = choose(t);
	struct route r, *have;
	int err, i, want;

	if (md && md->n && fz_chance(&t->rng, 3, 4))
		r = md->r[fz_below(&t->rng, (uint32_t)md->n)];
	else if (md)
		good_route(t, &r);
	else
		shared_route(t, &r);
	genl_req(&m, TPOL_CMD_DELROUTE, 0);
	/* the model's deletes name the whole key, so that one route matches */
	put_route(&m, &r, md || fz_chance(&t->rng, 1, 2));
	if (!md && fz_chance(&t->rng, 1, 4))
		garble(t, &m, TPOL_A_MAX);
	err = tt_nl_talk(NETLINK_GENERIC, &m, NULL, NULL, NULL);
	t->ok = !err;
	if (md) {
		/*
		 * The key is unique in its class: the one candidate must
		 * match every field the request names (type always, the
		 * gateway and device when given), and goes if it does.
		 */
		i = model_find(md, &r);
		have = i >= 0 ? &md->r[i] : NULL;
		want = have && have->type == r.type &&
		       (!r.gw || r.gw == have->gw) &&
		       (!r.oif || r.oif == have->oif) ? 0 : ESRCH;
		if (err != want)
			fz_fail(t, "DELROUTE (%s the model): %s, want %s",
				have ? "key in" : "key not in",
				err < 0 ? "no answer" : tt_errname(err),
				tt_errname(want));
		else if (!err)
			md->r[i] = md->r[--md->n];
	}
	leave(t, md);
}

static void op_route_dump(struct fz_thread *t)
{
	static __thread struct dump d;
	struct model *md = choose(t);

	if (md)
		model_check(t, md);
	else
		route_dump(t, fz_chance(&t->rng, 1, 2) ? -1 :
			   (int)fz_below(&t->rng, 256), &d);
	leave(t, md);
}

/* ---- rules ---- */

static void rule_msg(struct fz_thread *t, struct tt_nl *m, int type,
		     int shared)
{
	static const uint8_t actions[] = {
		FR_ACT_TO_TBL, FR_ACT_TO_TBL, FR_ACT_TO_TBL, FR_ACT_BLACKHOLE,
		FR_ACT_UNREACHABLE, FR_ACT_PROHIBIT, FR_ACT_GOTO, FR_ACT_NOP,
	};
	static const char *const ifnames[] = { "tp0", "tp1", "lo", "nope" };
	struct fib_rule_hdr frh = { .family = TPOL_FAMILY };
	uint32_t a;
	int flags = type == RTM_NEWRULE && fz_chance(&t->rng, 1, 4) ?
		    NLM_F_EXCL | NLM_F_CREATE : 0;

	frh.action = actions[fz_below(&t->rng, shared ? 8 : 6)];
	frh.src_len = (uint8_t)(fz_chance(&t->rng, 1, 2) ? 0 :
				16 + fz_below(&t->rng, 17));
	frh.dst_len = (uint8_t)(fz_chance(&t->rng, 1, 2) ? 0 :
				8 + fz_below(&t->rng, 25));
	frh.tos = (uint8_t)(fz_chance(&t->rng, 3, 4) ? 0 :
			    fz_below(&t->rng, 4) << 2);
	if (frh.action == FR_ACT_TO_TBL)
		frh.table = (uint8_t)(1 + fz_below(&t->rng, 16));
	if (shared && fz_chance(&t->rng, 1, 10))
		fz_fill(&t->rng, &frh, sizeof(frh));
	tt_nl_init(m, type, flags, &frh, sizeof(frh));
	if (frh.src_len) {
		a = htonl(0xc6120100u | fz_below(&t->rng, 4)) & mask(frh.src_len);
		tt_nl_put(m, FRA_SRC, &a, 4);
	}
	if (frh.dst_len) {
		a = htonl(fz_chance(&t->rng, 1, 2) ? 0xc6126401u :
			  0xc6120201u + fz_below(&t->rng, 4)) & mask(frh.dst_len);
		tt_nl_put(m, FRA_DST, &a, 4);
	}
	tt_nl_put_u32(m, FRA_PRIORITY, 1 + fz_below(&t->rng, 200));
	if (fz_chance(&t->rng, 1, 4)) {
		const char *n = ifnames[fz_below(&t->rng, 4)];

		tt_nl_put_str(m, FRA_IIFNAME, n);
	}
	if (frh.action == FR_ACT_TO_TBL && fz_chance(&t->rng, 1, 2)) {
		struct nlattr *n = tt_nl_nest_start(m, FRA_TPOL);
		int kind = (int)fz_below(&t->rng, 4);

		if (kind) {
			tt_nl_put_u8(m, TPOL_RA_TYPE, (uint8_t)kind);
			if (kind == TPOL_RULE_NAT) {
				a = htonl(0xc6120901u);
				tt_nl_put(m, TPOL_RA_NAT, &a, 4);
			}
		}
		if (fz_chance(&t->rng, 1, 3)) {
			/* the rule's own route: no class then */
			((struct fib_rule_hdr *)NLMSG_DATA(&m->nh))->table = 0;
			a = htonl(0xc6120202u + fz_below(&t->rng, 2));
			tt_nl_put(m, TPOL_RA_GATEWAY, &a, 4);
			if (fz_chance(&t->rng, 1, 2))
				tt_nl_put_u32(m, TPOL_RA_OIF, shared ?
					      1 + fz_below(&t->rng, 8) : 1);
		}
		if (fz_chance(&t->rng, 1, 2))
			tt_nl_put_u32(m, TPOL_RA_FLAGS,
				      fz_below(&t->rng, TPOL_RULE_F_ALL + 1));
		if (shared && fz_chance(&t->rng, 1, 4))
			garble(t, m, TPOL_RA_MAX);
		tt_nl_nest_end(m, n);
	}
	if (shared && fz_chance(&t->rng, 1, 4))
		garble(t, m, FRA_MAX);
}

/* Rules a thread added and may delete again (a copy of the message). */
struct kept {
	struct tt_nl m[8];
	int n;
};

static __thread struct kept kept;

static void op_rule_add(struct fz_thread *t)
{
	static __thread struct tt_nl m;
	struct model *md = choose(t);
	int err;

	rule_msg(t, &m, RTM_NEWRULE, !md);
	err = tt_nl_talk(NETLINK_ROUTE, &m, NULL, NULL, NULL);
	t->ok = !err;
	if (md && !err) {
		md->rules++;
		if (kept.n < 8) {
			memcpy(kept.m[kept.n].buf, m.buf, m.nh.nlmsg_len);
			kept.n++;
		}
	} else if (md && err < 0) {
		fz_fail(t, "NEWRULE: no answer");
	}
	leave(t, md);
}

static void op_rule_del(struct fz_thread *t)
{
	static __thread struct tt_nl m;
	struct model *md = choose(t);
	int err;

	if (md && kept.n && fz_chance(&t->rng, 2, 3)) {
		int i = (int)fz_below(&t->rng, (uint32_t)kept.n);

		memcpy(m.buf, kept.m[i].buf, kept.m[i].nh.nlmsg_len);
		m.nh.nlmsg_type = RTM_DELRULE;
		m.nh.nlmsg_flags = NLM_F_REQUEST;
		kept.m[i] = kept.m[--kept.n];
	} else {
		rule_msg(t, &m, RTM_DELRULE, !md);
	}
	err = tt_nl_talk(NETLINK_ROUTE, &m, NULL, NULL, NULL);
	t->ok = !err;
	if (md && !err)
		md->rules--;
	else if (md && err != ENOENT && err != EINVAL)
		fz_fail(t, "DELRULE: %s, want success, ENOENT or EINVAL",
			err < 0 ? "no answer" : tt_errname(err));
	leave(t, md);
}

static void op_rule_dump(struct fz_thread *t)
{
	static __thread struct tt_nl m;
	struct fib_rule_hdr frh = { .family = TPOL_FAMILY };
	struct model *md = choose(t);
	int n = 0;

	if (md) {
		rules_check(t, md);
	} else {
		tt_nl_init(&m, RTM_GETRULE, NLM_F_DUMP, &frh, sizeof(frh));
		tt_nl_talk(NETLINK_ROUTE, &m, count_rule, &n, NULL);
	}
	leave(t, md);
}

/* Raw junk at both netlink faces, in the shared namespace. */
static void op_garbage(struct fz_thread *t)
{
	static __thread struct tt_nl m;
	size_t len;

	enter_shared(t);
	if (fz_chance(&t->rng, 1, 2)) {
		genl_req(&m, (int)fz_below(&t->rng, 8),
			 fz_chance(&t->rng, 1, 4) ? NLM_F_DUMP : 0);
		if (fz_chance(&t->rng, 1, 4))
			((struct genlmsghdr *)NLMSG_DATA(&m.nh))->version =
				(uint8_t)fz_u64(&t->rng);
		garble(t, &m, TPOL_A_MAX);
		tt_nl_talk(NETLINK_GENERIC, &m, NULL, NULL, NULL);
	} else if (fz_chance(&t->rng, 1, 2)) {
		rule_msg(t, &m, fz_chance(&t->rng, 1, 2) ? RTM_NEWRULE :
			 RTM_DELRULE, 1);
		garble(t, &m, FRA_MAX);
		tt_nl_talk(NETLINK_ROUTE, &m, NULL, NULL, NULL);
	} else {
		/* a header that lies about its length */
		rule_msg(t, &m, RTM_NEWRULE, 1);
		len = m.nh.nlmsg_len;
		m.nh.nlmsg_len = (uint32_t)fz_interesting(&t->rng);
		fz_nl_send_raw(NETLINK_ROUTE, m.buf, len);
	}
	leave(t, NULL);
}

/* ---- traffic ---- */

static int take_dev(int i)
{
	int fd;

	pthread_mutex_lock(&lock);
	fd = dev_fd[i] < 0 ? -1 : fcntl(dev_fd[i], F_DUPFD_CLOEXEC, 0);
	pthread_mutex_unlock(&lock);
	return fd;
}

static void drain(struct fz_thread *t)
{
	for (int i = 0; i < N_DEV; i++) {
		int fd = take_dev(i);

		if (fd < 0)
			continue;
		for (int k = 0; k < 16 && read(fd, t->buf2, 2048) > 0; k++)
			;
		close(fd);
	}
}

/* A packet into tp0 or tp1 of the shared namespace: it is routed there. */
static void op_traffic_in(struct fz_thread *t)
{
	static const uint32_t dsts[] = {
		0xc6126401, 0xc61264c8, 0xc6120202, 0xc6120302, 0xc6120101,
		0xc6120201, 0x0a000001, 0xc6120909,
	};
	static const int protos[] = { 1, 17, 6, 1 };
	int i = (int)fz_below(&t->rng, N_DEV), fd, proto;
	uint8_t *p = t->buf;
	size_t len;
	uint32_t src, dst;

	fd = take_dev(i);
	if (fd < 0)
		return;
	src = htonl(0xc6120002u + ((uint32_t)(i + 1) << 8) +
		    fz_below(&t->rng, 6));
	dst = htonl(dsts[fz_below(&t->rng, 8)]);
	proto = protos[fz_below(&t->rng, 4)];
	if (proto == 1) {
		uint8_t pl[56];

		fz_fill(&t->rng, pl, sizeof(pl));
		len = tt_icmp4_echo(p, src, dst, 8, (uint16_t)fz_u64(&t->rng),
				    1, pl, fz_below(&t->rng, 57));
	} else {
		uint8_t pl[512];
		size_t n = fz_size(&t->rng, sizeof(pl));

		fz_fill(&t->rng, pl, n);
		len = tt_udp4(p, src, dst, (uint16_t)(1024 + fz_below(&t->rng, 8)),
			      (uint16_t)(7 + fz_below(&t->rng, 3)), pl, n);
		if (proto == 6) {
			p[9] = 6;	/* a TCP-ish segment; checksums aside */
			if (len >= 40)
				p[33] = 0x02;	/* SYN */
		}
	}
	if (fz_chance(&t->rng, 1, 3)) {
		uint16_t c;

		p[1] = (uint8_t)(fz_below(&t->rng, 16) << 1);
		p[10] = p[11] = 0;
		c = tt_csum(p, 20);
		memcpy(p + 10, &c, 2);
	}
	if (fz_chance(&t->rng, 1, 10)) {
		/* a fragment */
		p[6] = 0x20;
		p[10] = p[11] = 0;
		{
			uint16_t c = tt_csum(p, 20);

			memcpy(p + 10, &c, 2);
		}
	}
	/* a device that is down refuses it: nothing to check there */
	t->ok = write(fd, p, len) >= 0;
	close(fd);
	drain(t);
}

/* Traffic the namespace sends itself: LOCAL_OUT. */
static void op_traffic_out(struct fz_thread *t)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct model *md = choose(t);
	int tos = (int)(fz_below(&t->rng, 16) << 1), s;
	uint8_t pl[1400];
	size_t n = fz_size(&t->rng, sizeof(pl));

	sin.sin_addr.s_addr = htonl(0xc6120000u | fz_below(&t->rng, 4) << 8 |
				    fz_below(&t->rng, 4));
	if (fz_chance(&t->rng, 1, 4))
		sin.sin_addr.s_addr = htonl(0xc6126401u);
	sin.sin_port = htons((uint16_t)(7 + fz_below(&t->rng, 3)));
	if (fz_chance(&t->rng, 2, 3)) {
		s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		fz_fill(&t->rng, pl, n);
	} else {
		/* an echo request: the kernel puts the IP header on */
		s = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
		fz_fill(&t->rng, pl, 32);
		n = tt_icmp4_echo(t->buf2, 0, 0, 8, 1, 1, pl, 32) - 20;
		memcpy(pl, t->buf2 + 20, n);
	}
	if (s >= 0) {
		setsockopt(s, IPPROTO_IP, IP_TOS, &tos, sizeof(tos));
		t->ok = sendto(s, pl, n, MSG_DONTWAIT, (struct sockaddr *)&sin,
			       sizeof(sin)) >= 0;
		close(s);
	}
	leave(t, md);
	if (!md)
		drain(t);
}

/* ---- devices and namespaces ---- */

static int dev_make(int i)
{
	char name[IFNAMSIZ], addr[32];
	int fd;
	struct ifreq ifr;

	snprintf(name, IFNAMSIZ, "tp%d", i);
	fd = open(TT_TUN_PATH, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		close(fd);
		return -1;
	}
	snprintf(addr, sizeof(addr), "198.18.%d.1", i + 1);
	tt_link_prepare(name, addr, 24, NULL);
	return fd;
}

/* In the shared namespace: devices down, up, readdressed, gone, back. */
static void op_dev(struct fz_thread *t)
{
	int i = (int)fz_below(&t->rng, N_DEV), fd, old;
	char name[IFNAMSIZ], addr[32];

	enter_shared(t);
	snprintf(name, IFNAMSIZ, "tp%d", i);
	switch (fz_below(&t->rng, 5)) {
	case 0:
		tt_link_up(name, 0);
		break;
	case 1:
		tt_link_up(name, 1);
		break;
	case 2:
		snprintf(addr, sizeof(addr), "198.18.%d.%u", i + 1,
			 1 + fz_below(&t->rng, 3));
		tt_link_addr4(name, addr, 24, NULL);
		break;
	default:
		/* recreate: the rules' and routes' ifindex goes stale */
		pthread_mutex_lock(&lock);
		old = dev_fd[i];
		dev_fd[i] = -1;
		pthread_mutex_unlock(&lock);
		if (old >= 0)
			close(old);
		fd = dev_make(i);
		pthread_mutex_lock(&lock);
		old = dev_fd[i];
		dev_fd[i] = fd;
		pthread_mutex_unlock(&lock);
		if (old >= 0)
			close(old);
		break;
	}
	leave(t, NULL);
}

/* A scratch namespace, filled with routes and rules, then deleted. */
static void op_netns(struct fz_thread *t)
{
	static __thread struct tt_nl m;
	int ns = fz_ns_new(), n = 1 + (int)fz_below(&t->rng, 40);
	struct route r;

	if (ns < 0 || fz_ns_enter(ns)) {
		if (ns >= 0)
			close(ns);
		return;
	}
	for (int i = 0; i < n && !fz_over(); i++) {
		if (fz_chance(&t->rng, 1, 2)) {
			good_route(t, &r);
			genl_req(&m, TPOL_CMD_NEWROUTE, 0);
			put_route(&m, &r, 1);
		} else {
			rule_msg(t, &m, RTM_NEWRULE, 0);
		}
		tt_nl_talk(m.nh.nlmsg_type == RTM_NEWRULE ?
			   NETLINK_ROUTE : NETLINK_GENERIC, &m, NULL, NULL, NULL);
	}
	if (fz_chance(&t->rng, 1, 2)) {
		int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		struct sockaddr_in sin = { .sin_family = AF_INET,
					   .sin_port = htons(9) };

		sin.sin_addr.s_addr = htonl(0xc6120202u);
		if (s >= 0) {
			sendto(s, "x", 1, MSG_DONTWAIT,
			       (struct sockaddr *)&sin, sizeof(sin));
			close(s);
		}
	}
	if (fz_ns_enter(t->home_ns))
		fz_fail(t, "setns home: %s", tt_errname(errno));
	close(ns);
}

/* Now and then a thread starts over in a new namespace of its own. */
static void op_own_reset(struct fz_thread *t)
{
	struct model *md = t->priv;
	int ns = fz_ns_new();

	if (ns < 0)
		return;
	model_check(t, md);
	rules_check(t, md);
	if (fz_ns_enter(ns)) {
		fz_fail(t, "setns new: %s", tt_errname(errno));
		close(ns);
		return;
	}
	close(t->home_ns);
	t->home_ns = ns;
	md->n = 0;
	md->rules = 3;
	kept.n = 0;
}

static struct fz_op ops[] = {
	{ .name = "route_add", .weight = 20, .fn = op_route_add },
	{ .name = "route_del", .weight = 12, .fn = op_route_del },
	{ .name = "route_dump", .weight = 5, .fn = op_route_dump },
	{ .name = "rule_add", .weight = 12, .fn = op_rule_add },
	{ .name = "rule_del", .weight = 8, .fn = op_rule_del },
	{ .name = "rule_dump", .weight = 4, .fn = op_rule_dump },
	{ .name = "garbage", .weight = 8, .fn = op_garbage },
	{ .name = "traffic_in", .weight = 16, .fn = op_traffic_in },
	{ .name = "traffic_out", .weight = 10, .fn = op_traffic_out },
	{ .name = "dev", .weight = 3, .fn = op_dev },
	{ .name = "netns", .weight = 2, .fn = op_netns },
	{ .name = "own_reset", .weight = 1, .fn = op_own_reset },
};

static int total_checks;

static void thread_start(struct fz_thread *t)
{
	struct model *md = calloc(1, sizeof(*md));
	int ns = fz_ns_new();

	t->priv = md;
	t->home_ns = ns;
	if (!md || ns < 0 || fz_ns_enter(ns)) {
		fz_fail(t, "thread setup: %s", tt_errname(errno));
		return;
	}
	md->rules = 3;
	rules_check(t, md);
}

static void thread_stop(struct fz_thread *t)
{
	struct model *md = t->priv;

	if (md && t->home_ns >= 0 && !fz_failed()) {
		model_check(t, md);
		rules_check(t, md);
	}
	if (md) {
		pthread_mutex_lock(&lock);
		total_checks += md->checks;
		pthread_mutex_unlock(&lock);
	}
	if (t->home_ns >= 0) {
		char left[256];

		if (fz_ns_sweep(t->home_ns, left, sizeof(left)))
			fz_fail(t, "own netns: devices would not go: %s", left);
		close(t->home_ns);
	}
	free(md);
}

static int policy_main(void)
{
	char left[256];
	int fd, bad = 0;

	signal(SIGPIPE, SIG_IGN);
	if (system("modprobe tun_policy")) {
		printf("# modprobe tun_policy failed\n");
		return 1;
	}
	genl_id = tt_nl_genl_family(TPOL_GENL_NAME);
	if (genl_id < 0) {
		printf("# genetlink family %s not found\n", TPOL_GENL_NAME);
		return 1;
	}
	if (tt_tun_node() || unshare(CLONE_NEWNET)) {
		printf("# setup: %s\n", tt_errname(errno));
		return 1;
	}
	tt_lo_up();
	shared_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	fd = open("/proc/sys/net/ipv4/ip_forward", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "1", 1) != 1)
		printf("# cannot turn forwarding on: %s\n", tt_errname(errno));
	if (fd >= 0)
		close(fd);
	for (int i = 0; i < N_DEV; i++)
		dev_fd[i] = dev_make(i);
	fz_ptr_init();

	fz_run(ops, sizeof(ops) / sizeof(ops[0]), thread_start, thread_stop);
	fz_report(ops, sizeof(ops) / sizeof(ops[0]));
	printf("# %d model checks passed\n", total_checks);

	for (int i = 0; i < N_DEV; i++)
		if (dev_fd[i] >= 0)
			close(dev_fd[i]);
	if (fz_ns_sweep(shared_ns, left, sizeof(left))) {
		fz_fail(NULL, "shared netns: devices would not go: %s", left);
		bad = 1;
	}
	if (fz_failed() || bad) {
		printf("# seed %llu failed\n", (unsigned long long)fz_opts.seed);
		return 1;
	}
	printf("# seed %llu passed\n", (unsigned long long)fz_opts.seed);
	return 0;
}

int main(int argc, char **argv)
{
	fz_parse(argc, argv, "tpolfuzz");
	return fz_supervise(policy_main);
}
