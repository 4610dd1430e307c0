package io.tunnelmq.jms;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's layer rules (ARCHITECTURE.md, "Client layering"), checked on the compiled main classes, so a broken
 * rule fails the build naming the class and the reference: public API and facade -> engine -> transport ->
 * protocol, never back up; the facade never sees a frame; only {@code io.tunnelmq.jms} and {@code io.tunnelmq.jndi}
 * are public API.
 */
@Timeout(60)
class LayerRulesTest {
    private static final String PUBLIC_API = "io.tunnelmq.jms";
    private static final String JNDI = "io.tunnelmq.jndi..";
    private static final String POOL = "io.tunnelmq.jms.pool..";
    private static final String FACADE_CLIENT = "io.tunnelmq.jms.client..";
    private static final String FACADE_MESSAGES = "io.tunnelmq.jms.message..";
    private static final String FAILOVER = "io.tunnelmq.jms.failover..";
    private static final String ENGINE = "io.tunnelmq.jms.engine..";
    private static final String TRANSPORT = "io.tunnelmq.jms.transport..";
    private static final String FRAMES = "io.tunnelmq.protocol.frame..";
    private static final String JMS_API = "jakarta.jms..";

    /** The packages applications may use; everything else under io.tunnelmq.jms says it is internal. */
    private static final Set<String> PUBLIC_PACKAGES = Set.of(PUBLIC_API, "io.tunnelmq.jms.pool", "io.tunnelmq.jndi");

    private static JavaClasses client;

    @BeforeAll
    static void importClient() {
        client = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("io.tunnelmq.jms", "io.tunnelmq.jndi");
        assertThat(client).as("the client's main classes were found").hasSizeGreaterThan(50);
    }

    @Test
    void layersOnlyDependDownwards() {
        ArchRule rule = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("public API").definedBy(PUBLIC_API, POOL, JNDI)
                .layer("facade").definedBy(FACADE_CLIENT, FACADE_MESSAGES)
                .layer("failover").definedBy(FAILOVER)
                .layer("engine").definedBy(ENGINE)
                .layer("transport").definedBy(TRANSPORT)
                // the public API creates the facade and the facade implements and returns the public types
                .whereLayer("facade").mayOnlyBeAccessedByLayers("public API")
                .whereLayer("failover").mayOnlyBeAccessedByLayers("public API", "facade")
                .whereLayer("engine").mayOnlyBeAccessedByLayers("public API", "facade", "failover")
                .whereLayer("transport").mayOnlyBeAccessedByLayers("engine");
        rule.check(client);
    }

    @Test
    void engineNeverImportsJmsNorTheLayersAboveIt() {
        noClasses().that().resideInAPackage(ENGINE)
                .should().dependOnClassesThat()
                .resideInAnyPackage(JMS_API, PUBLIC_API, POOL, JNDI, FACADE_CLIENT, FACADE_MESSAGES, FAILOVER)
                .because("the engine returns futures and EngineExceptions; the facade maps them to JMS")
                .check(client);
    }

    @Test
    void failoverSeesOnlyTheEngineInterfaces() {
        noClasses().that().resideInAPackage(FAILOVER)
                .should().dependOnClassesThat()
                .resideInAnyPackage(JMS_API, PUBLIC_API, POOL, JNDI, FACADE_CLIENT, FACADE_MESSAGES, TRANSPORT, FRAMES)
                .because("the failover layer decorates the engine's interfaces; it never sees JMS, Netty or a frame")
                .check(client);
    }

    @Test
    void facadeNeverSeesAFrame() {
        noClasses().that().resideInAnyPackage(PUBLIC_API, POOL, JNDI, FACADE_CLIENT, FACADE_MESSAGES)
                .should().dependOnClassesThat().resideInAPackage(FRAMES)
                .because("frames are the engine's business; the facade talks to the engine interfaces")
                .check(client);
    }

    @Test
    void transportKnowsOnlyTheProtocol() {
        noClasses().that().resideInAPackage(TRANSPORT)
                .should().dependOnClassesThat()
                .resideInAnyPackage(JMS_API, PUBLIC_API, POOL, JNDI, FACADE_CLIENT, FACADE_MESSAGES, FAILOVER, ENGINE)
                .because("the transport moves frames; the engine adds its handlers on top")
                .check(client);
    }

    @Test
    void internalPackagesAreFreeOfCycles() {
        slices().matching("io.tunnelmq.jms.(*)..").should().beFreeOfCycles().check(client);
    }

    @Test
    void publicApiSignaturesUseOnlyPublicApiTypes() {
        classes().that().resideInAnyPackage(PUBLIC_API, POOL, JNDI).and().arePublic()
                .should(exposeOnlyPublicTypes())
                .because("only io.tunnelmq.jms, io.tunnelmq.jms.pool and io.tunnelmq.jndi are public API: an "
                        + "application must never "
                        + "need an internal type to call it")
                .check(client);
    }

    @Test
    void everyInternalPackageSaysItIsInternal() throws IOException {
        Set<String> internal = new TreeSet<>();
        for (JavaClass c : client) {
            if (!PUBLIC_PACKAGES.contains(c.getPackageName())) {
                internal.add(c.getPackageName());
            }
        }
        assertThat(internal).as("internal packages").contains("io.tunnelmq.jms.client", "io.tunnelmq.jms.engine");
        List<String> undocumented = new ArrayList<>();
        for (String pkg : internal) {
            Path info = Path.of("src/main/java", pkg.replace('.', '/'), "package-info.java");
            if (!Files.exists(info) || !Files.readString(info).contains("Internal: not public API")) {
                undocumented.add(pkg);
            }
        }
        assertThat(undocumented)
                .as("internal packages whose package-info.java does not say 'Internal: not public API'")
                .isEmpty();
    }

    /** Public and protected members of a public class take, return, throw and hold only public-API types. */
    private static ArchCondition<JavaClass> exposeOnlyPublicTypes() {
        return new ArchCondition<>("expose only public API, JDK and Jakarta Messaging types") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                for (JavaMember member : type.getMembers()) {
                    if (!member.getModifiers().contains(JavaModifier.PUBLIC)
                            && !member.getModifiers().contains(JavaModifier.PROTECTED)) {
                        continue;
                    }
                    List<JavaClass> exposed = new ArrayList<>();
                    if (member instanceof JavaField field) {
                        exposed.add(field.getRawType());
                    } else if (member instanceof JavaCodeUnit code) {
                        exposed.add(code.getRawReturnType());
                        exposed.addAll(code.getRawParameterTypes());
                        exposed.addAll(code.getThrowsClause().getTypes());
                    }
                    for (JavaClass t : exposed) {
                        JavaClass base = t.isArray() ? t.getBaseComponentType() : t;
                        if (!isPublicType(base)) {
                            events.add(SimpleConditionEvent.violated(member, member.getFullName() + " exposes "
                                    + base.getName()));
                        }
                    }
                }
            }
        };
    }

    private static boolean isPublicType(JavaClass t) {
        String pkg = t.getPackageName();
        return t.isPrimitive() || PUBLIC_PACKAGES.contains(pkg) || pkg.startsWith("java.") || pkg.startsWith("javax.")
                || pkg.startsWith("jakarta.jms");
    }
}
