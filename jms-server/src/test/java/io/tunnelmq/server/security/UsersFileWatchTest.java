package io.tunnelmq.server.security;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The users file read again when it changes: added, removed and changed users apply; a broken file keeps the last. */
@Timeout(30)
class UsersFileWatchTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private UsersFileWatch users;

    @AfterEach
    void close() {
        if (users != null) {
            users.close();
        }
    }

    @Test
    void aChangedPasswordAnAddedAndARemovedUserApplyToNewLogins() throws Exception {
        Path file = write("alice=" + hash("old") + "\nbob=" + hash("builder") + "\n");
        users = UsersFileWatch.watching(PasswordFile.load(file, false), 20);
        assertThat(users.accepts("alice", "old")).isTrue();
        assertThat(users.acceptsAtOnce("alice", "old")).as("remembered").isTrue();
        assertThat(users.accepts("carol", "new")).isFalse();

        replace(file, "alice=" + hash("new") + "\ncarol=" + hash("new") + "\n");
        eventually("carol added", WAIT, () -> users.accepts("carol", "new"));
        assertThat(users.acceptsAtOnce("alice", "old")).as("what was remembered is forgotten").isFalse();
        assertThat(users.accepts("alice", "old")).isFalse();
        assertThat(users.accepts("alice", "new")).isTrue();
        assertThat(users.accepts("bob", "builder")).as("removed").isFalse();
        assertThat(users.users().size()).isEqualTo(2);
    }

    @Test
    void aBrokenOrMissingFileKeepsTheLastGoodUsersUntilItIsFixed() throws Exception {
        Path file = write("alice=" + hash("pw") + "\n");
        users = UsersFileWatch.watching(PasswordFile.load(file, false), 20);
        PasswordFile good = users.users();
        assertThat(users.problem()).isNull();

        replace(file, "alice=pbkdf2-sha256:lots:AAAA:AAAA\n");
        eventually("the broken file is noticed", WAIT, () -> users.problem() != null);
        assertThat(users.problem()).contains("users.properties").contains("user 'alice'");
        assertThat(users.users()).as("the last good users stay").isSameAs(good);
        assertThat(users.accepts("alice", "pw")).isTrue();

        Files.delete(file);
        eventually("the missing file is noticed", WAIT, () -> users.problem().contains("cannot be read"));
        assertThat(users.users()).isSameAs(good);

        replace(file, "alice=" + hash("pw") + "\nbob=" + hash("fixed") + "\n");
        eventually("the fixed file applies", WAIT, () -> users.problem() == null && users.accepts("bob", "fixed"));
        assertThat(users.accepts("alice", "pw")).isTrue();
    }

    @Test
    void theLogSaysWhoWasAddedRemovedAndGivenANewPassword() {
        PasswordFile before = new PasswordFile(Map.of("alice", hash("a"), "bob", "clear", "carol", hash("c")), false);
        PasswordFile after = new PasswordFile(Map.of("alice", hash("a2"), "bob", "clear", "dave", hash("d")), false);
        assertThat(before.changesTo(after)).isEqualTo("added [dave], removed [carol], new password for [alice]");
        assertThat(before.changesTo(before)).isEqualTo("no user or password changed");
    }

    @Test
    void onlyAFileCanBeWatched() {
        assertThatThrownBy(() -> UsersFileWatch.watching(new PasswordFile(Map.of("alice", "pw"), false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PasswordFile.load");
    }

    private Path write(String content) throws IOException {
        return Files.writeString(dir.resolve("users.properties"), content);
    }

    /** Replaces the file at once, as passwd does (a temporary file renamed over it). */
    private void replace(Path file, String content) throws IOException {
        Path next = Files.writeString(file.resolveSibling(file.getFileName() + ".next"), content);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String hash(String password) {
        return PasswordHash.of(password.toCharArray(), 1_000, new SecureRandom()).toString();
    }
}
