package io.tunnelmq.server.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class PasswordFileTest {

    @Test
    void aListedUserGetsInWithItsPasswordOnly() {
        PasswordFile users = new PasswordFile(Map.of("guest", "guest", "admin", "s3cret"), false);
        assertThat(users.accepts("guest", "guest")).isTrue();
        assertThat(users.accepts("admin", "s3cret")).isTrue();
        assertThat(users.accepts("admin", "guest")).isFalse();
        assertThat(users.accepts("admin", null)).isFalse();
        assertThat(users.accepts("invalid", "invalid")).isFalse();
        assertThat(users.accepts("invalid", "")).isFalse();
    }

    @Test
    void clientsWithoutAUserNameGetInOnlyWhenAnonymousAccessIsAllowed() {
        assertThat(new PasswordFile(Map.of("u", "p"), false).accepts(null, null)).isFalse();
        assertThat(new PasswordFile(Map.of("u", "p"), true).accepts(null, null)).isTrue();
        assertThat(new PasswordFile(Map.of("u", "p"), true).accepts("", null)).isTrue();
        // anonymous access never admits a wrong password for a named user
        assertThat(new PasswordFile(Map.of("u", "p"), true).accepts("u", "wrong")).isFalse();
    }

    @Test
    void loadsAPropertiesFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users.properties");
        Files.writeString(file, "# broker users\nguest=guest\nalice = wonder land\n");
        PasswordFile users = PasswordFile.load(file, false);
        assertThat(users.size()).isEqualTo(2);
        assertThat(users.accepts("alice", "wonder land")).isTrue();
        assertThat(users.accepts("guest", "guest")).isTrue();
    }

    @Test
    void aMissingOrEmptyFileIsAClearError(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> PasswordFile.load(dir.resolve("nope.properties"), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot read the users file")
                .hasMessageContaining("nope.properties");
        Path empty = Files.writeString(dir.resolve("empty.properties"), "# nobody\n");
        assertThatThrownBy(() -> PasswordFile.load(empty, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lists no user");
    }

    @Test
    void hashedEntriesLetInTheirPasswordOnly() {
        String hash = PasswordHash.of("wonder land".toCharArray(), 1_000, new SecureRandom()).toString();
        PasswordFile users = new PasswordFile(Map.of("alice", hash, "guest", "guest"), false);
        assertThat(users.accepts("alice", "wonder land")).isTrue();
        assertThat(users.accepts("alice", "wonderland")).isFalse();
        assertThat(users.accepts("alice", null)).isFalse();
        assertThat(users.accepts("alice", hash)).isFalse(); // the stored hash is no password
        assertThat(users.accepts("guest", "guest")).isTrue();
        assertThat(users.clearTextUsers()).containsExactly("guest");
    }

    @Test
    void aMalformedHashIsAnErrorNamingTheUserAndFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("users.properties"), "bob=pbkdf2-sha256:lots:AAAA:AAAA\n");
        assertThatThrownBy(() -> PasswordFile.load(file, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("users.properties").hasMessageContaining("user 'bob'");
    }

    @Test
    void clearTextEntriesLoadWithOneWarningNamingTheFile(@TempDir Path dir) throws Exception {
        String hash = PasswordHash.of("pw".toCharArray(), 1_000, new SecureRandom()).toString();
        Path file = Files.writeString(dir.resolve("users.properties"), "a=Xyzzy1\nb=Plugh2\nc=" + hash + "\n");
        String errors = standardErrorOf(() -> assertThat(PasswordFile.load(file, false).size()).isEqualTo(3));
        assertThat(errors.lines().filter(l -> l.contains("WARN"))).hasSize(1);
        assertThat(errors).contains(file.toAbsolutePath().toString()).contains("clear-text").contains("[a, b]")
                .doesNotContain("Xyzzy1").doesNotContain("Plugh2");

        Path hashedOnly = Files.writeString(dir.resolve("hashed.properties"), "c=" + hash + "\n");
        assertThat(standardErrorOf(() -> PasswordFile.load(hashedOnly, false))).doesNotContain("WARN");
    }

    @Test
    void anUnknownUserCostsAsMuchAsAWrongPassword() {
        // both paths derive one hash with the file's iteration count: time them with a count that dominates the noise
        String hash = PasswordHash.of("pw".toCharArray(), 40_000, new SecureRandom()).toString();
        PasswordFile users = new PasswordFile(Map.of("alice", hash), false);
        long unknown = Long.MAX_VALUE;
        long wrong = Long.MAX_VALUE;
        for (int i = 0; i < 7; i++) { // the fastest of several runs: scheduling noise only ever adds
            long t0 = System.nanoTime();
            assertThat(users.accepts("mallory", "guess")).isFalse();
            long t1 = System.nanoTime();
            assertThat(users.accepts("alice", "guess")).isFalse();
            long t2 = System.nanoTime();
            unknown = Math.min(unknown, t1 - t0);
            wrong = Math.min(wrong, t2 - t1);
        }
        // a path that skips the hash is thousands of times faster: loose bounds catch it and survive a loaded machine
        assertThat((double) unknown / wrong).isBetween(0.25, 4.0);
    }

    @Test
    void aPassedCheckIsRememberedSoTheSameLoginSkipsTheHashButAWrongPasswordDoesNot() {
        String hash = PasswordHash.of("pw".toCharArray(), 40_000, new SecureRandom()).toString();
        PasswordFile users = new PasswordFile(Map.of("alice", hash), false, 60_000);
        long slow = nanosOf(() -> assertThat(users.accepts("alice", "pw")).isTrue());
        long remembered = Long.MAX_VALUE;
        long wrong = Long.MAX_VALUE;
        long unknown = Long.MAX_VALUE;
        for (int i = 0; i < 7; i++) { // the fastest of several runs: scheduling noise only ever adds
            remembered = Math.min(remembered, nanosOf(() -> assertThat(users.accepts("alice", "pw")).isTrue()));
            wrong = Math.min(wrong, nanosOf(() -> assertThat(users.accepts("alice", "guess")).isFalse()));
            unknown = Math.min(unknown, nanosOf(() -> assertThat(users.accepts("mallory", "pw")).isFalse()));
        }
        // the hash takes milliseconds, a remembered login microseconds: loose bounds survive a loaded machine
        assertThat(remembered).as("remembered vs the first check").isLessThan(slow / 10);
        assertThat((double) unknown / wrong).as("a wrong password still costs a hash").isBetween(0.25, 4.0);
        assertThat(users.accepts("alice", "pw")).isTrue();

        PasswordFile forgetful = new PasswordFile(Map.of("alice", hash), false, 0);
        long first = nanosOf(() -> assertThat(forgetful.accepts("alice", "pw")).isTrue());
        long again = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            again = Math.min(again, nanosOf(() -> assertThat(forgetful.accepts("alice", "pw")).isTrue()));
        }
        assertThat(again).as("remembering nothing: every login hashes").isGreaterThan(Math.min(first, slow) / 4);
        assertThatThrownBy(() -> new PasswordFile(Map.of("alice", hash), false, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 0 ms");
    }

    @Test
    void onlyARememberedLoginOrAnAllowedAnonymousOneIsAcceptedAtOnce() {
        PasswordFile users = new PasswordFile(Map.of("alice", "pw"), false);
        assertThat(users.acceptsAtOnce("alice", "pw")).as("not checked yet").isFalse();
        assertThat(users.accepts("alice", "pw")).isTrue();
        assertThat(users.acceptsAtOnce("alice", "pw")).isTrue();
        assertThat(users.acceptsAtOnce("alice", "guess")).isFalse();
        assertThat(users.acceptsAtOnce("alice", null)).isFalse();
        assertThat(users.acceptsAtOnce("bob", "pw")).isFalse();
        assertThat(users.acceptsAtOnce(null, null)).as("anonymous, not allowed").isFalse();
        assertThat(new PasswordFile(Map.of("alice", "pw"), true).acceptsAtOnce(null, null)).isTrue();
        assertThat(new PasswordFile(Map.of("alice", "pw"), true).acceptsAtOnce("", null)).isTrue();
    }

    private static long nanosOf(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return System.nanoTime() - start;
    }

    private static String standardErrorOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
