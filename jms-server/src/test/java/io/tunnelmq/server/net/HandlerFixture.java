package io.tunnelmq.server.net;

import io.netty.channel.embedded.EmbeddedChannel;
import io.tunnelmq.server.queue.WheelTimer;
import io.tunnelmq.server.session.BrokerContext;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The broker side the connection handler's tests share (register it with {@code @RegisterExtension}): settings of
 * broker version "9.9.9-TEST", the live connections, and a fresh {@link HandlerChannels#broker broker} for each test,
 * its timer closed after it.
 */
final class HandlerFixture implements BeforeEachCallback, AfterEachCallback {
    final NetSettings settings = HandlerChannels.settings("9.9.9-TEST");
    final LiveConnections live = new LiveConnections();
    private WheelTimer timer;
    BrokerContext broker;

    @Override
    public void beforeEach(ExtensionContext context) {
        timer = new WheelTimer();
        broker = HandlerChannels.broker(timer);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        timer.close();
    }

    /** {@code channel} (a test's own kind) with a handler whose logins {@code logins} checks. */
    <C extends EmbeddedChannel> C withHandler(C channel, Logins logins) {
        return HandlerChannels.withHandler(channel, settings, broker, logins, live);
    }

    /** A channel whose logins {@code authenticator} checks at once, on the event loop. */
    EmbeddedChannel channel(Authenticator authenticator) {
        return HandlerChannels.channel(settings, broker, authenticator, live);
    }
}
