// SPDX-License-Identifier: GPL-2.0
/*
 * The words of iproute's command lines, both ways: what the user may
 * write, and what the tool prints so that it can be written back.
 *
 * The parsers are strict: an address is four decimal bytes (no short or
 * octal forms), a prefix has no address bits beyond its length (the
 * kernel would refuse them, and the user likely meant something else),
 * numbers are plain digits.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "iproute.h"
#include "../../include/uapi/linux/tun_policy.h"

const char *parse_addr(const char *s, uint32_t *addr)
{
	struct in_addr in;

	/* glibc's inet_pton() takes exactly a.b.c.d, without leading
	 * zeros (which inet_aton() would read as octal). */
	if (inet_pton(AF_INET, s, &in) != 1)
		return "not an IPv4 address (A.B.C.D)";
	*addr = in.s_addr;
	return NULL;
}

static uint32_t mask(uint8_t len)
{
	return len ? htonl(~0u << (32 - len)) : 0;
}

const char *parse_prefix(const char *s, struct prefix *p)
{
	static char why[128];
	char a[ADDR_STRLEN + 1], buf[ADDR_STRLEN];
	const char *slash = strchr(s, '/');
	uint32_t len = 32;
	size_t n;

	if (!strcmp(s, "default")) {
		p->addr = 0;
		p->len = 0;
		return NULL;
	}
	n = slash ? (size_t)(slash - s) : strlen(s);
	if (n >= sizeof(a))
		return "not a prefix (A.B.C.D/LEN, A.B.C.D or default)";
	memcpy(a, s, n);
	a[n] = '\0';
	if (parse_addr(a, &p->addr))
		return "not a prefix (A.B.C.D/LEN, A.B.C.D or default)";
	if (slash && (parse_u32(slash + 1, &len) || len > 32))
		return "the length must be 0..32";
	p->len = len;
	if (p->addr & ~mask(p->len)) {
		snprintf(why, sizeof(why),
			 "address bits beyond /%u are set (%s/%u?)", p->len,
			 fmt_addr(buf, p->addr & mask(p->len)), p->len);
		return why;
	}
	return NULL;
}

static int hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* In hex with or without 0x, as iproute2 reads a tos: 10 is 0x10. */
const char *parse_tos(const char *s, uint8_t *tos)
{
	unsigned int v = 0;
	int d;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!*s)
		return "not a hex byte (10 or 0x10)";
	for (; *s; s++) {
		d = hexdigit(*s);
		if (d < 0)
			return "not a hex byte (10 or 0x10)";
		v = v * 16 + d;
		if (v > 0xff)
			return "more than a byte (0..ff)";
	}
	*tos = v;
	return NULL;
}

const char *parse_u32(const char *s, uint32_t *v)
{
	uint64_t n = 0;

	if (!*s)
		return "not a number";
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return "not a number";
		n = n * 10 + (*s - '0');
		if (n > UINT32_MAX)
			return "too large (at most 4294967295)";
	}
	*v = n;
	return NULL;
}

static const struct {
	const char *name;
	uint8_t cls;
} class_names[] = {
	{ "local",	TPOL_CLASS_LOCAL },
	{ "main",	TPOL_CLASS_MAIN },
	{ "default",	TPOL_CLASS_DEFAULT },
};

const char *parse_class(const char *s, uint8_t *cls)
{
	uint32_t v;
	size_t i;

	for (i = 0; i < sizeof(class_names) / sizeof(class_names[0]); i++) {
		if (!strcmp(s, class_names[i].name)) {
			*cls = class_names[i].cls;
			return NULL;
		}
	}
	if (parse_u32(s, &v))
		return "not a class (1..255, local, main or default)";
	if (v == TPOL_CLASS_UNSPEC)
		return "class 0 is reserved for \"no class\" (1..255)";
	if (v > TPOL_CLASS_MAX)
		return "a class is 1..255";
	*cls = v;
	return NULL;
}

const char *parse_ifname(const char *s)
{
	if (!*s)
		return "empty device name";
	if (strlen(s) >= IFNAMSIZ)
		return "device names have at most 15 characters";
	if (strchr(s, '/') || strpbrk(s, " \t\n:"))
		return "not a device name";
	return NULL;
}

NORETURN void bad_value(const struct args *a, const char *key,
			const char *value, const char *why)
{
	usage_error(a, "%s \"%s\": %s", key, value, why);
}

const char *fmt_addr(char *buf, uint32_t addr)
{
	const uint8_t *b = (const uint8_t *)&addr;

	snprintf(buf, ADDR_STRLEN, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	return buf;
}

const char *fmt_prefix(char *buf, uint32_t addr, uint8_t len)
{
	char a[ADDR_STRLEN];

	if (!len && !addr)
		snprintf(buf, PREFIX_STRLEN, "default");
	else if (len == 32)
		snprintf(buf, PREFIX_STRLEN, "%s", fmt_addr(a, addr));
	else
		snprintf(buf, PREFIX_STRLEN, "%s/%u", fmt_addr(a, addr), len);
	return buf;
}

const char *fmt_ifindex(char *buf, uint32_t ifindex)
{
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IFNAMSIZ, "if%u", ifindex);
	return buf;
}

uint32_t dev_index(const char *name)
{
	unsigned int i = if_nametoindex(name);

	if (!i)
		die("Cannot find device \"%s\"", name);
	return i;
}
