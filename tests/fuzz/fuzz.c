// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz: the parts tunfuzz and tpolfuzz share.  See fuzz.h.
 */
#include "fuzz.h"
#include "nl.h"
#include "tt.h"

#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

struct fz_opts fz_opts = { .seed = 1, .seconds = 20, .threads = 2 };

/* ---- the generator ---- */

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void fz_rng_seed(struct fz_rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ull);

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t fz_u64(struct fz_rng *r)
{
	uint64_t *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

uint32_t fz_below(struct fz_rng *r, uint32_t n)
{
	return n ? (uint32_t)(fz_u64(r) % n) : 0;
}

int fz_chance(struct fz_rng *r, uint32_t num, uint32_t den)
{
	return fz_below(r, den) < num;
}

uint32_t fz_size(struct fz_rng *r, uint32_t max)
{
	uint32_t v;

	switch (fz_below(r, 6)) {
	case 0:
		v = fz_below(r, 3);
		break;
	case 1: {
		uint32_t p = 1u << fz_below(r, 18);

		v = p + fz_below(r, 3) - 1;
		break;
	}
	case 2:
		v = fz_below(r, 128);
		break;
	case 3:
		v = fz_below(r, 2048);
		break;
	default:
		v = fz_below(r, max + 1);
		break;
	}
	return v > max ? max : v;
}

uint32_t fz_interesting(struct fz_rng *r)
{
	static const uint32_t edges[] = {
		0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 127, 128, 255,
		256, 1023, 1024, 4095, 4096, 32767, 32768, 65535, 65536,
		0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	};

	switch (fz_below(r, 3)) {
	case 0:
		return edges[fz_below(r, sizeof(edges) / sizeof(edges[0]))];
	case 1:
		return fz_below(r, 512);
	default:
		return (uint32_t)fz_u64(r);
	}
}

void fz_fill(struct fz_rng *r, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len >= 8) {
		uint64_t v = fz_u64(r);

		memcpy(p, &v, 8);
		p += 8;
		len -= 8;
	}
	while (len--)
		*p++ = (uint8_t)fz_u64(r);
}

/* ---- options, failures, tracing ---- */

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int failed;
static long long deadline_ms;
static int kmsg = -1;

int fz_parse(int argc, char **argv, const char *prog)
{
	static const struct option lo[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "seconds", required_argument, NULL, 't' },
		{ "ops", required_argument, NULL, 'o' },
		{ "threads", required_argument, NULL, 'j' },
		{ "trace", no_argument, NULL, 'T' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "avoid", required_argument, NULL, 'a' },
		{ "with", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "s:t:o:j:Tv", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			fz_opts.seed = strtoull(optarg, NULL, 0);
			break;
		case 't':
			fz_opts.seconds = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'o':
			fz_opts.ops = strtoul(optarg, NULL, 0);
			break;
		case 'j':
			fz_opts.threads = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'T':
			fz_opts.trace = 1;
			break;
		case 'v':
			fz_opts.verbose = 1;
			break;
		case 'a':
			fz_opts.avoid = optarg;
			break;
		case 'w':
			fz_opts.with = optarg;
			break;
		default:
			fprintf(stderr,
				"usage: %s [--seed N] [--seconds N] [--ops N] "
				"[--threads N] [--trace] [--avoid WHAT,...] "
				"[--with WHAT,...] [-v]\n",
				prog);
			exit(2);
		}
	}
	if (!fz_opts.threads)
		fz_opts.threads = 1;
	if (fz_opts.threads > FZ_MAX_THREADS)
		fz_opts.threads = FZ_MAX_THREADS;
	if (!fz_opts.seconds && !fz_opts.ops)
		fz_opts.seconds = 20;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("# %s --seed %llu --seconds %u --ops %lu --threads %u%s%s%s%s%s\n",
	       prog, (unsigned long long)fz_opts.seed, fz_opts.seconds,
	       fz_opts.ops, fz_opts.threads, fz_opts.trace ? " --trace" : "",
	       fz_opts.avoid ? " --avoid " : "",
	       fz_opts.avoid ? fz_opts.avoid : "",
	       fz_opts.with ? " --with " : "", fz_opts.with ? fz_opts.with : "");
	if (fz_opts.trace)
		kmsg = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	return optind;
}

void fz_fail(struct fz_thread *t, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&out_lock);
	printf("# FAIL seed %llu thread %u op %lu: ",
	       (unsigned long long)fz_opts.seed, t ? t->id : 0,
	       t ? t->ops : 0);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	failed = 1;
	pthread_mutex_unlock(&out_lock);
}

static int listed(const char *p, const char *what)
{
	size_t n = strlen(what);

	while (p && *p) {
		if (!strncmp(p, what, n) && (p[n] == ',' || !p[n]))
			return 1;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return 0;
}

int fz_avoid(const char *what)
{
	return listed(fz_opts.avoid, what);
}

int fz_with(const char *what)
{
	return listed(fz_opts.with, what);
}

int fz_failed(void)
{
	return failed;
}

void fz_trace(struct fz_thread *t, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	if (kmsg < 0 && !fz_opts.verbose)
		return;
	n = snprintf(line, sizeof(line), "fuzz: t%u op%lu ", t->id, t->ops);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (kmsg >= 0 && write(kmsg, line, strlen(line)) < 0)
		kmsg = -1;
	if (fz_opts.verbose) {
		pthread_mutex_lock(&out_lock);
		printf("# %s\n", line);
		pthread_mutex_unlock(&out_lock);
	}
}

int fz_over(void)
{
	return failed || (deadline_ms && tt_now_ms() >= deadline_ms);
}

/* ---- threads ---- */

struct runner {
	struct fz_thread t;
	struct fz_op *ops;
	size_t n_ops;
	unsigned int total;
	void (*start)(struct fz_thread *);
	void (*stop)(struct fz_thread *);
	unsigned long count[64];
	long long ms[64];
	unsigned long ok[64];
};

static void *runner_main(void *arg)
{
	struct runner *r = arg;
	struct fz_thread *t = &r->t;

	if (r->start)
		r->start(t);
	while (!fz_over() && (!fz_opts.ops || t->ops < fz_opts.ops)) {
		uint32_t w = fz_below(&t->rng, r->total);
		size_t i;

		for (i = 0; i + 1 < r->n_ops && w >= r->ops[i].weight; i++)
			w -= r->ops[i].weight;
		long long t0 = tt_now_ms();

		t->ops++;
		t->ok = 0;
		fz_trace(t, "%s", r->ops[i].name);
		r->ops[i].fn(t);
		r->count[i]++;
		r->ok[i] += t->ok;
		/* for the report only: where the time goes */
		r->ms[i] += tt_now_ms() - t0;
	}
	if (r->stop)
		r->stop(t);
	return NULL;
}

void fz_run(struct fz_op *ops, size_t n_ops, void (*start)(struct fz_thread *),
	    void (*stop)(struct fz_thread *))
{
	static struct runner rs[FZ_MAX_THREADS];
	pthread_t tid[FZ_MAX_THREADS];
	unsigned int total = 0;

	for (size_t i = 0; i < n_ops; i++)
		total += ops[i].weight;
	if (fz_opts.seconds)
		deadline_ms = tt_now_ms() + 1000ll * fz_opts.seconds;
	for (unsigned int i = 0; i < fz_opts.threads; i++) {
		struct runner *r = &rs[i];

		memset(r, 0, sizeof(*r));
		r->t.id = i;
		r->t.home_ns = -1;
		fz_rng_seed(&r->t.rng, fz_opts.seed, i + 1);
		r->t.buf = malloc(FZ_BUF);
		r->t.buf2 = malloc(FZ_BUF);
		if (!r->t.buf || !r->t.buf2) {
			fz_fail(NULL, "out of memory");
			return;
		}
		r->ops = ops;
		r->n_ops = n_ops < 64 ? n_ops : 64;
		r->total = total;
		r->start = start;
		r->stop = stop;
		if (pthread_create(&tid[i], NULL, runner_main, r)) {
			fz_fail(NULL, "pthread_create failed");
			fz_opts.threads = i;
			break;
		}
	}
	for (unsigned int i = 0; i < fz_opts.threads; i++) {
		pthread_join(tid[i], NULL);
		for (size_t j = 0; j < rs[i].n_ops; j++) {
			ops[j].count += rs[i].count[j];
			ops[j].ms += rs[i].ms[j];
			ops[j].ok += rs[i].ok[j];
		}
		free(rs[i].t.buf);
		free(rs[i].t.buf2);
	}
}

void fz_report(const struct fz_op *ops, size_t n_ops)
{
	unsigned long total = 0;
	char line[1024];
	int n = 0;

	for (size_t i = 0; i < n_ops; i++) {
		total += ops[i].count;
		n += snprintf(line + n, sizeof(line) - n, " %s=%lu/%lu/%llds",
			      ops[i].name, ops[i].count, ops[i].ok,
			      ops[i].ms / 1000);
		if (n >= (int)sizeof(line))
			n = sizeof(line) - 1;
	}
	printf("# %lu operations (name=runs/succeeded/seconds):%s\n", total, line);
}

/* ---- the supervisor ---- */

#define MAX_NETNS "/proc/sys/user/max_net_namespaces"

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -1;
}

/* 1 if fewer than @n network namespaces exist (the initial one aside). */
static int netns_below(int n, const char *saved)
{
	char v[16];
	int st, ok;
	pid_t pid;

	snprintf(v, sizeof(v), "%d", n);
	if (write_file(MAX_NETNS, v))
		return -1;
	pid = fork();
	if (!pid)
		_exit(unshare(CLONE_NEWNET) ? 1 : 0);
	ok = pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	     !WEXITSTATUS(st);
	write_file(MAX_NETNS, saved);
	return ok;
}

/* The number of network namespaces besides the initial one, or -1. */
static int netns_count(const char *saved)
{
	if (netns_below(0, saved) != 0)
		return -1;	/* the limit does not bind: no count */
	for (int n = 1; n <= 1024; n++)
		if (netns_below(n, saved) == 1)
			return n - 1;
	return -1;
}

int fz_supervise(int (*fuzz)(void))
{
	char saved[32] = "", why[256] = "";
	long ref0, ref = -1;
	int ns0 = -1, ns = -1, st, fd, bad;
	long long until;
	ssize_t n;
	pid_t pid;

	/* tun.ko loaded before counting its references */
	tt_tun_node();
	fd = open(TT_TUN_PATH, O_RDWR | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	ref0 = tt_module_refcnt("tun");
	fd = open(MAX_NETNS, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, saved, sizeof(saved) - 1);
		saved[n > 0 ? n : 0] = 0;
		close(fd);
		ns0 = saved[0] ? netns_count(saved) : -1;
	}
	printf("# before: %d network namespaces, tun refcnt %ld\n", ns0, ref0);

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("# exit: fail: fork: %s\n", tt_errname(errno));
		return 1;
	}
	if (!pid) {
		int rc = fuzz();

		fflush(stdout);
		_exit(rc);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st) && !WEXITSTATUS(st))
		printf("# exit: ok\n");
	else if (WIFEXITED(st))
		printf("# exit: fail: exit status %d (seed %llu)\n",
		       WEXITSTATUS(st), (unsigned long long)fz_opts.seed);
	else
		printf("# exit: fail: killed by signal %d (seed %llu)\n",
		       WTERMSIG(st), (unsigned long long)fz_opts.seed);
	bad = !WIFEXITED(st) || WEXITSTATUS(st);

	/* Namespaces die in a workqueue: wait for the count, bounded. */
	until = tt_now_ms() + 1000ll * FZ_CLEANUP_S;
	for (;;) {
		ref = tt_module_refcnt("tun");
		ns = ns0 >= 0 ? netns_below(ns0 + 1, saved) : 1;
		if (ns == 1 && ref == ref0)
			break;
		if (tt_now_ms() >= until)
			break;
		tt_sleep_ms(500);
	}
	if (ns != 1)
		snprintf(why, sizeof(why), "%d network namespaces, want %d "
			 "after %d s", ns0 >= 0 ? netns_count(saved) : -1, ns0,
			 FZ_CLEANUP_S);
	else if (ref != ref0)
		snprintf(why, sizeof(why), "tun refcnt %ld, want %ld after %d s",
			 ref, ref0, FZ_CLEANUP_S);
	if (why[0])
		printf("# cleanup: fail: %s\n", why);
	else
		printf("# cleanup: ok%s\n", ns0 < 0 ?
		       " (namespaces not counted: no limit to count with)" : "");
	fflush(stdout);
	return bad || why[0];
}

/* ---- pointers ---- */

uint8_t *fz_hole;
static uint8_t *edge_page;
static long page;

void fz_ptr_init(void)
{
	uint8_t *p;

	page = sysconf(_SC_PAGESIZE);
	p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		fz_fail(NULL, "mmap: %s", tt_errname(errno));
		return;
	}
	edge_page = p;
	fz_hole = p + page;
	munmap(fz_hole, page);
}

void *fz_ptr(struct fz_thread *t, void *good, size_t len)
{
	size_t k;

	if (!fz_chance(&t->rng, 1, 10) || !edge_page)
		return good;
	switch (fz_below(&t->rng, 6)) {
	case 0:
		return NULL;
	case 1:
		return fz_hole + fz_below(&t->rng, 64);
	case 2:
		/* The first k bytes readable, the rest in the hole. */
		if (len < 2)
			return fz_hole;
		k = 1 + fz_below(&t->rng, (uint32_t)(len - 1));
		if (k > (size_t)page)
			k = page;
		memcpy(fz_hole - k, good, k);
		return fz_hole - k;
	case 3:
		return (void *)0xffffffff81000000ul;
	case 4:
		return (void *)(0x8000000000000000ul + fz_below(&t->rng, 4096));
	default:
		if (len + 8 > FZ_BUF)
			return good;
		memcpy(t->buf2 + 1, good, len);
		return t->buf2 + 1;
	}
}

/* ---- netlink ---- */

int fz_nl_send_raw(int proto, const void *buf, size_t len)
{
	struct timeval tv = { .tv_usec = 1000 };
	char junk[8192];
	int s = tt_nl_open(proto), err = 0;

	if (s < 0)
		return -1;
	if (send(s, buf, len, 0) < 0)
		err = errno;
	/* Whatever came back is of no interest: drain a little, don't wait. */
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (recv(s, junk, sizeof(junk), MSG_DONTWAIT) > 0)
		;
	close(s);
	return err;
}

int fz_link_set_ns(int ifindex, int ns_fd)
{
	static __thread struct tt_nl m;

	tt_nl_init_link(&m, RTM_SETLINK, 0, ifindex);
	tt_nl_put_u32(&m, IFLA_NET_NS_FD, (uint32_t)ns_fd);
	return tt_nl_talk(NETLINK_ROUTE, &m, NULL, NULL, NULL);
}

int fz_link_xdp(int ifindex, int prog_fd, uint32_t flags)
{
	static __thread struct tt_nl m;
	struct nlattr *n;

	tt_nl_init_link(&m, RTM_SETLINK, 0, ifindex);
	n = tt_nl_nest_start(&m, IFLA_XDP);
	tt_nl_put_u32(&m, IFLA_XDP_FD, (uint32_t)prog_fd);
	if (flags)
		tt_nl_put_u32(&m, IFLA_XDP_FLAGS, flags);
	tt_nl_nest_end(&m, n);
	return tt_nl_talk(NETLINK_ROUTE, &m, NULL, NULL, NULL);
}

/* ---- network namespaces ---- */

int fz_ns_enter(int ns_fd)
{
	return setns(ns_fd, CLONE_NEWNET);
}

int fz_ns_new(void)
{
	int old = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), nw;

	if (old < 0)
		return -1;
	if (unshare(CLONE_NEWNET)) {
		close(old);
		return -1;
	}
	nw = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	tt_lo_up();
	if (fz_ns_enter(old)) {
		/* Cannot go back: this thread would fuzz the wrong place. */
		fz_fail(NULL, "setns back: %s", tt_errname(errno));
	}
	close(old);
	return nw;
}

/*
 * The devices a namespace is born with: lo, and the fallback devices of
 * tunnel drivers built into the kernel (sit0, tunl0, ...; on Debian's
 * kernels they are modules the fuzzers never load, on the debug lane's
 * some are built in). They are not the fuzzers' to delete, and cannot be.
 * Read once, in a namespace made for the purpose.
 */
#define FZ_BORN_MAX 16
static char fz_born[FZ_BORN_MAX][IFNAMSIZ];
static int fz_n_born;
static pthread_once_t fz_born_once = PTHREAD_ONCE_INIT;

static void fz_born_read(void)
{
	int old = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	struct if_nameindex *ni, *p;

	if (old < 0)
		return;
	if (!unshare(CLONE_NEWNET)) {
		ni = if_nameindex();
		for (p = ni; p && p->if_name && fz_n_born < FZ_BORN_MAX; p++)
			snprintf(fz_born[fz_n_born++], IFNAMSIZ, "%s", p->if_name);
		if (ni)
			if_freenameindex(ni);
		if (fz_ns_enter(old))
			fz_fail(NULL, "cannot go back to the namespace of the sweep");
	}
	close(old);
	if (!fz_n_born)	/* at the least, lo is never the fuzzers' */
		snprintf(fz_born[fz_n_born++], IFNAMSIZ, "lo");
}

static int fz_born_with(const char *name)
{
	for (int i = 0; i < fz_n_born; i++)
		if (!strcmp(fz_born[i], name))
			return 1;
	return 0;
}

int fz_ns_sweep(int ns_fd, char *left, size_t len)
{
	int old = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	long long until;
	int n = 0;

	pthread_once(&fz_born_once, fz_born_read);
	if (left && len)
		left[0] = 0;
	if (old < 0 || fz_ns_enter(ns_fd)) {
		if (old >= 0)
			close(old);
		return 0;
	}
	/*
	 * Deleting a device is synchronous, but a tun device goes when its
	 * last queue's file is released, which a reference held elsewhere
	 * can defer: wait for the condition, with a generous bound.
	 */
	until = tt_now_ms() + 60000;
	for (;;) {
		struct if_nameindex *ni = if_nameindex(), *p;

		n = 0;
		if (left && len)
			left[0] = 0;
		for (p = ni; p && p->if_name; p++) {
			if (fz_born_with(p->if_name))
				continue;
			n++;
			tt_link_del(p->if_name);
			if (left && strlen(left) + IFNAMSIZ + 2 < len) {
				strcat(left, p->if_name);
				strcat(left, " ");
			}
		}
		if (ni)
			if_freenameindex(ni);
		if (!n || tt_now_ms() >= until)
			break;
		tt_sleep_ms(100);
	}
	fz_ns_enter(old);
	close(old);
	return n;
}
