package io.tunnelmq.server.console;

import io.tunnelmq.server.net.Authenticator;
import io.tunnelmq.server.security.AccessControl;
import io.tunnelmq.server.security.LoginBackoff;

import java.util.Objects;

/**
 * Who may use the web console: the broker's own users and permissions, so the console lets in whoever the tunnel
 * lets in and lets them do what the tunnel would.
 *
 * @param users     checks a user name and password (the broker's users file), and whether a login still stands
 *                  ({@link Authenticator#stillStands}); null for an open broker, where the console, like the tunnel,
 *                  asks nobody to log in
 * @param access    the broker's permissions: purge, replay, move, delete and close need {@code admin}
 * @param backoff   slows password guessing as the tunnel does
 */
public record ConsoleSecurity(Authenticator users, AccessControl access, LoginBackoff backoff) {
    public ConsoleSecurity {
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(backoff, "backoff");
    }

    /** A console without login, as a broker without a users file has. */
    public static ConsoleSecurity open() {
        return new ConsoleSecurity(null, AccessControl.open(), new LoginBackoff(0, 0));
    }

    /** Whether visitors must log in. */
    public boolean loginRequired() {
        return users != null;
    }
}
