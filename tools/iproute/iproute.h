/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iproute: the user-space tool of tun_policy.ko, which manages its
 * classes and rules. See Documentation/tun_policy.rst, "The tool", for
 * the command lines and the output formats.
 *
 * main.c	dispatch, usage, error exits, the output buffer
 * words.c	the words of the command line: parsing and printing
 *		prefixes, addresses, tos, classes, numbers, devices
 * nl.c		raw netlink: messages, attributes, requests, dumps,
 *		the generic netlink family
 * route.c	add, del, show: the routes of the classes (genetlink)
 * rule.c	addrule, delrule, -r: the rules (rtnetlink, TPOL_FAMILY)
 */
#ifndef IPROUTE_H
#define IPROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <linux/netlink.h>

#define PROG		"iproute"

#define EXIT_ERROR	1	/* the kernel or the system said no */
#define EXIT_USAGE	2	/* the command line is wrong */

#define PRINTF(a, b)	__attribute__((format(printf, a, b)))
#define NORETURN	__attribute__((noreturn))

/* ---- main.c ---- */

/* The words of one command, consumed left to right. */
struct args {
	int argc;
	char **argv;
	const char *usage;	/* the command's synopsis, for usage errors */
};

const char *arg_next(struct args *a);
const char *arg_value(struct args *a, const char *key);
/* Each key at most once: SEEN is the caller's mask, BIT the key's. */
void arg_once(struct args *a, unsigned int *seen, unsigned int bit,
	      const char *key);

NORETURN PRINTF(2, 3) void usage_error(const struct args *a,
				       const char *fmt, ...);
NORETURN PRINTF(1, 2) void die(const char *fmt, ...);
/* A netlink request failed: ERR is a negative errno. */
NORETURN void die_nl(int err, const char *extack);

/* Output is collected and written at the end: a dump that has to be
 * restarted prints nothing twice. */
PRINTF(1, 2) void out_printf(const char *fmt, ...);
void out_reset(void);
void out_flush(void);

/* ---- words.c ---- */

struct prefix {
	uint32_t addr;		/* network byte order */
	uint8_t len;
};

/* The parsers return NULL, or why the word is not what was asked for. */
const char *parse_prefix(const char *s, struct prefix *p);
const char *parse_addr(const char *s, uint32_t *addr);
const char *parse_tos(const char *s, uint8_t *tos);
const char *parse_class(const char *s, uint8_t *cls);
const char *parse_u32(const char *s, uint32_t *v);
const char *parse_ifname(const char *s);

/* Bad value VALUE for KEY: a usage error saying WHY. */
NORETURN void bad_value(const struct args *a, const char *key,
			const char *value, const char *why);

/* Into BUF: "default", "A.B.C.D" (a /32) or "A.B.C.D/LEN". */
#define PREFIX_STRLEN	sizeof("255.255.255.255/255")	/* as gcc counts */
const char *fmt_prefix(char *buf, uint32_t addr, uint8_t len);
#define ADDR_STRLEN	sizeof("255.255.255.255")
const char *fmt_addr(char *buf, uint32_t addr);
/* A device's name, or "ifN" if ifindex N has none (any more). */
const char *fmt_ifindex(char *buf, uint32_t ifindex);

/* ifindex of an existing device; exits with status 1 if there is none. */
uint32_t dev_index(const char *name);

/* ---- nl.c ---- */

#define MSG_MAX		1024

struct msg {
	union {
		struct nlmsghdr nlh;
		char buf[MSG_MAX];
	};
};

void msg_init(struct msg *m, uint16_t type, uint16_t flags);
void *msg_reserve(struct msg *m, size_t len);
void msg_put(struct msg *m, uint16_t type, const void *data, size_t len);
void msg_put_u8(struct msg *m, uint16_t type, uint8_t v);
void msg_put_u32(struct msg *m, uint16_t type, uint32_t v);
void msg_put_str(struct msg *m, uint16_t type, const char *s);
struct nlattr *msg_nest(struct msg *m, uint16_t type);
/* Closes NEST; drops it again if nothing went in. */
void msg_nest_end(struct msg *m, struct nlattr *nest);

/* tb[0..max]: the last attribute of each type in DATA, or NULL. */
void attr_parse(const struct nlattr **tb, int max, const void *data,
		size_t len);
const void *attr_data(const struct nlattr *a);
size_t attr_len(const struct nlattr *a);
/* Fixed-size payloads; a wrong size is a malformed reply: exit 1. */
uint8_t attr_u8(const struct nlattr *a);
uint16_t attr_u16(const struct nlattr *a);
uint32_t attr_u32(const struct nlattr *a);
/* A NUL-terminated string of at most MAX bytes with the NUL. */
const char *attr_str(const struct nlattr *a, size_t max);

struct nl {
	int fd;
	uint32_t seq;
	char extack[256];	/* the kernel's message of the last answer */
};

int nl_open(struct nl *nl, int proto);
void nl_close(struct nl *nl);
typedef void (*nl_cb)(const struct nlmsghdr *nlh, void *arg);
/* Sends M with NLM_F_ACK and waits for the ack; CB (if any) sees the
 * replies before it. 0 or a negative errno. */
int nl_request(struct nl *nl, struct msg *m, nl_cb cb, void *arg);
/* Sends M with NLM_F_DUMP; CB sees each reply. 0, a negative errno, or
 * NL_DUMP_INTR if the kernel says the dump may be inconsistent. */
#define NL_DUMP_INTR	1
int nl_dump(struct nl *nl, struct msg *m, nl_cb cb, void *arg);

/* Opens a generic netlink socket and resolves tun_policy's family id
 * (which loads the module if it is not loaded). */
void genl_open_tpol(struct nl *nl, uint16_t *family);

/* ---- route.c, rule.c ---- */

int cmd_route_add(struct args *a);
int cmd_route_del(struct args *a);
int cmd_route_show(struct args *a);
int cmd_rule_add(struct args *a);
int cmd_rule_del(struct args *a);
int cmd_rule_show(struct args *a);

extern const char usage_add[], usage_del[], usage_show[];
extern const char usage_addrule[], usage_delrule[], usage_rules[];

#endif /* IPROUTE_H */
