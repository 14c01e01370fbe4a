// SPDX-License-Identifier: GPL-2.0
/*
 * iproute: command dispatch, usage and the error exits.
 *
 * Every command validates all its words before it sends anything, and
 * sends one request: a refusal leaves nothing half done.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iproute.h"

const char usage_show[] =
	"iproute [ show [ class CLASS ] ]";
const char usage_add[] =
	"iproute add PREFIX [ tos TOS ] [ gw GW ] [ dev DEV ] [ metric METRIC ]\n"
	"                   [ reject | throw ] [ class CLASS ]";
const char usage_del[] =
	"iproute del PREFIX [ tos TOS ] [ gw GW ] [ dev DEV ] [ metric METRIC ]\n"
	"                   [ reject | throw ] [ class CLASS ]";
const char usage_rules[] =
	"iproute -r";
const char usage_addrule[] =
	"iproute addrule [ from PREFIX ] [ to PREFIX ] [ tos TOS ] [ dev INPUTDEV ]\n"
	"                [ pref PREFERENCE ]\n"
	"                [ route [ gw GW ] [ dev OUTDEV ] | nat ADDRESS | masquerade\n"
	"                  | drop | reject | prohibit ] [ class CLASS ] [ log ] [ valve ]";
const char usage_delrule[] =
	"iproute delrule SELECTOR...   (the words of addrule; at least one)";

static const char usage_words[] =
	"PREFIX := A.B.C.D/LEN | A.B.C.D (a /32) | default (0.0.0.0/0)\n"
	"TOS := a byte in hex, 10 or 0x10       CLASS := 1..255 | local | main | default\n";

static void usage(FILE *f)
{
	fprintf(f, "Usage: %s\n       %s\n       %s\n       %s\n       %s\n"
		"       %s\n       iproute help\n%s",
		usage_show, usage_add, usage_del, usage_rules, usage_addrule,
		usage_delrule, usage_words);
}

/* "iproute: <message>" and a newline, on stderr. */
static void say(const char *fmt, va_list ap)
{
	fputs(PROG ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

NORETURN void usage_error(const struct args *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	if (a && a->usage)
		fprintf(stderr, "Usage: %s\n%s", a->usage, usage_words);
	else
		usage(stderr);
	exit(EXIT_USAGE);
}

NORETURN void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	exit(EXIT_ERROR);
}

NORETURN void die_nl(int err, const char *extack)
{
	if (extack && *extack)
		die("%s: %s", strerror(-err), extack);
	die("%s", strerror(-err));
}

const char *arg_next(struct args *a)
{
	if (!a->argc)
		return NULL;
	a->argc--;
	return *a->argv++;
}

const char *arg_value(struct args *a, const char *key)
{
	const char *v = arg_next(a);

	if (!v)
		usage_error(a, "\"%s\" needs a value", key);
	return v;
}

void arg_once(struct args *a, unsigned int *seen, unsigned int bit,
	      const char *key)
{
	if (*seen & bit)
		usage_error(a, "\"%s\" given twice", key);
	*seen |= bit;
}

static struct {
	char *buf;
	size_t len, cap;
} out;

void out_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = out.cap - out.len;

		va_start(ap, fmt);
		n = vsnprintf(out.buf ? out.buf + out.len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0)
			die("output: %s", strerror(errno));
		if ((size_t)n < room) {
			out.len += n;
			return;
		}
		out.cap = out.cap * 2 + n + 4096;
		out.buf = realloc(out.buf, out.cap);
		if (!out.buf)
			die("%s", strerror(ENOMEM));
	}
}

void out_reset(void)
{
	out.len = 0;
}

void out_flush(void)
{
	if (out.len && fwrite(out.buf, 1, out.len, stdout) != out.len)
		die("write: %s", strerror(errno));
	if (fflush(stdout))
		die("write: %s", strerror(errno));
	out.len = 0;
}

static const struct {
	const char *name;
	int (*run)(struct args *a);
	const char *usage;
} cmds[] = {
	{ "show",	cmd_route_show,	usage_show },
	{ "add",	cmd_route_add,	usage_add },
	{ "del",	cmd_route_del,	usage_del },
	{ "-r",		cmd_rule_show,	usage_rules },
	{ "addrule",	cmd_rule_add,	usage_addrule },
	{ "delrule",	cmd_rule_del,	usage_delrule },
};

int main(int argc, char **argv)
{
	struct args a = { .argc = argc - 1, .argv = argv + 1 };
	const char *cmd;
	size_t i;

	if (!a.argc) {	/* "iproute" alone lists the routes, as "ip route" */
		a.usage = usage_show;
		return cmd_route_show(&a);
	}

	cmd = arg_next(&a);
	if (!strcmp(cmd, "help") || !strcmp(cmd, "-h") ||
	    !strcmp(cmd, "--help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(cmd, cmds[i].name))
			continue;
		a.usage = cmds[i].usage;
		return cmds[i].run(&a);
	}
	usage_error(NULL, "unknown command \"%s\"", cmd);
}
