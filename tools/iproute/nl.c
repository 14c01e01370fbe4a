// SPDX-License-Identifier: GPL-2.0
/*
 * Raw netlink for iproute: building requests, reading attributes, one
 * acknowledged request or one dump per socket at a time, and the
 * generic netlink family of tun_policy.
 *
 * The sockets ask for extended acks (NETLINK_EXT_ACK), so that a refusal
 * comes with the kernel's reason, and for capped acks (NETLINK_CAP_ACK):
 * the ack then carries only our header back, not the whole request, and
 * the reason starts right after struct nlmsgerr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "iproute.h"
#include "../../include/uapi/linux/tun_policy.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

/* ---- requests ---- */

void msg_init(struct msg *m, uint16_t type, uint16_t flags)
{
	memset(m, 0, sizeof(*m));
	m->nlh.nlmsg_len = NLMSG_HDRLEN;
	m->nlh.nlmsg_type = type;
	m->nlh.nlmsg_flags = NLM_F_REQUEST | flags;
}

void *msg_reserve(struct msg *m, size_t len)
{
	size_t at = NLMSG_ALIGN(m->nlh.nlmsg_len);

	/* Our requests are a few dozen bytes: running out is a bug. */
	if (at + NLMSG_ALIGN(len) > sizeof(m->buf))
		abort();
	m->nlh.nlmsg_len = at + NLMSG_ALIGN(len);
	return m->buf + at;
}

void msg_put(struct msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = msg_reserve(m, NLA_HDRLEN + len);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
}

void msg_put_u8(struct msg *m, uint16_t type, uint8_t v)
{
	msg_put(m, type, &v, sizeof(v));
}

void msg_put_u32(struct msg *m, uint16_t type, uint32_t v)
{
	msg_put(m, type, &v, sizeof(v));
}

void msg_put_str(struct msg *m, uint16_t type, const char *s)
{
	msg_put(m, type, s, strlen(s) + 1);
}

struct nlattr *msg_nest(struct msg *m, uint16_t type)
{
	struct nlattr *a = msg_reserve(m, NLA_HDRLEN);

	/* NLA_F_NESTED: the kernel's nla_parse_nested() insists on it. */
	a->nla_type = type | NLA_F_NESTED;
	a->nla_len = NLA_HDRLEN;
	return a;
}

void msg_nest_end(struct msg *m, struct nlattr *nest)
{
	nest->nla_len = m->buf + m->nlh.nlmsg_len - (char *)nest;
	if (nest->nla_len == NLA_HDRLEN)
		m->nlh.nlmsg_len = (char *)nest - m->buf;
}

/* ---- attributes ---- */

void attr_parse(const struct nlattr **tb, int max, const void *data,
		size_t len)
{
	const char *p = data;
	const struct nlattr *a;
	int type;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	while (len >= NLA_HDRLEN) {
		a = (const struct nlattr *)p;
		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			die("malformed reply from the kernel (attribute length)");
		type = a->nla_type & NLA_TYPE_MASK;
		if (type <= max)
			tb[type] = a;
		if ((size_t)NLA_ALIGN(a->nla_len) >= len)
			break;
		len -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
}

const void *attr_data(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

size_t attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static void attr_need(const struct nlattr *a, size_t len)
{
	if (attr_len(a) != len)
		die("malformed reply from the kernel (attribute %u has %zu bytes, not %zu)",
		    a->nla_type & NLA_TYPE_MASK, attr_len(a), len);
}

uint8_t attr_u8(const struct nlattr *a)
{
	attr_need(a, 1);
	return *(const uint8_t *)attr_data(a);
}

uint16_t attr_u16(const struct nlattr *a)
{
	uint16_t v;

	attr_need(a, sizeof(v));
	memcpy(&v, attr_data(a), sizeof(v));
	return v;
}

uint32_t attr_u32(const struct nlattr *a)
{
	uint32_t v;

	attr_need(a, sizeof(v));
	memcpy(&v, attr_data(a), sizeof(v));
	return v;
}

const char *attr_str(const struct nlattr *a, size_t max)
{
	const char *s = attr_data(a);
	size_t len = attr_len(a);

	if (!len || len > max || !memchr(s, '\0', len))
		die("malformed reply from the kernel (attribute %u is no string)",
		    a->nla_type & NLA_TYPE_MASK);
	return s;
}

/* ---- sockets ---- */

int nl_open(struct nl *nl, int proto)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (nl->fd < 0)
		return -errno;
	/* Both are optional: without them errors come without a reason,
	 * or with our request echoed, which the parser skips. */
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = -errno;

		close(nl->fd);
		nl->fd = -1;
		return err;
	}
	return 0;
}

void nl_close(struct nl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
}

static int nl_send(struct nl *nl, struct msg *m)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t n;

	m->nlh.nlmsg_seq = ++nl->seq;
	nl->extack[0] = '\0';
	do {
		n = sendto(nl->fd, m->buf, m->nlh.nlmsg_len, 0,
			   (struct sockaddr *)&sa, sizeof(sa));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n != m->nlh.nlmsg_len)
		return -EIO;
	return 0;
}

/* Room for the largest dump skb the kernel builds (32 KiB) and more. */
static char rbuf[65536] __attribute__((aligned(NLMSG_ALIGNTO)));

/* One datagram from the kernel into rbuf; its length or a -errno. */
static ssize_t nl_recv(struct nl *nl)
{
	struct sockaddr_nl sa;
	struct iovec iov = { .iov_base = rbuf, .iov_len = sizeof(rbuf) };
	struct msghdr mh = {
		.msg_name = &sa, .msg_namelen = sizeof(sa),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	ssize_t n;

	for (;;) {
		n = recvmsg(nl->fd, &mh, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (mh.msg_flags & MSG_TRUNC)
			die("reply from the kernel truncated");
		if (mh.msg_namelen == sizeof(sa) && sa.nl_pid == 0)
			return n;
		/* not the kernel's: ignore */
	}
}

/* The reason in the TLVs at P..END of an ack or a dump's end. */
static void nl_extack(struct nl *nl, const struct nlmsghdr *nlh,
		      const void *p)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	const char *end = (const char *)nlh + nlh->nlmsg_len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || (const char *)p >= end)
		return;
	attr_parse(tb, NLMSGERR_ATTR_MAX, p, end - (const char *)p);
	if (tb[NLMSGERR_ATTR_MSG] && attr_len(tb[NLMSGERR_ATTR_MSG]))
		snprintf(nl->extack, sizeof(nl->extack), "%.*s",
			 (int)attr_len(tb[NLMSGERR_ATTR_MSG]),
			 (const char *)attr_data(tb[NLMSGERR_ATTR_MSG]));
}

/* NLMSG_ERROR: its error (0 for an ack), and the reason into nl. */
static int nl_ack(struct nl *nl, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t off = sizeof(*e);

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
		die("malformed reply from the kernel (short ack)");
	/* Without NLM_F_CAPPED, the request follows the header. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len >= NLMSG_HDRLEN &&
	    e->msg.nlmsg_len <= nlh->nlmsg_len)
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	nl_extack(nl, nlh, (const char *)e + NLMSG_ALIGN(off));
	if (e->error > 0)
		return -EPROTO;
	return e->error;
}

static void nl_warn(const struct nl *nl)
{
	if (nl->extack[0])
		fprintf(stderr, PROG ": warning: %s\n", nl->extack);
}

/* A dump's NLMSG_DONE: its own error, then its reason. */
static int nl_dump_done(struct nl *nl, const struct nlmsghdr *nlh, bool intr)
{
	int err = 0;

	if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
		memcpy(&err, NLMSG_DATA(nlh), sizeof(int));
		nl_extack(nl, nlh, (const char *)NLMSG_DATA(nlh) +
			  NLMSG_ALIGN(sizeof(int)));
	}
	if (err > 0)
		return -EPROTO;
	if (err)
		return err;
	return intr ? NL_DUMP_INTR : 0;
}

/*
 * Sends M and reads the answers to it until the last: the ack of a
 * request, the NLMSG_DONE of a dump. CB, if any, sees every other answer.
 * (Not told by M's flags: NLM_F_EXCL of a new object shares a bit with
 * NLM_F_DUMP.)
 */
static int nl_exchange(struct nl *nl, struct msg *m, bool dump, nl_cb cb,
		       void *arg)
{
	const struct nlmsghdr *nlh;
	bool intr = false;
	ssize_t n;
	int err;

	err = nl_send(nl, m);
	if (err)
		return err;
	for (;;) {
		n = nl_recv(nl);
		if (n < 0)
			return n;
		for (nlh = (const struct nlmsghdr *)rbuf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != m->nlh.nlmsg_seq)
				continue;	/* an answer to someone else */
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = true;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				err = nl_ack(nl, nlh);
				/* a dump ends with NLMSG_DONE, not an ack */
				if (dump)
					return err ? err : -EPROTO;
				if (!err)
					nl_warn(nl);
				return err;
			}
			if (dump && nlh->nlmsg_type == NLMSG_DONE)
				return nl_dump_done(nl, nlh, intr);
			if (cb)
				cb(nlh, arg);
		}
	}
}

int nl_request(struct nl *nl, struct msg *m, nl_cb cb, void *arg)
{
	m->nlh.nlmsg_flags |= NLM_F_ACK;
	return nl_exchange(nl, m, false, cb, arg);
}

int nl_dump(struct nl *nl, struct msg *m, nl_cb cb, void *arg)
{
	m->nlh.nlmsg_flags |= NLM_F_DUMP;
	return nl_exchange(nl, m, true, cb, arg);
}

/* ---- generic netlink ---- */

static void genl_family_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	int *id = arg;

	if (nlh->nlmsg_type != GENL_ID_CTRL ||
	    nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return;
	attr_parse(tb, CTRL_ATTR_MAX, (const char *)g + GENL_HDRLEN,
		   nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN));
	if (tb[CTRL_ATTR_FAMILY_ID])
		*id = attr_u16(tb[CTRL_ATTR_FAMILY_ID]);
}

void genl_open_tpol(struct nl *nl, uint16_t *family)
{
	struct genlmsghdr *g;
	struct msg m;
	int err, id = -1;

	err = nl_open(nl, NETLINK_GENERIC);
	if (err)
		die("generic netlink socket: %s", strerror(-err));
	msg_init(&m, GENL_ID_CTRL, 0);
	g = msg_reserve(&m, GENL_HDRLEN);
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	msg_put_str(&m, CTRL_ATTR_FAMILY_NAME, TPOL_GENL_NAME);
	/* The kernel loads the module that registers the family
	 * (MODULE_ALIAS_GENL_FAMILY) before it answers ENOENT. */
	err = nl_request(nl, &m, genl_family_cb, &id);
	if (err == -ENOENT)
		die("tun_policy is not loaded (no generic netlink family \"%s\")",
		    TPOL_GENL_NAME);
	if (err)
		die_nl(err, nl->extack);
	if (id < 0)
		die("malformed reply from the kernel (no family id)");
	*family = id;
}
