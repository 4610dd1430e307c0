package io.tunnelmq.jms.engine;

/**
 * The broker's clock as the client sees it, learnt from {@code Welcome.brokerTimeMillis}: lock times the broker
 * sends are converted to the client's clock, so "locked until" can be compared with the client's own time.
 *
 * @param offsetMillis broker time minus client time; 0 if the broker did not say
 */
record BrokerClock(long offsetMillis) {

    /** A broker that did not send its time: its lock times are taken as they are. */
    static final BrokerClock UNKNOWN = new BrokerClock(0);

    /**
     * @param brokerTimeMillis the broker's time in its Welcome, 0 if it sent none
     * @param localMillis      the client's time when the Welcome arrived
     */
    static BrokerClock fromWelcome(long brokerTimeMillis, long localMillis) {
        return brokerTimeMillis == 0 ? UNKNOWN : new BrokerClock(brokerTimeMillis - localMillis);
    }

    /** A broker time on the client's clock; 0 (no lock) and "never" stay as they are. */
    long toLocal(long brokerMillis) {
        if (brokerMillis == 0 || brokerMillis == Long.MAX_VALUE) {
            return brokerMillis;
        }
        long local = brokerMillis - offsetMillis;
        // saturate instead of wrapping for locks that (nearly) never expire
        if (offsetMillis < 0 && local < brokerMillis) {
            return Long.MAX_VALUE;
        }
        return Math.max(1, local);
    }
}
