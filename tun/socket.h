/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tun/socket.h - what tun/socket.c offers the other parts: the socket
 * ops vhost-net drives a queue by (tun_get_socket()).
 *
 * Locking: each op takes a device reference (tun_get()) for its call.
 */
#ifndef _TUN_SOCKET_H
#define _TUN_SOCKET_H

#include "tun.h"

static const struct proto_ops tun_socket_ops;

#endif /* _TUN_SOCKET_H */
