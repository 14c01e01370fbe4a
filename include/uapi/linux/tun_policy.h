/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * tun_policy: class/rule policy routing, the user-space interface.
 *
 * Two netlink faces, both per network namespace and both needing
 * CAP_NET_ADMIN over the namespace for changes:
 *
 * Rules are fib_rules of their own family, TPOL_FAMILY: RTM_NEWRULE,
 * RTM_DELRULE and RTM_GETRULE on NETLINK_ROUTE with
 * struct fib_rule_hdr.family = TPOL_FAMILY. The header and the generic
 * FRA_* attributes keep their meaning:
 *
 *   src_len + FRA_SRC, dst_len + FRA_DST   source/destination prefix
 *   tos                                    TOS selector (0: any)
 *   FRA_IIFNAME                            input device selector
 *   FRA_PRIORITY                           preference
 *   table / FRA_TABLE                      the class (1..255)
 *   action                                 the rule's type:
 *       FR_ACT_TO_TBL        ROUTE, NAT or MASQUERADE (TPOL_RA_TYPE)
 *       FR_ACT_BLACKHOLE     DROP: drop silently
 *       FR_ACT_UNREACHABLE   REJECT: drop, ICMP net unreachable
 *       FR_ACT_PROHIBIT      PROHIBIT: drop, ICMP communication
 *                            administratively prohibited
 *
 * and what is particular to this family travels nested in FRA_TPOL
 * (TPOL_RA_*; the nest must carry NLA_F_NESTED). fib_rules hands a
 * family's configure() only attributes numbered up to FRA_MAX, so
 * FRA_TPOL takes a number the kernel's rule families leave unused
 * (FRA_UNUSED2); it is parsed strictly by tun_policy itself.
 *
 * The default rules (pref 0 -> class 255, 254 -> 254, 255 -> 253) are
 * ordinary rules: they can be deleted, as the kernel's own can.
 *
 * Classes (routing tables; 255 LOCAL, 254 MAIN and 253 DEFAULT are built
 * in, 0 means "none") are managed over the generic netlink family
 * TPOL_GENL_NAME: TPOL_CMD_NEWROUTE, _DELROUTE, _GETROUTE (dump) with
 * TPOL_A_* attributes.
 */
#ifndef _UAPI_LINUX_TUN_POLICY_H
#define _UAPI_LINUX_TUN_POLICY_H

#include <linux/types.h>
#include <linux/fib_rules.h>

/* fib_rule_hdr.family: above RTNL_FAMILY_MAX (129), no kernel family. */
#define TPOL_FAMILY		140

/*
 * The TOS bits rules (fib_rule_hdr.tos) and routes (TPOL_A_TOS) compare:
 * RFC 1349's four; a value with other bits is refused.
 */
#define TPOL_TOS_MASK		0x1e

#define TPOL_CLASS_UNSPEC	0
#define TPOL_CLASS_DEFAULT	253
#define TPOL_CLASS_MAIN		254
#define TPOL_CLASS_LOCAL	255
#define TPOL_CLASS_MAX		255

/* ---- rules ---- */

/* The nested attribute of this family's rules. */
#define FRA_TPOL		FRA_UNUSED2

enum tpol_rule_type {
	TPOL_RULE_ROUTE = 1,	/* look up the class, or use the rule's route */
	TPOL_RULE_NAT,		/* ... and translate the source address */
	TPOL_RULE_MASQUERADE,	/* ... and use the output device's address */
	__TPOL_RULE_MAX
};
#define TPOL_RULE_MAX (__TPOL_RULE_MAX - 1)

/* TPOL_RA_FLAGS */
#define TPOL_RULE_F_LOG		0x1	/* log the routes the rule gives,
					 * rate-limited */
#define TPOL_RULE_F_VALVE	0x2	/* one-way: packets coming back the
					 * other way (source in the rule's
					 * destination prefix, destination in
					 * its source prefix) are dropped
					 * unless they answer a connection
					 * that went out through the rule */
#define TPOL_RULE_F_ALL		(TPOL_RULE_F_LOG | TPOL_RULE_F_VALVE)

enum {
	TPOL_RA_UNSPEC,
	TPOL_RA_TYPE,		/* u8, enum tpol_rule_type; ROUTE if absent.
				 * Only with FR_ACT_TO_TBL. */
	TPOL_RA_NAT,		/* __be32: NAT's new source. With a source
				 * prefix shorter than 32 and no bits of
				 * this address in its host part, the
				 * prefix is mapped onto this one, host
				 * bits kept; otherwise every source
				 * becomes this address. */
	TPOL_RA_GATEWAY,	/* __be32: the rule's own route: gateway */
	TPOL_RA_OIF,		/* u32: the rule's own route: output ifindex;
				 * dumped as 0xffffffff once that device
				 * is gone (the rule then gives no route) */
	TPOL_RA_FLAGS,		/* u32, TPOL_RULE_F_* */
	__TPOL_RA_MAX
};
#define TPOL_RA_MAX (__TPOL_RA_MAX - 1)

/* ---- classes, over generic netlink ---- */

#define TPOL_GENL_NAME		"tun_policy"
#define TPOL_GENL_VERSION	1

enum {
	TPOL_CMD_UNSPEC,
	TPOL_CMD_NEWROUTE,	/* add a route to a class */
	TPOL_CMD_DELROUTE,	/* delete one route (see TPOL_A_*) */
	TPOL_CMD_GETROUTE,	/* dump routes, of one class if TPOL_A_CLASS */
	__TPOL_CMD_MAX
};
#define TPOL_CMD_MAX (__TPOL_CMD_MAX - 1)

/* TPOL_A_TYPE: what a route (the seed's "node") says. */
enum tpol_route_kind {
	TPOL_ROUTE_UNICAST = 1,	/* to TPOL_A_GATEWAY and/or TPOL_A_OIF */
	TPOL_ROUTE_REJECT,	/* end the whole lookup with an error */
	TPOL_ROUTE_THROW,	/* end the lookup in this class */
	__TPOL_ROUTE_MAX
};
#define TPOL_ROUTE_MAX (__TPOL_ROUTE_MAX - 1)

/*
 * NEWROUTE needs CLASS (1..255), DST and DST_LEN (no address bits beyond
 * it); TOS and METRIC (0 if absent) complete the key, -EEXIST if a route
 * with that key exists. TYPE is UNICAST if absent; a UNICAST route needs
 * GATEWAY or OIF or both, REJECT and THROW take neither.
 * DELROUTE needs CLASS, DST and DST_LEN; every other attribute given
 * must match too. It removes the first match in dump order, -ESRCH if
 * none.
 */
enum {
	TPOL_A_UNSPEC,
	TPOL_A_CLASS,		/* u8 */
	TPOL_A_DST,		/* __be32 */
	TPOL_A_DST_LEN,		/* u8, 0..32 */
	TPOL_A_TOS,		/* u8 */
	TPOL_A_METRIC,		/* u32 */
	TPOL_A_GATEWAY,		/* __be32 */
	TPOL_A_OIF,		/* u32 ifindex */
	TPOL_A_TYPE,		/* u8, enum tpol_route_kind */
	__TPOL_A_MAX
};
#define TPOL_A_MAX (__TPOL_A_MAX - 1)

#endif /* _UAPI_LINUX_TUN_POLICY_H */
