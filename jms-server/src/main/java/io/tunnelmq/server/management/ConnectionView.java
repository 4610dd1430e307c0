package io.tunnelmq.server.management;

/**
 * One open client connection as an operator sees it ({@link Management#openConnections()}).
 *
 * @param id             the connection's number, unique while the broker runs (the one {@link
 *                       Management#closeConnection} takes)
 * @param address        the client's address, {@code host:port}
 * @param user           who logged in; null without credentials
 * @param clientId       the JMS client ID; null when none was set
 * @param sessions       sessions open on it
 * @param consumers      consumers open on it
 * @param bytesIn        bytes received from the client (on the wire, TLS included)
 * @param bytesOut       bytes sent to the client
 * @param openedAtMillis when the client connected (epoch millis)
 */
public record ConnectionView(long id, String address, String user, String clientId, int sessions, int consumers,
                             long bytesIn, long bytesOut, long openedAtMillis) {
}
