package io.tunnelmq.server.security;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import javax.security.auth.x500.X500Principal;

/**
 * Which user a client certificate logs in (mutual TLS), from a properties file of {@code user=subject} lines, for
 * example {@code alice=CN=alice,O=Example}. Subjects compare as X.500 names (so {@code cn=alice, o=example} is the same
 * subject); a subject may belong to one user only. A certificate is only looked up here once the TLS handshake has
 * checked it against the broker's trust store.
 */
public final class CertificateUsers {
    private final Map<X500Principal, String> users;

    /**
     * @param subjects user name to certificate subject (an X.500 name such as {@code CN=alice,O=Example})
     * @throws IllegalArgumentException for an empty user, a malformed subject or a subject given to two users
     */
    public CertificateUsers(Map<String, String> subjects) {
        Map<X500Principal, String> bySubject = new HashMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(subjects).entrySet()) {
            String user = e.getKey();
            if (user == null || user.isBlank()) {
                throw new IllegalArgumentException("a user name must not be empty");
            }
            X500Principal subject;
            try {
                subject = new X500Principal(e.getValue().trim());
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("user '" + user + "': '" + e.getValue()
                        + "' is not a certificate subject such as CN=" + user + ",O=Example (" + bad.getMessage() + ")");
            }
            String other = bySubject.put(subject, user);
            if (other != null) {
                throw new IllegalArgumentException("users '" + other + "' and '" + user + "' have the same certificate"
                        + " subject " + subject.getName() + "; a certificate can log in one user only");
            }
        }
        this.users = Map.copyOf(bySubject);
    }

    /**
     * Reads a certificate users file.
     *
     * @throws IllegalArgumentException naming the file and what is wrong in it
     */
    public static CertificateUsers load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the certificate users file " + file + ": " + e, e);
        }
        Map<String, String> subjects = new TreeMap<>();
        properties.stringPropertyNames().forEach(user -> subjects.put(user, properties.getProperty(user)));
        try {
            return new CertificateUsers(subjects);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("certificate users file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The user a (trusted) certificate with this subject logs in, or null when it logs in nobody. */
    public String userOf(X500Principal subject) {
        return users.get(subject);
    }

    /** How many subjects are mapped. */
    public int size() {
        return users.size();
    }
}
