package io.tunnelmq.server.security;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Logins that passed the slow password check lately, so that a user's connections pay it once per {@code rememberFor},
 * not once each. A password check takes about 80 ms on a login thread (of a few): without this, a thousand clients of
 * one user reconnecting to a restarted broker queue 40 s for their checks — past their 10 s connect timeout, so they
 * retry and queue again — and an application that opens a connection per send (a {@code JmsTemplate} without a
 * caching factory) waits 80 ms on each.
 * <p>
 * It holds no password: only an HMAC-SHA256 of user and password under a key drawn when the broker starts and kept in
 * memory, compared in constant time. Only a check that let the client in is remembered, so a wrong password always
 * takes the slow check (a guesser gains nothing); and the digest is computed for every login, so a remembered user
 * answers no faster to a wrong password than an unknown one. One password per user, and only users who passed the
 * check: no more than the users file lists. Thread-safe.
 */
final class RecentLogins {
    private static final String MAC = "HmacSHA256";

    private record Remembered(byte[] digest, long until) {
    }

    private final SecretKeySpec key;
    private final long rememberForNanos;
    private final LongSupplier clock;
    private final Map<String, Remembered> byUser = new ConcurrentHashMap<>();

    /**
     * @param rememberForNanos how long a check that let a client in is remembered; 0 remembers nothing
     * @param clock            {@code System::nanoTime}
     */
    RecentLogins(long rememberForNanos, LongSupplier clock, SecureRandom random) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        this.key = new SecretKeySpec(secret, MAC);
        this.rememberForNanos = rememberForNanos;
        this.clock = clock;
    }

    /** What {@link #passed} and {@link #remember} compare: a keyed digest of {@code user} and {@code password}. */
    byte[] digest(String user, String password) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(key);
            mac.update(user.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + MAC, e); // every JDK has it
        }
    }

    /** True if {@code user} passed the check with this password (its {@link #digest}) lately. */
    boolean passed(String user, byte[] digest) {
        Remembered remembered = byUser.get(user);
        return remembered != null && clock.getAsLong() - remembered.until < 0
                && MessageDigest.isEqual(remembered.digest, digest);
    }

    /** {@code user} just passed the slow check with this password (its {@link #digest}). */
    void remember(String user, byte[] digest) {
        if (rememberForNanos <= 0) {
            return;
        }
        byUser.put(user, new Remembered(digest, clock.getAsLong() + rememberForNanos));
    }
}
