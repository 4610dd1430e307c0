package io.tunnelmq.tck.jakarta;

import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import io.tunnelmq.server.security.PasswordFile;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.util.Map;

/**
 * Starts one embedded broker for a whole Jakarta Messaging TCK run and binds the TCK's JNDI names to it. JUnit
 * finds this listener through {@code META-INF/services} in {@code src/jakarta-tck/resources}, which only the
 * {@code jakarta-tck} profile puts on the test class path. The broker knows the TCK's user ({@code guest}, the
 * {@code user}/{@code password} system properties) and lets in clients that give no user name; the TCK checks that
 * other credentials are refused.
 */
public class TckBrokerSession implements LauncherSessionListener {
    private EmbeddedBroker broker;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0),
                new PasswordFile(Map.of(System.getProperty("user", "guest"), System.getProperty("password", "guest")),
                        true));
        Map<String, String> props = TckJndiNames.systemProperties(broker.url());
        props.forEach(System::setProperty);
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
