// SPDX-License-Identifier: GPL-2.0
/*
 * Waiting on the fd: O_NONBLOCK, poll() masks, blocked readers woken by a
 * packet, a signal or the device's deletion, the bound of the queue
 * between the device and the reader (tx_queue_len packets, the rest dropped
 * and counted), and O_ASYNC: SIGIO for a frame to read and for room to
 * write again.
 *
 * Packets are made by sending UDP datagrams from a socket to 198.18.2.2,
 * which is routed through the device (198.18.2.1/24).
 */
#include "tt.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define DEV_IP "198.18.2.1"
#define PEER_IP "198.18.2.2"
#define UDP_PORT 7777
#define UDP_PLEN 100
#define UDP_LEN (28 + UDP_PLEN)

/* A fresh device, up, IPv6 off, DEV_IP/24: its fd blocking or not. */
static const struct tt_devopts blocking = { .ip = DEV_IP };
static const struct tt_devopts nonblocking = {
	.oflags = O_NONBLOCK,
	.ip = DEV_IP,
};

/* The datagram tt_udp_send() sent, as read from the device. */
static int check_udp(const uint8_t *p, ssize_t n)
{
	TT_EQ(n, UDP_LEN);
	TT_EQ(p[0], 0x45);
	TT_EQ(p[9], 17);
	TT_CHECK(!memcmp(p + 12, (uint32_t[]){ tt_ip4(DEV_IP) }, 4),
		 "source is not " DEV_IP);
	TT_CHECK(!memcmp(p + 16, (uint32_t[]){ tt_ip4(PEER_IP) }, 4),
		 "destination is not " PEER_IP);
	TT_EQ(p[22] << 8 | p[23], UDP_PORT);
	TT_EQ(p[28], 0xa0);
	return TT_PASS;
}

static short poll_now(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };

	if (poll(&p, 1, 0) < 0)
		return -1;
	return p.revents;
}

#define ALL_EVENTS (POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM)

static int c_nonblock_eagain(void)
{
	uint8_t buf[2048];
	int fd, fd2;

	fd = tt_mkdev("ttpo0", IFF_TUN | IFF_NO_PI, &nonblocking);
	TT_SYS(fd);
	TT_ERRNO(read(fd, buf, sizeof(buf)), EAGAIN);
	/* O_NONBLOCK set later with fcntl counts as well. */
	fd2 = tt_mkdev("ttpo1", IFF_TUN | IFF_NO_PI, &blocking);
	TT_SYS(fd2);
	TT_SYS(fcntl(fd2, F_SETFL, O_NONBLOCK));
	TT_ERRNO(read(fd2, buf, sizeof(buf)), EAGAIN);
	/* And a packet then reads at once. */
	TT_SYS(tt_udp_send(PEER_IP, UDP_PORT, UDP_PLEN, 1));
	TT_CALL(check_udp(buf, read(fd, buf, sizeof(buf))));
	TT_ERRNO(read(fd, buf, sizeof(buf)), EAGAIN);
	return TT_PASS;
}

static int c_poll_unattached(void)
{
	int fd;

	fd = tt_tun_open(0);
	TT_SYS(fd);
	TT_EQ(poll_now(fd, ALL_EVENTS), POLLERR);
	return TT_PASS;
}

static int c_poll_masks(void)
{
	uint8_t buf[2048];
	int fd;

	fd = tt_tun_alloc("ttpo2", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	/* Down: not writable. */
	TT_EQ(poll_now(fd, ALL_EVENTS), 0);
	TT_SYS(tt_link_prepare("ttpo2", DEV_IP, 24, NULL));
	/* Up and empty: writable only. */
	TT_EQ(poll_now(fd, ALL_EVENTS), POLLOUT | POLLWRNORM);
	TT_EQ(poll_now(fd, POLLIN), 0);
	TT_SYS(tt_udp_send(PEER_IP, UDP_PORT, UDP_PLEN, 2));
	TT_EQ(poll_now(fd, ALL_EVENTS), ALL_EVENTS);
	TT_EQ(poll_now(fd, POLLIN), POLLIN);
	TT_EQ(read(fd, buf, sizeof(buf)), UDP_LEN);
	TT_EQ(poll_now(fd, ALL_EVENTS), ALL_EVENTS);
	TT_EQ(read(fd, buf, sizeof(buf)), UDP_LEN);
	TT_EQ(poll_now(fd, ALL_EVENTS), POLLOUT | POLLWRNORM);
	/* Down again with a packet queued: readable, not writable. */
	TT_SYS(tt_udp_send(PEER_IP, UDP_PORT, UDP_PLEN, 1));
	TT_SYS(tt_link_up("ttpo2", 0));
	TT_EQ(poll_now(fd, ALL_EVENTS), POLLIN | POLLRDNORM);
	return TT_PASS;
}

struct sender {
	int delay_ms;
	int count;
	long long sent_at;
};

static void *send_later(void *arg)
{
	struct sender *s = arg;

	tt_sleep_ms(s->delay_ms);
	s->sent_at = tt_now_ms();
	tt_udp_send(PEER_IP, UDP_PORT, UDP_PLEN, s->count);
	return NULL;
}

static int c_poll_wakes(void)
{
	struct sender s = { .delay_ms = 200, .count = 1 };
	struct pollfd p;
	pthread_t th;
	long long t0;
	int fd, r;

	fd = tt_mkdev("ttpo3", IFF_TUN | IFF_NO_PI, &blocking);
	TT_SYS(fd);
	t0 = tt_now_ms();
	TT_EQ(pthread_create(&th, NULL, send_later, &s), 0);
	p.fd = fd;
	p.events = POLLIN;
	r = poll(&p, 1, TT_WAIT_MS);
	pthread_join(th, NULL);
	TT_EQ(r, 1);
	TT_EQ(p.revents, POLLIN);
	TT_CHECK(tt_now_ms() - t0 >= 150, "poll returned before the packet");
	return TT_PASS;
}

static int c_epoll(void)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	struct sender s = { .delay_ms = 100, .count = 1 };
	pthread_t th;
	uint8_t buf[2048];
	int fd, ep;

	fd = tt_mkdev("ttpo4", IFF_TUN | IFF_NO_PI, &nonblocking);
	TT_SYS(fd);
	ep = epoll_create1(EPOLL_CLOEXEC);
	TT_SYS(ep);
	tt_defer_fd(ep);
	TT_SYS(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	TT_EQ(epoll_wait(ep, &ev, 1, 0), 0);
	TT_EQ(pthread_create(&th, NULL, send_later, &s), 0);
	memset(&ev, 0, sizeof(ev));
	TT_EQ(epoll_wait(ep, &ev, 1, TT_WAIT_MS), 1);
	pthread_join(th, NULL);
	TT_EQ(ev.events, EPOLLIN);
	TT_CALL(check_udp(buf, read(fd, buf, sizeof(buf))));
	return TT_PASS;
}

struct reader {
	int fd;
	pid_t tid;	/* the reader thread's, once it runs */
	ssize_t n;
	int err;
	long long done_at;
	uint8_t buf[2048];
};

static void *read_blocking(void *arg)
{
	struct reader *r = arg;

	__atomic_store_n(&r->tid, gettid(), __ATOMIC_RELEASE);
	r->n = read(r->fd, r->buf, sizeof(r->buf));
	r->err = errno;
	r->done_at = tt_now_ms();
	return NULL;
}

/*
 * Wait until the reader sleeps in read(): /proc/.../syscall names the call
 * (read is 0) only while the thread is not running.  A fixed sleep instead
 * may end, on a loaded machine, before the thread has even started.
 */
static int wait_blocked(struct reader *r)
{
	long long until = tt_now_ms() + TT_WAIT_MS;
	char path[64], buf[128] = "";
	pid_t tid;
	ssize_t n;
	int f;

	do {
		tid = __atomic_load_n(&r->tid, __ATOMIC_ACQUIRE);
		if (tid) {
			snprintf(path, sizeof(path),
				 "/proc/self/task/%d/syscall", (int)tid);
			f = open(path, O_RDONLY | O_CLOEXEC);
			TT_SYS(f);
			n = read(f, buf, sizeof(buf) - 1);
			close(f);
			TT_SYS(n);
			buf[n] = 0;
			if (!strncmp(buf, "0 ", 2))
				return TT_PASS;
		}
		tt_sleep_ms(10);
	} while (tt_now_ms() < until);
	return tt_fail("the reader did not block in read() within %d ms: "
		       "tid %d, syscall %s", TT_WAIT_MS, (int)tid, buf);
}

/*
 * Join a reader, but give up after ms: a driver that never wakes it must
 * fail the case, not hang the test.  The reader is static for that reason:
 * a thread left blocked may still write to it later.
 */
static int join_within(pthread_t th, int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	if (pthread_timedjoin_np(th, NULL, &ts)) {
		pthread_detach(th);
		return tt_fail("the blocked reader was not woken within %d ms",
			       ms);
	}
	return TT_PASS;
}

static int c_blocking_read_wakes(void)
{
	static struct reader r;
	pthread_t th;
	long long sent;
	int fd;

	fd = tt_mkdev("ttpo5", IFF_TUN | IFF_NO_PI, &blocking);
	TT_SYS(fd);
	r.fd = fd;
	r.tid = 0;
	TT_EQ(pthread_create(&th, NULL, read_blocking, &r), 0);
	TT_CALL(wait_blocked(&r));
	sent = tt_now_ms();
	TT_SYS(tt_udp_send(PEER_IP, UDP_PORT, UDP_PLEN, 1));
	TT_CALL(join_within(th, TT_WAIT_MS));
	TT_CHECK(r.done_at >= sent, "read returned before the packet was sent");
	TT_CALL(check_udp(r.buf, r.n));
	return TT_PASS;
}

static void on_alarm(int sig)
{
	(void)sig;
}

static int c_blocking_read_eintr(void)
{
	struct sigaction sa, old;
	/* A second tick after 3 s, should the first one not interrupt. */
	struct itimerval it = { .it_value = { 0, 200000 },
				.it_interval = { 3, 0 } };
	struct itimerval off = { 0 };
	uint8_t buf[2048];
	ssize_t n;
	int fd, e;

	fd = tt_mkdev("ttpo6", IFF_TUN | IFF_NO_PI, &blocking);
	TT_SYS(fd);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART */
	sigaction(SIGALRM, &sa, &old);
	setitimer(ITIMER_REAL, &it, NULL);
	n = read(fd, buf, sizeof(buf));
	e = errno;
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &old, NULL);
	TT_EQ(n, -1);
	TT_CHECK(e == EINTR, "read: want EINTR, got %s", tt_errname(e));
	return TT_PASS;
}

static int c_deleted_device_wakes_reader(void)
{
	static struct reader r;
	struct ifreq ifr;
	pthread_t th;
	uint8_t buf[64];
	int fd;

	fd = tt_mkdev("ttpo7", IFF_TUN | IFF_NO_PI, &blocking);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNSETPERSIST, 1));
	r.fd = fd;
	r.tid = 0;
	TT_EQ(pthread_create(&th, NULL, read_blocking, &r), 0);
	TT_CALL(wait_blocked(&r));
	TT_EQ(tt_link_del("ttpo7"), 0);
	TT_CALL(join_within(th, TT_WAIT_MS));
	TT_CHECK(!tt_link_exists("ttpo7"), "ttpo7 still exists");
	/* The blocked reader learns of it as EFAULT... */
	TT_EQ(r.n, -1);
	TT_CHECK(r.err == EFAULT, "blocked read: want EFAULT, got %s",
		 tt_errname(r.err));
	/* ...and from then on the fd is unattached. */
	TT_ERRNO(read(fd, buf, sizeof(buf)), EBADFD);
	TT_ERRNO(write(fd, buf, sizeof(buf)), EBADFD);
	TT_ERRNO(ioctl(fd, TUNGETIFF, &ifr), EBADFD);
	TT_EQ(poll_now(fd, ALL_EVENTS), POLLERR);
	/* It may make a new device. */
	TT_SYS(tt_tun_setiff(fd, "ttpo7b", IFF_TAP, NULL));
	TT_CHECK(tt_link_exists("ttpo7b"), "ttpo7b missing");
	return TT_PASS;
}

static int drain(int fd, int *count)
{
	uint8_t buf[2048];
	ssize_t n;

	*count = 0;
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0)
			break;
		TT_CALL(check_udp(buf, n));
		++*count;
	}
	TT_CHECK(errno == EAGAIN, "read: %s", tt_errname(errno));
	return TT_PASS;
}

static int queue_case(const char *name, int qlen, int sent)
{
	struct tt_stats st;
	int fd, got;

	fd = tt_mkdev(name, IFF_TUN | IFF_NO_PI, &nonblocking);
	TT_SYS(fd);
	if (qlen)
		TT_SYS(tt_link_txqlen(name, qlen));
	else
		qlen = 500;
	TT_SYS(tt_udp_send(PEER_IP, UDP_PORT, UDP_PLEN, sent));
	TT_SYS(tt_stats(name, &st));
	/* Counted as transmitted only when read. */
	TT_STATS_EQ(st, tx_packets, 0);
	TT_STATS_EQ(st, tx_dropped, sent - qlen);
	TT_CALL(drain(fd, &got));
	TT_EQ(got, qlen);
	TT_SYS(tt_stats(name, &st));
	TT_STATS_EQ(st, tx_packets, qlen);
	TT_STATS_EQ(st, tx_bytes, (unsigned long long)qlen * UDP_LEN);
	TT_STATS_EQ(st, tx_dropped, sent - qlen);
	TT_STATS_EQ(st, rx_packets, 0);
	/* Room again once read. */
	TT_SYS(tt_udp_send(PEER_IP, UDP_PORT, UDP_PLEN, 3));
	TT_CALL(drain(fd, &got));
	TT_EQ(got, 3);
	return TT_PASS;
}

static int c_queue_bound_txqlen(void)
{
	return queue_case("ttpo8", 10, 25);
}

static int c_queue_bound_default(void)
{
	return queue_case("ttpo9", 0, 600);
}

static int c_queue_bound_set_before_attach(void)
{
	struct tt_stats st;
	int fd, got;

	/* A persistent device's ring takes tx_queue_len at attach. */
	fd = tt_tun_alloc("ttpo10", IFF_TUN | IFF_NO_PI, NULL);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNSETPERSIST, 1));
	tt_close(fd);
	TT_SYS(tt_link_txqlen("ttpo10", 4));
	fd = tt_tun_open(O_NONBLOCK);
	TT_SYS(fd);
	TT_SYS(tt_tun_setiff(fd, "ttpo10", IFF_TUN | IFF_NO_PI, NULL));
	TT_SYS(tt_link_prepare("ttpo10", DEV_IP, 24, NULL));
	TT_SYS(tt_udp_send(PEER_IP, UDP_PORT, UDP_PLEN, 9));
	TT_CALL(drain(fd, &got));
	TT_EQ(got, 4);
	TT_SYS(tt_stats("ttpo10", &st));
	TT_STATS_EQ(st, tx_dropped, 5);
	return TT_PASS;
}

/* ---- O_ASYNC ---- */

/*
 * The signals of O_ASYNC are blocked for the whole program (main) and
 * taken with sigtimedwait(): one the driver sends is seen with its
 * siginfo, one it never sends fails the case after a bound.  SIG_RT is the
 * F_SETSIG signal: realtime, so each one queues with its own siginfo.
 */
#define SIG_RT (SIGRTMIN + 1)

/* The signal @sig within @ms, into *si: its number, or -1 (EAGAIN). */
static int sig_wait(int sig, siginfo_t *si, int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };
	sigset_t set;
	int r;

	sigemptyset(&set);
	sigaddset(&set, sig);
	memset(si, 0, sizeof(*si));
	do
		r = sigtimedwait(&set, si, &ts);
	while (r < 0 && errno == EINTR);
	return r;
}

/* Forget what an earlier case left pending. */
static void sig_drain(void)
{
	siginfo_t si;

	while (sig_wait(SIGIO, &si, 0) > 0)
		;
	while (sig_wait(SIG_RT, &si, 0) > 0)
		;
}

static int set_async(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -1;
	return fcntl(fd, F_SETFL, on ? fl | O_ASYNC : fl & ~O_ASYNC);
}

/* Read the @n datagrams tt_udp_send() put on the device, and no more. */
static int read_udp_n(int fd, int n)
{
	uint8_t buf[2048];

	while (n--)
		TT_CALL(check_udp(buf, tt_read_timeout(fd, buf, sizeof(buf),
							 5000)));
	TT_ERRNO(read(fd, buf, sizeof(buf)), EAGAIN);
	return TT_PASS;
}

static int read_udp(int fd)
{
	return read_udp_n(fd, 1);
}

/*
 * O_ASYNC alone, as most programs set it: the driver makes the caller
 * the owner (on 6.12 it must allocate the file's owner first, which
 * fcntl(F_SETFL) does not), and each frame queued for reading raises
 * plain SIGIO.  Off again, frames raise nothing.
 */
static int c_sigio_o_async(void)
{
	siginfo_t si;
	int fd;

	fd = tt_mkdev("ttpo11", IFF_TUN | IFF_NO_PI, &nonblocking);
	TT_SYS(fd);
	sig_drain();
	TT_SYS(set_async(fd, 1));
	TT_EQ(fcntl(fd, F_GETOWN), getpid());
	TT_ERRNO(sig_wait(SIGIO, &si, 0), EAGAIN);

	TT_SYS(tt_udp_send(PEER_IP, UDP_PORT, UDP_PLEN, 1));
	TT_EQ(sig_wait(SIGIO, &si, 5000), SIGIO);
	/* no F_SETSIG: the plain signal, without the fd or the band */
	TT_EQ(si.si_code, SI_KERNEL);
	TT_CALL(read_udp(fd));

	TT_SYS(set_async(fd, 0));
	TT_SYS(tt_udp_send(PEER_IP, UDP_PORT, UDP_PLEN, 1));
	TT_CALL(read_udp(fd));
	TT_ERRNO(sig_wait(SIGIO, &si, 200), EAGAIN);

	/* and on again */
	TT_SYS(set_async(fd, 1));
	TT_SYS(tt_udp_send(PEER_IP, UDP_PORT, UDP_PLEN, 1));
	TT_EQ(sig_wait(SIGIO, &si, 5000), SIGIO);
	TT_CALL(read_udp(fd));
	return TT_PASS;
}

/* One F_SETSIG signal for @fd with reason @code and band @band. */
static int sig_rt_is(int fd, int code, long band, int ms)
{
	siginfo_t si;

	TT_EQ(sig_wait(SIG_RT, &si, ms), SIG_RT);
	TT_EQ(si.si_code, code);
	TT_EQ(si.si_fd, fd);
	TT_EQ(si.si_band, band);
	return TT_PASS;
}

/*
 * F_SETOWN and F_SETSIG before O_ASYNC: a realtime signal per frame, each
 * naming the fd, POLL_IN and the band poll() would report.
 */
static int c_sigio_setsig(void)
{
	siginfo_t si;
	int fd;

	fd = tt_mkdev("ttpo12", IFF_TUN | IFF_NO_PI, &nonblocking);
	TT_SYS(fd);
	sig_drain();
	TT_SYS(fcntl(fd, F_SETOWN, getpid()));
	TT_SYS(fcntl(fd, F_SETSIG, SIG_RT));
	TT_EQ(fcntl(fd, F_GETSIG), SIG_RT);
	TT_SYS(set_async(fd, 1));

	TT_SYS(tt_udp_send(PEER_IP, UDP_PORT, UDP_PLEN, 2));
	TT_CALL(sig_rt_is(fd, POLL_IN, POLLIN | POLLRDNORM, 5000));
	TT_CALL(sig_rt_is(fd, POLL_IN, POLLIN | POLLRDNORM, 5000));
	TT_CALL(read_udp_n(fd, 2));
	TT_ERRNO(sig_wait(SIG_RT, &si, 200), EAGAIN);
	TT_ERRNO(sig_wait(SIGIO, &si, 0), EAGAIN);
	return TT_PASS;
}

/*
 * Writable again: a poll() that found the fd unwritable (device down)
 * asks for POLL_OUT, which comes when the device goes up, once: neither
 * a frame written nor going down and up again raise another until a
 * poll() asks again.  The frame is an echo reply to the device's own
 * address, which the stack takes without answering, so that no POLL_IN
 * comes with it.
 */
static int c_sigio_poll_out(void)
{
	const long band = POLLOUT | POLLWRNORM | POLLWRBAND;
	uint8_t buf[128];
	siginfo_t si;
	size_t len;
	int fd;

	fd = tt_tun_open(O_NONBLOCK);
	TT_SYS(fd);
	TT_SYS(tt_tun_setiff(fd, "ttpo13", IFF_TUN | IFF_NO_PI, NULL));
	tt_link_noipv6("ttpo13");
	sig_drain();
	TT_SYS(fcntl(fd, F_SETOWN, getpid()));
	TT_SYS(fcntl(fd, F_SETSIG, SIG_RT));
	TT_SYS(set_async(fd, 1));

	TT_EQ(poll_now(fd, POLLOUT), 0);
	TT_ERRNO(sig_wait(SIG_RT, &si, 0), EAGAIN);
	TT_SYS(tt_link_prepare("ttpo13", DEV_IP, 24, NULL));
	TT_CALL(sig_rt_is(fd, POLL_OUT, band, 5000));
	TT_EQ(poll_now(fd, POLLOUT), POLLOUT);

	len = tt_icmp4_echo(buf, tt_ip4(PEER_IP), tt_ip4(DEV_IP), 0, 0x4243, 1,
			    "tt-reply", 8);
	TT_EQ(write(fd, buf, len), len);
	TT_SYS(tt_link_up("ttpo13", 0));
	TT_SYS(tt_link_up("ttpo13", 1));
	TT_ERRNO(sig_wait(SIG_RT, &si, 200), EAGAIN);

	TT_SYS(tt_link_up("ttpo13", 0));
	TT_EQ(poll_now(fd, POLLOUT), 0);
	TT_SYS(tt_link_up("ttpo13", 1));
	TT_CALL(sig_rt_is(fd, POLL_OUT, band, 5000));
	TT_ERRNO(sig_wait(SIG_RT, &si, 200), EAGAIN);
	TT_ERRNO(sig_wait(SIGIO, &si, 0), EAGAIN);
	return TT_PASS;
}

int main(void)
{
	sigset_t async_sigs;

	sigemptyset(&async_sigs);
	sigaddset(&async_sigs, SIGIO);
	sigaddset(&async_sigs, SIG_RT);
	sigprocmask(SIG_BLOCK, &async_sigs, NULL);
	tt_init();
	tt_run("nonblock_read_eagain", c_nonblock_eagain);
	tt_run("poll_unattached_pollerr", c_poll_unattached);
	tt_run("poll_masks", c_poll_masks);
	tt_run("poll_wakes_on_packet", c_poll_wakes);
	tt_run("epoll", c_epoll);
	tt_run("blocking_read_wakes_on_packet", c_blocking_read_wakes);
	tt_run("blocking_read_eintr", c_blocking_read_eintr);
	tt_run("deleted_device_wakes_reader", c_deleted_device_wakes_reader);
	tt_run("queue_bound_txqueuelen", c_queue_bound_txqlen);
	tt_run("queue_bound_default_500", c_queue_bound_default);
	tt_run("queue_bound_set_before_attach",
	       c_queue_bound_set_before_attach);
	tt_run("sigio_o_async", c_sigio_o_async);
	tt_run("sigio_setsig_per_frame", c_sigio_setsig);
	tt_run("sigio_poll_out", c_sigio_poll_out);
	return tt_done();
}
