package io.tunnelmq.server.net;

import io.tunnelmq.server.security.LoginBackoff;
import io.tunnelmq.server.security.LoginBackoff.Block;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

/**
 * Checks credentials for the handshake, off the event loops (a hashed password takes tens of milliseconds on
 * purpose, which would stall every other connection on the loop), and applies the failed-login back-off: the verdict
 * says how long to hold back a refusal. The back-off is looked at twice, when the login arrives and again when its
 * check's turn comes: many connections of one guesser arriving together all pass the first look, and only the
 * second keeps the guesses checked to about one per delay (one per login thread at most). A check whose turn on the
 * login threads comes after its connection's login deadline is not made: its client has given up waiting by then,
 * and hashing for it would only delay the logins of clients still waiting (after a broker restart, a queue of checks
 * for clients that gave up and retried would grow faster than it drains). Also carries the broker's
 * {@link LogThrottle} for complaints about peers.
 */
final class Logins {

    /** How a login ended. */
    enum Outcome {
        ACCEPTED,
        /** Wrong user name or password. */
        REFUSED,
        /** The user, or the whole source address, is in back-off: the password was not even looked at. */
        BLOCKED,
        /** The check's turn came after the login deadline: the password was not looked at. */
        LATE
    }

    /**
     * @param outcome what to answer
     * @param backoff for refusals, how long to hold the answer back and why ({@link Block#NONE} otherwise)
     */
    record Verdict(Outcome outcome, Block backoff) {
    }

    private static final Verdict ACCEPTED = new Verdict(Outcome.ACCEPTED, Block.NONE);
    private static final Verdict LATE = new Verdict(Outcome.LATE, Block.NONE);

    private final Authenticator authenticator;
    private final Executor checks;
    private final LoginBackoff backoff;
    private final LogThrottle complaints;
    private final LongSupplier millis;

    Logins(Authenticator authenticator, Executor checks, LoginBackoff backoff, LogThrottle complaints) {
        this(authenticator, checks, backoff, complaints, System::currentTimeMillis);
    }

    /** @param millis the clock login deadlines are read on: {@code System::currentTimeMillis} */
    Logins(Authenticator authenticator, Executor checks, LoginBackoff backoff, LogThrottle complaints,
           LongSupplier millis) {
        this.authenticator = authenticator;
        // letting everyone in costs nothing: no need to leave the event loop
        this.checks = authenticator == Authenticator.ALLOW_ALL ? Runnable::run : checks;
        this.backoff = backoff;
        this.complaints = complaints;
        this.millis = millis;
    }

    /** Checks on the calling thread, without back-off (for tests on an in-memory channel). */
    static Logins inline(Authenticator authenticator) {
        return new Logins(authenticator, Runnable::run, new LoginBackoff(0, 0), new LogThrottle());
    }

    /**
     * Checks {@code user} and {@code password} from {@code address}, unless that user or the whole address is in
     * back-off ({@link Outcome#BLOCKED}) or the check's turn comes at or after {@code deadlineMillis}
     * ({@link Outcome#LATE}). The future completes on the checking thread (at once when checks
     * run inline, the address is blocked or the authenticator knows the credentials at once); it fails only if the
     * authenticator throws or the broker is shutting down.
     */
    CompletableFuture<Verdict> check(InetAddress address, String user, String password, long deadlineMillis) {
        Block blocked = backoff.blocked(address, user);
        if (blocked.millis() > 0) {
            return CompletableFuture.completedFuture(new Verdict(Outcome.BLOCKED, blocked));
        }
        try {
            if (authenticator.acceptsAtOnce(user, password)) {
                return CompletableFuture.completedFuture(ACCEPTED);
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e); // answered as any check that could not be made
        }
        try {
            return CompletableFuture.supplyAsync(() -> verdict(address, user, password, deadlineMillis), checks);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e); // the broker is shutting down
        }
    }

    private Verdict verdict(InetAddress address, String user, String password, long deadlineMillis) {
        if (millis.getAsLong() - deadlineMillis >= 0) {
            return LATE;
        }
        // a second look: checks queued together passed the first one before any of them failed (a guesser's
        // connections all waiting when a delay ran out), and must not all be made
        Block blocked = backoff.blocked(address, user);
        if (blocked.millis() > 0) {
            return new Verdict(Outcome.BLOCKED, blocked);
        }
        if (authenticator.accepts(user, password)) {
            return ACCEPTED;
        }
        return new Verdict(Outcome.REFUSED, backoff.failed(address, user));
    }

    LogThrottle complaints() {
        return complaints;
    }
}
