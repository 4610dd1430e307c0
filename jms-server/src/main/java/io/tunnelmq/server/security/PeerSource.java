package io.tunnelmq.server.security;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Where a peer comes from, as the per-source limits count it: an IPv4 address, or the /64 network of an IPv6 address.
 * One IPv6 host is usually given a whole /64, so counting single IPv6 addresses would let it open the per-address
 * limit's connections (and failed logins) again from each of its 2<sup>64</sup> addresses. IPv6 loopback stays itself.
 */
public final class PeerSource {
    private PeerSource() {
    }

    /** The address the limits count {@code address} under: itself, or its IPv6 /64 network address. */
    public static InetAddress of(InetAddress address) {
        if (!(address instanceof Inet6Address) || address.isLoopbackAddress()) {
            return address;
        }
        byte[] network = Arrays.copyOf(address.getAddress(), 16);
        Arrays.fill(network, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(network);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are an IPv6 address", e);
        }
    }

    /** The source in words for logs and refusals: {@code 192.0.2.1}, or {@code 2001:db8:0:1:0:0:0:0/64}. */
    public static String describe(InetAddress address) {
        InetAddress source = of(address);
        return source == address ? address.getHostAddress() : source.getHostAddress() + "/64";
    }
}
