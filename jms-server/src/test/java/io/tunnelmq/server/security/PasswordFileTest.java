package io.tunnelmq.server.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
