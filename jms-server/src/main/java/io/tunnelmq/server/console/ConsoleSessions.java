package io.tunnelmq.server.console;

import io.tunnelmq.server.net.Authenticator;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The console's logged-in browsers: a random token (the session cookie) per login, forgotten after half an hour
 * without a request, {@value #LIFE_HOURS} hours after the login however busy (the page polls every second, so
 * idleness alone never ends a session left open in a browser), or at logout. The password is checked once, at login —
 * a hashed password takes tens of milliseconds on purpose, which a page polling every second must not pay each time;
 * a session also ends once its login no longer stands ({@link Authenticator#stillStands}). Thread-safe.
 */
final class ConsoleSessions {
    static final long IDLE_MILLIS = TimeUnit.MINUTES.toMillis(30);
    /** The longest a session lasts after its login: a working day and then some, then the password again. */
    static final int LIFE_HOURS = 12;
    /** Past this many sessions the ended ones (idle, or past their life) go, and if none has, the oldest-used one. */
    static final int MAX_SESSIONS = 10_000;

    /** @param version the users' version at login ({@link Authenticator#version}) */
    private record Session(String user, long openedNanos, long lastUsedNanos, long version) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    ConsoleSessions() {
        this(System::nanoTime);
    }

    ConsoleSessions(LongSupplier clock) {
        this.clock = clock;
    }

    /** A new session of {@code user}, logged in at the users' {@code version}; returns its token. */
    String open(String user, long version) {
        if (sessions.size() >= MAX_SESSIONS) {
            forgetEnded();
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long now = clock.getAsLong();
        sessions.put(token, new Session(user, now, now, version));
        return token;
    }

    /**
     * The user of a live session, or null (no such token, idle or open too long, or its login no longer stands with the
     * {@code users}: the user was removed or its password changed since); a hit keeps the session alive, a session
     * that ended is forgotten.
     */
    String user(String token, Authenticator users) {
        if (token == null) {
            return null;
        }
        long now = clock.getAsLong();
        Session s = sessions.computeIfPresent(token, (t, old) -> over(old, now) || !users.stillStands(old.user(),
                old.version()) ? null : new Session(old.user(), old.openedNanos(), now, old.version()));
        return s == null ? null : s.user();
    }

    /** Ends every session of {@code user}; returns how many. */
    int closeAllOf(String user) {
        int ended = 0;
        for (Iterator<Session> i = sessions.values().iterator(); i.hasNext(); ) {
            if (i.next().user().equals(user)) {
                i.remove();
                ended++;
            }
        }
        return ended;
    }

    void close(String token) {
        if (token != null) {
            sessions.remove(token);
        }
    }

    int size() {
        return sessions.size();
    }

    private static boolean over(Session s, long now) {
        return now - s.lastUsedNanos() > TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS)
                || now - s.openedNanos() > TimeUnit.HOURS.toNanos(LIFE_HOURS);
    }

    private void forgetEnded() {
        long now = clock.getAsLong();
        sessions.values().removeIf(s -> over(s, now));
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.entrySet().stream()
                    .min((a, b) -> Long.compare(a.getValue().lastUsedNanos(), b.getValue().lastUsedNanos()))
                    .ifPresent(oldest -> sessions.remove(oldest.getKey()));
        }
    }
}
