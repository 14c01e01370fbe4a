/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz: what tests/fuzz/tun.c (tunfuzz) and tests/fuzz/policy.c (tpolfuzz)
 * share: the options, a seeded generator per thread, the thread runner,
 * bad pointers, and small netlink and network-namespace helpers.
 *
 * Reproducibility: every thread draws from its own generator, seeded from
 * the run's seed and the thread's number, so with --threads 1 the sequence
 * of operations and arguments is a function of the seed (and of what the
 * kernel answered); with more threads each thread's sequence still is, only
 * their interleaving is not.  --trace writes each operation to /dev/kmsg
 * before it runs, so that a splat on the console has the operation that
 * caused it just above it.
 *
 * The fuzzer's own verdict never depends on timing: it fails on a broken
 * invariant (a read longer than its buffer, a dump that disagrees with what
 * this thread alone made), on a hang (the bench's timeout) and on what it
 * left behind; the kernel's console catches the rest.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/netlink.h>

#define FZ_MAX_THREADS 16

struct fz_opts {
	uint64_t seed;
	unsigned int seconds;	/* time budget; 0: none */
	unsigned long ops;	/* operations per thread; 0: none */
	unsigned int threads;
	int trace;
	int verbose;
	/*
	 * --avoid WORD[,WORD]: leave out what finds a known bug, so that a
	 * long run gets past it (tunfuzz: napi_frags).
	 */
	const char *avoid;
	/* --with WORD[,WORD]: put in what finds a known bug, stock's too */
	const char *with;
};

/* True if --avoid (--with) named @what. */
int fz_avoid(const char *what);
int fz_with(const char *what);

extern struct fz_opts fz_opts;

/* One generator per thread (xoshiro256**, seeded through splitmix64). */
struct fz_rng {
	uint64_t s[4];
};

void fz_rng_seed(struct fz_rng *r, uint64_t seed, uint64_t stream);
uint64_t fz_u64(struct fz_rng *r);
/* Uniform in [0, n); 0 when n is 0. */
uint32_t fz_below(struct fz_rng *r, uint32_t n);
/* True with probability num/den. */
int fz_chance(struct fz_rng *r, uint32_t num, uint32_t den);
/* A size with weight on the edges: 0, 1, powers of two and their +-1. */
uint32_t fz_size(struct fz_rng *r, uint32_t max);
/* An "interesting" 32-bit value: edges, small, random. */
uint32_t fz_interesting(struct fz_rng *r);
void fz_fill(struct fz_rng *r, void *buf, size_t len);

/* A weighted table of operations. */
struct fz_thread;
typedef void (*fz_op_fn)(struct fz_thread *t);

struct fz_op {
	const char *name;
	unsigned int weight;
	fz_op_fn fn;
	unsigned long count;	/* runs, summed over threads */
	long long ms;		/* the time they took, summed likewise */
	unsigned long ok;	/* runs that the kernel accepted */
};

struct fz_thread {
	unsigned int id;
	struct fz_rng rng;
	unsigned long ops;
	int ok;			/* set by an operation the kernel accepted */
	int home_ns;		/* this thread's own netns, or -1 */
	void *priv;
	uint8_t *buf;		/* FZ_BUF bytes, this thread's only */
	uint8_t *buf2;
};

#define FZ_BUF (80 * 1024)

/*
 * Parses the options (--seed --seconds --ops --threads --trace -v), prints
 * the line that makes the run reproducible, and returns the index of the
 * first argument it did not take.
 */
int fz_parse(int argc, char **argv, const char *prog);

/*
 * Runs fz_opts.threads threads, each drawing operations from @ops by weight
 * until the budget is spent, calling @start(t) first and @stop(t) last in
 * each.  Returns when all are done.
 */
void fz_run(struct fz_op *ops, size_t n_ops, void (*start)(struct fz_thread *),
	    void (*stop)(struct fz_thread *));
/* True once the time budget is spent or a thread failed. */
int fz_over(void);

/*
 * Records a broken invariant (printed as "# FAIL ..." at once; the run
 * ends and fails).  Thread-safe.
 */
void fz_fail(struct fz_thread *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int fz_failed(void);
void fz_trace(struct fz_thread *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prints the count of each operation. */
void fz_report(const struct fz_op *ops, size_t n_ops);

/*
 * Runs @fuzz in a child process and judges what it leaves: prints
 *	# exit: ok		or  # exit: fail: <why>
 *	# cleanup: ok		or  # cleanup: fail: <why>
 * and returns 0 when both are ok.  The child makes its own namespaces;
 * once it is gone, the number of network namespaces must come back to
 * what it was (counted exactly, through the per-user limit
 * /proc/sys/user/max_net_namespaces: a netns can be made only while
 * fewer than the limit exist), and so must tun.ko's reference count (an
 * fd or a device pinning it).  Both are waited for, since namespaces are
 * freed asynchronously, with a bound of FZ_CLEANUP_S seconds.
 */
#define FZ_CLEANUP_S 180
int fz_supervise(int (*fuzz)(void));

/* ---- pointers ---- */

/*
 * A pointer to @len bytes at @good, or one of the bad ones: NULL, an
 * unmapped page, a range running into that page, a kernel address, or the
 * same data at an odd address (copied there).  Mostly @good.
 */
void *fz_ptr(struct fz_thread *t, void *good, size_t len);
/* The first byte of a page that is never mapped. */
extern uint8_t *fz_hole;
void fz_ptr_init(void);

/* ---- netlink ---- */

/*
 * Requests are built and exchanged with tests/lib/nl.h (tt_nl_talk():
 * the ack's errno, 0 or positive, or -1 when there was no answer within
 * TT_NL_WAIT_S: a kernel that never answers is a bug, but a bound keeps
 * the run going).  Besides:
 */

/* Just sends @len bytes of @buf: for garbage the kernel may not answer. */
int fz_nl_send_raw(int proto, const void *buf, size_t len);

/* RTM_SETLINK helpers in the calling thread's netns; 0 or errno. */
int fz_link_set_ns(int ifindex, int ns_fd);
int fz_link_xdp(int ifindex, int prog_fd, uint32_t flags);

/* ---- network namespaces ---- */

/*
 * A new netns (lo up), as an fd, leaving the calling thread where it was;
 * -1 on failure.
 */
int fz_ns_new(void);
/* Moves the calling thread into @ns_fd; 0 or -1. */
int fz_ns_enter(int ns_fd);

/*
 * Deletes every device but lo in @ns_fd, then waits (bounded) until none is
 * left; returns how many were still there (their names in @left).
 */
int fz_ns_sweep(int ns_fd, char *left, size_t len);

#endif /* FUZZ_H */
