package io.tunnelmq.server.destination;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** Subscription names, client IDs and selectors are the clients' text: the broker's logs and errors escape them. */
@Timeout(10)
class SubscriptionRefusalsTest {

    @Test
    void namesAndSelectorsWithLineBreaksAreEscaped() {
        assertThat(SubscriptionRefusals.describe(new SubscriptionEntry.Key("app\r1", "orders\nINFO forged", true)))
                .isEqualTo("durable subscription 'orders\\nINFO forged' of client ID 'app\\r1'");
        assertThat(SubscriptionRefusals.describe(new SubscriptionEntry.Key(null, "s", false)))
                .isEqualTo("shared subscription 's'");
        String selector = "region = 'EU' AND ".repeat(10) + "amount > 100";
        assertThat(SubscriptionRefusals.quote(selector + "\n")).isEqualTo("'" + selector + "\\n'");
        assertThat(SubscriptionRefusals.quote(null)).isEqualTo("(none)");
    }
}
