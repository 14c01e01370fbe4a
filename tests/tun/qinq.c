// SPDX-License-Identifier: GPL-2.0
/*
 * ndo_features_check: a tap passes its offloads through to the reader
 * whatever the frame carries (passthru_features_check), where the stack's
 * default check would take segmentation and most checksum offloads away
 * from a frame with more than one VLAN tag in its data.  So a TCP GSO
 * frame tagged twice (802.1ad, then 802.1Q), sent on a tap with TSO on
 * from a packet socket with PACKET_VNET_HDR, reaches the reader as the
 * one GSO frame it was, with its vnet header; with the default check it
 * would be segmented in software into gso_size pieces.
 *
 * Linux's tun and tap: on 6.1 and on 6.12 only the tap's net_device_ops
 * have passthru_features_check (one relocation of it in either stock
 * tun.ko, inside tap_netdev_ops), and so do ours.  A tun device carries
 * IP packets, with no link header: the default check differs from
 * passthru only for a frame tagged twice in its Ethernet header, which a
 * tun has no way to carry, so there is nothing to observe there.
 */
#include "tt.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define TAP_DEV "ttqinq0"
#define SRC_IP "198.18.32.1"
#define DST_IP "198.18.32.2"

#define VH_LEN ((int)sizeof(struct virtio_net_hdr))

/* Ethernet, the two tags, IPv4 and TCP without options. */
#define L2_LEN (ETH_HLEN + 8)
#define HDRS_LEN (L2_LEN + 20 + 20)
#define MSS 100
#define PAYLOAD_LEN (3 * MSS)
#define FRAME_LEN (HDRS_LEN + PAYLOAD_LEN)

static const uint8_t peer_mac[6] = { 0x02, 0x00, 0x5e, 0x00, 0x32, 0x02 };

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/*
 * The frame: S-tag 100, C-tag 200, then 198.18.32.1:1000 -> .2:2000, TCP
 * ACK|PSH, PAYLOAD_LEN bytes counting from 0; the TCP checksum field holds
 * the pseudo-header sum, as VIRTIO_NET_HDR_F_NEEDS_CSUM wants.
 */
static int build(uint8_t *f)
{
	uint8_t *ip = f + L2_LEN, *tcp = ip + 20, mac[6], pseudo[12];
	uint32_t src = tt_ip4(SRC_IP), dst = tt_ip4(DST_IP), sum = 0;
	uint16_t c;

	TT_SYS(tt_link_hwaddr(TAP_DEV, mac));
	tt_eth(f, peer_mac, mac, ETH_P_8021AD);
	put16(f + 14, 100);
	put16(f + 16, ETH_P_8021Q);
	put16(f + 18, 200);
	put16(f + 20, ETH_P_IP);

	memset(ip, 0, 40);
	ip[0] = 0x45;
	put16(ip + 2, 20 + 20 + PAYLOAD_LEN);
	put16(ip + 4, 0x4321);
	ip[6] = 0x40;			/* DF */
	ip[8] = 64;
	ip[9] = IPPROTO_TCP;
	memcpy(ip + 12, &src, 4);
	memcpy(ip + 16, &dst, 4);
	c = tt_csum(ip, 20);
	memcpy(ip + 10, &c, 2);

	put16(tcp, 1000);
	put16(tcp + 2, 2000);
	put16(tcp + 4, 0);
	put16(tcp + 6, 1);		/* seq 1 */
	tcp[12] = 5 << 4;
	tcp[13] = 0x18;			/* ACK | PSH */
	put16(tcp + 14, 65535);
	for (int i = 0; i < PAYLOAD_LEN; i++)
		tcp[20 + i] = (uint8_t)i;

	/* the pseudo header's sum, not complemented */
	memcpy(pseudo, &src, 4);
	memcpy(pseudo + 4, &dst, 4);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_TCP;
	put16(pseudo + 10, 20 + PAYLOAD_LEN);
	for (int i = 0; i < 12; i += 2)
		sum += (uint32_t)(pseudo[i] << 8 | pseudo[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	put16(tcp + 16, (uint16_t)sum);
	return TT_PASS;
}

static int send_gso(const uint8_t *frame)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_8021AD),
		.sll_halen = 6,
	};
	struct virtio_net_hdr h = {
		.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
		.gso_type = VIRTIO_NET_HDR_GSO_TCPV4,
		.hdr_len = HDRS_LEN,
		.gso_size = MSS,
		.csum_start = L2_LEN + 20,
		.csum_offset = 16,
	};
	uint8_t buf[VH_LEN + FRAME_LEN];
	int s, one = 1;

	memcpy(buf, &h, VH_LEN);
	memcpy(buf + VH_LEN, frame, FRAME_LEN);
	sll.sll_ifindex = (int)if_nametoindex(TAP_DEV);
	memcpy(sll.sll_addr, peer_mac, 6);
	s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	TT_SYS(s);
	tt_defer_fd(s);
	TT_SYS(setsockopt(s, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)));
	TT_EQ(sendto(s, buf, sizeof(buf), 0, (struct sockaddr *)&sll,
		     sizeof(sll)), (ssize_t)sizeof(buf));
	tt_close(s);
	return TT_PASS;
}

static int c_qinq_gso_passes_through(void)
{
	uint8_t frame[FRAME_LEN], buf[4096];
	struct virtio_net_hdr h;
	ssize_t n;
	int fd;

	fd = tt_tun_alloc(TAP_DEV, IFF_TAP | IFF_NO_PI | IFF_VNET_HDR, NULL);
	TT_SYS(fd);
	TT_SYS(fcntl(fd, F_SETFL, O_NONBLOCK));
	TT_SYS(ioctl(fd, TUNSETOFFLOAD,
		     (unsigned long)(TUN_F_CSUM | TUN_F_TSO4)));
	TT_SYS(tt_link_prepare(TAP_DEV, NULL, 0, NULL));
	TT_CALL(build(frame));
	TT_CALL(send_gso(frame));

	n = tt_read_timeout(fd, buf, sizeof(buf), 2000);
	/* segmented by the stack, it would be 3 frames of VH_LEN + 162 */
	TT_EQ(n, VH_LEN + FRAME_LEN);
	memcpy(&h, buf, VH_LEN);
	TT_EQ(h.gso_type, VIRTIO_NET_HDR_GSO_TCPV4);
	TT_EQ(h.gso_size, MSS);
	TT_EQ(h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM,
	      VIRTIO_NET_HDR_F_NEEDS_CSUM);
	TT_EQ(h.csum_start, L2_LEN + 20);
	TT_EQ(h.csum_offset, 16);
	/* the frame as sent, the TCP checksum field aside */
	TT_MEMEQ(buf + VH_LEN, frame, L2_LEN + 20 + 16);
	TT_MEMEQ(buf + VH_LEN + L2_LEN + 20 + 18, frame + L2_LEN + 20 + 18,
		 FRAME_LEN - (L2_LEN + 20 + 18));
	TT_ERRNO(read(fd, buf, sizeof(buf)), EAGAIN);
	return TT_PASS;
}

int main(void)
{
	tt_init();
	tt_run("tap_qinq_gso_frame_passes_through", c_qinq_gso_passes_through);
	return tt_done();
}
