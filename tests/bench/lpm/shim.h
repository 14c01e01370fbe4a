/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shim.h: the kernel primitives policy/class.c uses, for building that
 * same file, unchanged, into the user-space lookup benchmark (lpm.c).
 *
 * Unlike tests/policy/kshim.h, which checks every locking rule on every
 * dereference (and is right to, for the tests), this shim costs nothing
 * on the read side, so that the benchmark measures the lookup the kernel
 * runs:
 *   - the benchmark is single-threaded: the mutex is a flag, RCU readers
 *     are no-ops, rcu_dereference*() is a plain load (on x86 what the
 *     kernel's READ_ONCE() compiles to), rcu_assign_pointer() a release
 *     store;
 *   - kfree_rcu() frees at once: nothing can be reading;
 *   - kzalloc() hands out what the kernel's allocator would: the request
 *     rounded up to its kmalloc size class (SLUB's kmalloc-8, -16, -32,
 *     -64, -96, -128, -192, -256, ...), aligned on that size, and counts
 *     it, so that the bytes per prefix and the cache-line layout are the
 *     module's, not glibc's.
 */
#ifndef LPM_SHIM_H
#define LPM_SHIM_H

#include <sys/mman.h>

#define KSHIM_BASE_ONLY
#include "../../policy/kshim.h"

#define WARN_ON_ONCE(cond)                                                     \
	({                                                                     \
		bool w_ = !!(cond);                                            \
		if (w_)                                                        \
			fprintf(stderr, "lpm: WARNING %s at %s:%d\n", #cond,   \
				__FILE__, __LINE__);                           \
		w_;                                                            \
	})

#define pr_err(...)	fprintf(stderr, "lpm: " __VA_ARGS__)
#define pr_info(...)	fprintf(stderr, "lpm: " __VA_ARGS__)

struct mutex {
	int held;
};

#define lockdep_is_held(m)	((m)->held)
#define lockdep_assert_held(m)	((void)sizeof(m))

struct rcu_head {
	void *unused[2];
};

#define rcu_read_lock()			do { } while (0)
#define rcu_read_unlock()		do { } while (0)
/* The conditions are lockdep's: never evaluated, as without lockdep. */
#define rcu_dereference_check(p, c)	((void)sizeof(c), READ_ONCE(p))
#define rcu_dereference_protected(p, c)	((void)sizeof(c), (p))
#define rcu_access_pointer(p)		READ_ONCE(p)
#define rcu_assign_pointer(p, v)	__atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#define RCU_INIT_POINTER(p, v)		((p) = (v))

#define GFP_KERNEL		0
#define GFP_KERNEL_ACCOUNT	0
#define __GFP_NOWARN		0

/* What a kmalloc(@size) takes from SLUB: its kmalloc-N size class. */
static inline size_t shim_slab_size(size_t size)
{
	size_t s = 8;

	if (size > 64 && size <= 96)
		return 96;
	if (size > 128 && size <= 192)
		return 192;
	while (s < size)
		s <<= 1;
	return s;
}

/*
 * A slab allocator of sorts: objects of one size class are carved from
 * 2 MiB chunks aligned on 2 MiB, at multiples of the class size, so they
 * sit on cache lines as SLUB puts them (a kmalloc-64 object is one line).
 * The chunks are asked to be huge pages, as slab memory is in the
 * kernel's direct map, which is mapped with huge pages: 4 KiB pages
 * would add TLB misses the module does not have. The chunk's first
 * object slot holds its class, for kfree().
 */
#define SHIM_CHUNK	(2UL << 20)

struct shim_cache {
	size_t size;
	char *next, *end;	/* the current chunk's unused part */
	void *free;		/* freed objects, linked through their start */
};

static struct shim_cache shim_caches[16];
static size_t shim_bytes;	/* live, in slab sizes */
static size_t shim_objects;	/* live */

static inline void *kzalloc(size_t size, int gfp)
{
	size_t slab = shim_slab_size(size);
	struct shim_cache *sc = NULL;
	unsigned int i;
	char *p;

	(void)gfp;
	if (slab > SHIM_CHUNK / 8)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(shim_caches); i++) {
		sc = &shim_caches[i];
		if (!sc->size)
			sc->size = slab;
		if (sc->size == slab)
			break;
	}
	if (sc->free) {
		p = sc->free;
		sc->free = *(void **)p;
	} else {
		if (sc->next + slab > sc->end) {
			p = aligned_alloc(SHIM_CHUNK, SHIM_CHUNK);
			if (!p)
				return NULL;
			madvise(p, SHIM_CHUNK, MADV_HUGEPAGE);
			*(struct shim_cache **)p = sc;
			sc->next = p + slab;
			sc->end = p + SHIM_CHUNK;
		}
		p = sc->next;
		sc->next += slab;
	}
	memset(p, 0, slab);
	shim_bytes += slab;
	shim_objects++;
	return p;
}

/* Chunks are never given back: the benchmark exits soon after. */
static inline void kfree(const void *q)
{
	struct shim_cache *sc;
	void *p = (void *)q;

	if (!p)
		return;
	sc = *(struct shim_cache **)((uintptr_t)p & ~(SHIM_CHUNK - 1));
	*(void **)p = sc->free;
	sc->free = p;
	shim_bytes -= sc->size;
	shim_objects--;
}

#define kfree_rcu(p, field)	kfree(p)

/*
 * kvzalloc() of a large object is vmalloc() in the kernel: 4 KiB pages,
 * so plain calloc() (no huge pages asked for) is the fair stand-in.
 */
static size_t shim_vbytes;	/* live, in pages */

static inline void *kvzalloc(size_t size, int gfp)
{
	size_t *p;

	(void)gfp;
	p = calloc(1, 64 + size);
	if (!p)
		return NULL;
	*p = (size + 4095) & ~(size_t)4095;
	shim_vbytes += *p;
	return (char *)p + 64;
}

static inline void kvfree(const void *q)
{
	size_t *p = (size_t *)((char *)q - 64);

	if (!q)
		return;
	shim_vbytes -= *p;
	free(p);
}

#define kvfree_rcu(p, field)	kvfree(p)

#endif /* LPM_SHIM_H */
