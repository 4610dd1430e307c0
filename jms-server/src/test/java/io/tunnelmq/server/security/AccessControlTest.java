package io.tunnelmq.server.security;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Permission;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.destination.BrokerException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The permissions file read again when it changes; a broken one keeps the last good rules. */
@Timeout(30)
class AccessControlTest {
    private static final WireDestination ORDERS = WireDestination.queue("orders");

    @TempDir
    Path dir;
    private AccessControl access;

    @AfterEach
    void close() {
        if (access != null) {
            access.close();
        }
    }

    private static boolean allowed(UserAccess user, Permission permission, WireDestination destination) {
        try {
            user.require(permission, destination);
            return true;
        } catch (BrokerException e) {
            return false;
        }
    }

    @Test
    void aChangedFileAppliesAndABrokenOneKeepsTheLastGoodRules() throws Exception {
        Path file = Files.writeString(dir.resolve("p"), "role.r = alice\nqueue.orders.send = r\n");
        access = AccessControl.watching(file, 20);
        UserAccess alice = access.forUser("alice");
        UserAccess bob = access.forUser("bob");
        assertThat(allowed(alice, Permission.SEND, ORDERS)).isTrue();
        assertThat(allowed(bob, Permission.SEND, ORDERS)).isFalse();

        replace(file, "role.r = bob\nqueue.orders.send = r\n");
        eventually("the new rules apply", Duration.ofSeconds(10), () -> allowed(bob, Permission.SEND, ORDERS));
        assertThat(allowed(alice, Permission.SEND, ORDERS)).isFalse();

        replace(file, "role.r = bob\n\nqueue.orders.sned = r\n");
        eventually("the broken file is noticed", Duration.ofSeconds(10), () -> access.problem() != null);
        assertThat(access.problem()).contains("line 3").contains("unknown permission 'sned'");
        assertThat(allowed(bob, Permission.SEND, ORDERS)).as("the last good rules stay").isTrue();

        replace(file, "role.r = alice\nqueue.orders.send = r\n");
        eventually("the fixed file applies", Duration.ofSeconds(10), () -> access.problem() == null
                && allowed(alice, Permission.SEND, ORDERS));
    }

    /**
     * Replaces the file at once, as an editor saving by rename does: a watcher reading a file half written (truncated,
     * no rules yet: valid) would make "the last good rules" the empty ones, and the test would fail on that, not on the
     * rules.
     */
    private Path replace(Path file, String content) throws IOException {
        Path next = Files.writeString(file.resolveSibling(file.getFileName() + ".next"), content);
        return Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void aBrokenFileAtStartIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("p"), "queue.orders.send = nobody\n");
        assertThatThrownBy(() -> AccessControl.watching(file)).isInstanceOf(PermissionsFileException.class)
                .hasMessageContaining("line 1: role 'nobody' is not defined");
        assertThatThrownBy(() -> AccessControl.watching(dir.resolve("missing")))
                .isInstanceOf(PermissionsFileException.class).hasMessageContaining("cannot be read");
    }

    @Test
    void aDenialNamesUserDestinationAndPermission() throws Exception {
        Path file = Files.writeString(dir.resolve("p"), "role.r = alice\nqueue.alice.private.consume = r\n");
        access = AccessControl.watching(file);
        assertThatThrownBy(() -> access.forUser("bob").require(Permission.CONSUME,
                WireDestination.queue("alice.private")))
                .isInstanceOf(BrokerException.class)
                .hasMessage("user 'bob' may not consume from queue 'alice.private' (permission consume)")
                .satisfies(e -> assertThat(((BrokerException) e).code()).isEqualTo(ErrorCode.NOT_AUTHORIZED));
        assertThatThrownBy(() -> access.forUser(null).require(Permission.SEND, WireDestination.topic("t")))
                .hasMessage("an anonymous client may not send to topic 't' (permission send)");
        assertThatThrownBy(() -> access.forUser("bob").require(Permission.CREATE,
                new WireDestination(WireDestination.Kind.TEMPORARY_QUEUE, "tmp.1")))
                .hasMessage("user 'bob' may not create temporary queue 'tmp.1' (permission create on temporary"
                        + " destinations)");
    }

    @Test
    void anOpenBrokerChecksNothing() {
        access = AccessControl.open();
        assertThat(access.enabled()).isFalse();
        assertThat(access.forUser("bob").enabled()).isFalse();
        assertThatCode(() -> access.forUser("bob").require(Permission.ADMIN, ORDERS)).doesNotThrowAnyException();
    }
}
