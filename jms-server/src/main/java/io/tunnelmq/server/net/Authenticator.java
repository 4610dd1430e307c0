package io.tunnelmq.server.net;

/**
 * Decides whether a connecting client's credentials are good. The broker has no users yet, so the default
 * accepts everyone; this is the seam where a user store will plug in.
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
}
