// SPDX-License-Identifier: GPL-2.0-only
/*
 * policy/nat.c - NAT, MASQUERADE and VALVE, on the kernel's connection
 * tracking and NAT engine.
 *
 * The seed's NAT and MASQUERADE rules translate the source of the packets
 * they route; here the translation is set up for each new connection by
 * the kernel's NAT engine (nf_nat), so that everything that belongs to
 * the connection, its answers first, is translated both ways, with the
 * checksums of every protocol conntrack knows. A NAT rule maps its source
 * prefix onto the same-sized prefix at its NAT address, or every source
 * onto the one NAT address (tpol_nat_addr()); MASQUERADE uses the address
 * of the output device, as the kernel's masquerading does.
 *
 * VALVE makes a rule one-way: a packet coming back the other way (source
 * in the rule's destination prefix, destination in its source prefix,
 * not matching the rule itself) passes only as an answer within a
 * connection that went out (conntrack's reply direction, or an ICMP
 * error about one).
 *
 * Connection tracking and the NAT hook are taken in a namespace when its
 * first rule that needs them (NAT, MASQUERADE or VALVE) is configured and
 * given back when the last goes: tpol_net.ct_users, under RTNL (rules are
 * added and removed under RTNL). tpol_net.valves counts VALVE rules for
 * the hook's fast path (READ_ONCE).
 */

static unsigned int tpol_nat_fn(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state);

static const struct nf_hook_ops tpol_nat_ops = {
	.hook		= tpol_nat_fn,
	.pf		= NFPROTO_IPV4,
	.hooknum	= NF_INET_POST_ROUTING,
	.priority	= NF_IP_PRI_NAT_SRC,
};

static bool tpol_rule_needs_ct(const struct tpol_rule *r)
{
	return r->type == TPOL_RULE_NAT || r->type == TPOL_RULE_MASQUERADE ||
	       (r->flags & TPOL_RULE_F_VALVE);
}

/* RTNL held. */
static int tpol_ct_get(struct tpol_net *tn, struct netlink_ext_ack *extack)
{
	int err;

	ASSERT_RTNL();
	if (tn->ct_users++)
		return 0;
	err = nf_ct_netns_get(tn->net, NFPROTO_IPV4);
	if (err)
		goto err_unuse;
	err = nf_nat_ipv4_register_fn(tn->net, &tpol_nat_ops);
	if (err) {
		nf_ct_netns_put(tn->net, NFPROTO_IPV4);
		goto err_unuse;
	}
	return 0;
err_unuse:
	tn->ct_users--;
	NL_SET_ERR_MSG(extack, "Cannot start connection tracking");
	return err;
}

/* RTNL held. */
static void tpol_ct_put(struct tpol_net *tn)
{
	ASSERT_RTNL();
	if (WARN_ON_ONCE(!tn->ct_users) || --tn->ct_users)
		return;
	nf_nat_ipv4_unregister_fn(tn->net, &tpol_nat_ops);
	nf_ct_netns_put(tn->net, NFPROTO_IPV4);
}

/* Does the rule act without a class (tpol_net.acting)? */
static bool tpol_rule_acts(const struct tpol_rule *r)
{
	return r->common.action != FR_ACT_TO_TBL || r->gw || r->oif;
}

/* What a rule that is going away held; fib_rules' delete callback. */
static int tpol_rule_delete(struct fib_rule *rule)
{
	struct tpol_rule *r = to_tpol_rule(rule);
	struct tpol_net *tn = tpol_pernet(rule->fr_net);

	if (tpol_rule_acts(r))
		WRITE_ONCE(tn->acting, tn->acting - 1);

	if (r->flags & TPOL_RULE_F_VALVE)
		WRITE_ONCE(tn->valves, tn->valves - 1);
	if (tpol_rule_needs_ct(r))
		tpol_ct_put(tn);
	return 0;
}

/* configure()'s last step, once nothing else can fail. RTNL held. */
static int tpol_rule_take(struct tpol_rule *r, struct netlink_ext_ack *extack)
{
	struct tpol_net *tn = tpol_pernet(r->common.fr_net);
	int err;

	if (tpol_rule_needs_ct(r)) {
		err = tpol_ct_get(tn, extack);
		if (err)
			return err;
	}
	if (r->flags & TPOL_RULE_F_VALVE)
		WRITE_ONCE(tn->valves, tn->valves + 1);
	if (tpol_rule_acts(r))
		WRITE_ONCE(tn->acting, tn->acting + 1);
	return 0;
}

/*
 * A NAT rule's new source for @saddr: with a source prefix (shorter than
 * 32) and a NAT address that has no bits in its host part, the prefix is
 * mapped onto the NAT address's prefix, host bits kept (1:1); otherwise
 * every source becomes the NAT address (many to one: conntrack tells the
 * connections apart by port or ICMP id).
 */
static __be32 tpol_nat_addr(const struct tpol_rule *r, __be32 saddr)
{
	if (r->src_len && !(r->nat & ~r->srcmask))
		return r->nat | (saddr & ~r->srcmask);
	return r->nat;
}

/*
 * The NAT engine calls this for the first packet of each connection
 * leaving through POST_ROUTING: the lookup again (it is deterministic:
 * the packet's addresses, tos, mark and input device), and the source
 * translation of its rule.
 */
static unsigned int tpol_nat_fn(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct tpol_net *tn = tpol_pernet(state->net);
	const struct tpol_rule *r;
	struct nf_nat_range2 range;
	enum ip_conntrack_info ctinfo;
	struct tpol_result res;
	struct flowi4 fl4;
	struct nf_conn *ct;
	int iif = skb->skb_iif;

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || tpol_idle(tn) || !tpol_routable(skb))
		return NF_ACCEPT;
	if (!iif) {
		if (!READ_ONCE(local_policy))
			return NF_ACCEPT;
		iif = LOOPBACK_IFINDEX;
	}
	tpol_flow(&fl4, state->net, skb, iif);
	if (tpol_lookup(tn, &fl4, &res) || res.local || !res.rule)
		return NF_ACCEPT;

	r = res.rule;
	memset(&range, 0, sizeof(range));
	switch (r->type) {
	case TPOL_RULE_NAT:
		range.flags = NF_NAT_RANGE_MAP_IPS;
		range.min_addr.ip = tpol_nat_addr(r, fl4.saddr);
		range.max_addr.ip = range.min_addr.ip;
		return nf_nat_setup_info(ct, &range, NF_NAT_MANIP_SRC);
	case TPOL_RULE_MASQUERADE:
		return nf_nat_masquerade_ipv4(skb, state->hook, &range,
					      state->out);
	}
	return NF_ACCEPT;
}

/*
 * Is @skb (entering on @iif) coming back the wrong way through a VALVE
 * rule, outside any connection that went out? rcu_read_lock() held.
 */
static bool tpol_valve_blocks(struct tpol_net *tn, struct sk_buff *skb,
			      int iif)
{
	const struct iphdr *iph = ip_hdr(skb);
	enum ip_conntrack_info ctinfo;
	struct fib_rule *rule;
	struct nf_conn *ct;

	ct = nf_ct_get(skb, &ctinfo);
	if (ct && (CTINFO2DIR(ctinfo) == IP_CT_DIR_REPLY ||
		   ctinfo == IP_CT_RELATED))
		return false;

	list_for_each_entry_rcu(rule, &tn->rules->rules_list, list) {
		const struct tpol_rule *r = to_tpol_rule(rule);

		if (!(r->flags & TPOL_RULE_F_VALVE) ||
		    !tpol_rule_covers(r, iph->daddr, iph->saddr))
			continue;
		/* the other way: unless it also matches the rule itself */
		if ((rule->iifindex && rule->iifindex != iif) ||
		    !tpol_rule_covers(r, iph->saddr, iph->daddr))
			return true;
	}
	return false;
}
