package io.tunnelmq.server.net;

import io.tunnelmq.protocol.Protocol;

import java.util.List;
import java.util.Objects;

/**
 * How the broker listens and talks to clients.
 *
 * @param host                   address to listen on
 * @param port                   port to listen on; 0 picks a free one
 * @param maxFrameSize           largest frame accepted or sent, header included
 * @param maxHeartbeatMillis     the longest heartbeat interval the broker agrees to; 0 turns heartbeats off
 * @param handshakeTimeoutMillis how long a new connection may take to send its Hello, counted from its start
 * @param brokerVersion          product version announced in Welcome
 * @param peers                  other brokers ({@code host:port}) named in Welcome, for clients to fail over to
 */
public record NetSettings(String host, int port, int maxFrameSize, int maxHeartbeatMillis, long handshakeTimeoutMillis,
                          String brokerVersion, List<String> peers) {

    /** Settings naming no peers. */
    public NetSettings(String host, int port, int maxFrameSize, int maxHeartbeatMillis, long handshakeTimeoutMillis,
                       String brokerVersion) {
        this(host, port, maxFrameSize, maxHeartbeatMillis, handshakeTimeoutMillis, brokerVersion, List.of());
    }

    public NetSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(brokerVersion, "brokerVersion");
        peers = peers == null ? List.of() : List.copyOf(peers);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (maxFrameSize < Protocol.HEADER_SIZE) {
            throw new IllegalArgumentException("max frame size must be >= " + Protocol.HEADER_SIZE + ", was "
                    + maxFrameSize);
        }
        if (maxHeartbeatMillis < 0 || handshakeTimeoutMillis <= 0) {
            throw new IllegalArgumentException("invalid timing: max heartbeat " + maxHeartbeatMillis
                    + " ms, handshake timeout " + handshakeTimeoutMillis + " ms");
        }
    }
}
