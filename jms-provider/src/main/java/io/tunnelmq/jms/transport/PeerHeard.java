package io.tunnelmq.jms.transport;

/**
 * Pipeline event: something was read from a peer that had been quiet (silent for two heartbeat intervals or
 * more, see {@link Heartbeats#peerQuiet()}), so it is alive after all.
 *
 * @param quietMillis how long the peer had been silent
 */
public record PeerHeard(long quietMillis) {
}
