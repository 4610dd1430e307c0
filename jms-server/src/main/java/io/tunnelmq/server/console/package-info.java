/**
 * The broker's web console, served on its HTTP port at {@code /}: one page with plain JavaScript and a style sheet
 * (resources next to these classes; no build step, nothing from a CDN), and JSON routes over
 * {@link io.tunnelmq.server.management.Management} — the queue table with live figures, a queue's page with its
 * messages, purge and dead-letter replay, the connections. It lets in the broker's own users
 * ({@link io.tunnelmq.server.console.ConsoleSecurity}) and asks the broker's permissions before every action. It sits
 * above management and http, and nothing below imports it.
 */
package io.tunnelmq.server.console;
