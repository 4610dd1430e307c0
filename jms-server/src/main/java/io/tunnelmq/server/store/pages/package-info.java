/**
 * The page file: scratch storage for the bodies of non-persistent messages that the queue engine pages out of
 * memory past its budget ({@link io.tunnelmq.server.store.pages.PageFile}). Persistent messages are not written
 * here: they are read back from the journal. The page file knows messages, not queues; it depends on
 * {@code io.tunnelmq.server.store} for the message encoding and on nothing of the queue engine.
 */
package io.tunnelmq.server.store.pages;
