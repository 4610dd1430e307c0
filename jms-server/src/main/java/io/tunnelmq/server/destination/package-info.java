/**
 * The broker's destinations by name: queues (created on first use), topics, and the non-durable subscription
 * queues through which topics deliver. Dead-letter queues ({@code DLQ.<name>}) are ordinary queues.
 */
package io.tunnelmq.server.destination;
