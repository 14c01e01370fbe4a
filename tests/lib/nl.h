/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nl: netlink requests built by hand, for the tests and the fuzzers: one
 * message in a buffer, attributes appended to it (nested too), and one
 * exchange with the kernel on a fresh socket, up to the ack.
 *
 * The message is the caller's to bend: the header is m->nh, the bytes
 * m->buf, and a fuzzer may cut nlmsg_len, lie in it, or fill attributes
 * with junk; the builders only ever append at NLMSG_ALIGN(nlmsg_len), and
 * zero the padding they add, so that what is sent is a function of what
 * was put.
 */
#ifndef TT_NL_H
#define TT_NL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#define TT_NL_SIZE 16384

struct tt_nl {
	union {
		struct nlmsghdr nh;
		char buf[TT_NL_SIZE] __attribute__((aligned(8)));
	};
};

/*
 * A request of @type: NLM_F_REQUEST | @flags, sequence 1, then the fixed
 * header of @hdrlen bytes from @hdr (zeros if @hdr is NULL).
 */
void tt_nl_init(struct tt_nl *m, int type, int flags, const void *hdr,
		size_t hdrlen);
/* The same with a struct ifinfomsg (AF_UNSPEC) for @ifindex. */
void tt_nl_init_link(struct tt_nl *m, int type, int flags, int ifindex);

/*
 * Appends an attribute; NULL (the message left as it was) when it does
 * not fit.  @type goes as it is: NLA_F_NESTED, or any junk, included.
 */
struct nlattr *tt_nl_put(struct tt_nl *m, int type, const void *data,
			 size_t len);
void tt_nl_put_u8(struct tt_nl *m, int type, uint8_t v);
void tt_nl_put_u32(struct tt_nl *m, int type, uint32_t v);
/* A string with its NUL. */
void tt_nl_put_str(struct tt_nl *m, int type, const char *s);
/* An empty attribute of @type | NLA_F_NESTED, to be closed. */
struct nlattr *tt_nl_nest_start(struct tt_nl *m, int type);
/* Makes @nest (from either of the above) span to the message's end. */
void tt_nl_nest_end(struct tt_nl *m, struct nlattr *nest);

/*
 * A netlink socket of @proto that gets the extack with a capped ack, and
 * whose recv() gives up after TT_NL_WAIT_S; -1/errno.
 */
#define TT_NL_WAIT_S 60
int tt_nl_open(int proto);

/* What the kernel answered: errno (0 for success) and extack message. */
struct tt_nl_ack {
	int err;
	char msg[256];
};

/* A message of a dump or a get's answer; nonzero: it is not as expected. */
typedef int (*tt_nl_fn)(struct nlmsghdr *nh, void *arg);

/*
 * Sends @m, NLM_F_ACK added, on a fresh tt_nl_open(@proto) socket and
 * reads the answers up to the ack (or a dump's NLMSG_DONE), passing every
 * other message to @fn (if any).  Returns the answer's errno, 0 or
 * positive, also in @ack (if any) with its extack message; -1/errno when
 * the exchange failed: no socket, no answer, or @fn found a message not
 * as expected (EPROTO; the answers are still read to the ack).
 */
int tt_nl_talk(int proto, struct tt_nl *m, tt_nl_fn fn, void *arg,
	       struct tt_nl_ack *ack);

/* The id of the generic netlink family @name; -1/errno (ENOENT: none). */
int tt_nl_genl_family(const char *name);

#endif /* TT_NL_H */
