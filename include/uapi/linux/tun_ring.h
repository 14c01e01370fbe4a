/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * tun_ring: shared-memory packet rings on a tun/tap file, the user-space
 * interface (Documentation/tun_ring.rst tells the whole protocol).
 *
 * TUNSETRING, on a file attached to a device, gives the file two rings of
 * fixed-size slots in one area the kernel allocates, which user space
 * then maps with mmap(fd, offset 0, mmap_size):
 *
 *   RX ring  the frames the device transmits, what read() would return
 *            (struct tun_pi and the vnet header included, per the
 *            device's IFF_NO_PI / IFF_VNET_HDR). Producer: the kernel.
 *   TX ring  frames user space injects, laid out as write() takes them.
 *            Producer: user space.
 *
 * Each ring has a control block, struct tun_ring_idx: head, written only
 * by its producer, tail, written only by its consumer, both free-running
 * 32-bit counters (slot = counter & (slots - 1)), and flags, written only
 * by the kernel. The producer fills slot head, then publishes head + 1
 * with a release store; the consumer reads head with an acquire load,
 * uses the slots up to it, then releases tail. A ring is full when
 * head - tail == slots.
 *
 * Wakeups: poll() reports EPOLLIN while the RX ring holds frames and
 * EPOLLOUT while the TX ring has room. The kernel drains the TX ring in
 * a work item; when that finds the ring empty it sets TUN_RING_F_KICK in
 * the TX flags and stops: a producer that sees the flag after publishing
 * head (a full barrier between the two) issues TUNRINGKICK. While the
 * flag is clear the kernel is draining and will see new frames by
 * itself: a busy program makes no system call at all.
 */
#ifndef _UAPI_LINUX_TUN_RING_H
#define _UAPI_LINUX_TUN_RING_H

#include <linux/types.h>
#include <linux/ioctl.h>

/*
 * 'T' numbers <linux/if_tun.h> leaves unused (it goes up to 227 in 6.12);
 * from 240 on, to leave room for what Linux adds next.
 */
#define TUNSETRING	_IOWR('T', 240, struct tun_ring_req)
#define TUNRINGKICK	_IO('T', 241)

/* TUNSETRING's argument. */
struct tun_ring_req {
	__u32 slots;		/* in: per ring, a power of 2, 2..32768 */
	__u32 slot_size;	/* in: bytes per slot, header included; a
				 * multiple of 64, 64..131072 */
	__u32 flags;		/* in: 0 */
	__u32 reserved;		/* in: 0 */
	__u64 rx_offset;	/* out: where the RX slots start */
	__u64 tx_offset;	/* out: where the TX slots start */
	__u64 mmap_size;	/* out: the length to map */
};

/* The whole area may not be larger than this. */
#define TUN_RING_MAX_BYTES	(64U << 20)

/*
 * A ring's control block, at TUN_RING_RX_IDX / TUN_RING_TX_IDX in the
 * area. head and tail sit in cache lines of their own so that producer
 * and consumer do not share one.
 */
struct tun_ring_idx {
	__u32 head;		/* the producer's */
	__u32 __pad0[15];
	__u32 tail;		/* the consumer's */
	__u32 flags;		/* TUN_RING_F_*, written by the kernel only */
	__u32 __pad1[14];
};

#define TUN_RING_RX_IDX		0
#define TUN_RING_TX_IDX		128

/*
 * RX flags: the kernel sets TUN_RING_F_WAIT when poll() finds the RX ring
 * empty, and clears it when the next frame it publishes wakes the poller.
 * TX flags: TUN_RING_F_KICK is set while the kernel is not draining the
 * TX ring (initially, and whenever it found the ring empty): publishing
 * a frame then takes a TUNRINGKICK.
 */
#define TUN_RING_F_WAIT		0x1
#define TUN_RING_F_KICK		0x1

/* The header of each slot; the frame follows it. */
struct tun_ring_slot {
	__u32 len;		/* bytes of frame in data[] */
	__u32 flags;		/* RX: TUN_RING_SLOT_TRUNC; TX: 0 */
	__u8 data[];
};

/*
 * RX: the frame was longer than the slot holds, and was cut as a short
 * read() cuts it (the packet info header, if any, says TUN_PKT_STRIP).
 */
#define TUN_RING_SLOT_TRUNC	0x1

#endif /* _UAPI_LINUX_TUN_RING_H */
