package com.sun.messaging;

import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;

import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * A stand-in (written for TunnelMQ's tests, not OpenMQ's code) for OpenMQ's own factory class, which OpenMQ's jms20
 * examples instantiate directly instead of looking one up: it hands everything to the TunnelMQ factory that
 * jndi.properties binds under this class's name. OpenMqExamplesTest compiles it and puts it on those programs'
 * class path, so they run unchanged.
 */
public class ConnectionFactory implements jakarta.jms.ConnectionFactory {
    private static final String JNDI_NAME = "com.sun.messaging.ConnectionFactory";

    private final jakarta.jms.ConnectionFactory target;

    public ConnectionFactory() {
        try {
            target = (jakarta.jms.ConnectionFactory) new InitialContext().lookup(JNDI_NAME);
        } catch (NamingException e) {
            throw new IllegalStateException("jndi.properties binds no connection factory to " + JNDI_NAME, e);
        }
    }

    @Override
    public Connection createConnection() throws JMSException {
        return target.createConnection();
    }

    @Override
    public Connection createConnection(String userName, String password) throws JMSException {
        return target.createConnection(userName, password);
    }

    @Override
    public JMSContext createContext() {
        return target.createContext();
    }

    @Override
    public JMSContext createContext(String userName, String password) {
        return target.createContext(userName, password);
    }

    @Override
    public JMSContext createContext(String userName, String password, int sessionMode) {
        return target.createContext(userName, password, sessionMode);
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        return target.createContext(sessionMode);
    }
}
