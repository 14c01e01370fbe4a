// SPDX-License-Identifier: GPL-2.0
/*
 * tun_policy's netlink interface, from raw messages: what it accepts,
 * what it refuses and with which errno and extack message, and dumps
 * that need many messages. Each case runs in a fresh network namespace.
 *
 * Rules: RTM_*RULE of family TPOL_FAMILY; classes: genetlink "tun_policy"
 * (include/uapi/linux/tun_policy.h).
 */
#include <arpa/inet.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "nl.h"
#include "tt.h"
#include "../../include/uapi/linux/tun_policy.h"

static int genl_id;

static void put_addr(struct tt_nl *r, int type, const char *addr)
{
	struct in_addr in;

	inet_pton(AF_INET, addr, &in);
	tt_nl_put(r, type, &in, 4);
}

/*
 * Sends @r on a new socket of @proto and reads the answer into @ack: the
 * errno and extack message, and for a dump each message to @fn. -1 if
 * the exchange itself failed.
 */
static int talk(int proto, struct tt_nl *r, struct tt_nl_ack *ack,
		tt_nl_fn fn, void *arg)
{
	return tt_nl_talk(proto, r, fn, arg, ack) < 0 ? -1 : 0;
}

static int fresh_netns(void)
{
	if (unshare(CLONE_NEWNET))
		return tt_fail("unshare(CLONE_NEWNET): %s", tt_errname(errno));
	if (system("ip link set lo up"))
		return tt_fail("ip link set lo up failed");
	return TT_PASS;
}

/* A class request: cmd, then attributes. */
static void route_req(struct tt_nl *r, int cmd)
{
	struct genlmsghdr g = { .cmd = cmd, .version = TPOL_GENL_VERSION };

	tt_nl_init(r, genl_id, 0, &g, sizeof(g));
}

/* A class route: CLASS, DST/LEN, and the type. */
static void route_basic(struct tt_nl *r, int cmd, int class, const char *dst,
			int len)
{
	route_req(r, cmd);
	tt_nl_put_u8(r, TPOL_A_CLASS, class);
	put_addr(r, TPOL_A_DST, dst);
	tt_nl_put_u8(r, TPOL_A_DST_LEN, len);
}

/* Checks the answer: errno @err and, if @msg, that extack message. */
static int ack_is(const struct tt_nl_ack *ack, int err, const char *msg,
		  int line)
{
	if (ack->err != err)
		return tt_fail("line %d: want %s, got %s (\"%s\")", line,
			       tt_errname(err), tt_errname(ack->err), ack->msg);
	if (msg && strcmp(ack->msg, msg))
		return tt_fail("line %d: extack \"%s\", want \"%s\"", line,
			       ack->msg, msg);
	return TT_PASS;
}

#define TT_ACK(ack, err, msg)                                                  \
	do {                                                                   \
		int tt_rc_ = ack_is(&(ack), (err), (msg), __LINE__);           \
		if (tt_rc_)                                                    \
			return tt_rc_;                                         \
	} while (0)

static int gsend(struct tt_nl *r, struct tt_nl_ack *ack)
{
	return talk(NETLINK_GENERIC, r, ack, NULL, NULL);
}

/* Sends a class request; the answer must be @err with extack @msg. */
#define TT_ROUTE_ACK(r, err, msg)                                              \
	do {                                                                   \
		struct tt_nl_ack tt_ack_;                                      \
		TT_SYS(gsend(&(r), &tt_ack_));                                 \
		TT_ACK(tt_ack_, (err), (msg));                                 \
	} while (0)

/*
 * NEWROUTE requests refused: class, DST/LEN, then TOS, TYPE, GATEWAY and
 * OIF, in that order, each where set (0 or NULL: not sent).
 */
static const struct route_refusal {
	int class;
	const char *dst;
	int len;
	int tos;
	int type;
	const char *gateway;
	uint32_t oif;
	int err;
	const char *msg;
} route_refusals[] = {
	/* class 0, out of the policy's range: netlink's ERANGE and message */
	{ 0, "198.18.0.0", 16, .oif = 1, .err = ERANGE,
	  .msg = "integer out of range" },
	{ 10, "198.18.0.1", 16, .oif = 1, .err = EINVAL,
	  .msg = "Destination has bits set beyond the prefix length" },
	{ 10, "198.18.0.0", 33, .oif = 1, .err = ERANGE,
	  .msg = "integer out of range" },
	{ 10, "198.18.0.0", 16, .tos = 0x01, .oif = 1, .err = EINVAL,
	  .msg = "Invalid tos" },
	{ 10, "198.18.0.0", 16, .err = EINVAL,
	  .msg = "A route needs a gateway or a device" },
	{ 10, "198.18.0.0", 16, .type = TPOL_ROUTE_REJECT, .oif = 1,
	  .err = EINVAL,
	  .msg = "REJECT and THROW routes take no gateway or device" },
	{ 10, "198.18.0.0", 16, .type = 9, .err = ERANGE,
	  .msg = "integer out of range" },
	{ 10, "198.18.0.0", 16, .gateway = "224.0.0.1", .err = EINVAL,
	  .msg = "Invalid gateway" },
	{ 10, "198.18.0.0", 16, .oif = 9999, .err = ENODEV,
	  .msg = "Unknown device" },
};

static int case_route_refusals(void)
{
	struct tt_nl_ack ack;
	struct tt_nl r;
	size_t i;
	int rc;

	if ((rc = fresh_netns()))
		return rc;

	route_req(&r, TPOL_CMD_NEWROUTE);
	put_addr(&r, TPOL_A_DST, "198.18.0.0");
	tt_nl_put_u8(&r, TPOL_A_DST_LEN, 16);
	TT_ROUTE_ACK(r, EINVAL,
		     "Class, destination and prefix length are required");

	for (i = 0; i < sizeof(route_refusals) / sizeof(*route_refusals); i++) {
		const struct route_refusal *t = &route_refusals[i];

		route_basic(&r, TPOL_CMD_NEWROUTE, t->class, t->dst, t->len);
		if (t->tos)
			tt_nl_put_u8(&r, TPOL_A_TOS, t->tos);
		if (t->type)
			tt_nl_put_u8(&r, TPOL_A_TYPE, t->type);
		if (t->gateway)
			put_addr(&r, TPOL_A_GATEWAY, t->gateway);
		if (t->oif)
			tt_nl_put_u32(&r, TPOL_A_OIF, t->oif);
		TT_SYS(gsend(&r, &ack));
		rc = ack_is(&ack, t->err, t->msg, __LINE__);
		if (rc) {
			tt_note("route_refusals[%zu]: class %d, %s/%d", i,
				t->class, t->dst, t->len);
			return rc;
		}
	}

	/* strict validation: an attribute the family does not know */
	route_basic(&r, TPOL_CMD_NEWROUTE, 10, "198.18.0.0", 16);
	tt_nl_put_u32(&r, TPOL_A_OIF, 1);
	tt_nl_put_u32(&r, TPOL_A_MAX + 1, 0);
	TT_ROUTE_ACK(r, EINVAL, NULL);

	/* the good one, then again: EEXIST; its delete twice: ESRCH */
	route_basic(&r, TPOL_CMD_NEWROUTE, 10, "198.18.0.0", 16);
	tt_nl_put_u32(&r, TPOL_A_OIF, 1);
	TT_ROUTE_ACK(r, 0, NULL);
	TT_ROUTE_ACK(r, EEXIST, NULL);
	route_basic(&r, TPOL_CMD_DELROUTE, 10, "198.18.0.0", 16);
	/* named: must match, and does not */
	tt_nl_put_u32(&r, TPOL_A_METRIC, 7);
	TT_ROUTE_ACK(r, ESRCH, NULL);
	route_basic(&r, TPOL_CMD_DELROUTE, 10, "198.18.0.0", 16);
	TT_ROUTE_ACK(r, 0, NULL);
	TT_ROUTE_ACK(r, ESRCH, NULL);
	return TT_PASS;
}

struct dump_state {
	int n;
	uint32_t last;		/* host order: the dump is sorted */
	int class;
	int bad;
};

static int dump_route(struct nlmsghdr *nh, void *arg)
{
	struct dump_state *d = arg;
	size_t off = NLMSG_LENGTH(GENL_HDRLEN);
	uint32_t dst = 0;
	int class = -1;

	for (; off + NLA_HDRLEN <= nh->nlmsg_len;) {
		struct nlattr *a = (struct nlattr *)((char *)nh + off);
		void *p = (char *)a + NLA_HDRLEN;

		if (a->nla_len < NLA_HDRLEN)
			break;
		if (a->nla_type == TPOL_A_DST)
			dst = ntohl(*(uint32_t *)p);
		if (a->nla_type == TPOL_A_CLASS)
			class = *(uint8_t *)p;
		off += NLA_ALIGN(a->nla_len);
	}
	if (class != d->class || (d->n && dst <= d->last))
		d->bad++;
	d->last = dst;
	d->n++;
	return 0;
}

static int case_route_dump(void)
{
	struct dump_state d = { .class = 7 };
	struct tt_nl_ack ack;
	struct tt_nl r;
	char dst[32];
	int rc, i;

	if ((rc = fresh_netns()))
		return rc;
	/* enough routes for many dump messages, and one in another class */
	for (i = 0; i < 2000; i++) {
		snprintf(dst, sizeof(dst), "10.%d.%d.0", i / 256, i % 256);
		route_basic(&r, TPOL_CMD_NEWROUTE, 7, dst, 24);
		tt_nl_put_u32(&r, TPOL_A_OIF, 1);
		TT_ROUTE_ACK(r, 0, NULL);
	}
	route_basic(&r, TPOL_CMD_NEWROUTE, 8, "10.0.0.0", 8);
	tt_nl_put_u8(&r, TPOL_A_TYPE, TPOL_ROUTE_THROW);
	TT_ROUTE_ACK(r, 0, NULL);

	route_req(&r, TPOL_CMD_GETROUTE);
	r.nh.nlmsg_flags |= NLM_F_DUMP;
	tt_nl_put_u8(&r, TPOL_A_CLASS, 7);
	TT_SYS(talk(NETLINK_GENERIC, &r, &ack, dump_route, &d));
	TT_ACK(ack, 0, NULL);
	TT_EQ(d.n, 2000);
	TT_EQ(d.bad, 0);

	/* all classes: 7's, then 8's */
	memset(&d, 0, sizeof(d));
	d.class = 7;
	route_req(&r, TPOL_CMD_GETROUTE);
	r.nh.nlmsg_flags |= NLM_F_DUMP;
	TT_SYS(talk(NETLINK_GENERIC, &r, &ack, dump_route, &d));
	TT_EQ(d.n, 2001);
	TT_EQ(d.bad, 1);	/* the last, of class 8 */
	return TT_PASS;
}

/* A rule request of our family; @frh's family is filled in. */
static void rule_req(struct tt_nl *r, int type, struct fib_rule_hdr *frh)
{
	frh->family = TPOL_FAMILY;
	tt_nl_init(r, type, 0, frh, sizeof(*frh));
}

static int rsend(struct tt_nl *r, struct tt_nl_ack *ack)
{
	return talk(NETLINK_ROUTE, r, ack, NULL, NULL);
}

/* An RTM_NEWRULE of our family with @action and class @table. */
static void rule_new(struct tt_nl *r, int action, int table)
{
	struct fib_rule_hdr frh = { .action = action, .table = table };

	rule_req(r, RTM_NEWRULE, &frh);
}

/* That rule, with its FRA_TPOL nest opened; tt_nl_nest_end() closes it. */
static struct nlattr *rule_tpol(struct tt_nl *r, int action, int table)
{
	rule_new(r, action, table);
	return tt_nl_nest_start(r, FRA_TPOL);
}

/* A rule whose FRA_TPOL nest holds the u32 @attr = @v alone. */
static void rule_tpol_u32(struct tt_nl *r, int action, int table, int attr,
			  uint32_t v)
{
	struct nlattr *n = rule_tpol(r, action, table);

	tt_nl_put_u32(r, attr, v);
	tt_nl_nest_end(r, n);
}

/* A rule whose FRA_TPOL nest holds the address @attr = @addr alone. */
static void rule_tpol_addr(struct tt_nl *r, int action, int table, int attr,
			   const char *addr)
{
	struct nlattr *n = rule_tpol(r, action, table);

	put_addr(r, attr, addr);
	tt_nl_nest_end(r, n);
}

/*
 * A to-table rule of class 10 whose FRA_TPOL nest holds TPOL_RA_TYPE @type,
 * then, if @nat, that address as TPOL_RA_NAT.
 */
static void rule_tpol_type(struct tt_nl *r, int type, const char *nat)
{
	struct nlattr *n = rule_tpol(r, FR_ACT_TO_TBL, 10);

	tt_nl_put_u8(r, TPOL_RA_TYPE, type);
	if (nat)
		put_addr(r, TPOL_RA_NAT, nat);
	tt_nl_nest_end(r, n);
}

/* Sends a rule request; the answer must be @err with extack @msg. */
#define TT_RULE_ACK(r, err, msg)                                               \
	do {                                                                   \
		struct tt_nl_ack tt_ack_;                                      \
		TT_SYS(rsend(&(r), &tt_ack_));                                 \
		TT_ACK(tt_ack_, (err), (msg));                                 \
	} while (0)

struct rule_seen {
	uint32_t pref[16];
	uint32_t table[16];
	int n;
};

static int dump_rule(struct nlmsghdr *nh, void *arg)
{
	struct fib_rule_hdr *frh = NLMSG_DATA(nh);
	struct rule_seen *s = arg;
	size_t off = NLMSG_LENGTH(sizeof(*frh));
	uint32_t pref = 0, table = frh->table;

	if (frh->family != TPOL_FAMILY || s->n == 16)
		return -1;
	for (; off + NLA_HDRLEN <= nh->nlmsg_len;) {
		struct nlattr *a = (struct nlattr *)((char *)nh + off);

		if (a->nla_len < NLA_HDRLEN)
			break;
		if (a->nla_type == FRA_PRIORITY)
			pref = *(uint32_t *)((char *)a + NLA_HDRLEN);
		if (a->nla_type == FRA_TABLE)
			table = *(uint32_t *)((char *)a + NLA_HDRLEN);
		off += NLA_ALIGN(a->nla_len);
	}
	s->pref[s->n] = pref;
	s->table[s->n++] = table;
	return 0;
}

static int case_default_rules(void)
{
	struct fib_rule_hdr frh = { 0 };
	struct rule_seen s = { 0 };
	struct tt_nl_ack ack;
	struct tt_nl r;
	int rc;

	if ((rc = fresh_netns()))
		return rc;
	rule_req(&r, RTM_GETRULE, &frh);
	r.nh.nlmsg_flags |= NLM_F_DUMP;
	TT_SYS(talk(NETLINK_ROUTE, &r, &ack, dump_rule, &s));
	TT_ACK(ack, 0, NULL);
	TT_EQ(s.n, 3);
	TT_EQ(s.pref[0], 0);
	TT_EQ(s.table[0], 255);
	TT_EQ(s.pref[1], 254);
	TT_EQ(s.table[1], 254);
	TT_EQ(s.pref[2], 255);
	TT_EQ(s.table[2], 253);
	return TT_PASS;
}

static int case_rule_refusals(void)
{
	struct fib_rule_hdr frh;
	struct nlattr *n;
	struct tt_nl r;
	int rc;

	if ((rc = fresh_netns()))
		return rc;

	rule_new(&r, 42, 10);
	TT_RULE_ACK(r, EINVAL, "Unsupported rule action");

	rule_new(&r, FR_ACT_TO_TBL, 0);
	TT_RULE_ACK(r, EINVAL, "Rule needs a class or its own gateway or device");

	rule_new(&r, FR_ACT_TO_TBL, 0);
	tt_nl_put_u32(&r, FRA_TABLE, 300);
	TT_RULE_ACK(r, EINVAL, "Invalid class: classes are 1 to 255");

	memset(&frh, 0, sizeof(frh));
	frh.action = FR_ACT_TO_TBL;
	frh.table = 10;
	frh.tos = 0x01;
	rule_req(&r, RTM_NEWRULE, &frh);
	TT_RULE_ACK(r, EINVAL, "Invalid tos");

	rule_new(&r, FR_ACT_TO_TBL, 10);
	tt_nl_put_u32(&r, FRA_FLOW, 1);
	TT_RULE_ACK(r, EINVAL, "Realms are not supported by this rule family");

	rule_tpol_addr(&r, FR_ACT_TO_TBL, 10, TPOL_RA_GATEWAY, "198.18.0.1");
	TT_RULE_ACK(r, EINVAL, "A rule with its own gateway or device takes no class");

	rule_tpol_u32(&r, FR_ACT_TO_TBL, 0, TPOL_RA_OIF, 9999);
	TT_RULE_ACK(r, ENODEV, "Unknown output device");

	rule_tpol_addr(&r, FR_ACT_BLACKHOLE, 0, TPOL_RA_GATEWAY, "198.18.0.1");
	TT_RULE_ACK(r, EINVAL,
	       "Rule type, NAT address and route need action to-table");

	rule_tpol_u32(&r, FR_ACT_TO_TBL, 10, TPOL_RA_FLAGS, 0x80);
	TT_RULE_ACK(r, EINVAL, NULL);

	/* NAT: an address, and only on a NAT rule, a real one */
	rule_tpol_type(&r, TPOL_RULE_NAT, NULL);
	TT_RULE_ACK(r, EINVAL, "A NAT rule needs a NAT address");

	rule_tpol_type(&r, TPOL_RULE_MASQUERADE, "198.18.9.1");
	TT_RULE_ACK(r, EINVAL, "A NAT address needs a NAT rule");

	rule_tpol_type(&r, TPOL_RULE_NAT, "224.1.1.1");
	TT_RULE_ACK(r, EINVAL, "Invalid NAT address");

	rule_tpol_type(&r, TPOL_RULE_MAX + 1, NULL);
	TT_RULE_ACK(r, ERANGE, "integer out of range");

	/* the nest must say it is one */
	rule_new(&r, FR_ACT_TO_TBL, 10);
	n = tt_nl_put(&r, FRA_TPOL, NULL, 0);
	tt_nl_put_u32(&r, TPOL_RA_FLAGS, TPOL_RULE_F_LOG);
	tt_nl_nest_end(&r, n);
	TT_RULE_ACK(r, EINVAL, "NLA_F_NESTED is missing");

	/* strict inside the nest: an unknown attribute */
	rule_tpol_u32(&r, FR_ACT_TO_TBL, 10, TPOL_RA_MAX + 1, 0);
	TT_RULE_ACK(r, EINVAL, NULL);

	/* a family nobody registered */
	rule_new(&r, FR_ACT_TO_TBL, 10);
	((struct fib_rule_hdr *)NLMSG_DATA(&r.nh))->family = TPOL_FAMILY + 1;
	TT_RULE_ACK(r, EAFNOSUPPORT, NULL);

	/* a good rule; its delete twice: ENOENT, as fib_rules says */
	memset(&frh, 0, sizeof(frh));
	frh.action = FR_ACT_UNREACHABLE;
	frh.src_len = 24;
	rule_req(&r, RTM_NEWRULE, &frh);
	put_addr(&r, FRA_SRC, "198.18.5.0");
	tt_nl_put_u32(&r, FRA_PRIORITY, 100);
	TT_RULE_ACK(r, 0, NULL);
	r.nh.nlmsg_type = RTM_DELRULE;
	TT_RULE_ACK(r, 0, NULL);
	TT_RULE_ACK(r, ENOENT, NULL);
	return TT_PASS;
}

static int case_unprivileged(void)
{
	struct fib_rule_hdr frh = { .action = FR_ACT_BLACKHOLE };
	struct tt_nl_ack ack;
	struct tt_nl r;
	int rc, status;
	pid_t pid;

	if ((rc = fresh_netns()))
		return rc;
	pid = fork();
	if (pid < 0)
		return tt_fail("fork: %s", tt_errname(errno));
	if (!pid) {
		if (setuid(65534))
			_exit(10);
		route_basic(&r, TPOL_CMD_NEWROUTE, 10, "198.18.0.0", 16);
		tt_nl_put_u32(&r, TPOL_A_OIF, 1);
		if (gsend(&r, &ack) || ack.err != EPERM)
			_exit(11);
		rule_req(&r, RTM_NEWRULE, &frh);
		if (rsend(&r, &ack) || ack.err != EPERM)
			_exit(12);
		/* reading is for everyone */
		route_req(&r, TPOL_CMD_GETROUTE);
		r.nh.nlmsg_flags |= NLM_F_DUMP;
		if (talk(NETLINK_GENERIC, &r, &ack, NULL, NULL) || ack.err)
			_exit(13);
		_exit(0);
	}
	TT_SYS(waitpid(pid, &status, 0));
	TT_CHECK(WIFEXITED(status) && !WEXITSTATUS(status),
		 "as nobody: step %d failed (10 setuid, 11 NEWROUTE not EPERM, 12 NEWRULE not EPERM, 13 dump)",
		 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return TT_PASS;
}

/*
 * Waits (TT_WAIT_MS at most) on @s for a rule message of our family,
 * skipping others; its type and FRA_PRIORITY.  -1 if none came.
 */
static int rule_event(int s, int *type, uint32_t *pref)
{
	static char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
	long long until = tt_now_ms() + TT_WAIT_MS;

	while (tt_now_ms() < until) {
		struct fib_rule_hdr *frh;
		struct nlmsghdr *nh;
		ssize_t n = recv(s, buf, sizeof(buf), MSG_DONTWAIT);

		if (n < 0) {
			tt_sleep_ms(20);
			continue;
		}
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, n);
		     nh = NLMSG_NEXT(nh, n)) {
			struct rule_seen one = { 0 };

			frh = NLMSG_DATA(nh);
			if ((nh->nlmsg_type != RTM_NEWRULE &&
			     nh->nlmsg_type != RTM_DELRULE) ||
			    frh->family != TPOL_FAMILY)
				continue;
			if (dump_rule(nh, &one))
				return -1;
			*type = nh->nlmsg_type;
			*pref = one.pref[0];
			return 0;
		}
	}
	return -1;
}

/*
 * A rule added and deleted is announced to the IPv4 rule group
 * (RTNLGRP_IPV4_RULE, where fib_rules' IPv4 families announce theirs),
 * as RTM_NEWRULE and RTM_DELRULE of our family.
 */
static int case_rule_notify(void)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1u << (RTNLGRP_IPV4_RULE - 1),
	};
	struct fib_rule_hdr frh = { .action = FR_ACT_UNREACHABLE,
				    .src_len = 24 };
	uint32_t pref = 0;
	int rc, s, type = 0;
	struct tt_nl r;

	if ((rc = fresh_netns()))
		return rc;
	s = tt_nl_open(NETLINK_ROUTE);
	TT_CHECK(s >= 0, "netlink socket: %s", tt_errname(errno));
	tt_defer_fd(s);
	TT_SYS(bind(s, (struct sockaddr *)&sa, sizeof(sa)));

	rule_req(&r, RTM_NEWRULE, &frh);
	put_addr(&r, FRA_SRC, "198.18.6.0");
	tt_nl_put_u32(&r, FRA_PRIORITY, 101);
	TT_RULE_ACK(r, 0, NULL);
	TT_CHECK(!rule_event(s, &type, &pref),
		 "no announcement of the rule added in %d ms", TT_WAIT_MS);
	TT_EQ(type, RTM_NEWRULE);
	TT_EQ(pref, 101);

	r.nh.nlmsg_type = RTM_DELRULE;
	TT_RULE_ACK(r, 0, NULL);
	TT_CHECK(!rule_event(s, &type, &pref),
		 "no announcement of the rule deleted in %d ms", TT_WAIT_MS);
	TT_EQ(type, RTM_DELRULE);
	TT_EQ(pref, 101);
	return TT_PASS;
}

int main(void)
{
	tt_init();
	if (system("modprobe tun_policy")) {
		printf("not ok load: modprobe tun_policy failed\n");
		return 1;
	}
	genl_id = tt_nl_genl_family(TPOL_GENL_NAME);
	if (genl_id < 0) {
		printf("not ok genl: family %s not found\n", TPOL_GENL_NAME);
		return 1;
	}
	tt_run("route-refusals", case_route_refusals);
	tt_run("route-dump", case_route_dump);
	tt_run("default-rules", case_default_rules);
	tt_run("rule-refusals", case_rule_refusals);
	tt_run("unprivileged", case_unprivileged);
	tt_run("rule-notify", case_rule_notify);
	return tt_done();
}
