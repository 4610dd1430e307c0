package io.tunnelmq.jndi;

import io.tunnelmq.jms.TunnelQueue;
import io.tunnelmq.jms.TunnelTopic;

import javax.naming.Binding;
import javax.naming.CompositeName;
import javax.naming.Context;
import javax.naming.InvalidNameException;
import javax.naming.Name;
import javax.naming.NameAlreadyBoundException;
import javax.naming.NameClassPair;
import javax.naming.NameNotFoundException;
import javax.naming.NameParser;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.OperationNotSupportedException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A flat, in-memory naming context. Every name is one key, whatever {@code /}, {@code :} or {@code =} it
 * contains. Objects may also be bound at run time (tests, admin tools); nothing is persisted.
 */
final class TunnelContext implements Context {
    private static final NameParser FLAT_PARSER = name -> new CompositeName().add(name);

    private final Map<String, Object> bindings;
    private final Hashtable<Object, Object> environment;
    private volatile boolean closed;

    TunnelContext(Map<String, Object> bindings, Hashtable<Object, Object> environment) {
        this.bindings = new ConcurrentHashMap<>(bindings);
        this.environment = environment;
    }

    @Override
    public Object lookup(String name) throws NamingException {
        checkOpen();
        if (name == null || name.isEmpty()) {
            return new TunnelContext(bindings, new Hashtable<>(environment));
        }
        Object bound = bindings.get(name);
        if (bound != null) {
            return bound;
        }
        if (name.startsWith(JndiBindings.DYNAMIC_QUEUES) && name.length() > JndiBindings.DYNAMIC_QUEUES.length()) {
            return new TunnelQueue(name.substring(JndiBindings.DYNAMIC_QUEUES.length()));
        }
        if (name.startsWith(JndiBindings.DYNAMIC_TOPICS) && name.length() > JndiBindings.DYNAMIC_TOPICS.length()) {
            return new TunnelTopic(name.substring(JndiBindings.DYNAMIC_TOPICS.length()));
        }
        NameNotFoundException e = new NameNotFoundException("no object is bound to '" + name
                + "'; configure it in jndi.properties as queue." + name + "=<queue>, topic." + name
                + "=<topic> or connectionFactory." + name + "=<tmq:// URL>, or look up dynamicQueues/" + name);
        e.setRemainingName(new CompositeName().add(name));
        throw e;
    }

    @Override
    public Object lookup(Name name) throws NamingException {
        return lookup(flat(name));
    }

    @Override
    public Object lookupLink(String name) throws NamingException {
        return lookup(name);
    }

    @Override
    public Object lookupLink(Name name) throws NamingException {
        return lookup(name);
    }

    @Override
    public void bind(String name, Object obj) throws NamingException {
        checkOpen();
        if (bindings.putIfAbsent(requireName(name), obj) != null) {
            throw new NameAlreadyBoundException("'" + name + "' is already bound; use rebind to replace it");
        }
    }

    @Override
    public void bind(Name name, Object obj) throws NamingException {
        bind(flat(name), obj);
    }

    @Override
    public void rebind(String name, Object obj) throws NamingException {
        checkOpen();
        bindings.put(requireName(name), obj);
    }

    @Override
    public void rebind(Name name, Object obj) throws NamingException {
        rebind(flat(name), obj);
    }

    @Override
    public void unbind(String name) throws NamingException {
        checkOpen();
        bindings.remove(requireName(name));
    }

    @Override
    public void unbind(Name name) throws NamingException {
        unbind(flat(name));
    }

    @Override
    public void rename(String oldName, String newName) throws NamingException {
        checkOpen();
        Object obj = bindings.get(requireName(oldName));
        if (obj == null) {
            throw new NameNotFoundException("no object is bound to '" + oldName + "'");
        }
        if (bindings.putIfAbsent(requireName(newName), obj) != null) {
            throw new NameAlreadyBoundException("'" + newName + "' is already bound");
        }
        bindings.remove(oldName);
    }

    @Override
    public void rename(Name oldName, Name newName) throws NamingException {
        rename(flat(oldName), flat(newName));
    }

    @Override
    public NamingEnumeration<NameClassPair> list(String name) throws NamingException {
        return listed(name, e -> new NameClassPair(e.getKey(), e.getValue().getClass().getName()));
    }

    @Override
    public NamingEnumeration<NameClassPair> list(Name name) throws NamingException {
        return list(flat(name));
    }

    @Override
    public NamingEnumeration<Binding> listBindings(String name) throws NamingException {
        return listed(name, e -> new Binding(e.getKey(), e.getValue()));
    }

    @Override
    public NamingEnumeration<Binding> listBindings(Name name) throws NamingException {
        return listBindings(flat(name));
    }

    @Override
    public void destroySubcontext(String name) throws NamingException {
        throw flatOnly();
    }

    @Override
    public void destroySubcontext(Name name) throws NamingException {
        throw flatOnly();
    }

    @Override
    public Context createSubcontext(String name) throws NamingException {
        throw flatOnly();
    }

    @Override
    public Context createSubcontext(Name name) throws NamingException {
        throw flatOnly();
    }

    @Override
    public NameParser getNameParser(String name) {
        return FLAT_PARSER;
    }

    @Override
    public NameParser getNameParser(Name name) {
        return FLAT_PARSER;
    }

    @Override
    public Name composeName(Name name, Name prefix) throws NamingException {
        return new CompositeName().add(composeName(flat(name), flat(prefix)));
    }

    @Override
    public String composeName(String name, String prefix) {
        return prefix == null || prefix.isEmpty() ? name : prefix + "/" + name;
    }

    @Override
    public Object addToEnvironment(String propName, Object propVal) {
        return environment.put(propName, propVal);
    }

    @Override
    public Object removeFromEnvironment(String propName) {
        return environment.remove(propName);
    }

    @Override
    public Hashtable<?, ?> getEnvironment() {
        return new Hashtable<>(environment);
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String getNameInNamespace() {
        return "";
    }

    private <T> NamingEnumeration<T> listed(String name, Function<Map.Entry<String, Object>, T> f)
            throws NamingException {
        checkOpen();
        if (name != null && !name.isEmpty()) {
            throw new NameNotFoundException("'" + name + "' is not a context: this context is flat, list \"\"");
        }
        List<T> items = new ArrayList<>();
        for (Map.Entry<String, Object> e : bindings.entrySet()) {
            items.add(f.apply(e));
        }
        return new ListEnumeration<>(items);
    }

    private void checkOpen() throws NamingException {
        if (closed) {
            throw new NamingException("this naming context is closed");
        }
    }

    /** A Name's components joined back with '/', since the namespace is flat. */
    private static String flat(Name name) {
        return name == null ? "" : String.join("/", Collections.list(name.getAll()));
    }

    private static String requireName(String name) throws InvalidNameException {
        if (name == null || name.isEmpty()) {
            throw new InvalidNameException("a name must not be empty");
        }
        return name;
    }

    private static OperationNotSupportedException flatOnly() {
        return new OperationNotSupportedException("TunnelMQ's naming context is flat and has no subcontexts; "
                + "bind names such as 'jms/orders' directly");
    }

    private static final class ListEnumeration<T> implements NamingEnumeration<T> {
        private final Iterator<T> it;

        ListEnumeration(List<T> items) {
            this.it = items.iterator();
        }

        @Override
        public T next() {
            return nextElement();
        }

        @Override
        public boolean hasMore() {
            return it.hasNext();
        }

        @Override
        public void close() {
        }

        @Override
        public boolean hasMoreElements() {
            return it.hasNext();
        }

        @Override
        public T nextElement() {
            if (!it.hasNext()) {
                throw new NoSuchElementException();
            }
            return it.next();
        }
    }
}
