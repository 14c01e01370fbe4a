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

/*
 * The words may come in any order, with one exception that the seed's
 * syntax makes: "dev" names the input device before the rule's type,
 * and the output device after "route" ("gw" too belongs to "route").
 */
static void rule_parse(struct args *a, struct rule *r, bool add)
{
	const char *w, *v = NULL, *why;
	enum rule_type t;

	memset(r, 0, sizeof(*r));
	if (!add && !a->argc)
		usage_error(a, "delrule needs a selector (it would remove the first rule)");

	while ((w = arg_next(a))) {
		why = NULL;
		if (!strcmp(w, "from")) {
			arg_once(a, &r->seen, S_FROM, w);
			v = arg_value(a, w);
			why = parse_prefix(v, &r->src);
		} else if (!strcmp(w, "to")) {
			arg_once(a, &r->seen, S_TO, w);
			v = arg_value(a, w);
			why = parse_prefix(v, &r->dst);
		} else if (!strcmp(w, "tos")) {
			arg_once(a, &r->seen, S_TOS, w);
			v = arg_value(a, w);
			why = parse_tos(v, &r->tos);
		} else if (!strcmp(w, "pref")) {
			arg_once(a, &r->seen, S_PREF, w);
			v = arg_value(a, w);
			why = parse_u32(v, &r->pref);
		} else if (!strcmp(w, "class")) {
			arg_once(a, &r->seen, S_CLASS, w);
			v = arg_value(a, w);
			why = parse_class(v, &r->cls);
		} else if (!strcmp(w, "dev") && r->type == T_NONE) {
			arg_once(a, &r->seen, S_IIF, w);
			v = arg_value(a, w);
			why = parse_ifname(v);
			r->iif = v;
		} else if (!strcmp(w, "dev") && r->type == T_ROUTE) {
			arg_once(a, &r->seen, S_OIF, "route dev");
			v = arg_value(a, w);
			why = parse_ifname(v);
			r->oifname = v;
		} else if (!strcmp(w, "dev")) {
			usage_error(a, "\"dev\" after \"%s\": the input device goes before the rule's type",
				    types[r->type].word);
		} else if (!strcmp(w, "gw")) {
			if (r->type != T_ROUTE)
				usage_error(a, "\"gw\" belongs to \"route\" (route gw GATEWAY)");
			arg_once(a, &r->seen, S_GW, w);
			v = arg_value(a, w);
			why = parse_addr(v, &r->gw);
		} else if (!strcmp(w, "log")) {
			arg_once(a, &r->seen, S_LOG, w);
			r->flags |= TPOL_RULE_F_LOG;
		} else if (!strcmp(w, "valve")) {
			arg_once(a, &r->seen, S_VALVE, w);
			r->flags |= TPOL_RULE_F_VALVE;
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
	if (err == -EAFNOSUPPORT)
		die("%s: tun_policy has not registered its rule family (%d)",
		    strerror(-err), TPOL_FAMILY);
	if (err)
		die_nl(err, nl.extack);
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
	if (err == -EAFNOSUPPORT)
		die("%s: tun_policy has not registered its rule family (%d)",
		    strerror(-err), TPOL_FAMILY);
	if (err)
		die_nl(err, nl.extack);
	nl_close(&nl);
	out_flush();
	return 0;
}
