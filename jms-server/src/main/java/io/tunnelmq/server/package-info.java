/**
 * The TunnelMQ broker: {@link io.tunnelmq.server.Broker} (the command line), {@link io.tunnelmq.server.EmbeddedBroker}
 * (a broker inside an application or a test) and {@link io.tunnelmq.server.BrokerConfig}.
 *
 * <p>Layers, top to bottom; a package imports only those below it:
 * <ol>
 *   <li>{@code io.tunnelmq.server} — start, configure, stop;</li>
 *   <li>{@code net} — Netty server, pipeline, handshake, heartbeats, connection-ending errors;</li>
 *   <li>{@code session} — per connection and per session state: requests and answers, transactions,
 *       settlements, the send window;</li>
 *   <li>{@code destination} — queues and topics by name, topic subscriptions;</li>
 *   <li>{@code queue} — the peek-lock engine, lock timers, dead letters, memory accounting (it reports what
 *       happens to stored messages through {@code StoredMessageEvents} without knowing the store);</li>
 *   <li>{@code store} — the message store SPI (memory, journal-backed), its record encoding, recovery input.</li>
 * </ol>
 */
package io.tunnelmq.server;
