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

#include "tt.h"
#include "../../include/uapi/linux/tun_policy.h"

struct req {
	struct nlmsghdr *nh;
	char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
};

/* The answer to a request: errno (0 for success) and extack message. */
struct ack {
	int err;
	char msg[256];
};

static int genl_id;

static void req_init(struct req *r, int type, int flags, const void *hdr,
		     size_t hdrlen)
{
	memset(r->buf, 0, sizeof(r->buf));
	r->nh = (struct nlmsghdr *)r->buf;
	r->nh->nlmsg_len = NLMSG_LENGTH(hdrlen);
	r->nh->nlmsg_type = type;
	r->nh->nlmsg_flags = NLM_F_REQUEST | flags;
	r->nh->nlmsg_seq = 1;
	memcpy(NLMSG_DATA(r->nh), hdr, hdrlen);
}

static struct nlattr *put(struct req *r, int type, const void *data,
			  size_t len)
{
	struct nlattr *a = (struct nlattr *)(r->buf +
					     NLMSG_ALIGN(r->nh->nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	r->nh->nlmsg_len = NLMSG_ALIGN(r->nh->nlmsg_len) + NLA_ALIGN(a->nla_len);
	return a;
}

static void put_u8(struct req *r, int type, uint8_t v)
{
	put(r, type, &v, 1);
}

static void put_u32(struct req *r, int type, uint32_t v)
{
	put(r, type, &v, 4);
}

static void put_addr(struct req *r, int type, const char *addr)
{
	struct in_addr in;

	inet_pton(AF_INET, addr, &in);
	put(r, type, &in, 4);
}

static struct nlattr *nest_start(struct req *r, int type)
{
	return put(r, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct req *r, struct nlattr *a)
{
	a->nla_len = r->buf + r->nh->nlmsg_len - (char *)a;
}

static int nl_open(int proto)
{
	int s, one = 1;

	s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (s < 0)
		return -1;
	setsockopt(s, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(s, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return s;
}

/* Reads the extack message out of an NLMSG_ERROR (capped ack). */
static void ack_parse(struct nlmsghdr *nh, struct ack *ack)
{
	struct nlmsgerr *e = NLMSG_DATA(nh);
	size_t off = NLMSG_LENGTH(sizeof(*e));

	ack->err = -e->error;
	ack->msg[0] = 0;
	if (!(nh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	while (off + NLA_HDRLEN <= nh->nlmsg_len) {
		struct nlattr *a = (struct nlattr *)((char *)nh + off);

		if (a->nla_len < NLA_HDRLEN)
			break;
		if (a->nla_type == NLMSGERR_ATTR_MSG)
			snprintf(ack->msg, sizeof(ack->msg), "%.*s",
				 (int)(a->nla_len - NLA_HDRLEN),
				 (char *)a + NLA_HDRLEN);
		off += NLA_ALIGN(a->nla_len);
	}
}

/*
 * Sends @r on a new socket of @proto and reads the answer: the ack, and
 * for a dump each message to @fn. -1 if the exchange itself failed.
 */
static int talk(int proto, struct req *r, struct ack *ack,
		int (*fn)(struct nlmsghdr *nh, void *arg), void *arg)
{
	static char buf[65536] __attribute__((aligned(NLMSG_ALIGNTO)));
	int s = nl_open(proto), done = 0, ret = 0;

	if (s < 0)
		return -1;
	r->nh->nlmsg_flags |= NLM_F_ACK;
	if (send(s, r->buf, r->nh->nlmsg_len, 0) < 0) {
		close(s);
		return -1;
	}
	ack->err = -1;
	while (!done) {
		ssize_t n = recv(s, buf, sizeof(buf), 0);
		struct nlmsghdr *nh;

		if (n <= 0) {
			ret = -1;
			break;
		}
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, n);
		     nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_type == NLMSG_ERROR) {
				ack_parse(nh, ack);
				done = 1;
				break;
			}
			if (nh->nlmsg_type == NLMSG_DONE) {
				ack->err = -*(int *)NLMSG_DATA(nh);
				ack->msg[0] = 0;
				done = 1;
				break;
			}
			if (fn && fn(nh, arg))
				ret = -1;
		}
	}
	close(s);
	return ret;
}

/* Resolves the genetlink family's id. */
static int genl_resolve(void)
{
	struct genlmsghdr g = { .cmd = CTRL_CMD_GETFAMILY, .version = 1 };
	static char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr *nh = (struct nlmsghdr *)buf;
	struct req r;
	ssize_t n;
	size_t off;
	int s, id = -1;

	req_init(&r, GENL_ID_CTRL, 0, &g, sizeof(g));
	put(&r, CTRL_ATTR_FAMILY_NAME, TPOL_GENL_NAME,
	    sizeof(TPOL_GENL_NAME));
	s = nl_open(NETLINK_GENERIC);
	if (s < 0 || send(s, r.buf, r.nh->nlmsg_len, 0) < 0)
		return -1;
	n = recv(s, buf, sizeof(buf), 0);
	close(s);
	if (n <= 0 || !NLMSG_OK(nh, n) || nh->nlmsg_type != GENL_ID_CTRL)
		return -1;
	for (off = NLMSG_LENGTH(GENL_HDRLEN); off + NLA_HDRLEN <= nh->nlmsg_len;) {
		struct nlattr *a = (struct nlattr *)(buf + off);

		if (a->nla_len < NLA_HDRLEN)
			break;
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			id = *(uint16_t *)((char *)a + NLA_HDRLEN);
		off += NLA_ALIGN(a->nla_len);
	}
	return id;
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
static void route_req(struct req *r, int cmd)
{
	struct genlmsghdr g = { .cmd = cmd, .version = TPOL_GENL_VERSION };

	req_init(r, genl_id, 0, &g, sizeof(g));
}

/* A class route: CLASS, DST/LEN, and the type. */
static void route_basic(struct req *r, int cmd, int class, const char *dst,
			int len)
{
	route_req(r, cmd);
	put_u8(r, TPOL_A_CLASS, class);
	put_addr(r, TPOL_A_DST, dst);
	put_u8(r, TPOL_A_DST_LEN, len);
}

/* Checks the answer: errno @err and, if @msg, that extack message. */
static int ack_is(const struct ack *ack, int err, const char *msg, int line)
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

static int gsend(struct req *r, struct ack *ack)
{
	return talk(NETLINK_GENERIC, r, ack, NULL, NULL);
}

static int case_route_refusals(void)
{
	struct ack ack;
	struct req r;
	int rc;

	if ((rc = fresh_netns()))
		return rc;

	route_req(&r, TPOL_CMD_NEWROUTE);
	put_addr(&r, TPOL_A_DST, "198.18.0.0");
	put_u8(&r, TPOL_A_DST_LEN, 16);
	TT_SYS(gsend(&r, &ack));
	TT_ACK(ack, EINVAL, "Class, destination and prefix length are required");

	route_basic(&r, TPOL_CMD_NEWROUTE, 0, "198.18.0.0", 16);
	put_u32(&r, TPOL_A_OIF, 1);
	TT_SYS(gsend(&r, &ack));
	/* out of the policy's range: netlink's own ERANGE and message */
	TT_ACK(ack, ERANGE, "integer out of range");	/* class 0 */

	route_basic(&r, TPOL_CMD_NEWROUTE, 10, "198.18.0.1", 16);
	put_u32(&r, TPOL_A_OIF, 1);
	TT_SYS(gsend(&r, &ack));
	TT_ACK(ack, EINVAL, "Destination has bits set beyond the prefix length");

	route_basic(&r, TPOL_CMD_NEWROUTE, 10, "198.18.0.0", 33);
	put_u32(&r, TPOL_A_OIF, 1);
	TT_SYS(gsend(&r, &ack));
	TT_ACK(ack, ERANGE, "integer out of range");

	route_basic(&r, TPOL_CMD_NEWROUTE, 10, "198.18.0.0", 16);
	put_u8(&r, TPOL_A_TOS, 0x01);
	put_u32(&r, TPOL_A_OIF, 1);
	TT_SYS(gsend(&r, &ack));
	TT_ACK(ack, EINVAL, "Invalid tos");

	route_basic(&r, TPOL_CMD_NEWROUTE, 10, "198.18.0.0", 16);
	TT_SYS(gsend(&r, &ack));
	TT_ACK(ack, EINVAL, "A route needs a gateway or a device");

	route_basic(&r, TPOL_CMD_NEWROUTE, 10, "198.18.0.0", 16);
	put_u8(&r, TPOL_A_TYPE, TPOL_ROUTE_REJECT);
	put_u32(&r, TPOL_A_OIF, 1);
	TT_SYS(gsend(&r, &ack));
	TT_ACK(ack, EINVAL, "REJECT and THROW routes take no gateway or device");

	route_basic(&r, TPOL_CMD_NEWROUTE, 10, "198.18.0.0", 16);
	put_u8(&r, TPOL_A_TYPE, 9);
	TT_SYS(gsend(&r, &ack));
	TT_ACK(ack, ERANGE, "integer out of range");

	route_basic(&r, TPOL_CMD_NEWROUTE, 10, "198.18.0.0", 16);
	put_addr(&r, TPOL_A_GATEWAY, "224.0.0.1");
	TT_SYS(gsend(&r, &ack));
	TT_ACK(ack, EINVAL, "Invalid gateway");

	route_basic(&r, TPOL_CMD_NEWROUTE, 10, "198.18.0.0", 16);
	put_u32(&r, TPOL_A_OIF, 9999);
	TT_SYS(gsend(&r, &ack));
	TT_ACK(ack, ENODEV, "Unknown device");

	/* strict validation: an attribute the family does not know */
	route_basic(&r, TPOL_CMD_NEWROUTE, 10, "198.18.0.0", 16);
	put_u32(&r, TPOL_A_OIF, 1);
	put_u32(&r, TPOL_A_MAX + 1, 0);
	TT_SYS(gsend(&r, &ack));
	TT_ACK(ack, EINVAL, NULL);

	/* the good one, then again: EEXIST; its delete twice: ESRCH */
	route_basic(&r, TPOL_CMD_NEWROUTE, 10, "198.18.0.0", 16);
	put_u32(&r, TPOL_A_OIF, 1);
	TT_SYS(gsend(&r, &ack));
	TT_ACK(ack, 0, NULL);
	TT_SYS(gsend(&r, &ack));
	TT_ACK(ack, EEXIST, NULL);
	route_basic(&r, TPOL_CMD_DELROUTE, 10, "198.18.0.0", 16);
	put_u32(&r, TPOL_A_METRIC, 7);	/* named: must match, and does not */
	TT_SYS(gsend(&r, &ack));
	TT_ACK(ack, ESRCH, NULL);
	route_basic(&r, TPOL_CMD_DELROUTE, 10, "198.18.0.0", 16);
	TT_SYS(gsend(&r, &ack));
	TT_ACK(ack, 0, NULL);
	TT_SYS(gsend(&r, &ack));
	TT_ACK(ack, ESRCH, NULL);
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
	struct ack ack;
	struct req r;
	char dst[32];
	int rc, i;

	if ((rc = fresh_netns()))
		return rc;
	/* enough routes for many dump messages, and one in another class */
	for (i = 0; i < 2000; i++) {
		snprintf(dst, sizeof(dst), "10.%d.%d.0", i / 256, i % 256);
		route_basic(&r, TPOL_CMD_NEWROUTE, 7, dst, 24);
		put_u32(&r, TPOL_A_OIF, 1);
		TT_SYS(gsend(&r, &ack));
		TT_ACK(ack, 0, NULL);
	}
	route_basic(&r, TPOL_CMD_NEWROUTE, 8, "10.0.0.0", 8);
	put_u8(&r, TPOL_A_TYPE, TPOL_ROUTE_THROW);
	TT_SYS(gsend(&r, &ack));
	TT_ACK(ack, 0, NULL);

	route_req(&r, TPOL_CMD_GETROUTE);
	r.nh->nlmsg_flags |= NLM_F_DUMP;
	put_u8(&r, TPOL_A_CLASS, 7);
	TT_SYS(talk(NETLINK_GENERIC, &r, &ack, dump_route, &d));
	TT_ACK(ack, 0, NULL);
	TT_EQ(d.n, 2000);
	TT_EQ(d.bad, 0);

	/* all classes: 7's, then 8's */
	memset(&d, 0, sizeof(d));
	d.class = 7;
	route_req(&r, TPOL_CMD_GETROUTE);
	r.nh->nlmsg_flags |= NLM_F_DUMP;
	TT_SYS(talk(NETLINK_GENERIC, &r, &ack, dump_route, &d));
	TT_EQ(d.n, 2001);
	TT_EQ(d.bad, 1);	/* the last, of class 8 */
	return TT_PASS;
}

/* A rule request of our family; @frh's family is filled in. */
static void rule_req(struct req *r, int type, struct fib_rule_hdr *frh)
{
	frh->family = TPOL_FAMILY;
	req_init(r, type, 0, frh, sizeof(*frh));
}

static int rsend(struct req *r, struct ack *ack)
{
	return talk(NETLINK_ROUTE, r, ack, NULL, NULL);
}

/* An RTM_NEWRULE of our family with @action and class @table. */
static void rule_new(struct req *r, int action, int table)
{
	struct fib_rule_hdr frh = { .action = action, .table = table };

	rule_req(r, RTM_NEWRULE, &frh);
}

/* Sends a rule request; the answer must be @err with extack @msg. */
#define TT_RULE_ACK(r, err, msg)                                               \
	do {                                                                   \
		struct ack tt_ack_;                                            \
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
	struct ack ack;
	struct req r;
	int rc;

	if ((rc = fresh_netns()))
		return rc;
	rule_req(&r, RTM_GETRULE, &frh);
	r.nh->nlmsg_flags |= NLM_F_DUMP;
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
	struct req r;
	int rc;

	if ((rc = fresh_netns()))
		return rc;

	rule_new(&r, 42, 10);
	TT_RULE_ACK(r, EINVAL, "Unsupported rule action");

	rule_new(&r, FR_ACT_TO_TBL, 0);
	TT_RULE_ACK(r, EINVAL, "Rule needs a class or its own gateway or device");

	rule_new(&r, FR_ACT_TO_TBL, 0);
	put_u32(&r, FRA_TABLE, 300);
	TT_RULE_ACK(r, EINVAL, "Invalid class: classes are 1 to 255");

	memset(&frh, 0, sizeof(frh));
	frh.action = FR_ACT_TO_TBL;
	frh.table = 10;
	frh.tos = 0x01;
	rule_req(&r, RTM_NEWRULE, &frh);
	TT_RULE_ACK(r, EINVAL, "Invalid tos");

	rule_new(&r, FR_ACT_TO_TBL, 10);
	put_u32(&r, FRA_FLOW, 1);
	TT_RULE_ACK(r, EINVAL, "Realms are not supported by this rule family");

	rule_new(&r, FR_ACT_TO_TBL, 10);
	n = nest_start(&r, FRA_TPOL);
	put_addr(&r, TPOL_RA_GATEWAY, "198.18.0.1");
	nest_end(&r, n);
	TT_RULE_ACK(r, EINVAL, "A rule with its own gateway or device takes no class");

	rule_new(&r, FR_ACT_TO_TBL, 0);
	n = nest_start(&r, FRA_TPOL);
	put_u32(&r, TPOL_RA_OIF, 9999);
	nest_end(&r, n);
	TT_RULE_ACK(r, ENODEV, "Unknown output device");

	rule_new(&r, FR_ACT_BLACKHOLE, 0);
	n = nest_start(&r, FRA_TPOL);
	put_addr(&r, TPOL_RA_GATEWAY, "198.18.0.1");
	nest_end(&r, n);
	TT_RULE_ACK(r, EINVAL,
	       "Rule type, NAT address and route need action to-table");

	rule_new(&r, FR_ACT_TO_TBL, 10);
	n = nest_start(&r, FRA_TPOL);
	put_u32(&r, TPOL_RA_FLAGS, 0x80);
	nest_end(&r, n);
	TT_RULE_ACK(r, EINVAL, NULL);

	/* NAT: an address, and only on a NAT rule, a real one */
	rule_new(&r, FR_ACT_TO_TBL, 10);
	n = nest_start(&r, FRA_TPOL);
	put_u8(&r, TPOL_RA_TYPE, TPOL_RULE_NAT);
	nest_end(&r, n);
	TT_RULE_ACK(r, EINVAL, "A NAT rule needs a NAT address");

	rule_new(&r, FR_ACT_TO_TBL, 10);
	n = nest_start(&r, FRA_TPOL);
	put_u8(&r, TPOL_RA_TYPE, TPOL_RULE_MASQUERADE);
	put_addr(&r, TPOL_RA_NAT, "198.18.9.1");
	nest_end(&r, n);
	TT_RULE_ACK(r, EINVAL, "A NAT address needs a NAT rule");

	rule_new(&r, FR_ACT_TO_TBL, 10);
	n = nest_start(&r, FRA_TPOL);
	put_u8(&r, TPOL_RA_TYPE, TPOL_RULE_NAT);
	put_addr(&r, TPOL_RA_NAT, "224.1.1.1");
	nest_end(&r, n);
	TT_RULE_ACK(r, EINVAL, "Invalid NAT address");

	rule_new(&r, FR_ACT_TO_TBL, 10);
	n = nest_start(&r, FRA_TPOL);
	put_u8(&r, TPOL_RA_TYPE, TPOL_RULE_MAX + 1);
	nest_end(&r, n);
	TT_RULE_ACK(r, ERANGE, "integer out of range");

	/* the nest must say it is one */
	rule_new(&r, FR_ACT_TO_TBL, 10);
	n = put(&r, FRA_TPOL, NULL, 0);
	put_u32(&r, TPOL_RA_FLAGS, TPOL_RULE_F_LOG);
	nest_end(&r, n);
	TT_RULE_ACK(r, EINVAL, "NLA_F_NESTED is missing");

	/* strict inside the nest: an unknown attribute */
	rule_new(&r, FR_ACT_TO_TBL, 10);
	n = nest_start(&r, FRA_TPOL);
	put_u32(&r, TPOL_RA_MAX + 1, 0);
	nest_end(&r, n);
	TT_RULE_ACK(r, EINVAL, NULL);

	/* a family nobody registered */
	rule_new(&r, FR_ACT_TO_TBL, 10);
	((struct fib_rule_hdr *)NLMSG_DATA(r.nh))->family = TPOL_FAMILY + 1;
	TT_RULE_ACK(r, EAFNOSUPPORT, NULL);

	/* a good rule; its delete twice: ENOENT, as fib_rules says */
	memset(&frh, 0, sizeof(frh));
	frh.action = FR_ACT_UNREACHABLE;
	frh.src_len = 24;
	rule_req(&r, RTM_NEWRULE, &frh);
	put_addr(&r, FRA_SRC, "198.18.5.0");
	put_u32(&r, FRA_PRIORITY, 100);
	TT_RULE_ACK(r, 0, NULL);
	r.nh->nlmsg_type = RTM_DELRULE;
	TT_RULE_ACK(r, 0, NULL);
	TT_RULE_ACK(r, ENOENT, NULL);
	return TT_PASS;
}

static int case_unprivileged(void)
{
	struct fib_rule_hdr frh = { .action = FR_ACT_BLACKHOLE };
	struct ack ack;
	struct req r;
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
		put_u32(&r, TPOL_A_OIF, 1);
		if (gsend(&r, &ack) || ack.err != EPERM)
			_exit(11);
		rule_req(&r, RTM_NEWRULE, &frh);
		if (rsend(&r, &ack) || ack.err != EPERM)
			_exit(12);
		/* reading is for everyone */
		route_req(&r, TPOL_CMD_GETROUTE);
		r.nh->nlmsg_flags |= NLM_F_DUMP;
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
	struct req r;

	if ((rc = fresh_netns()))
		return rc;
	s = nl_open(NETLINK_ROUTE);
	TT_CHECK(s >= 0, "netlink socket: %s", tt_errname(errno));
	tt_defer_fd(s);
	TT_SYS(bind(s, (struct sockaddr *)&sa, sizeof(sa)));

	rule_req(&r, RTM_NEWRULE, &frh);
	put_addr(&r, FRA_SRC, "198.18.6.0");
	put_u32(&r, FRA_PRIORITY, 101);
	TT_RULE_ACK(r, 0, NULL);
	TT_CHECK(!rule_event(s, &type, &pref),
		 "no announcement of the rule added in %d ms", TT_WAIT_MS);
	TT_EQ(type, RTM_NEWRULE);
	TT_EQ(pref, 101);

	r.nh->nlmsg_type = RTM_DELRULE;
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
	genl_id = genl_resolve();
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
