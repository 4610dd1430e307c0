package io.tunnelmq.server.security;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A salted PBKDF2-HMAC-SHA256 password hash in the users file's self-describing form
 * {@code pbkdf2-sha256:<iterations>:<salt, base64>:<hash, base64>}. The iteration count travels with each entry, so
 * raising {@link #DEFAULT_ITERATIONS} later leaves existing entries valid.
 *
 * <p>PBKDF2 because the JDK has it ({@code PBKDF2WithHmacSHA256}: no dependency to ship and keep patched, and it is
 * the one such function FIPS 140 validated providers offer), unlike bcrypt or argon2.
 */
final class PasswordHash {
    static final String SCHEME = "pbkdf2-sha256";
    /**
     * About 80 ms per check on a current server core (measured on the build machine, JIT warm): slow enough that a
     * stolen file costs a guesser dearly, fast enough that a login does not keep a client waiting. Below OWASP's
     * 600,000 for that reason; checks run on the broker's login thread, never on an event loop.
     */
    static final int DEFAULT_ITERATIONS = 210_000;
    /** A file entry naming more iterations would let the file stall every login. */
    static final int MAX_ITERATIONS = 10_000_000;
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be 1.." + MAX_ITERATIONS + ", was " + iterations);
        }
        if (salt.length == 0 || hash.length == 0) {
            throw new IllegalArgumentException("salt and hash must not be empty");
        }
        this.iterations = iterations;
        this.salt = salt.clone();
        this.hash = hash.clone();
    }

    /** Hashes {@code password} with a fresh random salt. */
    static PasswordHash of(char[] password, int iterations, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations, HASH_BYTES));
    }

    /** A hash no password matches, costing {@code iterations} to check: what an unknown user is checked against. */
    static PasswordHash unmatchable(int iterations, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        byte[] hash = new byte[HASH_BYTES];
        random.nextBytes(salt);
        random.nextBytes(hash); // a password matching it would be a SHA-256 preimage
        return new PasswordHash(iterations, salt, hash);
    }

    /** True if {@code value} claims to be a hash (it may still be malformed: see {@link #parse}). */
    static boolean isHash(String value) {
        return value.startsWith(SCHEME + ":");
    }

    /**
     * Reads {@code pbkdf2-sha256:<iterations>:<salt>:<hash>}.
     *
     * @throws IllegalArgumentException saying what is wrong (never quoting the value)
     */
    static PasswordHash parse(String value) {
        String[] parts = value.split(":", -1);
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            throw new IllegalArgumentException("a hashed password must read " + SCHEME
                    + ":<iterations>:<salt base64>:<hash base64>");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the iteration count '" + parts[1] + "' is not a whole number");
        }
        try {
            return new PasswordHash(iterations, Base64.getDecoder().decode(parts[2]),
                    Base64.getDecoder().decode(parts[3]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the hashed password is invalid: " + e.getMessage());
        }
    }

    /** True if {@code password} hashes to this; always does the whole derivation and compares in constant time. */
    boolean matches(char[] password) {
        return MessageDigest.isEqual(derive(password, salt, iterations, hash.length), hash);
    }

    int iterations() {
        return iterations;
    }

    /** The users file form. */
    @Override
    public String toString() {
        Base64.Encoder base64 = Base64.getEncoder();
        return SCHEME + ":" + iterations + ":" + base64.encodeToString(salt) + ":" + base64.encodeToString(hash);
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash other && iterations == other.iterations && Arrays.equals(salt, other.salt)
                && Arrays.equals(hash, other.hash);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(salt) + Arrays.hashCode(hash);
    }
}
