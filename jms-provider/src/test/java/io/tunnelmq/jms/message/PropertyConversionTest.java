package io.tunnelmq.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JMS 2.0 §3.5.4 property conversion table and the property name rules. */
@Timeout(10)
class PropertyConversionTest {

    /** A getter of the Message API, as a function that may throw. */
    @FunctionalInterface
    interface Getter {
        Object get(JmsMessage m, String name) throws JMSException;
    }

    private static final Map<String, Getter> GETTERS = Map.of(
            "boolean", JmsMessage::getBooleanProperty,
            "byte", JmsMessage::getByteProperty,
            "short", JmsMessage::getShortProperty,
            "int", JmsMessage::getIntProperty,
            "long", JmsMessage::getLongProperty,
            "float", JmsMessage::getFloatProperty,
            "double", JmsMessage::getDoubleProperty,
            "String", JmsMessage::getStringProperty);

    /** For each written type: the getters the table allows. Every other getter must throw MessageFormatException. */
    private static final Map<Object, List<String>> ALLOWED = Map.of(
            true, List.of("boolean", "String"),
            (byte) 7, List.of("byte", "short", "int", "long", "String"),
            (short) 7, List.of("short", "int", "long", "String"),
            7, List.of("int", "long", "String"),
            7L, List.of("long", "String"),
            7.5f, List.of("float", "double", "String"),
            7.5d, List.of("double", "String"));

    @Test
    void everyCellOfTheConversionTable() throws JMSException {
        for (Map.Entry<Object, List<String>> row : ALLOWED.entrySet()) {
            JmsMessage m = new JmsMessage();
            m.setObjectProperty("p", row.getKey());
            for (Map.Entry<String, Getter> getter : GETTERS.entrySet()) {
                String cell = row.getKey().getClass().getSimpleName() + " read as " + getter.getKey();
                if (row.getValue().contains(getter.getKey())) {
                    Object v = getter.getValue().get(m, "p");
                    assertThat(v).as(cell).isNotNull();
                    assertThat(v.toString()).as(cell).isIn(row.getKey().toString(), "7", "7.0", "7.5");
                } else {
                    assertThatThrownBy(() -> getter.getValue().get(m, "p")).as(cell)
                            .isInstanceOf(MessageFormatException.class);
                }
            }
        }
    }

    @Test
    void stringsConvertToEveryTypeAndBadNumbersThrowNumberFormatException() throws JMSException {
        JmsMessage m = new JmsMessage();
        m.setStringProperty("n", "12");
        m.setStringProperty("b", "TRUE");
        m.setStringProperty("x", "twelve");
        assertThat(m.getByteProperty("n")).isEqualTo((byte) 12);
        assertThat(m.getShortProperty("n")).isEqualTo((short) 12);
        assertThat(m.getIntProperty("n")).isEqualTo(12);
        assertThat(m.getLongProperty("n")).isEqualTo(12L);
        assertThat(m.getFloatProperty("n")).isEqualTo(12f);
        assertThat(m.getDoubleProperty("n")).isEqualTo(12d);
        assertThat(m.getBooleanProperty("b")).isTrue();
        assertThat(m.getBooleanProperty("x")).isFalse();
        assertThatThrownBy(() -> m.getIntProperty("x")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> m.getDoubleProperty("x")).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void missingPropertiesReadAsValueOfNull() throws JMSException {
        JmsMessage m = new JmsMessage();
        assertThat(m.getStringProperty("none")).isNull();
        assertThat(m.getObjectProperty("none")).isNull();
        assertThat(m.getBooleanProperty("none")).isFalse();
        assertThat(m.propertyExists("none")).isFalse();
        assertThatThrownBy(() -> m.getByteProperty("none")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> m.getShortProperty("none")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> m.getIntProperty("none")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> m.getLongProperty("none")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> m.getFloatProperty("none")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> m.getDoubleProperty("none")).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1abc", "a-b", "a b", "a.b", "\u00e9-x"})
    void invalidNamesAreRejected(String name) {
        JmsMessage m = new JmsMessage();
        assertThatThrownBy(() -> m.setIntProperty(name, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(name);
    }

    @Test
    void nullNameIsRejected() {
        assertThatThrownBy(() -> new JmsMessage().setStringProperty(null, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null");
    }

    @Test
    void validIdentifiersAreAccepted() throws JMSException {
        JmsMessage m = new JmsMessage();
        m.setIntProperty("_a$1", 1);
        m.setIntProperty("JMS_Vendor_x", 2);
        m.setIntProperty("nullable", 3);
        assertThat(Collections.list(m.getPropertyNames())).containsExactly("_a$1", "JMS_Vendor_x", "nullable");
    }

    /** Joram's conversion tests name a property "true"; a selector cannot refer to it, but it is a valid name. */
    @ParameterizedTest
    @ValueSource(strings = {"NULL", "true", "And", "between", "ESCAPE", "is", "in", "like", "not", "or", "false"})
    void selectorReservedWordsAreAcceptedAsNames(String name) throws JMSException {
        JmsMessage m = new JmsMessage();
        m.setBooleanProperty(name, true);
        assertThat(m.getBooleanProperty(name)).isTrue();
        assertThatThrownBy(() -> m.getLongProperty(name)).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void objectPropertiesMustBePropertyTypes() throws JMSException {
        JmsMessage m = new JmsMessage();
        assertThatThrownBy(() -> m.setObjectProperty("c", 'c')).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> m.setObjectProperty("b", new byte[1])).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> m.setObjectProperty("l", List.of())).isInstanceOf(MessageFormatException.class);
        m.setObjectProperty("i", 5);
        assertThat(m.getObjectProperty("i")).isEqualTo(5);
    }

    @Test
    void jmsxGroupPropertiesHaveFixedTypes() throws JMSException {
        JmsMessage m = new JmsMessage();
        assertThatThrownBy(() -> m.setIntProperty("JMSXGroupID", 1)).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> m.setStringProperty("JMSXGroupSeq", "1")).isInstanceOf(MessageFormatException.class);
        m.setStringProperty("JMSXGroupID", "g");
        m.setIntProperty("JMSXGroupSeq", 3);
        assertThat(m.getStringProperty("JMSXGroupID")).isEqualTo("g");
        assertThat(m.getIntProperty("JMSXGroupSeq")).isEqualTo(3);
    }

    @Test
    void receivedPropertiesAreReadOnlyUntilCleared() throws JMSException {
        JmsMessage m = new JmsMessage();
        m.setStringProperty("a", "1");
        m.markReadOnly();
        assertThatThrownBy(() -> m.setStringProperty("b", "2")).isInstanceOf(MessageNotWriteableException.class)
                .hasMessageContaining("clearProperties");
        assertThat(m.getStringProperty("a")).isEqualTo("1");
        m.clearProperties();
        assertThat(m.propertyExists("a")).isFalse();
        m.setStringProperty("b", "2");
        assertThat(m.getStringProperty("b")).isEqualTo("2");
    }

    @Test
    void producerPropertiesFollowTheSameRules() throws JMSException {
        MessageProperties p = new MessageProperties();
        p.set("x", 3);
        assertThat(p.getLong("x")).isEqualTo(3L);
        assertThatThrownBy(() -> p.getBoolean("x")).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> p.set("a-b", 1)).isInstanceOf(IllegalArgumentException.class);
        Function<MessageProperties, Map<String, Object>> snapshot = MessageProperties::snapshot;
        assertThat(snapshot.apply(p)).containsEntry("x", 3);
    }
}
