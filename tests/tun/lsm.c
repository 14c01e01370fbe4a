// SPDX-License-Identifier: GPL-2.0
/*
 * The LSM hooks of tun: security_tun_dev_create and _alloc_security when
 * TUNSETIFF makes a device, _open and _attach when it attaches to an
 * existing one, _attach_queue (and _attach again) when TUNSETQUEUE
 * re-enables a queue, and on 6.1 _free_security when a device goes.
 *
 * The LSM is BPF's.  Debian builds both series with CONFIG_BPF_LSM=y and
 * "bpf" in the default CONFIG_LSM list, so it is active without any lsm=
 * on the command line (the first case checks that it is).  Every hook has
 * a nop function bpf_lsm_<hook> in vmlinux; a BPF_PROG_TYPE_LSM program
 * attached there (BPF_LSM_MAC) runs each time the hook is called, and what
 * it returns is the hook's verdict.  There is no libbpf in the VM, so the
 * programs are a few hand-assembled instructions and the BTF id of their
 * attach point is looked up in /sys/kernel/btf/vmlinux here.
 *
 * A deny case attaches "return -E" to one hook, checks that exactly the
 * operation the hook guards fails with exactly E, and that it succeeds once
 * the link fd is closed (closing the last reference detaches the program
 * before close() returns).  A hook the kernel will not let a program attach
 * to is a skip with the kernel's reason, never a pass.  The count case
 * attaches counting programs (an array map of one u64 each) to every hook
 * and checks how often each one runs for each operation.
 *
 * The capable hook (security_capable(), behind every capable() and
 * ns_capable()) shows which capability checks attaching makes: a user who
 * may attach as the device's owner or group must not be checked for
 * CAP_NET_ADMIN at all: an LSM that refused the check would audit a
 * denial of something the attach never needed.
 */
#include "tt.h"

#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <grp.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define TAP (IFF_TAP | IFF_NO_PI)
#define MQ_TAP (IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE)

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/* ---- BTF: the id of a function in vmlinux ---- */

static uint8_t *btf;
static size_t btf_size;

/* The whole file, a few MB, read to its end (sysfs gives no size). */
static int btf_load(void)
{
	size_t cap = 1 << 22;
	uint8_t *p;
	ssize_t n = -1;
	int fd;

	fd = open("/sys/kernel/btf/vmlinux", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	btf = malloc(cap);
	while (btf) {
		n = read(fd, btf + btf_size, cap - btf_size);
		if (n <= 0)
			break;
		btf_size += (size_t)n;
		if (btf_size < cap)
			continue;
		p = realloc(btf, cap *= 2);
		if (!p)
			break;
		btf = p;
	}
	close(fd);
	return btf && btf_size && n == 0 ? 0 : -EIO;
}

/* The bytes that follow a btf_type of @kind with @vlen members, or -1. */
static long btf_extra(unsigned int kind, unsigned int vlen)
{
	switch (kind) {
	case BTF_KIND_INT:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return 4;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return (long)vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return (long)vlen * sizeof(struct btf_enum);
	case BTF_KIND_ENUM64:
		return (long)vlen * sizeof(struct btf_enum64);
	case BTF_KIND_FUNC_PROTO:
		return (long)vlen * sizeof(struct btf_param);
	case BTF_KIND_DATASEC:
		return (long)vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return 0;
	}
	return -1;
}

/*
 * The type id of the BTF_KIND_FUNC called @name in vmlinux's BTF: ids count
 * from 1 in the order of the type section.  -ENOENT when there is none,
 * -EPROTO when the section holds something this walker does not know.
 */
static int btf_func_id(const char *name)
{
	const struct btf_header *h = (const void *)btf;
	const uint8_t *p, *end;
	const char *strs;
	int id = 1;

	if (btf_size < sizeof(*h) || h->magic != BTF_MAGIC ||
	    h->hdr_len > btf_size ||
	    (size_t)h->hdr_len + h->type_off + h->type_len > btf_size ||
	    (size_t)h->hdr_len + h->str_off + h->str_len > btf_size)
		return -EPROTO;
	strs = (const char *)btf + h->hdr_len + h->str_off;
	p = btf + h->hdr_len + h->type_off;
	end = p + h->type_len;
	while (p + sizeof(struct btf_type) <= end) {
		const struct btf_type *t = (const void *)p;
		unsigned int kind = BTF_INFO_KIND(t->info);
		long extra = btf_extra(kind, BTF_INFO_VLEN(t->info));

		if (extra < 0)
			return -EPROTO;
		if (kind == BTF_KIND_FUNC && t->name_off < h->str_len &&
		    !strcmp(strs + t->name_off, name))
			return id;
		p += sizeof(*t) + (size_t)extra;
		id++;
	}
	return -ENOENT;
}

/* The btf_type of id @want, or NULL. */
static const struct btf_type *btf_type_of(int want)
{
	const struct btf_header *h = (const void *)btf;
	const uint8_t *p = btf + h->hdr_len + h->type_off;
	const uint8_t *end = p + h->type_len;

	for (int id = 1; p + sizeof(struct btf_type) <= end; id++) {
		const struct btf_type *t = (const void *)p;
		long extra = btf_extra(BTF_INFO_KIND(t->info),
				       BTF_INFO_VLEN(t->info));

		if (extra < 0)
			return NULL;
		if (id == want)
			return t;
		p += sizeof(*t) + (size_t)extra;
	}
	return NULL;
}

/*
 * The position of the argument called @param of the function @func: its
 * u64 slot in the context of a program attached there.  -ENOENT when the
 * function has no such argument.
 */
static int btf_param_index(const char *func, const char *param)
{
	const struct btf_header *h = (const void *)btf;
	const char *strs = (const char *)btf + h->hdr_len + h->str_off;
	const struct btf_type *fn, *proto;
	const struct btf_param *args;
	int id = btf_func_id(func);

	if (id < 0)
		return id;
	fn = btf_type_of(id);
	proto = fn ? btf_type_of((int)fn->type) : NULL;
	if (!proto || BTF_INFO_KIND(proto->info) != BTF_KIND_FUNC_PROTO)
		return -EPROTO;
	args = (const void *)(proto + 1);
	for (unsigned int i = 0; i < BTF_INFO_VLEN(proto->info); i++)
		if (args[i].name_off < h->str_len &&
		    !strcmp(strs + args[i].name_off, param))
			return (int)i;
	return -ENOENT;
}

/* ---- BPF LSM programs ---- */

#define INSN(c, d, s, o, i)                                                    \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s),       \
			    .off = (o), .imm = (i) })

static char vlog[1 << 16];

/* The verifier's last line, for a reason. */
static const char *vlog_tail(void)
{
	size_t n = strnlen(vlog, sizeof(vlog));
	char *nl;

	while (n && vlog[n - 1] == '\n')
		vlog[--n] = 0;
	nl = strrchr(vlog, '\n');
	return nl ? nl + 1 : vlog[0] ? vlog : "(no verifier log)";
}

/*
 * Load @insns as an LSM program on bpf_lsm_@hook and attach it; the link's
 * fd in *link (deferred: the case's cleanup detaches it).  TT_SKIP when
 * the kernel has no such hook or refuses a program there.
 */
static int lsm_attach(const char *hook, const struct bpf_insn *insns,
		      int cnt, int *link)
{
	char fn[64];
	union bpf_attr attr;
	int id, prog;

	snprintf(fn, sizeof(fn), "bpf_lsm_%s", hook);
	id = btf_func_id(fn);
	if (id == -ENOENT)
		return tt_skip("%s is not in this kernel's BTF: no such LSM hook",
			       fn);
	if (id < 0)
		return tt_fail("cannot walk /sys/kernel/btf/vmlinux: %s",
			       tt_errname(-id));

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_LSM;
	attr.expected_attach_type = BPF_LSM_MAC;
	attr.attach_btf_id = (uint32_t)id;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = (uint32_t)cnt;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	prog = (int)sys_bpf(BPF_PROG_LOAD, &attr);
	if (prog < 0) {
		/* Again, with the verifier's log for the reason. */
		attr.log_buf = (uint64_t)(uintptr_t)vlog;
		attr.log_size = sizeof(vlog);
		attr.log_level = 1;
		vlog[0] = 0;
		prog = (int)sys_bpf(BPF_PROG_LOAD, &attr);
	}
	if (prog < 0)
		return tt_skip("the kernel refuses an LSM program on %s (id %d): "
			       "%s: %s", fn, id, tt_errname(errno),
			       vlog_tail());
	tt_defer_fd(prog);

	memset(&attr, 0, sizeof(attr));
	attr.raw_tracepoint.name = 0;	/* BPF_LSM_MAC: the prog's own target */
	attr.raw_tracepoint.prog_fd = (uint32_t)prog;
	*link = (int)sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &attr);
	if (*link < 0)
		return tt_skip("cannot attach an LSM program to %s: %s", fn,
			       tt_errname(errno));
	tt_defer_fd(*link);
	/* The link holds the program. */
	tt_close(prog);
	return TT_PASS;
}

/* "return -@err" on bpf_lsm_@hook. */
static int lsm_deny(const char *hook, int err, int *link)
{
	struct bpf_insn insns[] = {
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, -err),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};

	return lsm_attach(hook, insns, 2, link);
}

/*
 * "*map[0] += 1" with the map of fd @map, in 9 instructions (the first
 * two load the map): r0-r2 are clobbered, and *(u32 *)(r10 - 4).
 */
#define COUNT_INSNS(map)                                                       	/* r1 = &map, *(u32 *)(r10 - 4) = 0, r2 = r10 - 4 */                  	INSN(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_1, BPF_PSEUDO_MAP_FD, 0,       	     (map)),                                                           	INSN(0, 0, 0, 0, 0),                                                   	INSN(BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, -4, 0),                  	INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0),        	INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -4),                	/* r0 = bpf_map_lookup_elem(r1, r2); if r0: *r0 += 1 */               	INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem),           	INSN(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 2, 0),                   	INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_1, 0, 0, 1),                 	INSN(BPF_STX | BPF_ATOMIC | BPF_DW, BPF_REG_0, BPF_REG_1, 0, BPF_ADD)

/* "*map[0] += 1; return 0" on bpf_lsm_@hook. */
static int count_prog(const char *hook, int map, int *link)
{
	struct bpf_insn insns[] = {
		COUNT_INSNS(map),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};

	return lsm_attach(hook, insns, sizeof(insns) / sizeof(insns[0]), link);
}

/* A fresh array map of one u64 counter, its fd in *map. */
static int count_map(int *map)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 8;
	attr.max_entries = 1;
	*map = (int)sys_bpf(BPF_MAP_CREATE, &attr);
	if (*map < 0)
		return tt_fail("BPF_MAP_CREATE: %s", tt_errname(errno));
	tt_defer_fd(*map);
	return TT_PASS;
}

/*
 * Count the calls of bpf_lsm_@hook in element 0 of a fresh array map,
 * whose fd goes to *map; the program lets the hook pass.
 */
static int lsm_count(const char *hook, int *map, int *link)
{
	TT_CALL(count_map(map));
	return count_prog(hook, *map, link);
}

/*
 * Count in *map the capable hook's checks of @cap for tasks of uid @uid;
 * @cap_arg is the slot of the hook's cap argument.
 */
static int count_capable(int cap_arg, uid_t uid, int cap, int *map,
			 int *link)
{
	struct bpf_insn insns[] = {
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_1, 0, 0),
		/* not uid @uid, or not @cap: goto out */
		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_get_current_uid_gid),
		INSN(BPF_JMP32 | BPF_JNE | BPF_K, BPF_REG_0, 0, 11, (int)uid),
		INSN(BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_1, BPF_REG_6,
		     cap_arg * 8, 0),
		INSN(BPF_JMP32 | BPF_JNE | BPF_K, BPF_REG_1, 0, 9, cap),
		/* the map's fd patched in below */
		COUNT_INSNS(0),
		/* out: return 0, the check goes on as it would */
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};

	TT_CALL(count_map(map));
	insns[5].imm = *map;
	return lsm_attach("capable", insns, sizeof(insns) / sizeof(insns[0]),
			  link);
}

/* Element 0 of a counting program's map, or -1 (errno). */
static long long count_of(int map)
{
	union bpf_attr attr;
	uint32_t key = 0;
	uint64_t val = 0;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)map;
	attr.key = (uint64_t)(uintptr_t)&key;
	attr.value = (uint64_t)(uintptr_t)&val;
	if (sys_bpf(BPF_MAP_LOOKUP_ELEM, &attr) < 0)
		return -1;
	return (long long)val;
}

/* Wait up to @ms for a counter to reach @want; the last value read. */
static long long count_wait(int map, long long want, int ms)
{
	long long until = tt_now_ms() + ms, v;

	while ((v = count_of(map)) != want && tt_now_ms() < until)
		tt_sleep_ms(10);
	return v;
}

/* ---- helpers ---- */

/* A persistent device with no file attached. */
static int make_persistent(const char *name, int flags)
{
	int fd;

	fd = tt_tun_alloc(name, flags, NULL);
	TT_SYS(fd);
	TT_SYS(ioctl(fd, TUNSETPERSIST, 1));
	tt_close(fd);
	TT_CHECK(tt_link_exists(name), "persistent %s vanished", name);
	return TT_PASS;
}

/* @fd is attached to no device. */
static int unattached(int fd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	TT_ERRNO(ioctl(fd, TUNGETIFF, &ifr), EBADFD);
	return TT_PASS;
}

static int set_queue(int fd, int flags)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = (short)flags;
	return ioctl(fd, TUNSETQUEUE, &ifr);
}

/* ---- cases ---- */

static char lsm_list[256];

static int c_bpf_lsm_active(void)
{
	/* the debug lane's kernel has the LSMs but no securityfs to list them */
	if (!lsm_list[0] && tt_kconfig("CONFIG_SECURITYFS") == 0)
		return tt_skip("kernel built without CONFIG_SECURITYFS: no list of the active LSMs");
	TT_CHECK(lsm_list[0], "cannot read /sys/kernel/security/lsm");
	tt_note("active LSMs: %s", lsm_list);
	/* Both series list bpf in CONFIG_LSM: a kernel without it is news. */
	TT_CHECK(strstr(lsm_list, "bpf"), "bpf is not an active LSM: %s",
		 lsm_list);
	return TT_PASS;
}

/*
 * The start of a denial case: the persistent tap @existing, then @hook
 * denying with @err until *link is closed, and *fd a file attached to
 * nothing.
 */
static int deny_setup(const char *existing, const char *hook, int err,
		      int *fd, int *link)
{
	TT_CALL(make_persistent(existing, TAP));
	TT_CALL(lsm_deny(hook, err, link));
	*fd = tt_tun_open(0);
	TT_SYS(*fd);
	return TT_PASS;
}

/* Creating the tap @name is refused with @err: no @name. */
static int create_denied(int fd, const char *name, int err)
{
	TT_ERRNO(tt_tun_setiff(fd, name, TAP, NULL), err);
	TT_CHECK(!tt_link_exists(name), "%s exists after a denial", name);
	return TT_PASS;
}

/* Attaching to the tap @name is refused with @err: @fd and @name stay. */
static int attach_denied(int fd, const char *name, int err)
{
	TT_ERRNO(tt_tun_setiff(fd, name, TAP, NULL), err);
	TT_CALL(unattached(fd));
	TT_CHECK(tt_link_exists(name), "%s went with a denial", name);
	return TT_PASS;
}

/* With the denying program detached, TUNSETIFF of the tap @name passes. */
static int allowed(int link, int fd, const char *name)
{
	tt_close(link);
	TT_SYS(tt_tun_setiff(fd, name, TAP, NULL));
	return TT_PASS;
}

/* tun_dev_create: new devices only; attaching to an existing one passes. */
static int c_create(void)
{
	int fd, link;

	TT_CALL(deny_setup("ttlsm0", "tun_dev_create", EPERM, &fd, &link));
	TT_CALL(create_denied(fd, "ttlsm1", EPERM));
	TT_ERRNO(tt_tun_setiff(fd, "", IFF_TUN, NULL), EPERM);
	TT_CALL(unattached(fd));
	TT_SYS(tt_tun_alloc("ttlsm0", TAP, NULL));

	TT_CALL(allowed(link, fd, "ttlsm1"));
	TT_CHECK(tt_link_exists("ttlsm1"), "no ttlsm1 once allowed");
	return TT_PASS;
}

/*
 * tun_dev_alloc_security: at creation too, and its errno is TUNSETIFF's,
 * whichever it is (EDOM: nothing else on the way returns it).
 */
static int alloc_security(int err)
{
	int fd, link;

	TT_CALL(deny_setup("ttlsm2", "tun_dev_alloc_security", err, &fd,
			   &link));
	TT_CALL(create_denied(fd, "ttlsm3", err));
	TT_ERRNO(tt_tun_setiff(fd, "ttlsm3", MQ_TAP, NULL), err);
	TT_ERRNO(tt_tun_setiff(fd, "", IFF_TUN, NULL), err);
	TT_CALL(unattached(fd));
	TT_SYS(tt_tun_alloc("ttlsm2", TAP, NULL));

	TT_CALL(allowed(link, fd, "ttlsm3"));
	TT_CHECK(tt_link_exists("ttlsm3"), "no ttlsm3 once allowed");
	return TT_PASS;
}

static int c_alloc_security(void)
{
	return alloc_security(EPERM);
}

static int c_alloc_security_errno(void)
{
	return alloc_security(EDOM);
}

/* tun_dev_open: attaching to an existing device; creating one passes. */
static int c_open(void)
{
	int fd, link;

	TT_CALL(deny_setup("ttlsm4", "tun_dev_open", EPERM, &fd, &link));
	TT_CALL(attach_denied(fd, "ttlsm4", EPERM));
	TT_SYS(tt_tun_alloc("ttlsm5", TAP, NULL));

	TT_CALL(allowed(link, fd, "ttlsm4"));
	return TT_PASS;
}

/* tun_dev_attach: attaching to an existing device, and creating one. */
static int c_attach(void)
{
	int fd, link;

	TT_CALL(deny_setup("ttlsm6", "tun_dev_attach", EPERM, &fd, &link));
	TT_CALL(attach_denied(fd, "ttlsm6", EPERM));
	TT_CALL(create_denied(fd, "ttlsm7", EPERM));
	TT_CALL(unattached(fd));

	TT_CALL(allowed(link, fd, "ttlsm6"));
	return TT_PASS;
}

/*
 * A multiqueue tap with queue 1 disabled by IFF_DETACH_QUEUE; fd[0] holds
 * queue 0, fd[1] the disabled one.
 */
static int mq_disabled(const char *name, int fd[2])
{
	fd[0] = tt_tun_alloc(name, MQ_TAP, NULL);
	TT_SYS(fd[0]);
	fd[1] = tt_tun_alloc(name, MQ_TAP, NULL);
	TT_SYS(fd[1]);
	TT_SYS(set_queue(fd[1], IFF_DETACH_QUEUE));
	return TT_PASS;
}

/* tun_dev_attach_queue: IFF_ATTACH_QUEUE only, not TUNSETIFF by name. */
static int c_attach_queue(void)
{
	int fd[2], link;

	TT_CALL(mq_disabled("ttlsm8", fd));
	TT_CALL(lsm_deny("tun_dev_attach_queue", EPERM, &link));

	TT_ERRNO(set_queue(fd[1], IFF_ATTACH_QUEUE), EPERM);
	TT_SYS(tt_tun_alloc("ttlsm8", MQ_TAP, NULL));

	tt_close(link);
	TT_SYS(set_queue(fd[1], IFF_ATTACH_QUEUE));
	/* Now it is enabled, so a second attach is refused by tun itself. */
	TT_ERRNO(set_queue(fd[1], IFF_ATTACH_QUEUE), EINVAL);
	return TT_PASS;
}

/* tun_dev_attach guards IFF_ATTACH_QUEUE as well. */
static int c_attach_setqueue(void)
{
	int fd[2], link;

	TT_CALL(mq_disabled("ttlsm9", fd));
	TT_CALL(lsm_deny("tun_dev_attach", EPERM, &link));

	TT_ERRNO(set_queue(fd[1], IFF_ATTACH_QUEUE), EPERM);
	/* Still disabled: detaching it again is refused. */
	TT_ERRNO(set_queue(fd[1], IFF_DETACH_QUEUE), EINVAL);

	tt_close(link);
	TT_SYS(set_queue(fd[1], IFF_ATTACH_QUEUE));
	TT_SYS(set_queue(fd[1], IFF_DETACH_QUEUE));
	return TT_PASS;
}

/*
 * tun_dev_free_security: once per device, when it is freed (6.1; 6.12 has
 * no such hook, the LSM framework frees the blob itself).
 */
static int c_free_security(void)
{
	int fd, map, link, deny;

	if (btf_func_id("bpf_lsm_tun_dev_free_security") == -ENOENT)
		return tt_skip("no tun_dev_free_security hook in this kernel "
			       "(6.12 has none: the LSM framework frees the "
			       "blob of a tun device itself)");
	TT_CALL(lsm_count("tun_dev_free_security", &map, &link));

	fd = tt_tun_alloc("ttlsm10", TAP, NULL);
	TT_SYS(fd);
	TT_EQ(count_of(map), 0);
	tt_close(fd);
	TT_EQ(count_wait(map, 1, TT_WAIT_MS), 1);

	TT_CALL(make_persistent("ttlsm10", TAP));
	TT_EQ(count_of(map), 1);
	TT_SYS(tt_link_del("ttlsm10"));
	TT_EQ(count_wait(map, 2, TT_WAIT_MS), 2);
	TT_CHECK(!tt_link_exists("ttlsm10"), "ttlsm10 survived RTM_DELLINK");

	/* A creation denied after the allocation frees it, once. */
	TT_CALL(lsm_deny("tun_dev_attach", EPERM, &deny));
	TT_ERRNO(tt_tun_alloc("ttlsm10", TAP, NULL), EPERM);
	TT_EQ(count_wait(map, 3, TT_WAIT_MS), 3);
	tt_sleep_ms(100);
	TT_EQ(count_of(map), 3);
	return TT_PASS;
}

enum { H_CREATE, H_ALLOC, H_OPEN, H_ATTACH, H_QUEUE, H_FREE, H_NUM };

static const char *const hook_names[H_NUM] = {
	[H_CREATE] = "tun_dev_create",
	[H_ALLOC] = "tun_dev_alloc_security",
	[H_OPEN] = "tun_dev_open",
	[H_ATTACH] = "tun_dev_attach",
	[H_QUEUE] = "tun_dev_attach_queue",
	[H_FREE] = "tun_dev_free_security",
};

struct counters {
	int map[H_NUM];
	long long last[H_NUM];
};

/*
 * Each hook ran exactly want[h] times since the last call (a missing hook,
 * map -1, is not checked).  @what names the step in the reason.
 */
static int counted(struct counters *c, const char *what,
		   const int want[H_NUM])
{
	for (int h = 0; h < H_NUM; h++) {
		long long v;

		if (c->map[h] < 0)
			continue;
		v = count_wait(c->map[h], c->last[h] + want[h], TT_WAIT_MS);
		if (v < 0)
			return tt_fail("%s: reading the %s counter: %s", what,
				       hook_names[h], tt_errname(errno));
		if (v - c->last[h] != want[h])
			return tt_fail("%s: %s ran %lld times, want %d", what,
				       hook_names[h], v - c->last[h], want[h]);
		c->last[h] = v;
	}
	return TT_PASS;
}

/* How often each hook runs for each step of a multiqueue tap's life. */
static int c_counts(void)
{
	static const int on_create[H_NUM] = { [H_CREATE] = 1, [H_ALLOC] = 1,
					      [H_ATTACH] = 1 };
	static const int on_open[H_NUM] = { [H_OPEN] = 1, [H_ATTACH] = 1 };
	static const int on_queue[H_NUM] = { [H_QUEUE] = 1, [H_ATTACH] = 1 };
	static const int on_free[H_NUM] = { [H_FREE] = 1 };
	static const int none[H_NUM];
	struct counters c;
	int fd[3], link, r;

	memset(&c, 0, sizeof(c));
	for (int h = 0; h < H_NUM; h++) {
		r = lsm_count(hook_names[h], &c.map[h], &link);
		if (r == TT_SKIP && h == H_FREE) {
			tt_note("%s: not counted", hook_names[h]);
			c.map[h] = -1;
			continue;
		}
		TT_CALL(r);
	}

	fd[0] = tt_tun_alloc("ttlsm11", MQ_TAP, NULL);
	TT_SYS(fd[0]);
	TT_CALL(counted(&c, "creating", on_create));
	fd[1] = tt_tun_alloc("ttlsm11", MQ_TAP, NULL);
	TT_SYS(fd[1]);
	TT_CALL(counted(&c, "attaching by name", on_open));
	TT_SYS(set_queue(fd[1], IFF_DETACH_QUEUE));
	TT_CALL(counted(&c, "IFF_DETACH_QUEUE", none));
	TT_SYS(set_queue(fd[1], IFF_ATTACH_QUEUE));
	TT_CALL(counted(&c, "IFF_ATTACH_QUEUE", on_queue));
	TT_SYS(ioctl(fd[0], TUNSETPERSIST, 1));
	tt_close(fd[0]);
	tt_close(fd[1]);
	TT_CALL(counted(&c, "closing the files of a persistent device", none));
	fd[2] = tt_tun_alloc("ttlsm11", MQ_TAP, NULL);
	TT_SYS(fd[2]);
	TT_CALL(counted(&c, "re-attaching", on_open));
	TT_SYS(ioctl(fd[2], TUNSETPERSIST, 0));
	tt_close(fd[2]);
	TT_CHECK(tt_link_wait("ttlsm11", 0, TT_WAIT_MS), "ttlsm11 survived");
	TT_CALL(counted(&c, "closing the last file", on_free));
	return TT_PASS;
}

/* ---- the capability checks of attaching ---- */

/*
 * The capable hook sees a check only once the capability LSM, which comes
 * first, has granted it: a denial there ends the walk.  That is how
 * SELinux and AppArmor see checks too, and the audited denial a needless
 * check risks is theirs, of a capability the task has.  So the attaching
 * user is CAP_UID with CAP_NET_ADMIN kept: any check the driver makes is
 * counted (and granted), and none is needed when the device's owner or
 * group lets the user in.
 */
#define CAP_UID 4711
#define CAP_GID 4712

/*
 * In a child: become CAP_UID/@gid with CAP_NET_ADMIN alone, attach to the
 * tap @name; 0 or the errno of TUNSETIFF, above 199 when the child could
 * not get that far.
 */
static int attach_with_cap(const char *name, gid_t gid)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = {
		{ .effective = 1U << CAP_NET_ADMIN,
		  .permitted = 1U << CAP_NET_ADMIN },
	};
	struct ifreq ifr;
	pid_t pid;
	int fd, st;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 255;
	if (pid == 0) {
		/* keep the permitted set over setuid(), then narrow it */
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) || setgroups(0, NULL) ||
		    setgid(gid) || setuid(CAP_UID) ||
		    syscall(SYS_capset, &hdr, data))
			_exit(201);
		fd = open(TT_TUN_PATH, O_RDWR);
		if (fd < 0)
			_exit(200);
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
		ifr.ifr_flags = TAP;
		_exit(ioctl(fd, TUNSETIFF, &ifr) < 0 ? errno : 0);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return 255;
	return WEXITSTATUS(st);
}

struct cap_counter {
	int map;
	long long last;
};

static int cap_counter_init(struct cap_counter *c)
{
	int arg, link;

	arg = btf_param_index("bpf_lsm_capable", "cap");
	if (arg == -ENOENT)
		return tt_skip("bpf_lsm_capable: no such hook or no cap "
			       "argument in this kernel's BTF");
	if (arg < 0)
		return tt_fail("bpf_lsm_capable's arguments: %s",
			       tt_errname(-arg));
	c->last = 0;
	return count_capable(arg, CAP_UID, CAP_NET_ADMIN, &c->map, &link);
}

/*
 * Attach as CAP_UID/@gid to a persistent tap owned by @owner and @group
 * (-1: none): TUNSETIFF must succeed after exactly @checks checks of
 * CAP_NET_ADMIN.
 */
static int attach_checked(struct cap_counter *c, const char *name,
			  long owner, long group, gid_t gid, int checks)
{
	long long v;
	int fd, r;

	fd = tt_tun_alloc(name, TAP, NULL);
	TT_SYS(fd);
	if (owner >= 0)
		TT_SYS(ioctl(fd, TUNSETOWNER, owner));
	if (group >= 0)
		TT_SYS(ioctl(fd, TUNSETGROUP, group));
	TT_SYS(ioctl(fd, TUNSETPERSIST, 1));
	tt_close(fd);

	/* the hook runs in the child's ioctl: counted once it has exited */
	r = attach_with_cap(name, gid);
	TT_CHECK(r < 200, "the child of uid %d could not attach (%d)",
		 CAP_UID, r);
	TT_CHECK(r == 0, "%s (owner %ld group %ld) as %d:%d: %s", name, owner,
		 group, CAP_UID, (int)gid, tt_errname(r));
	v = count_of(c->map);
	TT_CHECK(v >= 0, "reading the counter: %s", tt_errname(errno));
	TT_CHECK(v - c->last == checks,
		 "%s (owner %ld group %ld) as %d:%d: %lld checks of "
		 "CAP_NET_ADMIN, want %d", name, owner, group, CAP_UID,
		 (int)gid, v - c->last, checks);
	c->last = v;
	TT_SYS(tt_link_del(name));
	return TT_PASS;
}

/* Owner or group that lets one in: no capability check. */
static int c_capable_owner_group(void)
{
	struct cap_counter c;

	TT_CALL(cap_counter_init(&c));
	TT_CALL(attach_checked(&c, "ttlsm12", CAP_UID, -1, CAP_GID, 0));
	TT_CALL(attach_checked(&c, "ttlsm13", -1, CAP_GID, CAP_GID, 0));
	TT_CALL(attach_checked(&c, "ttlsm14", CAP_UID, CAP_GID, CAP_GID, 0));
	return TT_PASS;
}

/*
 * Owner or group that does not: the one check that lets one in anyway.
 * A device with neither: 6.1 lets anyone attach unchecked, 6.12 wants
 * the capability (tun/owner).
 */
static int c_capable_stranger(void)
{
	struct cap_counter c;

	TT_CALL(cap_counter_init(&c));
	TT_CALL(attach_checked(&c, "ttlsm15", CAP_UID + 1, -1, CAP_GID, 1));
	TT_CALL(attach_checked(&c, "ttlsm16", -1, CAP_GID + 1, CAP_GID, 1));
	TT_CALL(attach_checked(&c, "ttlsm17", CAP_UID, CAP_GID + 1, CAP_GID,
			       1));
	TT_CALL(attach_checked(&c, "ttlsm18", -1, -1, CAP_GID,
			       tt_series_ge(6, 5)));
	return TT_PASS;
}

/*
 * /sys/kernel/security/lsm, read in a mount namespace of our own so that
 * mounting securityfs there leaves the guest as it was.
 */
static void read_lsm_list(void)
{
	FILE *f;

	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return;
	mount("securityfs", "/sys/kernel/security", "securityfs", 0, NULL);
	f = fopen("/sys/kernel/security/lsm", "r");
	if (!f)
		return;
	if (!fgets(lsm_list, sizeof(lsm_list), f))
		lsm_list[0] = 0;
	lsm_list[strcspn(lsm_list, "\n")] = 0;
	fclose(f);
}

int main(void)
{
	int err;

	tt_init();
	/* as Debian's udev rules have it, for the cases of another uid */
	if (tt_tun_node() || chmod(TT_TUN_PATH, 0666))
		tt_note("cannot make %s 0666: %s", TT_TUN_PATH,
			tt_errname(errno));
	read_lsm_list();
	err = btf_load();
	if (err) {
		printf("skip all: no /sys/kernel/btf/vmlinux: %s\n",
		       tt_errname(-err));
		return 0;
	}

	tt_run("bpf_lsm_active", c_bpf_lsm_active);
	tt_run("create_eperm", c_create);
	tt_run("alloc_security_eperm", c_alloc_security);
	tt_run("alloc_security_errno_passes_through", c_alloc_security_errno);
	tt_run("open_eperm", c_open);
	tt_run("attach_eperm", c_attach);
	tt_run("attach_queue_eperm", c_attach_queue);
	tt_run("attach_guards_setqueue", c_attach_setqueue);
	tt_run("free_security_once_per_device", c_free_security);
	tt_run("hook_call_counts", c_counts);
	tt_run("attach_as_owner_or_group_no_capable_check",
	       c_capable_owner_group);
	tt_run("attach_as_stranger_one_capable_check", c_capable_stranger);
	return tt_done();
}
