/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tun_probe: a test-only module that lets the tests reach what only kernel
 * users of tun.ko, or the stack around it, can, through ioctls on
 * /dev/tun_probe (a misc device of its own, so the ioctl numbers collide
 * with nothing that matters).
 *
 * TUN_PROBE_PEEK_LEN (tests/tun/peek; the argument is a file descriptor)
 *	tun_get_socket() of the file, then its proto_ops' peek_len(): the
 *	length of the frame at the head of the queue's ring, 0 when it is
 *	empty.  Errors: EBADF (no such fd), whatever tun_get_socket()
 *	returns (EINVAL for a file that is not tun's, EBADFD for a tun file
 *	being released), EOPNOTSUPP if the socket has no peek_len.
 *
 * The others take a pointer to a struct of the caller's; the devices are
 * looked up by ifindex in the caller's network namespace (ENODEV).
 *
 * TUN_PROBE_SET_RX_HEADROOM (struct tun_probe_rx: ifindex, headroom)
 *	netdev_set_rx_headroom(dev, headroom) under RTNL, as an upper device
 *	(openvswitch, a bridge port) asks it; a negative headroom resets.
 *
 * TUN_PROBE_WATCH (struct tun_probe_rx: ifindex; 0 stops watching)
 *	From now on, note every skb the stack receives on the device (not
 *	the ones it sends): one device at a time, forgotten when it goes.
 *
 * TUN_PROBE_RX (struct tun_probe_rx, filled in)
 *	count: skbs received since TUN_PROBE_WATCH; headroom and hash:
 *	skb_headroom() (with the data at the network header) and the
 *	symmetric flow hash of the last of them.  ENOENT if not watching.
 *
 * TUN_PROBE_RPS_ENTRY (struct tun_probe_rps: hash, clear)
 *	The slot of the global RFS table (rps_sock_flow_table, sized by
 *	/proc/sys/net/core/rps_sock_flow_entries) that @hash falls in:
 *	its value, and the CPU bits of the values (rps_cpu_mask); the slot
 *	is zeroed first if @clear.  ENOENT when there is no table.
 */
#ifndef TUN_PROBE_H
#define TUN_PROBE_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define TUN_PROBE_NAME		"tun_probe"

struct tun_probe_rx {
	__s32 ifindex;
	__s32 headroom;
	__u32 count;
	__u32 hash;
};

struct tun_probe_rps {
	__u32 hash;
	__u32 clear;
	__u32 entry;
	__u32 cpu_mask;
};

#define TUN_PROBE_PEEK_LEN		_IO(0xf7, 0x01)
#define TUN_PROBE_SET_RX_HEADROOM	_IOW(0xf7, 0x02, struct tun_probe_rx)
#define TUN_PROBE_WATCH			_IOW(0xf7, 0x03, struct tun_probe_rx)
#define TUN_PROBE_RX			_IOR(0xf7, 0x04, struct tun_probe_rx)
#define TUN_PROBE_RPS_ENTRY		_IOWR(0xf7, 0x05, struct tun_probe_rps)

#endif /* TUN_PROBE_H */
