package io.tunnelmq.server.store.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The address that names a broker among those sharing a database ({@link Membership}): a broker registering at an
 * address takes the one there before it for its own previous run (restarted there) and hands its leases on at once.
 * A fixed port on a host names it; a wildcard host ({@code 0.0.0.0}, {@code ::}, as in containers, where every broker
 * binds the same) does not, so the machine's name stands for it — otherwise each broker starting would take every
 * running one for its own previous run and hand their messages on while they hold them.
 */
public final class BrokerAddress {
    private static final Logger log = LoggerFactory.getLogger(BrokerAddress.class);

    private BrokerAddress() {
    }

    /**
     * @param host the host the broker binds
     * @param port the port it binds; 0 (picked at start) names nothing a restart would have again
     * @return {@code host:port}, the machine's name for a wildcard host, or null when nothing names the broker (it then
     *     registers by its id alone, and a restart waits for its previous run to go stale)
     */
    public static String of(String host, int port) {
        if (port == 0) {
            return null;
        }
        String name = host;
        try {
            if (InetAddress.getByName(host).isAnyLocalAddress()) {
                name = InetAddress.getLocalHost().getHostName();
            }
        } catch (UnknownHostException e) {
            log.warn("cannot tell which machine this broker runs on ({}): it registers with the database by its id"
                    + " alone, and a restart here waits for its previous run to go stale", e.toString());
            return null;
        }
        return name + ":" + port;
    }
}
