// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun_policy - the class/rule policy routing described in
 * Documentation/tun_policy.rst, as a fib_rules family.
 *
 * In every network namespace: 255 classes (routing tables, 253-255
 * built in) managed over generic netlink, a fib_rules family
 * (TPOL_FAMILY) whose rules look the classes up, and netfilter hooks
 * that route the IPv4 packets entering the host (and, with local_policy,
 * those it sends) by those rules. Documentation/tun_policy.rst has the
 * model; include/uapi/linux/tun_policy.h the interface.
 *
 * The module is one translation unit, in parts under policy/ included
 * below, for one reason: Kbuild builds tun_policy.ko from tun_policy.o,
 * so the root tun_policy.c cannot be one of several objects of a
 * composite tun_policy.o. The parts only say that they are part of
 * tun_policy.ko (tun_policy.c).
 *
 *   policy/class.[ch]   a class: the longest-prefix-match table
 *   policy/tpol.h       the per-namespace state, a rule, a lookup result
 *   policy/rules.c      the fib_rules family and the lookup
 *   policy/genl.c       classes over generic netlink
 *   policy/hook.c       the netfilter hooks and our forwarding
 *   policy/nat.c        NAT, MASQUERADE and VALVE on conntrack and nf_nat
 *
 * Built with `make TPOL_DEBUG=1`, it also carries the selftests of its
 * data structures and runs them at load; a failure fails the load.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/init.h>
#include <linux/netdevice.h>
#include <linux/inetdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/fib_rules.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/netfilter/ipv4/nf_reject.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_nat.h>
#include <net/netfilter/nf_nat_masquerade.h>

#include "policy/compat.h"
#include "policy/class.h"
#include "policy/tpol.h"
#include "policy/class.c"
#ifdef TPOL_DEBUG
#include "policy/class_selftest.c"
#endif
#include "policy/rules.c"
#include "policy/genl.c"
#include "policy/hook.c"
#include "policy/nat.c"

static int __net_init tpol_net_init(struct net *net)
{
	struct tpol_net *tn = tpol_pernet(net);
	struct fib_rules_ops *ops;
	unsigned int i;
	int err;

	tn->net = net;
	mutex_init(&tn->lock);
	for (i = 0; i <= TPOL_CLASS_MAX; i++)
		tpol_class_init(&tn->classes[i], &tn->lock);

	/*
	 * RTNL: at module load the namespace is live, and RTM_NEWRULE may
	 * reach the family as soon as it is registered, before the
	 * default rules are in.
	 */
	rtnl_lock();
	ops = tpol_rules_init(net);
	if (!IS_ERR(ops))
		tn->rules = ops;
	rtnl_unlock();
	if (IS_ERR(ops))
		return PTR_ERR(ops);

	err = nf_register_net_hooks(net, tpol_nf_ops, ARRAY_SIZE(tpol_nf_ops));
	if (err) {
		rtnl_lock();
		fib_rules_unregister(tn->rules);
		tn->rules = NULL;
		rtnl_unlock();
	}
	return err;
}

static void __net_exit tpol_net_exit(struct net *net)
{
	struct tpol_net *tn = tpol_pernet(net);
	unsigned int i;

	/* Waits for the hooks running: no lookup is left after this. */
	nf_unregister_net_hooks(net, tpol_nf_ops, ARRAY_SIZE(tpol_nf_ops));

	rtnl_lock();
	fib_rules_unregister(tn->rules);
	tn->rules = NULL;
	rtnl_unlock();

	mutex_lock(&tn->lock);
	for (i = 1; i <= TPOL_CLASS_MAX; i++)
		tpol_class_flush(&tn->classes[i]);
	mutex_unlock(&tn->lock);
}

static struct pernet_operations tpol_net_ops = {
	.init	= tpol_net_init,
	.exit	= tpol_net_exit,
	.id	= &tpol_net_id,
	.size	= sizeof(struct tpol_net),
};

static int tpol_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct tpol_net *tn = tpol_pernet(dev_net(dev));

	if (event != NETDEV_UNREGISTER || !tn->rules)
		return NOTIFY_DONE;
	tpol_rules_dev_gone(tn, dev->ifindex);
	tpol_classes_dev_gone(tn, dev->ifindex);
	return NOTIFY_DONE;
}

static struct notifier_block tpol_netdev_nb = {
	.notifier_call = tpol_netdev_event,
};

static int __init tpol_init(void)
{
	int err;

#ifdef TPOL_DEBUG
	if (!tpol_class_selftest())
		return -ENOTRECOVERABLE;
#endif
	err = register_pernet_subsys(&tpol_net_ops);
	if (err)
		return err;
	err = register_netdevice_notifier(&tpol_netdev_nb);
	if (err)
		goto err_pernet;
	err = genl_register_family(&tpol_genl_family);
	if (err)
		goto err_notifier;
	pr_debug("loaded\n");
	return 0;

err_notifier:
	unregister_netdevice_notifier(&tpol_netdev_nb);
err_pernet:
	unregister_pernet_subsys(&tpol_net_ops);
	return err;
}

static void __exit tpol_exit(void)
{
	genl_unregister_family(&tpol_genl_family);
	unregister_netdevice_notifier(&tpol_netdev_nb);
	unregister_pernet_subsys(&tpol_net_ops);
	/* the classes' and rules' kfree_rcu() */
	rcu_barrier();
	pr_debug("unloaded\n");
}

module_init(tpol_init);
module_exit(tpol_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Class/rule policy routing lookup (fib_rules family)");
MODULE_ALIAS_GENL_FAMILY(TPOL_GENL_NAME);
