package io.tunnelmq.server.net;

import io.tunnelmq.server.security.LoginBackoff;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Checks credentials for the handshake, off the event loops (a hashed password takes tens of milliseconds on
 * purpose, which would stall every other connection on the loop), and applies the failed-login back-off: the verdict
 * says how long to hold back a refusal. Also carries the broker's {@link LogThrottle} for complaints about peers.
 */
final class Logins {

    /** How a login ended. */
    enum Outcome {
        ACCEPTED,
        /** Wrong user name or password. */
        REFUSED,
        /** The source address is in back-off: the password was not even looked at. */
        BLOCKED
    }

    /**
     * @param outcome         what to answer
     * @param delayMillis     how long to hold the answer back (refusals only)
     * @param failuresInARow  failed logins remembered for the address (refusals only)
     */
    record Verdict(Outcome outcome, long delayMillis, int failuresInARow) {
    }

    private static final Verdict ACCEPTED = new Verdict(Outcome.ACCEPTED, 0, 0);

    private final Authenticator authenticator;
    private final Executor checks;
    private final LoginBackoff backoff;
    private final LogThrottle complaints;

    Logins(Authenticator authenticator, Executor checks, LoginBackoff backoff, LogThrottle complaints) {
        this.authenticator = authenticator;
        // letting everyone in costs nothing: no need to leave the event loop
        this.checks = authenticator == Authenticator.ALLOW_ALL ? Runnable::run : checks;
        this.backoff = backoff;
        this.complaints = complaints;
    }

    /** Checks on the calling thread, without back-off (for tests on an in-memory channel). */
    static Logins inline(Authenticator authenticator) {
        return new Logins(authenticator, Runnable::run, new LoginBackoff(0, 0), new LogThrottle());
    }

    /**
     * Checks {@code user} and {@code password} from {@code address}. The future completes on the checking thread
     * (at once when checks run inline or the address is blocked); it fails only if the authenticator throws or the
     * broker is shutting down.
     */
    CompletableFuture<Verdict> check(InetAddress address, String user, String password) {
        long blocked = backoff.blockedMillis(address);
        if (blocked > 0) {
            return CompletableFuture.completedFuture(new Verdict(Outcome.BLOCKED, blocked, backoff.failures(address)));
        }
        CompletableFuture<Boolean> accepted;
        try {
            accepted = CompletableFuture.supplyAsync(() -> authenticator.accepts(user, password), checks);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e); // the broker is shutting down
        }
        return accepted.thenApply(ok -> {
            if (ok) {
                return ACCEPTED;
            }
            long delay = backoff.failed(address);
            return new Verdict(Outcome.REFUSED, delay, backoff.failures(address));
        });
    }

    LogThrottle complaints() {
        return complaints;
    }
}
