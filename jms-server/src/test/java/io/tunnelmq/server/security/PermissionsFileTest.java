package io.tunnelmq.server.security;

import io.tunnelmq.protocol.Permission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static io.tunnelmq.server.security.AccessRules.Scope.QUEUE;
import static io.tunnelmq.server.security.AccessRules.Scope.TEMPORARY;
import static io.tunnelmq.server.security.AccessRules.Scope.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class PermissionsFileTest {
    private static final Path FILE = Path.of("perms");

    private static AccessRules parse(String... lines) {
        return PermissionsFile.parse(FILE, List.of(lines));
    }

    @Test
    void rolesGrantPermissionsOnMatchingDestinations() {
        AccessRules rules = parse("# comment", "", "queue.orders.>.send, browse = producers",
                "role.producers = alice, bob", "role.auditors = carol, bob", "topic.prices.*.consume = *",
                "queue.audit.consume = auditors", "temporary.create = producers", "queue.a=b.send = auditors");
        assertThat(rules.allows("alice", Permission.SEND, QUEUE, "orders.eu")).isTrue();
        assertThat(rules.allows("alice", Permission.BROWSE, QUEUE, "orders.eu")).isTrue();
        assertThat(rules.allows("alice", Permission.CONSUME, QUEUE, "orders.eu")).isFalse();
        assertThat(rules.allows("alice", Permission.SEND, TOPIC, "orders.eu")).as("queue rules only").isFalse();
        assertThat(rules.allows("carol", Permission.SEND, QUEUE, "orders.eu")).isFalse();
        assertThat(rules.allows("bob", Permission.CONSUME, QUEUE, "audit")).as("bob is in two roles").isTrue();
        assertThat(rules.allows("nobody", Permission.CONSUME, TOPIC, "prices.eur")).isTrue();
        assertThat(rules.allows(null, Permission.CONSUME, TOPIC, "prices.eur")).as("* includes anonymous").isTrue();
        assertThat(rules.allows(null, Permission.CONSUME, QUEUE, "audit")).isFalse();
        assertThat(rules.allows("alice", Permission.CREATE, TEMPORARY, "tmp.1")).isTrue();
        assertThat(rules.allows("carol", Permission.CREATE, TEMPORARY, "tmp.1")).isFalse();
        assertThat(rules.allows("carol", Permission.SEND, QUEUE, "a=b")).as("a name with =").isTrue();
        assertThat(rules.allows("alice", Permission.ADMIN, QUEUE, "orders.eu")).isFalse();
        assertThat(rules.roleCount()).isEqualTo(2);
        assertThat(rules.ruleCount()).isEqualTo(6);
    }

    @Test
    void anEmptyFileAllowsNothing() {
        assertThat(parse().allows("alice", Permission.SEND, QUEUE, "q")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "queue.q.sned = r            | line 2: unknown permission 'sned'",
            "queue.q.send = nobody       | line 2: role 'nobody' is not defined",
            "queue.q.send =              | line 2: 'queue.q.send' grants to no role",
            "queues.q.send = r           | line 2: unknown key 'queues.q.send'",
            "queue.send = r              | line 2: 'queue.send' needs a destination pattern and a permission",
            "queue.a.>.b.send = r        | line 2: '>' may only be the last segment",
            "temporary.consume = r       | line 2: temporary destinations take send, browse and create rules only",
            "role.r = bob                | line 2: role 'r' is already defined on line 1",
            "just words                  | line 2: 'just words' is not 'key = value'",
            "role.bad name = x           | line 2: role name 'bad name' may only contain"})
    void mistakesAreRefusedNamingTheLine(String line, String message) {
        assertThatThrownBy(() -> parse("role.r = alice", line)).isInstanceOf(PermissionsFileException.class)
                .hasMessageStartingWith("permissions file perms " + message.strip());
    }
}
