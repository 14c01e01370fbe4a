// SPDX-License-Identifier: GPL-2.0-only
/*
 * policy/hook.c - where the lookup meets packets: netfilter hooks on
 * IPv4 PRE_ROUTING (packets entering the host) and, when local_policy is
 * set, LOCAL_OUT (packets it sends).
 *
 * A packet a rule routes leaves with a route of ours: a dst made for it
 * (rt_dst_alloc) that names the found device and gateway, set before the
 * kernel's own route lookup, which then leaves it alone. Its input
 * function, tpol_forward(), does what the kernel's forwarding does
 * (TTL, MTU, the FORWARD hook) and hands it to ip_output(). A packet no
 * rule routes is left untouched to the kernel's routing.
 *
 * Module unload: the hooks go first (nf_unregister_net_hooks() waits for
 * the hooks running), and a dst of ours is only used for input between
 * our hook and the end of the same ip_rcv_finish() call; see
 * Documentation/tun_policy.rst for the one case (a later PRE_ROUTING
 * hook queueing the packet to user space) that outlives that.
 */

static bool local_policy;
module_param(local_policy, bool, 0644);
MODULE_PARM_DESC(local_policy,
		 "Policy-route locally generated packets too (the seed's CONFIG_IP_LOCAL_RT_POLICY; default off)");

static int tpol_forward_finish(struct net *net, struct sock *sk,
			       struct sk_buff *skb)
{
	IP_INC_STATS(net, IPSTATS_MIB_OUTFORWDATAGRAMS);
	skb_clear_tstamp(skb);
	return dst_output(net, sk, skb);
}

/* dst.input of our routes, in place of the kernel's ip_forward(). */
static int tpol_forward(struct sk_buff *skb)
{
	struct dst_entry *dst = skb_dst(skb);
	struct net_device *out = dst->dev;
	struct net *net = dev_net(out);
	unsigned int mtu;

	if (skb_warn_if_lro(skb))
		goto drop;
	skb_forward_csum(skb);

	if (ip_hdr(skb)->ttl <= 1) {
		IP_INC_STATS(net, IPSTATS_MIB_INHDRERRORS);
		icmp_send(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
		goto drop;
	}
	mtu = dst_mtu(dst);
	if (skb->len > mtu && (ip_hdr(skb)->frag_off & htons(IP_DF)) &&
	    !(skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu))) {
		IP_INC_STATS(net, IPSTATS_MIB_FRAGFAILS);
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
		goto drop;
	}
	if (skb_cow(skb, LL_RESERVED_SPACE(out) + dst->header_len))
		goto drop;
	ip_decrease_ttl(ip_hdr(skb));
	skb->priority = rt_tos2priority(ip_hdr(skb)->tos);
	/* what the output path's MTU and fragmentation checks look for */
	IPCB(skb)->flags |= IPSKB_FORWARDED;

	return NF_HOOK(NFPROTO_IPV4, NF_INET_FORWARD, net, NULL, skb,
		       skb->dev, out, tpol_forward_finish);
drop:
	kfree_skb(skb);
	return NET_RX_DROP;
}

/* Only unicast between unicast addresses is policy-routed. */
static bool tpol_routable(const struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);

	return !ipv4_is_multicast(iph->daddr) && !ipv4_is_lbcast(iph->daddr) &&
	       !ipv4_is_zeronet(iph->daddr) && !ipv4_is_multicast(iph->saddr) &&
	       !ipv4_is_lbcast(iph->saddr);
}

static void tpol_flow(struct flowi4 *fl4, struct net *net,
		      const struct sk_buff *skb, int iif)
{
	const struct iphdr *iph = ip_hdr(skb);

	memset(fl4, 0, sizeof(*fl4));
	fl4->flowi4_iif = iif;
	fl4->flowi4_mark = skb->mark;
	fl4->flowi4_tos = iph->tos & TPOL_TOS_MASK;
	fl4->flowi4_proto = iph->protocol;
	fl4->flowi4_uid = sock_net_uid(net, NULL);
	fl4->daddr = iph->daddr;
	fl4->saddr = iph->saddr;
}

/* Our route for the result; NULL when out of memory. */
static struct rtable *tpol_result_rtable(const struct tpol_result *res, int iif)
{
	struct rtable *rt;

	rt = rt_dst_alloc(res->dev, 0, RTN_UNICAST, true);
	if (!rt)
		return NULL;
	rt->rt_iif = iif;
	if (res->gw) {
		rt->rt_gw_family = AF_INET;
		rt->rt_gw4 = res->gw;
		rt->rt_uses_gateway = 1;
	}
	return rt;
}

static void tpol_log(const struct tpol_result *res, const struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (!res->rule || !(res->rule->flags & TPOL_RULE_F_LOG))
		return;
	net_info_ratelimited("rule %u: %pI4 -> %pI4 tos 0x%02x: via %pI4 dev %s\n",
			     res->rule->common.pref, &iph->saddr, &iph->daddr,
			     iph->tos, res->gw ? &res->gw : &iph->daddr,
			     res->dev->name);
}

static unsigned int tpol_hook_in(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct tpol_net *tn = tpol_pernet(state->net);
	struct in_device *in_dev;
	struct tpol_result res;
	struct flowi4 fl4;
	struct rtable *rt;

	if (skb->pkt_type != PACKET_HOST || skb_dst(skb) ||
	    !tpol_routable(skb))
		return NF_ACCEPT;

	if (READ_ONCE(tn->valves) &&
	    tpol_valve_blocks(tn, skb, state->in->ifindex))
		return NF_DROP;
	if (tpol_idle(tn))
		return NF_ACCEPT;

	tpol_flow(&fl4, state->net, skb, state->in->ifindex);
	switch (tpol_lookup(tn, &fl4, &res)) {
	case 0:
		break;
	case -ESRCH:
		return NF_ACCEPT;
	case -ENETUNREACH:
		nf_send_unreach(skb, ICMP_NET_UNREACH, state->hook);
		return NF_DROP;
	case -EACCES:
		nf_send_unreach(skb, ICMP_PKT_FILTERED, state->hook);
		return NF_DROP;
	default:
		return NF_DROP;
	}
	if (res.local)
		return NF_ACCEPT;

	/* Forwarding off on the input device: the kernel's routing decides. */
	in_dev = __in_dev_get_rcu(state->in);
	if (!in_dev || !IN_DEV_FORWARD(in_dev))
		return NF_ACCEPT;

	rt = tpol_result_rtable(&res, state->in->ifindex);
	if (!rt)
		return NF_DROP;
	rt->dst.input = tpol_forward;
	skb_dst_set(skb, &rt->dst);
	tpol_log(&res, skb);
	return NF_ACCEPT;
}

/*
 * Locally generated packets (local_policy): they already have the
 * kernel's route; a rule's route replaces it. REJECT and PROHIBIT fail
 * the sender's call with ENETUNREACH and EACCES, as the kernel's
 * unreachable and prohibit rules do; DROP with EPERM, as any netfilter
 * drop does.
 */
static unsigned int tpol_hook_out(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	struct tpol_net *tn = tpol_pernet(state->net);
	struct tpol_result res;
	struct flowi4 fl4;
	struct rtable *rt;
	int err;

	if (!READ_ONCE(local_policy) || tpol_idle(tn) ||
	    skb->len < sizeof(struct iphdr) ||
	    ip_hdrlen(skb) < sizeof(struct iphdr) || !tpol_routable(skb))
		return NF_ACCEPT;

	tpol_flow(&fl4, state->net, skb, LOOPBACK_IFINDEX);
	err = tpol_lookup(tn, &fl4, &res);
	switch (err) {
	case 0:
		break;
	case -ESRCH:
		return NF_ACCEPT;
	case -ENETUNREACH:
	case -EACCES:
		return NF_DROP_ERR(err);
	default:
		return NF_DROP;
	}
	if (res.local)
		return NF_ACCEPT;

	rt = tpol_result_rtable(&res, 0);
	if (!rt)
		return NF_DROP_ERR(-ENOBUFS);
	skb_dst_drop(skb);
	skb_dst_set(skb, &rt->dst);
	tpol_log(&res, skb);
	return NF_ACCEPT;
}

static const struct nf_hook_ops tpol_nf_ops[] = {
	{
		/* after conntrack and destination NAT */
		.hook		= tpol_hook_in,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= NF_IP_PRI_NAT_DST + 1,
	},
	{
		/* after destination NAT and filtering */
		.hook		= tpol_hook_out,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= NF_IP_PRI_FILTER + 1,
	},
};
