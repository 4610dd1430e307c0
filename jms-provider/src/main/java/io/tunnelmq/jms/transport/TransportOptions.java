package io.tunnelmq.jms.transport;

/**
 * What the transport needs to open a tunnel; the engine builds it from its own options.
 *
 * @param connectTimeoutMillis how long the TCP connect may take
 * @param maxFrameSize         largest frame sent or accepted, in bytes
 */
public record TransportOptions(long connectTimeoutMillis, int maxFrameSize) {

    public TransportOptions {
        if (connectTimeoutMillis <= 0) {
            throw new IllegalArgumentException("connectTimeoutMillis must be > 0, was " + connectTimeoutMillis);
        }
        if (maxFrameSize <= 0) {
            throw new IllegalArgumentException("maxFrameSize must be > 0, was " + maxFrameSize);
        }
    }
}
