package io.tunnelmq.server.security;

import io.tunnelmq.server.net.Authenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The broker's users, from a properties file (as it read when loaded: {@link UsersFileWatch} reads it again when it
 * changes) of {@code user=pbkdf2-sha256:...} lines as
 * {@code java -jar jms-server.jar passwd FILE USER} writes them. A clear-text {@code user=password} line still works,
 * with a warning. A client must present a listed user name with its password; a client that presents no user name
 * at all is let in only when anonymous access is allowed.
 *
 * <p>Every check costs the same, whether the user is unknown, listed in clear text, or hashed and the password is
 * wrong: each derives one PBKDF2 hash (an unknown user's against a hash no password matches, with the most iterations
 * the file uses) and compares in constant time, so the answer's timing does not tell which user names exist. Checks
 * are slow on purpose: call {@link #accepts} off the event loops. A check that let a client in is remembered for a
 * while ({@link RecentLogins}), so a user's further connections with the same password are let in at once.
 */
public final class PasswordFile implements Authenticator {
    private static final Logger log = LoggerFactory.getLogger(PasswordFile.class);
    /** Dummy hash cost when no entry is hashed: then every path checks the dummy alike, so its cost is free. */
    private static final int CLEAR_ONLY_DUMMY_ITERATIONS = 1_000;
    /** How long a passed check is remembered unless told otherwise: a restarted broker's clients are back within it. */
    public static final long DEFAULT_REMEMBER_MILLIS = 60_000;

    /** One user's password: hashed, or (to be replaced) in clear. */
    private record Credential(PasswordHash hash, byte[] clear) {
    }

    private final Map<String, Credential> users;
    private final PasswordHash unknownUser;
    private final boolean allowAnonymous;
    private final RecentLogins recent;
    private final long rememberMillis;
    /** The file it was read from and what it held then (for {@link UsersFileWatch}); null when made from a map. */
    private final Path file;
    private final byte[] source;

    /**
     * As {@link #PasswordFile(Map, boolean, long)}, remembering a passed check for
     * {@value #DEFAULT_REMEMBER_MILLIS} ms.
     */
    public PasswordFile(Map<String, String> passwords, boolean allowAnonymous) {
        this(passwords, allowAnonymous, DEFAULT_REMEMBER_MILLIS);
    }

    /**
     * @param passwords      user name to password: a {@code pbkdf2-sha256:...} hash, or the password in clear
     * @param allowAnonymous let in clients that give no user name
     * @param rememberMillis how long a check that let a client in is remembered, so that the same user and password
     *                       are let in again without the slow check; 0 checks every login
     * @throws IllegalArgumentException for an empty user name or a malformed hash (naming the user), or a negative
     *                                  {@code rememberMillis}
     */
    public PasswordFile(Map<String, String> passwords, boolean allowAnonymous, long rememberMillis) {
        this(passwords, allowAnonymous, rememberMillis, null, null);
    }

    private PasswordFile(Map<String, String> passwords, boolean allowAnonymous, long rememberMillis, Path file,
                         byte[] source) {
        if (rememberMillis < 0) {
            throw new IllegalArgumentException("the time a login is remembered must be >= 0 ms, was "
                    + rememberMillis);
        }
        Map<String, Credential> copy = new TreeMap<>();
        int dummyIterations = 0;
        for (Map.Entry<String, String> e : passwords.entrySet()) {
            String user = e.getKey();
            if (user == null || user.isBlank()) {
                throw new IllegalArgumentException("a user name must not be empty");
            }
            String password = e.getValue() == null ? "" : e.getValue();
            if (PasswordHash.isHash(password)) {
                PasswordHash hash;
                try {
                    hash = PasswordHash.parse(password);
                } catch (IllegalArgumentException bad) {
                    throw new IllegalArgumentException("user '" + user + "': " + bad.getMessage());
                }
                copy.put(user, new Credential(hash, null));
                dummyIterations = Math.max(dummyIterations, hash.iterations());
            } else {
                copy.put(user, new Credential(null, password.getBytes(StandardCharsets.UTF_8)));
            }
        }
        this.users = Map.copyOf(copy);
        this.unknownUser = PasswordHash.unmatchable(dummyIterations > 0 ? dummyIterations : CLEAR_ONLY_DUMMY_ITERATIONS,
                new SecureRandom());
        this.allowAnonymous = allowAnonymous;
        this.rememberMillis = rememberMillis;
        this.recent = new RecentLogins(TimeUnit.MILLISECONDS.toNanos(rememberMillis), System::nanoTime,
                new SecureRandom());
        this.file = file;
        this.source = source;
    }

    /**
     * Reads a users file. Says once, at WARN, naming the file, if it holds clear-text passwords.
     *
     * @throws IllegalArgumentException saying which file and why, when it cannot be read, lists no user or holds a
     *                                  malformed hash
     */
    public static PasswordFile load(Path file, boolean allowAnonymous) {
        return load(file, allowAnonymous, DEFAULT_REMEMBER_MILLIS);
    }

    /** As {@link #load(Path, boolean)}, remembering a passed check for {@code rememberMillis} (0: none). */
    public static PasswordFile load(Path file, boolean allowAnonymous, long rememberMillis) {
        byte[] content;
        try {
            content = FileWatch.read(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the users file " + file.toAbsolutePath() + ": " + e);
        }
        return parse(file, content, allowAnonymous, rememberMillis);
    }

    /**
     * The users file {@code file} as it reads now, with this one's settings: nothing of this one is kept (no login
     * it remembered).
     *
     * @throws IllegalArgumentException as {@link #load(Path, boolean)} says
     */
    PasswordFile reread(byte[] content) {
        return parse(file, content, allowAnonymous, rememberMillis);
    }

    private static PasswordFile parse(Path file, byte[] content, boolean allowAnonymous, long rememberMillis) {
        Properties properties = new Properties();
        try (Reader reader = new StringReader(new String(content, StandardCharsets.UTF_8))) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the users file " + file.toAbsolutePath() + ": " + e);
        }
        if (properties.isEmpty()) {
            throw new IllegalArgumentException("the users file " + file.toAbsolutePath() + " lists no user; add"
                    + " users with: java -jar jms-server.jar passwd " + file + " USER");
        }
        Map<String, String> users = new TreeMap<>();
        properties.stringPropertyNames().forEach(user -> users.put(user, properties.getProperty(user)));
        PasswordFile loaded;
        try {
            loaded = new PasswordFile(users, allowAnonymous, rememberMillis, file, content);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the users file " + file.toAbsolutePath() + ": " + e.getMessage());
        }
        List<String> clear = loaded.clearTextUsers();
        if (!clear.isEmpty()) {
            log.warn("the users file {} holds {} clear-text password(s) (users {}); anyone who reads the file can log"
                    + " in as them. Hash each with: java -jar jms-server.jar passwd {} USER", file.toAbsolutePath(),
                    clear.size(), clear, file);
        }
        return loaded;
    }

    /** The file it was read from, or null when made from a map. */
    Path file() {
        return file;
    }

    /** What the file held when it was read, or null when made from a map. */
    byte[] source() {
        return source;
    }

    /** What changed from this file to {@code newer}, for the log: users added and removed, passwords changed. */
    String changesTo(PasswordFile newer) {
        List<String> added = newer.users.keySet().stream().filter(u -> !users.containsKey(u)).sorted().toList();
        List<String> removed = removedBy(newer);
        List<String> changed = changedBy(newer);
        if (added.isEmpty() && removed.isEmpty() && changed.isEmpty()) {
            return "no user or password changed";
        }
        return String.join(", ", Stream.of(added.isEmpty() ? null : "added " + added,
                removed.isEmpty() ? null : "removed " + removed,
                changed.isEmpty() ? null : "new password for " + changed).filter(Objects::nonNull).toList());
    }

    /** The users whose logins {@code newer} revokes: removed, or with another password. */
    List<String> revokedBy(PasswordFile newer) {
        return Stream.concat(removedBy(newer).stream(), changedBy(newer).stream()).toList();
    }

    private List<String> removedBy(PasswordFile newer) {
        return users.keySet().stream().filter(u -> !newer.users.containsKey(u)).sorted().toList();
    }

    private List<String> changedBy(PasswordFile newer) {
        return users.keySet().stream().filter(newer.users::containsKey)
                .filter(u -> !same(users.get(u), newer.users.get(u))).sorted().toList();
    }

    private static boolean same(Credential a, Credential b) {
        return a.hash() != null ? a.hash().equals(b.hash()) : b.hash() == null && Arrays.equals(a.clear(), b.clear());
    }

    /** True for a client with no user name when anonymous access is allowed, and for a login remembered. */
    @Override
    public boolean acceptsAtOnce(String user, String password) {
        if (user == null || user.isEmpty()) {
            return allowAnonymous;
        }
        return recent.passed(user, recent.digest(user, password == null ? "" : password));
    }

    @Override
    public boolean accepts(String user, String password) {
        if (user == null || user.isEmpty()) {
            return allowAnonymous;
        }
        String given = password == null ? "" : password;
        byte[] digest = recent.digest(user, given); // on every path, so that remembering one answers no faster
        if (recent.passed(user, digest)) {
            return true;
        }
        boolean accepted = check(user, given);
        if (accepted) {
            recent.remember(user, digest);
        }
        return accepted;
    }

    private boolean check(String user, String given) {
        Credential credential = users.get(user);
        // exactly one derivation on every path: the user's hash, or the dummy for unknown and clear-text users
        boolean hashMatches = (credential != null && credential.hash() != null ? credential.hash() : unknownUser)
                .matches(given.toCharArray());
        if (credential == null) {
            return false;
        }
        if (credential.hash() != null) {
            return hashMatches;
        }
        return MessageDigest.isEqual(credential.clear(), given.getBytes(StandardCharsets.UTF_8));
    }

    /** How long a check that let a client in is remembered, in ms (0: not at all). */
    public long rememberMillis() {
        return rememberMillis;
    }

    /** How many users the file lists. */
    public int size() {
        return users.size();
    }

    /** Users whose password the file holds in clear text, sorted. */
    public List<String> clearTextUsers() {
        return users.entrySet().stream().filter(e -> e.getValue().hash() == null).map(Map.Entry::getKey).sorted()
                .toList();
    }
}
