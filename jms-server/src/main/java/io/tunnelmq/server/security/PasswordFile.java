package io.tunnelmq.server.security;

import io.tunnelmq.server.net.Authenticator;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The broker's users, from a properties file of {@code user=password} lines (read once, at start). A client must
 * present a listed user name with its password; a client that presents no user name at all is let in only when
 * anonymous access is allowed. Passwords are compared in constant time.
 */
public final class PasswordFile implements Authenticator {
    private final Map<String, byte[]> passwords;
    private final boolean allowAnonymous;

    /**
     * @param passwords      user name to password
     * @param allowAnonymous let in clients that give no user name
     */
    public PasswordFile(Map<String, String> passwords, boolean allowAnonymous) {
        Map<String, byte[]> copy = new TreeMap<>();
        passwords.forEach((user, password) -> {
            if (user == null || user.isBlank()) {
                throw new IllegalArgumentException("a user name must not be empty");
            }
            copy.put(user, password == null ? new byte[0] : password.getBytes(StandardCharsets.UTF_8));
        });
        this.passwords = Map.copyOf(copy);
        this.allowAnonymous = allowAnonymous;
    }

    /**
     * Reads a users file.
     *
     * @throws IllegalArgumentException saying which file and why, when it cannot be read or lists no user
     */
    public static PasswordFile load(Path file, boolean allowAnonymous) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the users file " + file.toAbsolutePath() + ": " + e);
        }
        if (properties.isEmpty()) {
            throw new IllegalArgumentException("the users file " + file.toAbsolutePath() + " lists no user; add"
                    + " lines of the form user=password");
        }
        Map<String, String> users = new TreeMap<>();
        properties.stringPropertyNames().forEach(user -> users.put(user, properties.getProperty(user)));
        return new PasswordFile(users, allowAnonymous);
    }

    @Override
    public boolean accepts(String user, String password) {
        if (user == null || user.isEmpty()) {
            return allowAnonymous;
        }
        byte[] expected = passwords.get(user);
        byte[] given = password == null ? new byte[0] : password.getBytes(StandardCharsets.UTF_8);
        // compares even for an unknown user, so timing does not tell which user names exist
        boolean matches = MessageDigest.isEqual(expected == null ? new byte[0] : expected, given);
        return expected != null && matches;
    }

    /** How many users the file lists. */
    public int size() {
        return passwords.size();
    }
}
