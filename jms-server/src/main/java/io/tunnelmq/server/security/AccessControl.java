package io.tunnelmq.server.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The broker's authorization: who may do what with which destination, from a permissions file
 * ({@link PermissionsFile}) that is read again whenever it changes (checked every second). A file that cannot be read
 * or has a mistake at start stops the start; one that breaks later is refused with an ERROR naming the line, and the
 * last good rules stay in force. New rules apply to new operations: a consumer or producer already open keeps what it
 * was allowed when it opened, but every send is checked when it arrives.
 *
 * <p>{@link #open()} checks nothing: a broker without users, or with users but no permissions file, lets every client
 * that connected use every destination.
 */
public final class AccessControl implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AccessControl.class);
    static final long POLL_MILLIS = FileWatch.POLL_MILLIS;

    private final Path file;
    private final FileWatch watch;
    private volatile AccessRules rules;
    /** Why the file's latest version is not in force, or null when it is. */
    private volatile String problem;

    private AccessControl(Path file, AccessRules rules, byte[] read, long pollMillis) {
        this.file = file;
        this.rules = rules;
        this.watch = file == null ? null : FileWatch.start(file, read, pollMillis, "tmq-broker-permissions",
                new FileWatch.Listener() {
                    @Override
                    public void changed(Path changed, byte[] content) {
                        reload(content);
                    }

                    @Override
                    public void unreadable(Path unreadable, IOException e) {
                        problem = unreadableFile(file, e).getMessage();
                        log.error("{}; the broker keeps the permissions it had", problem);
                    }
                });
    }

    /** Authorization that allows everything. */
    public static AccessControl open() {
        return new AccessControl(null, null, null, 0);
    }

    /**
     * Reads the permissions file and watches it for changes until {@link #close()}.
     *
     * @throws PermissionsFileException if it cannot be read or has a mistake (naming the line)
     */
    public static AccessControl watching(Path file) {
        return watching(file, POLL_MILLIS);
    }

    static AccessControl watching(Path file, long pollMillis) {
        byte[] read = read(file);
        AccessRules rules = parse(file, read);
        log.info("permissions from {}: {} role(s), {} rule(s); the file is read again when it changes", file,
                rules.roleCount(), rules.ruleCount());
        return new AccessControl(file, rules, read, pollMillis);
    }

    /** Whether anything is checked: false for {@link #open()}. */
    public boolean enabled() {
        return file != null;
    }

    /** The access of a connection of {@code user} (null for an anonymous one). */
    public UserAccess forUser(String user) {
        return enabled() ? new UserAccess(user, () -> rules) : UserAccess.OPEN;
    }

    /** Why the permissions file's latest version is not in force (it has a mistake, or cannot be read), or null. */
    public String problem() {
        return problem;
    }

    /** Stops watching the file. */
    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
    }

    private void reload(byte[] read) {
        try {
            rules = parse(file, read);
            problem = null;
            log.info("permissions reloaded from {}: {} role(s), {} rule(s); they apply to new operations", file,
                    rules.roleCount(), rules.ruleCount());
        } catch (PermissionsFileException e) {
            problem = e.getMessage();
            log.error("{}; the broker keeps the permissions it had until the file is fixed", e.getMessage());
        } catch (RuntimeException e) {
            problem = e.toString();
            log.error("permissions file {} could not be read again; the broker keeps the permissions it had", file, e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return FileWatch.read(file);
        } catch (IOException e) {
            throw unreadableFile(file, e);
        }
    }

    private static PermissionsFileException unreadableFile(Path file, IOException e) {
        return new PermissionsFileException(file, "cannot be read: " + e, e);
    }

    private static AccessRules parse(Path file, byte[] content) {
        List<String> lines = new String(content, StandardCharsets.UTF_8).lines().toList();
        return PermissionsFile.parse(file, lines);
    }
}
