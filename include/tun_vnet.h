/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtio-net header in front of frames (IFF_VNET_HDR), converted to
 * and from an skb's offload state.
 *
 * <linux/virtio_net.h> does the work on kernels that know UDP
 * segmentation offload in the header (6.2 and later). On older kernels
 * (6.1) the stack itself knows SKB_GSO_UDP_L4, only the header helpers do
 * not, so the USO case is handled here; everything else still goes
 * through the kernel's helpers, so that the checks are the kernel's.
 */
#ifndef _TUN_VNET_H
#define _TUN_VNET_H

#include <linux/version.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <linux/virtio_net.h>
#include <linux/if_tun.h>

#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4	5
#endif
#ifndef TUN_F_USO4
#define TUN_F_USO4	0x20
#define TUN_F_USO6	0x40
#endif

#define TUN_VNET_OWN_USO (LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0))

/*
 * A USO header on a kernel whose helper does not know it: let the helper
 * apply the checksum part (as for a non-GSO frame), then check and set
 * the segmentation part the way 6.2's helper does.
 */
static inline int tun_vnet_uso_to_skb(struct sk_buff *skb,
				      const struct virtio_net_hdr *hdr,
				      bool le)
{
	struct virtio_net_hdr plain = *hdr;
	u16 gso_size = __virtio16_to_cpu(le, hdr->gso_size);
	unsigned int payload_off;
	int err;

	/* ECN has no meaning for UDP; USO needs the checksum offloaded */
	if (hdr->gso_type != VIRTIO_NET_HDR_GSO_UDP_L4 || !gso_size ||
	    !(hdr->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM))
		return -EINVAL;

	plain.gso_type = VIRTIO_NET_HDR_GSO_NONE;
	plain.gso_size = 0;
	err = virtio_net_hdr_to_skb(skb, &plain, le);
	if (err)
		return err;

	if (skb->csum_offset != offsetof(struct udphdr, check))
		return -EINVAL;
	payload_off = skb_transport_offset(skb) + sizeof(struct udphdr);
	if (!pskb_may_pull(skb, payload_off))
		return -EINVAL;
	if (skb->len - payload_off > gso_size * UDP_MAX_SEGMENTS)
		return -EINVAL;
	if (gso_size == GSO_BY_FRAGS)
		return -EINVAL;

	/* a frame within one segment is not a GSO frame */
	if (skb->len - payload_off > gso_size) {
		skb_shinfo(skb)->gso_size = gso_size;
		skb_shinfo(skb)->gso_type = SKB_GSO_UDP_L4 | SKB_GSO_DODGY;
		skb_shinfo(skb)->gso_segs = 0;	/* to be computed */
	}
	return 0;
}

static inline int tun_vnet_to_skb(struct sk_buff *skb,
				  const struct virtio_net_hdr *hdr, bool le)
{
	if (TUN_VNET_OWN_USO &&
	    (hdr->gso_type & ~VIRTIO_NET_HDR_GSO_ECN) ==
	    VIRTIO_NET_HDR_GSO_UDP_L4)
		return tun_vnet_uso_to_skb(skb, hdr, le);
	return virtio_net_hdr_to_skb(skb, hdr, le);
}

static inline int tun_vnet_from_skb(const struct sk_buff *skb,
				    struct virtio_net_hdr *hdr, bool le,
				    int vlan_hlen)
{
	const struct skb_shared_info *sinfo = skb_shinfo(skb);

	if (!TUN_VNET_OWN_USO || !skb_is_gso(skb) ||
	    !(sinfo->gso_type & SKB_GSO_UDP_L4))
		return virtio_net_hdr_from_skb(skb, hdr, le, true, vlan_hlen);

	/*
	 * The helper refuses GSO types it does not know, so describe the
	 * checksum with a non-GSO view of the skb, then add the USO part.
	 */
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return -EINVAL;
	memset(hdr, 0, sizeof(*hdr));
	hdr->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	hdr->csum_start = __cpu_to_virtio16(le, skb_checksum_start_offset(skb) +
					    vlan_hlen);
	hdr->csum_offset = __cpu_to_virtio16(le, skb->csum_offset);
	hdr->hdr_len = __cpu_to_virtio16(le, skb_headlen(skb));
	hdr->gso_size = __cpu_to_virtio16(le, sinfo->gso_size);
	hdr->gso_type = VIRTIO_NET_HDR_GSO_UDP_L4;
	return 0;
}

#endif /* _TUN_VNET_H */
