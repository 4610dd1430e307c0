package io.tunnelmq.server.management;

import io.tunnelmq.server.http.HttpRoutes;
import io.tunnelmq.server.store.MessageStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** Readiness from the broker's start to its stop, and its store's say in between. */
@Timeout(10)
class BrokerHealthTest {

    @Test
    void notReadyWhileStartingWhileTheStoreFailsItsWritesAndOnceStopping() {
        BrokerHealth health = BrokerHealth.serve(new HttpRoutes());
        assertThat(health.notReady()).isEqualTo("starting: the broker is recovering its message store");
        MessageStore store = mock(MessageStore.class);
        health.follow(store);
        when(store.problem()).thenReturn("the journal's writes fail");
        assertThat(health.notReady()).as("starting wins").startsWith("starting");

        health.started();
        assertThat(health.notReady()).isEqualTo("the journal's writes fail");
        when(store.problem()).thenReturn(null);
        assertThat(health.notReady()).isNull();

        health.stopping();
        assertThat(health.notReady()).isEqualTo("stopping");
    }
}
