package io.tunnelmq.jms.faults;

/** One way through a {@link FaultProxy}. */
public enum Direction {
    /** From the client to the broker. */
    TO_BROKER,
    /** From the broker to the client. */
    TO_CLIENT
}
