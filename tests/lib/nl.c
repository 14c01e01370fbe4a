// SPDX-License-Identifier: GPL-2.0
/*
 * nl: netlink requests built by hand.  See nl.h for the contract.
 */
#include "nl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/rtnetlink.h>

void tt_nl_init(struct tt_nl *m, int type, int flags, const void *hdr,
		size_t hdrlen)
{
	memset(m->buf, 0, NLMSG_SPACE(hdrlen));
	m->nh.nlmsg_len = NLMSG_LENGTH(hdrlen);
	m->nh.nlmsg_type = (uint16_t)type;
	m->nh.nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
	m->nh.nlmsg_seq = 1;
	if (hdr && hdrlen)
		memcpy(NLMSG_DATA(&m->nh), hdr, hdrlen);
}

void tt_nl_init_link(struct tt_nl *m, int type, int flags, int ifindex)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };

	ifi.ifi_index = ifindex;
	tt_nl_init(m, type, flags, &ifi, sizeof(ifi));
}

struct nlattr *tt_nl_put(struct tt_nl *m, int type, const void *data,
			 size_t len)
{
	size_t off = NLMSG_ALIGN(m->nh.nlmsg_len);
	struct nlattr *a = (struct nlattr *)(m->buf + off);

	if (off + NLA_HDRLEN + NLA_ALIGN(len) > sizeof(m->buf))
		return NULL;
	a->nla_type = (uint16_t)type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	memset((char *)a + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	m->nh.nlmsg_len = (uint32_t)(off + NLA_ALIGN(a->nla_len));
	return a;
}

void tt_nl_put_u8(struct tt_nl *m, int type, uint8_t v)
{
	tt_nl_put(m, type, &v, 1);
}

void tt_nl_put_u32(struct tt_nl *m, int type, uint32_t v)
{
	tt_nl_put(m, type, &v, 4);
}

void tt_nl_put_str(struct tt_nl *m, int type, const char *s)
{
	tt_nl_put(m, type, s, strlen(s) + 1);
}

struct nlattr *tt_nl_nest_start(struct tt_nl *m, int type)
{
	return tt_nl_put(m, type | NLA_F_NESTED, NULL, 0);
}

void tt_nl_nest_end(struct tt_nl *m, struct nlattr *nest)
{
	if (nest)
		nest->nla_len = (uint16_t)(m->buf + m->nh.nlmsg_len -
					   (char *)nest);
}

int tt_nl_open(int proto)
{
	struct timeval tv = { .tv_sec = TT_NL_WAIT_S };
	int s, one = 1;

	s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (s < 0)
		return -1;
	setsockopt(s, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(s, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return s;
}

/* The extack message of an NLMSG_ERROR, capped (as asked) or not. */
static void ack_msg(const struct nlmsghdr *nh, char *msg, size_t len)
{
	const struct nlmsgerr *e = NLMSG_DATA(nh);
	size_t off = NLMSG_LENGTH(sizeof(*e));

	msg[0] = 0;
	if (!(nh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len >= sizeof(e->msg))
		off += NLMSG_ALIGN(e->msg.nlmsg_len - sizeof(e->msg));
	while (off + NLA_HDRLEN <= nh->nlmsg_len) {
		const struct nlattr *a =
			(const struct nlattr *)((const char *)nh + off);

		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > nh->nlmsg_len)
			break;
		if (a->nla_type == NLMSGERR_ATTR_MSG)
			snprintf(msg, len, "%.*s", (int)(a->nla_len - NLA_HDRLEN),
				 (const char *)a + NLA_HDRLEN);
		off += NLA_ALIGN(a->nla_len);
	}
}

int tt_nl_talk(int proto, struct tt_nl *m, tt_nl_fn fn, void *arg,
	       struct tt_nl_ack *ack)
{
	static __thread char buf[65536] __attribute__((aligned(8)));
	int s, err = -1, done = 0, bad = 0, e = EPROTO;

	if (ack) {
		ack->err = -1;
		ack->msg[0] = 0;
	}
	s = tt_nl_open(proto);
	if (s < 0)
		return -1;
	m->nh.nlmsg_flags |= NLM_F_ACK;
	if (send(s, m->buf, m->nh.nlmsg_len, 0) < 0) {
		e = errno;
		goto out;
	}
	while (!done) {
		ssize_t n = recv(s, buf, sizeof(buf), 0);
		struct nlmsghdr *nh;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			e = n < 0 ? errno : ENODATA;
			break;
		}
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, n);
		     nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_type == NLMSG_ERROR) {
				if (nh->nlmsg_len <
				    NLMSG_LENGTH(sizeof(struct nlmsgerr)))
					goto out;
				err = -((struct nlmsgerr *)NLMSG_DATA(nh))->error;
				if (ack)
					ack_msg(nh, ack->msg, sizeof(ack->msg));
				done = 1;
				break;
			}
			if (nh->nlmsg_type == NLMSG_DONE) {
				if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(int)))
					goto out;
				err = -*(int *)NLMSG_DATA(nh);
				done = 1;
				break;
			}
			if (fn && fn(nh, arg))
				bad = 1;
		}
	}
out:
	close(s);
	if (!done) {
		errno = e;
		return -1;
	}
	if (ack)
		ack->err = err;
	if (bad) {
		errno = EPROTO;
		return -1;
	}
	return err;
}

/* CTRL_CMD_NEWFAMILY: the family's id into *arg. */
static int family_id(struct nlmsghdr *nh, void *arg)
{
	size_t off = NLMSG_LENGTH(GENL_HDRLEN);

	if (nh->nlmsg_type != GENL_ID_CTRL)
		return 0;
	while (off + NLA_HDRLEN <= nh->nlmsg_len) {
		struct nlattr *a = (struct nlattr *)((char *)nh + off);

		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > nh->nlmsg_len)
			break;
		if (a->nla_type == CTRL_ATTR_FAMILY_ID &&
		    a->nla_len >= NLA_HDRLEN + sizeof(uint16_t))
			memcpy(arg, (char *)a + NLA_HDRLEN, sizeof(uint16_t));
		off += NLA_ALIGN(a->nla_len);
	}
	return 0;
}

int tt_nl_genl_family(const char *name)
{
	struct genlmsghdr g = { .cmd = CTRL_CMD_GETFAMILY, .version = 1 };
	static __thread struct tt_nl m;
	uint16_t id = 0;
	int err;

	tt_nl_init(&m, GENL_ID_CTRL, 0, &g, sizeof(g));
	tt_nl_put_str(&m, CTRL_ATTR_FAMILY_NAME, name);
	err = tt_nl_talk(NETLINK_GENERIC, &m, family_id, &id, NULL);
	if (err < 0)
		return -1;
	if (err || !id) {
		errno = err ? err : ENOENT;
		return -1;
	}
	return id;
}
