package io.tunnelmq.jms.transport;

/**
 * Pipeline event: nothing at all was read from the peer for {@code silentMillis} (three heartbeat intervals),
 * so the peer or the network is dead. The engine fails the connection when it sees this.
 *
 * @param silentMillis how long the peer has been silent
 */
public record PeerSilent(long silentMillis) {
}
