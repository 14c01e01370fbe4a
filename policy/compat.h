/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * policy/compat.h - what differs between the kernel series tun_policy.ko
 * builds for (6.1 and 6.12), in one place, as include/tun_compat.h does
 * for tun.ko.
 */
#ifndef _TPOL_COMPAT_H
#define _TPOL_COMPAT_H

#include <linux/version.h>
#include <net/fib_rules.h>
#include <net/genetlink.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#include <net/gso.h>	/* skb_gso_validate_network_len(), from skbuff.h */
#endif

/*
 * fib_default_rule_add() lost its (always 0) flags argument between the
 * two series; keyed on the series this is built for.
 */
static inline int tpol_default_rule_add(struct fib_rules_ops *ops, u32 pref,
					u32 table)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	return fib_default_rule_add(ops, pref, table);
#else
	return fib_default_rule_add(ops, pref, table, 0);
#endif
}

/* The attributes of a dump request, parsed by genetlink's policy. */
static inline struct nlattr **tpol_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

#endif /* _TPOL_COMPAT_H */
