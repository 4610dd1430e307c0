package io.tunnelmq.server.net;

/**
 * Decides whether a connecting client's credentials are good: {@link #ALLOW_ALL} (no users file) or the users file
 * ({@code security.PasswordFile}); an embedding application may plug in its own.
 */
@FunctionalInterface
public interface Authenticator {

    /** Accepts any credentials, including none. */
    Authenticator ALLOW_ALL = (user, password) -> true;

    /**
     * @param user     user name from the Hello, or null
     * @param password password from the Hello, or null
     * @return true to let the client in
     */
    boolean accepts(String user, String password);

    /**
     * Whether these credentials are known good without the slow check (a login remembered): cheap enough for an
     * event loop, so the login is answered there, its connection's reads never paused. False says only that the
     * slow check ({@link #accepts}) must decide.
     */
    default boolean acceptsAtOnce(String user, String password) {
        return false;
    }

    /**
     * Why the users it checks against are not the latest the operator wrote (a users file changed with a mistake in
     * it), or null: shown to the operator ({@code management.BrokerProblems}).
     */
    default String problem() {
        return null;
    }

    /** A number that grows whenever the users change: a login made now is of this version. */
    default long version() {
        return 0;
    }

    /**
     * Whether a login of {@code user} made at {@link #version()} {@code since} still stands: false once that user was
     * removed or its password changed after it (a web console session, which does not check the password again, ends
     * then). True by default: users that never change.
     */
    default boolean stillStands(String user, long since) {
        return true;
    }
}
