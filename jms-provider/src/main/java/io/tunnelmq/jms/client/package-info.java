/**
 * Internal: not public API (applications use {@code io.tunnelmq.jms} and {@code io.tunnelmq.jndi}; this package
 * may change in any release).
 *
 * <p>The JMS facade: {@link io.tunnelmq.jms.client.JmsConnection}, sessions, producers, consumers and
 * {@link io.tunnelmq.jms.client.JmsContext}, implementing the Jakarta Messaging rules (argument checks, states,
 * acknowledge modes, transactions, listener threading, blocking with timeouts) on top of the engine interfaces
 * of {@code io.tunnelmq.jms.engine}. The facade never sees a frame. Engine futures complete on the engine's
 * event loop; the facade waits on them from application threads ({@code Await}) and runs application callbacks
 * on its own serial executors: one per session for MessageListeners and CompletionListeners, one per connection
 * for the ExceptionListener. Engine failures become JMS exceptions in one place, {@link io.tunnelmq.jms.client.JmsExceptions}.
 */
package io.tunnelmq.jms.client;
