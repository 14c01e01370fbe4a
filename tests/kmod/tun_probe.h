/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tun_probe: a test-only module that lets tests/tun/peek reach what only
 * kernel users of tun.ko can, through ioctls on /dev/tun_probe (a misc
 * device of its own, so the ioctl numbers collide with nothing that
 * matters).  The argument is a file descriptor of the caller.
 *
 * TUN_PROBE_PEEK_LEN
 *	tun_get_socket() of the file, then its proto_ops' peek_len(): the
 *	length of the frame at the head of the queue's ring, 0 when it is
 *	empty.  Errors: EBADF (no such fd), whatever tun_get_socket()
 *	returns (EINVAL for a file that is not tun's, EBADFD for a tun file
 *	being released), EOPNOTSUPP if the socket has no peek_len.
 */
#ifndef TUN_PROBE_H
#define TUN_PROBE_H

#include <linux/ioctl.h>

#define TUN_PROBE_NAME		"tun_probe"
#define TUN_PROBE_PEEK_LEN	_IO(0xf7, 0x01)

#endif /* TUN_PROBE_H */
