package io.tunnelmq.compat;

import io.netty.util.Version;
import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.protocol.net.NioEventLoops;
import io.tunnelmq.server.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.objectweb.asm.Type;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client, the broker and the wire format, compiled against Netty 4.2, name nothing that Netty 4.1 lacks: every
 * class, method and field their bytecode refers to resolves here, where the class path holds only Netty 4.1. (A
 * compile against 4.1 would not be enough: javac may bind a call to an overload that only 4.2 has.)
 */
@Timeout(60)
class Netty41LinkageTest {
    @Test
    void theClassPathHoldsNetty41() {
        assertThat(Version.identify().get("netty-common").artifactVersion()).startsWith("4.1.");
        assertThat(Version.identify().get("netty-transport").artifactVersion()).startsWith("4.1.");
    }

    @Test
    void theWireFormatLinks() {
        assertLinks(NioEventLoops.class);
    }

    @Test
    void theClientLinks() {
        assertLinks(TunnelConnectionFactory.class);
    }

    @Test
    void theBrokerLinks() {
        assertLinks(EmbeddedBroker.class);
    }

    private static void assertLinks(Class<?> module) {
        NettyReferences refs = NettyReferences.of(module);
        List<String> missing = new ArrayList<>();
        refs.classes.stream().filter(c -> load(c) == null).forEach(c -> missing.add("class " + c));
        refs.methods.stream().filter(m -> !methodExists(m)).forEach(m -> missing.add("method " + m));
        refs.fields.stream().filter(f -> !fieldExists(f)).forEach(f -> missing.add("field " + f));
        // a module that named no Netty method would pass without checking anything
        assertThat(refs.methods).anyMatch(m -> m.startsWith("io/netty/"));
        assertThat(missing).as("references that Netty %s cannot resolve",
                Version.identify().get("netty-common").artifactVersion()).isEmpty();
    }

    private static Class<?> load(String internalName) {
        try {
            return Class.forName(internalName.replace('/', '.'), false, Netty41LinkageTest.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static boolean methodExists(String reference) {
        String[] parts = reference.split(" ");
        if (parts[1].equals("<init>")) {
            // constructors are not inherited: only the owner's own count
            return declares(parts[0], parts[1], parts[2], type -> type.getName().equals(parts[0].replace('/', '.'))
                    ? Stream.of(type.getDeclaredConstructors()).map(c -> "<init> " + Type.getConstructorDescriptor(c))
                    : Stream.empty());
        }
        // clone() on arrays, and Object's methods, which the JVM gives every interface
        return declares(parts[0], parts[1], parts[2], type -> Stream.of(type.getDeclaredMethods())
                .map(m -> m.getName() + " " + Type.getMethodDescriptor(m)))
                || parts[1].equals("clone") || Stream.of(Object.class.getDeclaredMethods())
                .anyMatch(m -> m.getName().equals(parts[1]) && Type.getMethodDescriptor(m).equals(parts[2]));
    }

    private static boolean fieldExists(String reference) {
        String[] parts = reference.split(" ");
        return declares(parts[0], parts[1], parts[2], type -> Stream.of(type.getDeclaredFields())
                .map(f -> f.getName() + " " + Type.getDescriptor(f.getType())));
    }

    /** Whether the owner or one of its supertypes declares a member {@code name descriptor}, as members lists them. */
    private static boolean declares(String owner, String name, String descriptor,
                                    Function<Class<?>, Stream<String>> members) {
        Class<?> type = load(owner);
        if (type == null) {
            return false;
        }
        String wanted = name + " " + descriptor;
        try {
            return hierarchy(type).stream().flatMap(members).anyMatch(wanted::equals);
        } catch (LinkageError e) {
            return false; // a signature in the hierarchy names a class this Netty lacks
        }
    }

    /** The class, its superclasses and every interface they implement: where the JVM looks a member up. */
    private static List<Class<?>> hierarchy(Class<?> start) {
        List<Class<?>> order = new ArrayList<>();
        Set<Class<?>> seen = new HashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            Class<?> c = todo.removeFirst();
            if (seen.add(c)) {
                order.add(c);
                if (c.getSuperclass() != null) {
                    todo.addLast(c.getSuperclass());
                }
                todo.addAll(List.of(c.getInterfaces()));
            }
        }
        return order;
    }
}
