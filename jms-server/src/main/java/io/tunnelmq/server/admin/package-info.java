/**
 * {@code java -jar jms-server.jar admin ...}: the operator's command line over the admin channel of the tunnel. A
 * small client of its own (Netty and the protocol's frames; the broker does not depend on the JMS client) that
 * logs in, sends one {@code AdminRequest}, prints the {@code AdminReply} as an aligned table or JSON, and leaves.
 */
package io.tunnelmq.server.admin;
