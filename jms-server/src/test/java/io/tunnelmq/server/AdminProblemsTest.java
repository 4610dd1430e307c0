package io.tunnelmq.server;

import io.tunnelmq.server.admin.AdminCommand;
import io.tunnelmq.server.security.PasswordFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code admin problems}: what the operator must fix, for a user who administers every queue only. */
@Timeout(30)
class AdminProblemsTest {

    @Test
    void theOperatorListsWhatToFixAndAUserWhoAdministersLessIsRefused(@TempDir Path dir) throws Exception {
        String rules = "role.ops = alice\nrole.apps = bob\nqueue.>.admin = ops\nqueue.orders.admin = apps\n";
        Path permissions = Files.writeString(dir.resolve("permissions.properties"), rules);
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerFixture.config().withPermissionsFile(permissions),
                new PasswordFile(Map.of("alice", "alice-pw", "bob", "bob-pw"), false))) {
            AdminRun none = admin(broker, "alice", "problems");
            assertThat(none.code()).as(none.err()).isZero();
            assertThat(none.out()).doesNotContain("permissions");

            Files.writeString(permissions, rules + "queue.>.sned = apps\n");
            eventually("the refused file is listed", () -> admin(broker, "alice", "problems").out()
                    .contains("unknown permission 'sned'"));
            assertThat(admin(broker, "alice", "--json", "problems").out()).contains("{\"problem\": \"permissions file ",
                    "the broker keeps the permissions it had until the file is fixed");
            AdminRun bob = admin(broker, "bob", "problems");
            assertThat(bob.code()).isEqualTo(1);
            assertThat(bob.err()).contains("bob", "admin").doesNotContain("sned");
            assertThat(admin(broker, "alice", "problems", "now").err())
                    .contains("problems takes no operands: admin problems (got now)");
        }
    }

    private static AdminRun admin(EmbeddedBroker broker, String user, String... args) {
        List<String> all = new ArrayList<>(List.of("--user", user));
        all.addAll(List.of(args));
        return AdminRun.against(broker.url(), Map.of(AdminCommand.PASSWORD_VARIABLE, user + "-pw"),
                all.toArray(String[]::new));
    }
}
