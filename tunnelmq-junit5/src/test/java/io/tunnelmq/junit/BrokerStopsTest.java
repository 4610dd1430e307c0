package io.tunnelmq.junit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * Runs annotated scenario classes through the JUnit launcher, to see what is left once they are done: no broker
 * listening. (Surefire skips the nested scenario classes; they only run from here.)
 */
@Timeout(60)
class BrokerStopsTest {
    private static final List<Integer> PORTS_SEEN = new CopyOnWriteArrayList<>();

    @Test
    void thePerClassBrokerIsStoppedAfterTheClass() {
        PORTS_SEEN.clear();

        TestExecutionSummary summary = run(PerClassScenario.class);

        assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
        assertThat(PORTS_SEEN).hasSize(2).containsOnly(PORTS_SEEN.get(0));
        assertThat(accepts(PORTS_SEEN.get(0))).as("broker still listening").isFalse();
    }

    @Test
    void everyPerMethodBrokerIsStopped() {
        PORTS_SEEN.clear();

        TestExecutionSummary summary = run(PerMethodScenario.class);

        assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
        assertThat(PORTS_SEEN).hasSize(2);
        for (int port : PORTS_SEEN) {
            assertThat(accepts(port)).as("broker on port %d still listening", port).isFalse();
        }
    }

    /** Whether something accepts TCP connections on the port of 127.0.0.1. */
    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static TestExecutionSummary run(Class<?> scenario) {
        LauncherDiscoveryRequest request = request().selectors(selectClass(scenario)).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        summary.getFailures().forEach(failure -> {
            throw new AssertionError("scenario test failed: " + failure.getTestIdentifier().getDisplayName(),
                    failure.getException());
        });
        return summary;
    }

    @EmbeddedTunnelMQ
    @Timeout(30)
    static class PerClassScenario {
        @Test
        void first(TunnelMQBroker broker) {
            PORTS_SEEN.add(broker.embeddedBroker().port());
        }

        @Test
        void second(TunnelMQBroker broker) {
            PORTS_SEEN.add(broker.embeddedBroker().port());
        }
    }

    @EmbeddedTunnelMQ(lifecycle = EmbeddedTunnelMQ.Lifecycle.PER_METHOD)
    @Timeout(30)
    static class PerMethodScenario {
        @Test
        void first(TunnelMQBroker broker) {
            PORTS_SEEN.add(broker.embeddedBroker().port());
        }

        @Test
        void second(TunnelMQBroker broker) {
            PORTS_SEEN.add(broker.embeddedBroker().port());
        }
    }
}
