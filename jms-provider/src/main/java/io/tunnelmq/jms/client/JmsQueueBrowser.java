package io.tunnelmq.jms.client;

import io.tunnelmq.jms.engine.BrowsePage;
import io.tunnelmq.jms.message.WireMessages;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;

import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Enumeration;
import java.util.NoSuchElementException;

/**
 * A QueueBrowser: looks at a queue's available messages in delivery order without locking them, so they stay
 * consumable. Each {@link #getEnumeration()} starts a new walk that fetches pages from the broker lazily; messages
 * consumed or added while it walks may be missed or seen, as JMS allows.
 */
final class JmsQueueBrowser implements QueueBrowser {
    /** Messages asked for per page; the broker may send fewer to fit one frame. */
    static final int PAGE_SIZE = 100;

    private final JmsSession session;
    private final Queue queue;
    private final WireDestination target;
    private final String selector;
    private volatile boolean closed;

    JmsQueueBrowser(JmsSession session, Queue queue, WireDestination target, String selector) {
        this.session = session;
        this.queue = queue;
        this.target = target;
        this.selector = selector;
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen("getQueue");
        return queue;
    }

    @Override
    public String getMessageSelector() throws JMSException {
        checkOpen("getMessageSelector");
        return selector;
    }

    /**
     * A new walk over the queue. The first page is fetched now, so an invalid selector or queue fails here;
     * {@code nextElement} fetches further pages and throws a {@link JMSRuntimeException} if that fails.
     */
    @Override
    public Enumeration<?> getEnumeration() throws JMSException {
        checkOpen("getEnumeration");
        Walk walk = new Walk();
        walk.fetch();
        return walk;
    }

    /** Asks the broker for a one-message page, so it refuses an invalid selector or queue now. */
    void validate() throws JMSException {
        Await.result(session.engine().browse(target, selector, 0, 1),
                session.connection().requestWaitMillis(), "creating a browser on " + target.name());
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen(String what) throws IllegalStateException {
        if (closed) {
            throw JmsExceptions.illegalState(what + " is not possible: the QueueBrowser is closed");
        }
        session.checkOpen(what);
    }

    private BrowsePage page(long cursor, int offset) throws JMSException {
        return Await.result(session.engine().browse(target, selector, cursor, offset, PAGE_SIZE),
                session.connection().requestWaitMillis(), "browsing " + target.name());
    }

    /** One walk over the queue; pages are fetched as the application reaches their end. */
    private final class Walk implements Enumeration<Message> {
        private final Deque<WireMessage> buffered = new ArrayDeque<>();
        private int offset;
        /** Where the last page ended (the broker continues right after it); 0 for a broker that pages by offset. */
        private long cursor;
        private boolean last;

        void fetch() throws JMSException {
            BrowsePage page = page(cursor, offset);
            buffered.addAll(page.messages());
            offset += page.messages().size();
            boolean advanced = page.cursor() != 0 && page.cursor() != cursor;
            cursor = page.cursor();
            // an empty page that is not the last is the end unless it moved on (the broker bounds each page's work)
            last = page.last() || page.messages().isEmpty() && !advanced;
        }

        @Override
        public boolean hasMoreElements() {
            while (buffered.isEmpty() && !last && !closed) {
                try {
                    fetch();
                } catch (JMSException e) {
                    throw JmsExceptions.toRuntime(e);
                }
            }
            return !buffered.isEmpty();
        }

        @Override
        public Message nextElement() {
            if (!hasMoreElements()) {
                throw new NoSuchElementException("the browser has no more messages on " + target.name());
            }
            try {
                return WireMessages.fromWire(buffered.poll(), session.serializablePackages());
            } catch (JMSException e) {
                throw JmsExceptions.toRuntime(e);
            }
        }
    }
}
