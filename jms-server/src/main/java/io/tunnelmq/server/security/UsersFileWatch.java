package io.tunnelmq.server.security;

import io.tunnelmq.server.net.Authenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The users file, read again whenever it changes (checked every second), so that an operator adds a user, changes a
 * password or removes a user without restarting the broker: new logins are checked against the file as it reads now,
 * and logins remembered from before the change are forgotten (a changed or removed password stops working at once).
 * Connections already open keep their login. A file that breaks (a malformed line, a file that cannot be read) is
 * refused with an ERROR, and the last good users stay in force until it is fixed.
 */
public final class UsersFileWatch implements Authenticator, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UsersFileWatch.class);

    private final Path file;
    private final FileWatch watch;
    private volatile PasswordFile users;
    /** Why the file's latest version is not in force, or null when it is. */
    private volatile String problem;
    /** Grows by one at each version of the file taken into use. */
    private volatile long version;
    /** The version that revoked each user's logins (removed it, or changed its password), for the users it did. */
    private final Map<String, Long> revokedAt = new ConcurrentHashMap<>();

    private UsersFileWatch(PasswordFile loaded, long pollMillis) {
        if (loaded.file() == null) {
            throw new IllegalArgumentException("only a users file read with PasswordFile.load can be watched");
        }
        this.file = loaded.file();
        this.users = loaded;
        this.watch = FileWatch.start(file, loaded.source(), pollMillis, "tmq-broker-users", new FileWatch.Listener() {
            @Override
            public void changed(Path changed, byte[] content) {
                reload(content);
            }

            @Override
            public void unreadable(Path unreadable, IOException e) {
                problem = "the users file " + file + " cannot be read: " + e;
                log.error("{}; the broker keeps the users it had", problem);
            }
        });
    }

    /** Watches the file {@code loaded} was read from, starting with {@code loaded}'s users, until {@link #close()}. */
    public static UsersFileWatch watching(PasswordFile loaded) {
        return new UsersFileWatch(loaded, FileWatch.POLL_MILLIS);
    }

    static UsersFileWatch watching(PasswordFile loaded, long pollMillis) {
        return new UsersFileWatch(loaded, pollMillis);
    }

    @Override
    public boolean acceptsAtOnce(String user, String password) {
        return users.acceptsAtOnce(user, password);
    }

    @Override
    public boolean accepts(String user, String password) {
        return users.accepts(user, password);
    }

    @Override
    public long version() {
        return version;
    }

    @Override
    public boolean stillStands(String user, long since) {
        return revokedAt.getOrDefault(user, 0L) <= since;
    }

    /** The users in force. */
    public PasswordFile users() {
        return users;
    }

    /** Why the users file's latest version is not in force (it has a mistake, or cannot be read), or null. */
    @Override
    public String problem() {
        return problem;
    }

    /** Stops watching the file. */
    @Override
    public void close() {
        watch.close();
    }

    private void reload(byte[] content) {
        PasswordFile newer;
        try {
            newer = users.reread(content);
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
            log.error("{}; the broker keeps the users it had until the file is fixed", problem);
            return;
        }
        problem = null;
        log.info("users reloaded from {}: {} user(s), {}; remembered logins forgotten, open connections keep theirs"
                + " (console sessions of users removed or with a new password end)", file, newer.size(),
                users.changesTo(newer));
        long next = version + 1;
        users.revokedBy(newer).forEach(user -> revokedAt.put(user, next));
        users = newer;
        version = next;
    }
}
