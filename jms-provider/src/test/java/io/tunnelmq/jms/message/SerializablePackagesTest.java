package io.tunnelmq.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.Serializable;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-factory allow-list ({@code serializablePackages}) and how it ranks against the system property. */
@Timeout(10)
class SerializablePackagesTest {

    /** Outside the default allow-list: its package is io.tunnelmq.jms.message. */
    record Parcel(String id) implements Serializable {
    }

    @AfterEach
    void clearProperty() {
        System.clearProperty(SerializablePackages.PROPERTY);
    }

    private static JmsObjectMessage holding(Serializable body, SerializablePackages packages) throws JMSException {
        JmsObjectMessage m = new JmsObjectMessage(packages);
        m.setObject(body);
        return m;
    }

    @Test
    void theFactoryOptionAllowsItsPrefixes() throws JMSException {
        JmsObjectMessage m = holding(new Parcel("p-1"), SerializablePackages.fromOption("com.example., io.tunnelmq.jms."));
        assertThat(m.getObject()).isEqualTo(new Parcel("p-1"));
        assertThat(m.getBody(Parcel.class)).isEqualTo(new Parcel("p-1"));
        assertThat(m.isBodyAssignableTo(Parcel.class)).isTrue();
    }

    @Test
    void aClassOutsideTheOptionIsRefusedNamingTheClassAndTheOption() throws JMSException {
        JmsObjectMessage m = holding(new Parcel("p-2"), SerializablePackages.fromOption("com.example."));
        assertThatThrownBy(m::getObject).isInstanceOf(MessageFormatException.class)
                .hasMessageContaining(Parcel.class.getName())
                .hasMessageContaining("serializablePackages")
                .hasMessageContaining("'io.tunnelmq.jms.message.'")
                .hasMessageContaining("com.example.");
        assertThatThrownBy(() -> m.getBody(Object.class)).isInstanceOf(MessageFormatException.class)
                .hasMessageContaining(Parcel.class.getName());
        assertThat(m.isBodyAssignableTo(Parcel.class)).isFalse();
        // the defaults stay allowed whatever the option says
        assertThat(holding(new java.util.ArrayList<>(List.of("x")), SerializablePackages.fromOption("com.example."))
                .getObject()).isEqualTo(List.of("x"));
    }

    @Test
    void withoutAnyConfigurationTheErrorNamesBothTheOptionAndTheSystemProperty() throws JMSException {
        JmsObjectMessage m = holding(new Parcel("p-3"), SerializablePackages.fromOption(null));
        assertThatThrownBy(m::getObject).isInstanceOf(MessageFormatException.class)
                .hasMessageContaining(Parcel.class.getName())
                .hasMessageContaining("serializablePackages=io.tunnelmq.jms.message.")
                .hasMessageContaining(SerializablePackages.PROPERTY)
                .hasMessageContaining("[java., javax., jakarta.]");
    }

    @Test
    void aStarAllowsEveryClass() throws JMSException {
        assertThat(holding(new Parcel("p-4"), SerializablePackages.fromOption("*")).getObject())
                .isEqualTo(new Parcel("p-4"));
    }

    @Test
    void theFactoryOptionWinsOverTheSystemProperty() throws JMSException {
        System.setProperty(SerializablePackages.PROPERTY, "io.tunnelmq.");
        // no option: the system property applies
        assertThat(holding(new Parcel("p-5"), SerializablePackages.fromOption(null)).getObject())
                .isEqualTo(new Parcel("p-5"));
        // an option replaces what the system property adds, even an empty one
        assertThatThrownBy(() -> holding(new Parcel("p-6"), SerializablePackages.fromOption("com.example."))
                .getObject()).isInstanceOf(MessageFormatException.class)
                .hasMessageContaining("overrides the system property");
        assertThatThrownBy(() -> holding(new Parcel("p-7"), SerializablePackages.fromOption("")).getObject())
                .isInstanceOf(MessageFormatException.class);

        System.setProperty(SerializablePackages.PROPERTY, "com.example.");
        assertThat(holding(new Parcel("p-8"), SerializablePackages.fromOption("io.tunnelmq.jms.message.SerializablePackagesTest$"))
                .getObject()).isEqualTo(new Parcel("p-8"));
    }

    @Test
    void theSystemPropertyIsReadAtEachDeserialization() throws JMSException {
        JmsObjectMessage m = holding(new Parcel("p-9"), SerializablePackages.fromSystemProperty());
        assertThatThrownBy(m::getObject).isInstanceOf(MessageFormatException.class);
        System.setProperty(SerializablePackages.PROPERTY, "*");
        assertThat(m.getObject()).isEqualTo(new Parcel("p-9"));
    }
}
