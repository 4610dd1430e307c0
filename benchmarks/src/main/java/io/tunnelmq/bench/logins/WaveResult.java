package io.tunnelmq.bench.logins;

/**
 * How one wave of clients opening at once went.
 *
 * @param clients      clients in the wave
 * @param in           clients whose connection opened
 * @param failed       clients whose {@code createConnection} threw (a connect timeout, a refusal)
 * @param lastMillis   from the wave's start until its last client had opened or failed
 * @param p50Millis    median time a client took to open or fail
 * @param p99Millis    99th percentile of that
 * @param firstFailure the first failure, for the log (null if none)
 */
record WaveResult(int clients, int in, int failed, long lastMillis, long p50Millis, long p99Millis,
                  String firstFailure) {

    /** Logins per second over the wave. */
    double loginsPerSecond() {
        return lastMillis == 0 ? 0 : in * 1000.0 / lastMillis;
    }
}
