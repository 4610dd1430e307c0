package io.tunnelmq.jms.client;

import jakarta.jms.ConnectionMetaData;

import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * What a TunnelMQ connection tells about itself: Jakarta Messaging 3.1 (JMS 2.0 semantics; JMS 2.0 in the
 * jms-provider-javax build of this class), provider TunnelMQ,
 * the provider version of this client library (from its jar manifest, else the broker's version from the
 * handshake), and the JMSX properties it supports.
 */
final class JmsConnectionMetaData implements ConnectionMetaData {
    static final String PROVIDER_NAME = "TunnelMQ";
    /**
     * jms-provider-javax is this class with jakarta.jms relocated to javax.jms at build time: there it implements
     * javax.jms.ConnectionMetaData and must report JMS 2.0. (A "jakarta.jms" literal would be relocated too, hence
     * the test on "javax.".)
     */
    private static final boolean JAVAX_JMS = ConnectionMetaData.class.getName().startsWith("javax.");
    private static final int JMS_MAJOR_VERSION = JAVAX_JMS ? 2 : 3;
    private static final int JMS_MINOR_VERSION = JAVAX_JMS ? 0 : 1;
    private static final List<String> JMSX_PROPERTIES = List.of("JMSXDeliveryCount", "JMSXGroupID", "JMSXGroupSeq");

    private final String providerVersion;

    JmsConnectionMetaData(String brokerVersion) {
        String own = JmsConnectionMetaData.class.getPackage().getImplementationVersion();
        this.providerVersion = own != null ? own : brokerVersion != null ? brokerVersion : "unknown";
    }

    @Override
    public String getJMSVersion() {
        return JMS_MAJOR_VERSION + "." + JMS_MINOR_VERSION;
    }

    @Override
    public int getJMSMajorVersion() {
        return JMS_MAJOR_VERSION;
    }

    @Override
    public int getJMSMinorVersion() {
        return JMS_MINOR_VERSION;
    }

    @Override
    public String getJMSProviderName() {
        return PROVIDER_NAME;
    }

    @Override
    public String getProviderVersion() {
        return providerVersion;
    }

    @Override
    public int getProviderMajorVersion() {
        return versionPart(0);
    }

    @Override
    public int getProviderMinorVersion() {
        return versionPart(1);
    }

    @Override
    public Enumeration<String> getJMSXPropertyNames() {
        return Collections.enumeration(JMSX_PROPERTIES);
    }

    /** The n-th dot-separated number of the version ("0.1.0-SNAPSHOT" → 0, 1); 0 where there is none. */
    private int versionPart(int index) {
        String[] parts = providerVersion.split("[.\\-]");
        if (index >= parts.length) {
            return 0;
        }
        try {
            return Integer.parseInt(parts[index]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
