package io.tunnelmq.jms.client;

import jakarta.jms.ConnectionMetaData;

import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * What a TunnelMQ connection tells about itself: Jakarta Messaging 3.1 (JMS 2.0 semantics), provider TunnelMQ,
 * the provider version of this client library (from its jar manifest, else the broker's version from the
 * handshake), and the JMSX properties it supports.
 */
final class JmsConnectionMetaData implements ConnectionMetaData {
    static final String PROVIDER_NAME = "TunnelMQ";
    private static final List<String> JMSX_PROPERTIES = List.of("JMSXDeliveryCount", "JMSXGroupID", "JMSXGroupSeq");

    private final String providerVersion;

    JmsConnectionMetaData(String brokerVersion) {
        String own = JmsConnectionMetaData.class.getPackage().getImplementationVersion();
        this.providerVersion = own != null ? own : brokerVersion != null ? brokerVersion : "unknown";
    }

    @Override
    public String getJMSVersion() {
        return "3.1";
    }

    @Override
    public int getJMSMajorVersion() {
        return 3;
    }

    @Override
    public int getJMSMinorVersion() {
        return 1;
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
