package io.tunnelmq.server.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jms-server.jar passwd FILE USER}, the password on standard input. */
@Timeout(20)
class PasswdCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void createsTheFileWithAHashTheBrokerAccepts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users.properties");
        // the default iteration count, once: what an operator gets
        int code = PasswdCommand.run(new String[]{file.toString(), "alice"}, stdin("wonder land\n"), null,
                print(out), print(err));
        assertThat(code).as(err.toString()).isEqualTo(PasswdCommand.EXIT_OK);
        String text = Files.readString(file);
        assertThat(text).startsWith("alice=pbkdf2-sha256:" + PasswordHash.DEFAULT_ITERATIONS + ":")
                .doesNotContain("wonder");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        PasswordFile users = PasswordFile.load(file, false);
        assertThat(users.accepts("alice", "wonder land")).isTrue();
        assertThat(users.accepts("alice", "wonder land\n")).isFalse();
    }

    @Test
    void updatesOneUserAndKeepsEveryOtherLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("users.properties"),
                "# broker users\nguest=guest\nalice=old\n\n! bob's line follows\nbob : builder\n");
        assertThat(passwd(file, "alice", "new one")).isEqualTo(PasswdCommand.EXIT_OK);
        assertThat(out.toString()).contains("updated user 'alice'");
        assertThat(passwd(file, "carol", "c4rol\r\n")).isEqualTo(PasswdCommand.EXIT_OK);
        assertThat(out.toString()).contains("added user 'carol'");

        String[] lines = Files.readString(file).split("\n");
        assertThat(lines).hasSize(7);
        assertThat(lines[0]).isEqualTo("# broker users");
        assertThat(lines[1]).isEqualTo("guest=guest");
        assertThat(lines[2]).startsWith("alice=pbkdf2-sha256:1000:");
        assertThat(lines[3]).isEmpty();
        assertThat(lines[4]).isEqualTo("! bob's line follows");
        assertThat(lines[5]).isEqualTo("bob : builder");
        assertThat(lines[6]).startsWith("carol=pbkdf2-sha256:1000:");
        PasswordFile users = PasswordFile.load(file, false);
        assertThat(users.accepts("alice", "new one")).isTrue();
        assertThat(users.accepts("alice", "old")).isFalse();
        assertThat(users.accepts("carol", "c4rol")).isTrue();
        assertThat(users.accepts("bob", "builder")).isTrue();
        assertThat(users.clearTextUsers()).containsExactly("bob", "guest");
    }

    @Test
    void aUserNameWithSeparatorsSurvivesTheRoundTrip(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users.properties");
        assertThat(passwd(file, "cn=app:1 x", "pw")).isEqualTo(PasswdCommand.EXIT_OK);
        assertThat(passwd(file, "cn=app:1 x", "pw2")).isEqualTo(PasswdCommand.EXIT_OK);
        assertThat(Files.readAllLines(file)).hasSize(1);
        assertThat(PasswordFile.load(file, false).accepts("cn=app:1 x", "pw2")).isTrue();
    }

    @Test
    void refusesAnEmptyPasswordAndBadArguments(@TempDir Path dir) {
        Path file = dir.resolve("users.properties");
        assertThat(passwd(file, "alice", "")).isEqualTo(PasswdCommand.EXIT_BAD_ARGUMENTS);
        assertThat(passwd(file, "alice", "\n")).isEqualTo(PasswdCommand.EXIT_BAD_ARGUMENTS);
        assertThat(err.toString()).contains("no password given");
        assertThat(PasswdCommand.run(new String[]{file.toString()}, stdin("pw"), null, print(out), print(err)))
                .isEqualTo(PasswdCommand.EXIT_BAD_ARGUMENTS);
        assertThat(err.toString()).contains("Usage: java -jar jms-server.jar passwd FILE USER");
        assertThat(Files.exists(file)).isFalse();
    }

    private int passwd(Path file, String user, String input) {
        return PasswdCommand.run(new String[]{file.toString(), user}, stdin(input), null, print(out), print(err),
                1_000);
    }

    private static ByteArrayInputStream stdin(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
