// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun_policy - class/rule policy routing as a fib_rules family.
 *
 * So far the module holds the class table (policy/class.h, policy/class.c:
 * one routing table, looked up by the rules of RFC 1812 under RCU); the
 * rule family, the netfilter hook and the netlink API arrive with their
 * own work, see Documentation/tun_policy.rst.
 *
 * The module is one translation unit, in parts under policy/ included
 * below, as tun.c is for tun.ko: Kbuild cannot link tun_policy.ko from
 * parts one of which would be tun_policy.o itself.
 *
 * Built with `make TPOL_DEBUG=1`, it also carries the selftests of its
 * data structures and runs them at load; a failure fails the load.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/init.h>

#include "policy/class.h"
#include "policy/class.c"
#ifdef TPOL_DEBUG
#include "policy/class_selftest.c"
#endif

static int __init tpol_init(void)
{
#ifdef TPOL_DEBUG
	if (!tpol_class_selftest())
		return -ENOTRECOVERABLE;
#endif
	pr_debug("loaded\n");
	return 0;
}

static void __exit tpol_exit(void)
{
	pr_debug("unloaded\n");
}

module_init(tpol_init);
module_exit(tpol_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Class/rule policy routing lookup (fib_rules family)");
