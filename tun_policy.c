// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun_policy - class/rule policy routing as a fib_rules family.
 *
 * This is the module's skeleton: it loads and unloads cleanly so that the
 * build, the test bench and packaging can treat both modules alike. The
 * rule family, the class tables, the netfilter hook and the netlink API
 * arrive with their own issue; see Documentation/tun_policy.rst.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/init.h>

static int __init tpol_init(void)
{
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
