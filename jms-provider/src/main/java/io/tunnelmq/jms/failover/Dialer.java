package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.ConnectionEvents;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.EngineFactory;
import io.tunnelmq.jms.engine.EngineOptions;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Goes round a list of broker addresses once, one connect after the other, until one connects. Each inner
 * connection gets events of its own, so what a lost link says later can be told apart from the current one's.
 * Every link of one connection presents the same random resume key: a broker lets a new link end the one it
 * replaces only if both presented it, so nobody who merely guesses a connection id can end one.
 */
final class Dialer {
    private static final SecureRandom KEYS = new SecureRandom();

    private final EngineFactory engines;
    private final EngineOptions options;
    private final FailoverConnection connection;
    /** Links numbered from 1, per connection: the number is the high part of the facade's lock tokens. */
    private final AtomicLong links = new AtomicLong();

    Dialer(EngineFactory engines, EngineOptions options, FailoverConnection connection) {
        this.engines = engines;
        this.options = options.withResumeKey(newResumeKey());
        this.connection = connection;
    }

    /** 128 random bits, as text for the Hello. */
    private static String newResumeKey() {
        byte[] key = new byte[16];
        KEYS.nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    /**
     * The first address of {@code order} that connects, as a new link; fails naming every address tried and the
     * last error (with its code) when none does.
     *
     * @param resumeId the broker's id of the connection lost, or null for a first connect
     */
    CompletableFuture<Link> round(List<String> order, String resumeId) {
        CompletableFuture<Link> result = new CompletableFuture<>();
        attempt(order, 0, resumeId, result);
        return result;
    }

    private void attempt(List<String> order, int index, String resumeId, CompletableFuture<Link> result) {
        String address = order.get(index);
        LinkEvents events = new LinkEvents(connection);
        CompletableFuture<io.tunnelmq.jms.engine.EngineConnection> connecting;
        try {
            connecting = engines.connect(options.at(AddressList.host(address), AddressList.port(address), resumeId),
                    events);
        } catch (RuntimeException e) {
            connecting = CompletableFuture.failedFuture(e);
        }
        connecting.whenComplete((inner, error) -> {
            if (error == null) {
                Link link = new Link(links.incrementAndGet(), address, inner);
                events.link = link;
                result.complete(link);
                return;
            }
            EngineException cause = EngineException.unwrap(error);
            if (index + 1 < order.size()) {
                attempt(order, index + 1, resumeId, result);
            } else {
                result.completeExceptionally(new EngineException(cause.code(), "cannot connect to any of the brokers "
                        + order + ": " + cause.getMessage(), cause));
            }
        });
    }

    /** The events of one inner connection, forwarded with the link they belong to once it is known. */
    private static final class LinkEvents implements ConnectionEvents {
        private final FailoverConnection connection;
        volatile Link link;

        LinkEvents(FailoverConnection connection) {
            this.connection = connection;
        }

        @Override
        public void connectionFailed(EngineException cause) {
            Link l = link;
            if (l != null) { // before the link is known the connection checks isClosed() itself when it adopts it
                connection.linkLost(l, cause);
            }
        }

        @Override
        public void brokerHeardAgain() {
            Link l = link;
            if (l != null) {
                connection.heardAgain(l);
            }
        }
    }
}
