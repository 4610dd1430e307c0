/**
 * The broker's destinations by name: queues (created on first use), topics, the subscription queues through which
 * topics deliver (private non-durable ones, and the named durable and shared ones of {@link
 * io.tunnelmq.server.destination.Subscriptions}), and the connection-scoped temporary queues and topics of {@link
 * io.tunnelmq.server.destination.TemporaryDestinations}. Dead-letter queues ({@code DLQ.<name>}) are ordinary queues.
 */
package io.tunnelmq.server.destination;
