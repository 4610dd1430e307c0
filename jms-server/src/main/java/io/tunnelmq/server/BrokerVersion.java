package io.tunnelmq.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The broker's product version, from a resource Maven fills in at build time. */
final class BrokerVersion {
    static final String FALLBACK = "0.1.0-SNAPSHOT";
    private static final String RESOURCE = "broker-version.properties";

    private BrokerVersion() {
    }

    static String current() {
        try (InputStream in = BrokerVersion.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version", "").trim();
                if (!version.isEmpty() && !version.startsWith("${")) {
                    return version;
                }
            }
        } catch (IOException e) {
            // fall through: a version is nice to have, never a reason to fail
        }
        Package pkg = BrokerVersion.class.getPackage();
        String fromManifest = pkg == null ? null : pkg.getImplementationVersion();
        return fromManifest != null ? fromManifest : FALLBACK;
    }
}
