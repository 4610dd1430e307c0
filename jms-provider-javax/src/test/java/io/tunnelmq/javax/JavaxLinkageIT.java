package io.tunnelmq.javax;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The jar a javax.jms application gets links against JMS 2.0 ({@code javax.jms:javax.jms-api:2.0.1}, the only JMS
 * API on this class path): no class or resource still names {@code jakarta.jms}, every class loads with its
 * signatures resolved, and every {@code javax.jms} constructor, method and field the client calls exists in JMS
 * 2.0 — Jakarta Messaging 3.1 added a few (the three-argument constructors of the checked exceptions), and using
 * one would compile in jms-provider and fail here instead of with a NoSuchMethodError in an application.
 */
@Timeout(60)
class JavaxLinkageIT {
    private static final String CLIENT_CLASS = "io.tunnelmq.jms.TunnelConnectionFactory";
    private static final String PROTOCOL_CLASS = "io.tunnelmq.protocol.Protocol";

    private static Path clientJar;
    private static Path protocolJar;

    @BeforeAll
    static void locateJars() throws Exception {
        assertThatThrownBy(() -> Class.forName("jakarta.jms.Message"))
                .as("jakarta.jms must not be on this class path, or the checks below prove nothing")
                .isInstanceOf(ClassNotFoundException.class);
        clientJar = jarOf(CLIENT_CLASS);
        protocolJar = jarOf(PROTOCOL_CLASS);
        assertThat(clientJar.getFileName().toString()).startsWith("jms-provider-javax-").endsWith(".jar");
    }

    @Test
    void noClassOrResourceNamesJakartaJms() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path jar : List.of(clientJar, protocolJar)) {
            try (JarFile file = new JarFile(jar.toFile())) {
                for (JarEntry entry : Collections.list(file.entries())) {
                    // META-INF/maven holds the build's POM (its comments say what is relocated); nothing reads it
                    boolean buildMetadata = entry.getName().startsWith("META-INF/maven/");
                    if (!entry.isDirectory() && !buildMetadata && namesJakartaJms(file, entry)) {
                        offenders.add(jar.getFileName() + "!/" + entry.getName());
                    }
                }
            }
        }
        assertThat(offenders).as("entries that still mention jakarta.jms or jakarta/jms").isEmpty();
    }

    @Test
    void everyClassLoadsAndItsSignaturesResolve() throws Exception {
        List<String> classes = classNames(clientJar);
        assertThat(classes).hasSizeGreaterThan(100).contains(CLIENT_CLASS, "io.tunnelmq.jndi.TunnelInitialContextFactory",
                "io.tunnelmq.jms.pool.PooledConnectionFactory");
        ClassLoader loader = getClass().getClassLoader();
        for (String name : classes) {
            Class<?> c = Class.forName(name, false, loader);
            // each of these resolves the types the signatures name: a leftover jakarta.jms type fails here
            c.getDeclaredFields();
            c.getDeclaredMethods();
            c.getDeclaredConstructors();
            c.getGenericInterfaces();
            c.getGenericSuperclass();
        }
    }

    @Test
    void everyJavaxJmsMemberTheClientUsesExistsInJms20() throws IOException {
        JavaClasses classes;
        try (JarFile jar = new JarFile(clientJar.toFile())) {
            classes = new ClassFileImporter().importJar(jar);
        }
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (JavaClass c : classes) {
            for (JavaAccess<?> access : c.getAccessesFromSelf()) {
                if (access.getTargetOwner().getPackageName().startsWith("javax.jms")) {
                    checked++;
                    if (access.getTarget().resolveMember().isEmpty()) {
                        missing.add(access.getDescription());
                    }
                }
            }
        }
        assertThat(checked).as("javax.jms members the client calls").isGreaterThan(100);
        assertThat(missing).as("javax.jms members JMS 2.0 does not have").isEmpty();
    }

    @Test
    void theClientImplementsTheJavaxInterfaces() throws ClassNotFoundException {
        ClassLoader loader = getClass().getClassLoader();
        assertThat(javax.jms.ConnectionFactory.class)
                .isAssignableFrom(Class.forName(CLIENT_CLASS, false, loader))
                .isAssignableFrom(Class.forName("io.tunnelmq.jms.pool.PooledConnectionFactory", false, loader));
        assertThat(javax.jms.Queue.class).isAssignableFrom(Class.forName("io.tunnelmq.jms.TunnelQueue", false, loader));
        assertThat(javax.jms.Topic.class).isAssignableFrom(Class.forName("io.tunnelmq.jms.TunnelTopic", false, loader));
    }

    private static boolean namesJakartaJms(JarFile file, JarEntry entry) throws IOException {
        try (InputStream in = file.getInputStream(entry)) {
            // ISO-8859-1 maps every byte to one char, so this finds the name in class constant pools and text alike
            String bytes = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return bytes.contains("jakarta/jms") || bytes.contains("jakarta.jms");
        }
    }

    private static List<String> classNames(Path jar) throws IOException {
        List<String> names = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : Collections.list(file.entries())) {
                String name = entry.getName();
                if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
                    names.add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
                }
            }
        }
        return names;
    }

    private static Path jarOf(String className) throws ClassNotFoundException, URISyntaxException {
        Class<?> c = Class.forName(className, false, JavaxLinkageIT.class.getClassLoader());
        Path location = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(location.toString()).as("where %s comes from", className).endsWith(".jar");
        return location;
    }
}
