// SPDX-License-Identifier: GPL-2.0
/*
 * The rules: iproute addrule, delrule and -r, over rtnetlink
 * (RTM_NEWRULE, _DELRULE, _GETRULE with fib_rule_hdr.family TPOL_FAMILY).
 *
 * The selectors and the class travel in fib_rules' own header and FRA_*
 * attributes, the rest nested in FRA_TPOL. The rule types map to
 * fib_rules actions: route, nat and masquerade are FR_ACT_TO_TBL (nat and
 * masquerade say so in TPOL_RA_TYPE), drop, reject and prohibit are
 * FR_ACT_BLACKHOLE, _UNREACHABLE and _PROHIBIT.
 *
 * delrule sends only what the user named; fib_rules removes the first
 * rule (in preference order) that matches every part of it.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <linux/rtnetlink.h>

#include "iproute.h"
#include "../../include/uapi/linux/tun_policy.h"

enum rule_type { T_NONE, T_ROUTE, T_NAT, T_MASQ, T_DROP, T_REJECT,
		 T_PROHIBIT };

static const struct {
	const char *word;
	uint8_t action;		/* FR_ACT_* */
	uint8_t tpol;		/* TPOL_RULE_*, for FR_ACT_TO_TBL */
} types[] = {
	[T_NONE]	= { NULL,		FR_ACT_TO_TBL,		TPOL_RULE_ROUTE },
	[T_ROUTE]	= { "route",		FR_ACT_TO_TBL,		TPOL_RULE_ROUTE },
	[T_NAT]		= { "nat",		FR_ACT_TO_TBL,		TPOL_RULE_NAT },
	[T_MASQ]	= { "masquerade",	FR_ACT_TO_TBL,		TPOL_RULE_MASQUERADE },
	[T_DROP]	= { "drop",		FR_ACT_BLACKHOLE,	0 },
	[T_REJECT]	= { "reject",		FR_ACT_UNREACHABLE,	0 },
	[T_PROHIBIT]	= { "prohibit",		FR_ACT_PROHIBIT,	0 },
};
#define NTYPES	(sizeof(types) / sizeof(types[0]))

enum {
	S_FROM		= 1 << 0,
	S_TO		= 1 << 1,
	S_TOS		= 1 << 2,
	S_IIF		= 1 << 3,
	S_PREF		= 1 << 4,
	S_GW		= 1 << 5,
	S_OIF		= 1 << 6,
	S_CLASS		= 1 << 7,
	S_LOG		= 1 << 8,
	S_VALVE		= 1 << 9,
};

struct rule {
	unsigned int seen;	/* S_*: what the user named */
	enum rule_type type;
	struct prefix src, dst;
	uint8_t tos, cls;
	uint32_t pref, gw, nat, oif, flags;
	const char *iif, *oifname;
};

static enum rule_type type_of(const char *w)
{
	size_t i;

	for (i = 1; i < NTYPES; i++)
		if (!strcmp(w, types[i].word))
			return i;
	return T_NONE;
}

/* How a keyword's value parses, and where it goes. */
enum rule_value { V_NONE, V_PREFIX, V_TOS, V_U32, V_CLASS, V_IFNAME, V_ADDR };

#define ANY_TYPE	(-1)

/*
 * The words may come in any order, with one exception that the seed's
 * syntax makes: "dev" names the input device before the rule's type,
 * and the output device after "route" ("gw" too belongs to "route").
 * A word's first entry whose type fits is taken; a word that has
 * entries but none that fits is a usage error with the word's "misplaced"
 * message (given the rule's type word). A word of none is a rule type.
 */
static const struct rule_word {
	const char *word;
	int type;		/* the rule type it follows, or ANY_TYPE */
	unsigned int bit;	/* S_*: it may be given once */
	const char *once;	/* what arg_once calls it; NULL: the word */
	enum rule_value value;
	size_t off;		/* where in struct rule the value goes */
	uint32_t flag;		/* V_NONE: the TPOL_RULE_F_* it sets */
	const char *misplaced;
} rule_words[] = {
#define VALUE(w, t, b, v, field)					\
	{ .word = w, .type = t, .bit = b, .value = v,			\
	  .off = offsetof(struct rule, field) }
	VALUE("from",  ANY_TYPE, S_FROM,  V_PREFIX, src),
	VALUE("to",    ANY_TYPE, S_TO,    V_PREFIX, dst),
	VALUE("tos",   ANY_TYPE, S_TOS,   V_TOS,    tos),
	VALUE("pref",  ANY_TYPE, S_PREF,  V_U32,    pref),
	VALUE("class", ANY_TYPE, S_CLASS, V_CLASS,  cls),
	VALUE("dev",   T_NONE,   S_IIF,   V_IFNAME, iif),
	{ .word = "dev", .type = T_ROUTE, .bit = S_OIF, .once = "route dev",
	  .value = V_IFNAME, .off = offsetof(struct rule, oifname),
	  .misplaced = "\"dev\" after \"%s\": the input device goes before the rule's type" },
	{ .word = "gw", .type = T_ROUTE, .bit = S_GW, .value = V_ADDR,
	  .off = offsetof(struct rule, gw),
	  .misplaced = "\"gw\" belongs to \"route\" (route gw GATEWAY)" },
	{ .word = "log", .type = ANY_TYPE, .bit = S_LOG, .flag = TPOL_RULE_F_LOG },
	{ .word = "valve", .type = ANY_TYPE, .bit = S_VALVE,
	  .flag = TPOL_RULE_F_VALVE },
#undef VALUE
};
#define NWORDS	(sizeof(rule_words) / sizeof(rule_words[0]))

/* The entry for W in a rule of type T; NULL if W is no keyword. */
static const struct rule_word *rule_word(const struct args *a, const char *w,
					 enum rule_type t)
{
	const struct rule_word *misplaced = NULL;
	size_t i;

	for (i = 0; i < NWORDS; i++) {
		if (strcmp(w, rule_words[i].word))
			continue;
		if (rule_words[i].type == ANY_TYPE ||
		    rule_words[i].type == (int)t)
			return &rule_words[i];
		if (rule_words[i].misplaced)
			misplaced = &rule_words[i];
	}
	if (misplaced)
		usage_error(a, misplaced->misplaced, types[t].word);
	return NULL;
}

/* Takes KW's value, if it has one; NULL or why the value is wrong. */
static const char *rule_value(struct args *a, struct rule *r,
			      const struct rule_word *kw, const char **v)
{
	void *to = (char *)r + kw->off;

	arg_once(a, &r->seen, kw->bit, kw->once ? kw->once : kw->word);
	if (kw->value == V_NONE) {
		r->flags |= kw->flag;
		return NULL;
	}
	*v = arg_value(a, kw->word);
	switch (kw->value) {
	case V_PREFIX:
		return parse_prefix(*v, to);
	case V_TOS:
		return parse_tos(*v, to);
	case V_U32:
		return parse_u32(*v, to);
	case V_CLASS:
		return parse_class(*v, to);
	case V_ADDR:
		return parse_addr(*v, to);
	case V_IFNAME:
		*(const char **)to = *v;
		return parse_ifname(*v);
	case V_NONE:
		break;
	}
	return NULL;
}

static void rule_parse(struct args *a, struct rule *r, bool add)
{
	const struct rule_word *kw;
	const char *w, *v = NULL, *why;
	enum rule_type t;

	memset(r, 0, sizeof(*r));
	if (!add && !a->argc)
		usage_error(a, "delrule needs a selector (it would remove the first rule)");

	while ((w = arg_next(a))) {
		why = NULL;
		kw = rule_word(a, w, r->type);
		if (kw) {
			why = rule_value(a, r, kw, &v);
		} else if ((t = type_of(w)) != T_NONE) {
			if (r->type == t)
				usage_error(a, "\"%s\" given twice", w);
			if (r->type != T_NONE)
				usage_error(a, "\"%s\" after \"%s\": a rule has one type",
					    w, types[r->type].word);
			r->type = t;
			if (t == T_NAT) {
				v = arg_value(a, w);
				why = parse_addr(v, &r->nat);
			}
		} else {
			usage_error(a, "unknown word \"%s\"", w);
		}
		if (why)
			bad_value(a, w, v, why);
	}

	if (add) {
		switch (r->type) {
		case T_NONE:
		case T_ROUTE:
			/* A rule with its own route looks up no class; one
			 * without looks up MAIN unless told otherwise. */
			if ((r->seen & S_CLASS) && (r->seen & (S_GW | S_OIF)))
				usage_error(a, "a rule with its own gw or dev looks up no class");
			if (!(r->seen & (S_CLASS | S_GW | S_OIF)))
				r->cls = TPOL_CLASS_MAIN;
			break;
		case T_NAT:
		case T_MASQ:
			if (!(r->seen & S_CLASS))
				r->cls = TPOL_CLASS_MAIN;
			break;
		case T_DROP:
		case T_REJECT:
		case T_PROHIBIT:
			if (r->seen & S_CLASS)
				usage_error(a, "a %s rule looks up no class",
					    types[r->type].word);
			break;
		}
	}
	/* Last: a wrong word is a usage error even when a device is
	 * missing too. The input device need not exist (fib_rules keeps
	 * the name), the output device must. */
	if (r->seen & S_OIF)
		r->oif = dev_index(r->oifname);
}

static void rule_msg(struct msg *m, const struct rule *r, bool add)
{
	struct fib_rule_hdr *frh;
	struct nlattr *nest;

	msg_init(m, add ? RTM_NEWRULE : RTM_DELRULE,
		 add ? NLM_F_CREATE | NLM_F_EXCL : 0);
	frh = msg_reserve(m, sizeof(*frh));
	frh->family = TPOL_FAMILY;
	/* fib_rules' delete compares the action only if it is given. */
	if (add || r->type != T_NONE)
		frh->action = types[r->type].action;
	if (r->seen & S_FROM) {
		frh->src_len = r->src.len;
		if (r->src.len)
			msg_put(m, FRA_SRC, &r->src.addr, sizeof(r->src.addr));
	}
	if (r->seen & S_TO) {
		frh->dst_len = r->dst.len;
		if (r->dst.len)
			msg_put(m, FRA_DST, &r->dst.addr, sizeof(r->dst.addr));
	}
	if (r->seen & S_TOS)
		frh->tos = r->tos;
	frh->table = r->cls;	/* 0, "none", unless given or defaulted */
	if (r->seen & S_IIF)
		msg_put_str(m, FRA_IIFNAME, r->iif);
	if (r->seen & S_PREF)
		msg_put_u32(m, FRA_PRIORITY, r->pref);

	nest = msg_nest(m, FRA_TPOL);
	/* ROUTE is what an absent type means; delrule names it to tell a
	 * route rule from a nat or masquerade one. */
	if (r->type == T_NAT || r->type == T_MASQ ||
	    (r->type == T_ROUTE && !add))
		msg_put_u8(m, TPOL_RA_TYPE, types[r->type].tpol);
	if (r->type == T_NAT)
		msg_put(m, TPOL_RA_NAT, &r->nat, sizeof(r->nat));
	if (r->seen & S_GW)
		msg_put(m, TPOL_RA_GATEWAY, &r->gw, sizeof(r->gw));
	if (r->seen & S_OIF)
		msg_put_u32(m, TPOL_RA_OIF, r->oif);
	if (r->seen & (S_LOG | S_VALVE))
		msg_put_u32(m, TPOL_RA_FLAGS, r->flags);
	msg_nest_end(m, nest);
}

/*
 * fib_rules knows TPOL_FAMILY only while tun_policy is loaded, and loads
 * nothing itself: it answers EAFNOSUPPORT. Resolving the genetlink
 * family does load the module; then the request goes once more.
 */
static void rule_family_load(int err, const char *extack)
{
	struct nl g;
	uint16_t id;

	if (err != -EAFNOSUPPORT)
		die_nl(err, extack);
	genl_open_tpol(&g, &id);
	nl_close(&g);
}

/* The end of a rule request: a missing rule family is said in its words. */
static void rule_check(int err, const char *extack)
{
	if (err == -EAFNOSUPPORT)
		die("%s: tun_policy has not registered its rule family (%d)",
		    strerror(-err), TPOL_FAMILY);
	if (err)
		die_nl(err, extack);
}

static int rule_change(struct args *a, bool add)
{
	struct rule r;
	struct msg m;
	struct nl nl;
	int err, tries;

	rule_parse(a, &r, add);
	err = nl_open(&nl, NETLINK_ROUTE);
	if (err)
		die("rtnetlink socket: %s", strerror(-err));
	for (tries = 0;; tries++) {
		rule_msg(&m, &r, add);
		err = nl_request(&nl, &m, NULL, NULL);
		if (!err || tries)
			break;
		rule_family_load(err, nl.extack);
	}
	rule_check(err, nl.extack);
	nl_close(&nl);
	return 0;
}

int cmd_rule_add(struct args *a)
{
	return rule_change(a, true);
}

int cmd_rule_del(struct args *a)
{
	return rule_change(a, false);
}

static const char *flag_words[] = { "log", "valve" };

/*
 * The seed's table: Pref Source Destination TOS Iface Cl, single spaces,
 * then what the table has no column for: the type unless it is route
 * ("nat ADDRESS", "masquerade", "drop", "reject", "prohibit"), the rule's
 * own route ("gw GATEWAY", "dev OUTDEV"), the flags ("log", "valve").
 */
static void rule_print(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[FRA_MAX + 1], *ta[TPOL_RA_MAX + 1];
	const struct fib_rule_hdr *frh = NLMSG_DATA(nlh);
	char src[PREFIX_STRLEN], dst[PREFIX_STRLEN], addr[ADDR_STRLEN];
	char dev[IFNAMSIZ];
	uint32_t a_src = 0, a_dst = 0, table, flags = 0;
	uint8_t type = TPOL_RULE_ROUTE;
	size_t i;

	(void)arg;
	if (nlh->nlmsg_type != RTM_NEWRULE)
		return;
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*frh)))
		die("malformed reply from the kernel (short rule)");
	if (frh->family != TPOL_FAMILY)
		return;
	attr_parse(tb, FRA_MAX,
		   (const char *)frh + NLMSG_ALIGN(sizeof(*frh)),
		   nlh->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(sizeof(*frh))));
	memset(ta, 0, sizeof(ta));
	if (tb[FRA_TPOL])
		attr_parse(ta, TPOL_RA_MAX, attr_data(tb[FRA_TPOL]),
			   attr_len(tb[FRA_TPOL]));

	if (frh->src_len) {
		if (!tb[FRA_SRC])
			die("malformed reply from the kernel (no source)");
		a_src = attr_u32(tb[FRA_SRC]);
	}
	if (frh->dst_len) {
		if (!tb[FRA_DST])
			die("malformed reply from the kernel (no destination)");
		a_dst = attr_u32(tb[FRA_DST]);
	}
	table = tb[FRA_TABLE] ? attr_u32(tb[FRA_TABLE]) : frh->table;

	out_printf("%u %s %s %02x %s %u",
		   tb[FRA_PRIORITY] ? attr_u32(tb[FRA_PRIORITY]) : 0,
		   fmt_prefix(src, a_src, frh->src_len),
		   fmt_prefix(dst, a_dst, frh->dst_len), frh->tos,
		   tb[FRA_IIFNAME] ? attr_str(tb[FRA_IIFNAME], IFNAMSIZ) : "*",
		   table);

	switch (frh->action) {
	case FR_ACT_TO_TBL:
		if (ta[TPOL_RA_TYPE])
			type = attr_u8(ta[TPOL_RA_TYPE]);
		if (type == TPOL_RULE_NAT) {
			out_printf(" nat");
			if (ta[TPOL_RA_NAT])
				out_printf(" %s", fmt_addr(addr, attr_u32(ta[TPOL_RA_NAT])));
		} else if (type == TPOL_RULE_MASQUERADE) {
			out_printf(" masquerade");
		} else if (type != TPOL_RULE_ROUTE) {
			out_printf(" type %u", type);
		}
		break;
	case FR_ACT_BLACKHOLE:
		out_printf(" drop");
		break;
	case FR_ACT_UNREACHABLE:
		out_printf(" reject");
		break;
	case FR_ACT_PROHIBIT:
		out_printf(" prohibit");
		break;
	default:
		out_printf(" action %u", frh->action);
		break;
	}
	if (ta[TPOL_RA_GATEWAY])
		out_printf(" gw %s", fmt_addr(addr, attr_u32(ta[TPOL_RA_GATEWAY])));
	/* tun_policy keeps a rule whose output device went away, with
	 * ifindex -1: it gives no route until it is replaced. */
	if (ta[TPOL_RA_OIF] && attr_u32(ta[TPOL_RA_OIF]) == UINT32_MAX)
		out_printf(" dev [gone]");
	else if (ta[TPOL_RA_OIF])
		out_printf(" dev %s", fmt_ifindex(dev, attr_u32(ta[TPOL_RA_OIF])));
	if (ta[TPOL_RA_FLAGS])
		flags = attr_u32(ta[TPOL_RA_FLAGS]);
	for (i = 0; i < sizeof(flag_words) / sizeof(flag_words[0]); i++) {
		if (flags & (1u << i))
			out_printf(" %s", flag_words[i]);
	}
	if (flags & ~TPOL_RULE_F_ALL)
		out_printf(" flags 0x%x", flags & ~TPOL_RULE_F_ALL);
	out_printf("\n");
}

int cmd_rule_show(struct args *a)
{
	struct fib_rule_hdr *frh;
	struct msg m;
	struct nl nl;
	int err, tries, loads = 0;

	if (a->argc)
		usage_error(a, "unknown word \"%s\"", a->argv[0]);
	err = nl_open(&nl, NETLINK_ROUTE);
	if (err)
		die("rtnetlink socket: %s", strerror(-err));
	for (tries = 0;; tries++) {
		out_reset();
		out_printf("Kernel routing policy rules\n"
			   "Pref Source Destination TOS Iface Cl\n");
		msg_init(&m, RTM_GETRULE, 0);
		frh = msg_reserve(&m, sizeof(*frh));
		frh->family = TPOL_FAMILY;
		err = nl_dump(&nl, &m, rule_print, NULL);
		if (err == -EAFNOSUPPORT && !loads++) {
			rule_family_load(err, nl.extack);
			continue;
		}
		if (err != NL_DUMP_INTR)
			break;
		if (tries == 4)
			die("the rules kept changing during the dump, try again");
	}
	rule_check(err, nl.extack);
	nl_close(&nl);
	out_flush();
	return 0;
}
