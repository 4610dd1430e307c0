package io.tunnelmq.server.management;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class BrokerProblemsTest {
    private static final Instant NOW = Instant.parse("2026-12-08T12:00:00Z");

    private final AtomicLong expiry = new AtomicLong();
    private final BrokerProblems problems = new BrokerProblems(expiry::get);

    @Test
    void eachSourceIsAskedAgainAndSaysWhatTheBrokerDoesMeanwhile() {
        AtomicReference<String> users = new AtomicReference<>();
        problems.watch(users::get, "the broker keeps the users it had until the file is fixed");
        problems.watch(() -> null, "never said");
        assertThat(problems.at(NOW)).isEmpty();

        users.set("users.properties line 2: user 'alice' has no password hash");
        assertThat(problems.at(NOW)).containsExactly("users.properties line 2: user 'alice' has no password hash;"
                + " the broker keeps the users it had until the file is fixed");
        users.set(null);
        assertThat(problems.at(NOW)).as("fixed").isEmpty();
    }

    @Test
    void aCertificateIsAProblemWithinThirtyDaysOfItsEndAndOnceItEnded() {
        assertThat(problems.at(NOW)).as("no TLS").isEmpty();
        expiry.set(NOW.plus(Duration.ofDays(31)).getEpochSecond());
        assertThat(problems.at(NOW)).isEmpty();
        expiry.set(NOW.plus(Duration.ofDays(12)).plusSeconds(60).getEpochSecond());
        assertThat(problems.at(NOW)).singleElement().asString()
                .startsWith("the TLS certificate the broker serves expires on 2026-12-20T12:01:00Z (in 12 days)");
        expiry.set(NOW.plusSeconds(3_600).getEpochSecond());
        assertThat(problems.at(NOW)).singleElement().asString().contains("(within a day)");
        expiry.set(NOW.getEpochSecond());
        assertThat(problems.at(NOW)).singleElement().asString()
                .startsWith("the TLS certificate the broker serves expired on 2026-12-08T12:00:00Z: clients refuse it");
    }
}
