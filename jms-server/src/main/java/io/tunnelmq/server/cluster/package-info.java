/**
 * Brokers sharing their queues over one store ({@code store=postgresql}): each broker's queues hold only what it
 * claimed from the shared store for its own consumers ({@link io.tunnelmq.server.cluster.ClaimFeed}), and give back
 * what they hold with nobody here to take it. Below destinations, above the queue engine and the store: the peek-lock
 * rules stay in the engine, the claims and leases in the store.
 */
package io.tunnelmq.server.cluster;
