/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kshim.h: the few kernel primitives policy/class.c uses, for building it
 * (and policy/class_selftest.c) into a user-space test program.
 *
 * The tests are single-threaded, so RCU has no readers to wait for, but
 * the shim still checks the rules policy/class.h states:
 *   - a writer must hold the class's mutex (lockdep_assert_held,
 *     rcu_dereference_protected);
 *   - a reader must be inside rcu_read_lock() or hold the mutex
 *     (rcu_dereference_check);
 *   - kfree_rcu() frees at once after poisoning the object, so a writer
 *     that touches what it has just queued for freeing reads garbage that
 *     the structure checks catch.
 * A broken rule aborts the program with the file and line.
 *
 * Allocations are counted (kshim_live) so that a test can prove nothing
 * leaks, and kshim_fail_in makes the n-th next allocation fail, so that a
 * test can prove a failed add leaves the table as it was.
 *
 * Defined KSHIM_BASE_ONLY, it gives only the types and plain helpers
 * before that point, for tests/bench/lpm/shim.h, which models the
 * locks, RCU and the allocator its own way.
 */
#ifndef KSHIM_H
#define KSHIM_H

#include <arpa/inet.h>
#include <errno.h>
#include <linux/types.h>
#include <malloc.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* __be32 comes from <linux/types.h>, as the tests' other headers want it. */
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;

#define __rcu
#define __force
#define __init

#define cpu_to_be32(x)	htonl(x)
#define be32_to_cpu(x)	ntohl(x)

#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

#ifndef KSHIM_BASE_ONLY
static void kshim_die(const char *what, const char *file, int line)
{
	printf("# kshim: %s at %s:%d\n", what, file, line);
	fflush(stdout);
	abort();
}

#define kshim_assert(cond, what)                                               \
	do {                                                                   \
		if (!(cond))                                                   \
			kshim_die(what, __FILE__, __LINE__);                   \
	} while (0)

static unsigned int kshim_warnings;

#define WARN_ON_ONCE(cond)                                                     \
	({                                                                     \
		bool w_ = !!(cond);                                            \
		if (w_) {                                                      \
			printf("# kshim: WARNING %s at %s:%d\n", #cond,        \
			       __FILE__, __LINE__);                            \
			kshim_warnings++;                                      \
		}                                                              \
		w_;                                                            \
	})

#define pr_err(...)	printf("# " __VA_ARGS__)
#define pr_info(...)	printf("# " __VA_ARGS__)

/* ---- locks ---- */
struct mutex {
	int held;
};

static inline void mutex_init(struct mutex *m)
{
	m->held = 0;
}

#define mutex_destroy(m)	kshim_assert(!(m)->held, "mutex_destroy: held")

#define mutex_lock(m)                                                          \
	do {                                                                   \
		kshim_assert(!(m)->held, "mutex_lock: already held");          \
		(m)->held = 1;                                                 \
	} while (0)
#define mutex_unlock(m)                                                        \
	do {                                                                   \
		kshim_assert((m)->held, "mutex_unlock: not held");             \
		(m)->held = 0;                                                 \
	} while (0)

#define lockdep_is_held(m)	((m)->held)
#define lockdep_assert_held(m)	kshim_assert((m)->held, "lock not held")

/* ---- RCU ---- */
struct rcu_head {
	void *unused[2];
};

static int kshim_rcu_nesting;

#define rcu_read_lock()		(kshim_rcu_nesting++)
#define rcu_read_unlock()                                                      \
	do {                                                                   \
		kshim_assert(kshim_rcu_nesting > 0, "rcu_read_unlock: unbalanced"); \
		kshim_rcu_nesting--;                                           \
	} while (0)

#define rcu_dereference_check(p, c)                                            \
	({                                                                     \
		kshim_assert(kshim_rcu_nesting > 0 || (c),                     \
			     "rcu_dereference outside a reader");              \
		__atomic_load_n(&(p), __ATOMIC_CONSUME);                       \
	})
#define rcu_dereference(p)	rcu_dereference_check(p, 0)
#define rcu_dereference_protected(p, c)                                        \
	({                                                                     \
		kshim_assert(c, "rcu_dereference_protected without the lock"); \
		(p);                                                           \
	})
#define rcu_access_pointer(p)	(p)
#define rcu_assign_pointer(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#define RCU_INIT_POINTER(p, v)	((p) = (v))

/* ---- memory ---- */
#define GFP_KERNEL		0
#define GFP_KERNEL_ACCOUNT	0
#define __GFP_NOWARN		0

static long kshim_live;		/* allocated, not yet freed */
static long kshim_fail_in;	/* > 0: the n-th next allocation fails */

static inline void *kmalloc(size_t size, int gfp)
{
	void *p;

	(void)gfp;
	if (kshim_fail_in > 0 && --kshim_fail_in == 0)
		return NULL;
	p = malloc(size);
	if (p)
		kshim_live++;
	return p;
}

static inline void *kzalloc(size_t size, int gfp)
{
	void *p = kmalloc(size, gfp);

	if (p)
		memset(p, 0, size);
	return p;
}

static inline void *kcalloc(size_t n, size_t size, int gfp)
{
	if (size && n > (size_t)-1 / size)
		return NULL;
	return kzalloc(n * size, gfp);
}

static inline void kfree(const void *p)
{
	if (!p)
		return;
	memset((void *)p, 0x6b, malloc_usable_size((void *)p));
	kshim_live--;
	free((void *)p);
}

#define kfree_rcu(p, field)	kfree(p)

/* Large objects: counted and failable like the rest. */
static inline void *kvzalloc(size_t size, int gfp)
{
	return kzalloc(size, gfp);
}

#define kvfree_rcu(p, field)	kfree(p)

#endif /* !KSHIM_BASE_ONLY */
#endif /* KSHIM_H */
