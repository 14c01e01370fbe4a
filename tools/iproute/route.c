// SPDX-License-Identifier: GPL-2.0
/*
 * The routes of the classes: iproute add, del and show, over the generic
 * netlink family of tun_policy (TPOL_CMD_NEWROUTE, _DELROUTE, _GETROUTE).
 *
 * A route is the seed's node: a prefix, a tos and a metric (the key), and
 * a gateway and/or a device, or REJECT or THROW. add sends every field it
 * has, defaults included; del sends only what the user named, the prefix
 * and the class (MAIN if none) always, and the kernel removes the first
 * route that matches all of it.
 */
#include <string.h>
#include <linux/genetlink.h>

#include "iproute.h"
#include "../../include/uapi/linux/tun_policy.h"

enum {
	R_TOS		= 1 << 0,
	R_GW		= 1 << 1,
	R_DEV		= 1 << 2,
	R_METRIC	= 1 << 3,
	R_TYPE		= 1 << 4,
	R_CLASS		= 1 << 5,
};

struct route {
	unsigned int seen;	/* R_*: what the user named */
	struct prefix dst;
	uint8_t tos, cls, type;
	uint32_t gw, metric, oif;
	const char *dev;
};

static const char *type_word(uint8_t type)
{
	switch (type) {
	case TPOL_ROUTE_REJECT:	return "reject";
	case TPOL_ROUTE_THROW:	return "throw";
	}
	return NULL;
}

static void route_parse(struct args *a, struct route *r, bool add)
{
	const char *w, *v, *why;

	memset(r, 0, sizeof(*r));
	w = arg_next(a);
	if (!w)
		usage_error(a, "a prefix is needed");
	why = parse_prefix(w, &r->dst);
	if (why)
		bad_value(a, "prefix", w, why);

	while ((w = arg_next(a))) {
		if (!strcmp(w, "tos")) {
			arg_once(a, &r->seen, R_TOS, w);
			v = arg_value(a, w);
			why = parse_tos(v, &r->tos);
		} else if (!strcmp(w, "gw")) {
			arg_once(a, &r->seen, R_GW, w);
			v = arg_value(a, w);
			why = parse_addr(v, &r->gw);
		} else if (!strcmp(w, "dev")) {
			arg_once(a, &r->seen, R_DEV, w);
			v = arg_value(a, w);
			why = parse_ifname(v);
			r->dev = v;
		} else if (!strcmp(w, "metric")) {
			arg_once(a, &r->seen, R_METRIC, w);
			v = arg_value(a, w);
			why = parse_u32(v, &r->metric);
		} else if (!strcmp(w, "class")) {
			arg_once(a, &r->seen, R_CLASS, w);
			v = arg_value(a, w);
			why = parse_class(v, &r->cls);
		} else if (!strcmp(w, "reject") || !strcmp(w, "throw")) {
			if ((r->seen & R_TYPE) && !strcmp(w, type_word(r->type)))
				usage_error(a, "\"%s\" given twice", w);
			if (r->seen & R_TYPE)
				usage_error(a, "\"%s\" after \"%s\": a route is one or the other",
					    w, type_word(r->type));
			r->seen |= R_TYPE;
			r->type = w[0] == 'r' ? TPOL_ROUTE_REJECT : TPOL_ROUTE_THROW;
			continue;
		} else {
			usage_error(a, "unknown word \"%s\"", w);
		}
		if (why)
			bad_value(a, w, v, why);
	}

	if (add && (r->seen & R_TYPE) && (r->seen & (R_GW | R_DEV)))
		usage_error(a, "a %s route takes no gw or dev",
			    type_word(r->type));
	if (add && !(r->seen & (R_TYPE | R_GW | R_DEV)))
		usage_error(a, "a route needs gw or dev (or both), or reject or throw");
	if (!(r->seen & R_CLASS))
		r->cls = TPOL_CLASS_MAIN;
	/* Last: a wrong word is a usage error even when a device is
	 * missing too. */
	if (r->seen & R_DEV)
		r->oif = dev_index(r->dev);
}

static void genl_init(struct msg *m, uint16_t family, uint8_t cmd)
{
	struct genlmsghdr *g;

	msg_init(m, family, 0);
	g = msg_reserve(m, GENL_HDRLEN);
	g->cmd = cmd;
	g->version = TPOL_GENL_VERSION;
}

static int route_change(struct args *a, bool add)
{
	struct route r;
	struct msg m;
	struct nl nl;
	uint16_t family;
	int err;

	route_parse(a, &r, add);
	genl_open_tpol(&nl, &family);

	genl_init(&m, family, add ? TPOL_CMD_NEWROUTE : TPOL_CMD_DELROUTE);
	msg_put_u8(&m, TPOL_A_CLASS, r.cls);
	msg_put(&m, TPOL_A_DST, &r.dst.addr, sizeof(r.dst.addr));
	msg_put_u8(&m, TPOL_A_DST_LEN, r.dst.len);
	if (r.seen & R_TOS)
		msg_put_u8(&m, TPOL_A_TOS, r.tos);
	if (r.seen & R_METRIC)
		msg_put_u32(&m, TPOL_A_METRIC, r.metric);
	if (r.seen & R_GW)
		msg_put(&m, TPOL_A_GATEWAY, &r.gw, sizeof(r.gw));
	if (r.seen & R_DEV)
		msg_put_u32(&m, TPOL_A_OIF, r.oif);
	if (r.seen & R_TYPE)
		msg_put_u8(&m, TPOL_A_TYPE, r.type);

	err = nl_request(&nl, &m, NULL, NULL);
	if (err)
		die_nl(err, nl.extack);
	nl_close(&nl);
	return 0;
}

int cmd_route_add(struct args *a)
{
	return route_change(a, true);
}

int cmd_route_del(struct args *a)
{
	return route_change(a, false);
}

struct show {
	uint16_t family;
	bool one_class;
	uint8_t cls;
};

/* One line per route, the words of "iproute add" in its order. */
static void route_print(const struct nlmsghdr *nlh, void *arg)
{
	const struct show *s = arg;
	const struct nlattr *tb[TPOL_A_MAX + 1];
	char pfx[PREFIX_STRLEN], addr[ADDR_STRLEN], dev[IFNAMSIZ];
	uint8_t cls, len, tos = 0, type = TPOL_ROUTE_UNICAST;
	uint32_t dst;

	if (nlh->nlmsg_type != s->family)
		return;
	if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		die("malformed reply from the kernel (short message)");
	attr_parse(tb, TPOL_A_MAX, (const char *)NLMSG_DATA(nlh) + GENL_HDRLEN,
		   nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN));
	if (!tb[TPOL_A_CLASS] || !tb[TPOL_A_DST] || !tb[TPOL_A_DST_LEN])
		die("malformed reply from the kernel (a route without class or prefix)");
	cls = attr_u8(tb[TPOL_A_CLASS]);
	dst = attr_u32(tb[TPOL_A_DST]);
	len = attr_u8(tb[TPOL_A_DST_LEN]);
	if (s->one_class && cls != s->cls)
		return;
	if (tb[TPOL_A_TOS])
		tos = attr_u8(tb[TPOL_A_TOS]);
	if (tb[TPOL_A_TYPE])
		type = attr_u8(tb[TPOL_A_TYPE]);

	out_printf("%s", fmt_prefix(pfx, dst, len));
	if (tos)
		out_printf(" tos 0x%02x", tos);
	if (tb[TPOL_A_GATEWAY])
		out_printf(" gw %s", fmt_addr(addr, attr_u32(tb[TPOL_A_GATEWAY])));
	if (tb[TPOL_A_OIF])
		out_printf(" dev %s", fmt_ifindex(dev, attr_u32(tb[TPOL_A_OIF])));
	if (tb[TPOL_A_METRIC] && attr_u32(tb[TPOL_A_METRIC]))
		out_printf(" metric %u", attr_u32(tb[TPOL_A_METRIC]));
	if (type_word(type))
		out_printf(" %s", type_word(type));
	else if (type != TPOL_ROUTE_UNICAST)
		out_printf(" type %u", type);
	out_printf(" class %u\n", cls);
}

int cmd_route_show(struct args *a)
{
	struct show s = { 0 };
	const char *w, *v, *why;
	unsigned int seen = 0;
	struct msg m;
	struct nl nl;
	int err, tries;

	while ((w = arg_next(a))) {
		if (strcmp(w, "class"))
			usage_error(a, "unknown word \"%s\"", w);
		arg_once(a, &seen, R_CLASS, w);
		v = arg_value(a, w);
		why = parse_class(v, &s.cls);
		if (why)
			bad_value(a, w, v, why);
		s.one_class = true;
	}

	genl_open_tpol(&nl, &s.family);
	/* A dump that saw the table change is started again, a few
	 * times: the output is only written once one went through. */
	for (tries = 0;; tries++) {
		out_reset();
		genl_init(&m, s.family, TPOL_CMD_GETROUTE);
		if (s.one_class)
			msg_put_u8(&m, TPOL_A_CLASS, s.cls);
		err = nl_dump(&nl, &m, route_print, &s);
		if (err != NL_DUMP_INTR)
			break;
		if (tries == 4)
			die("the routes kept changing during the dump, try again");
	}
	if (err)
		die_nl(err, nl.extack);
	nl_close(&nl);
	out_flush();
	return 0;
}
