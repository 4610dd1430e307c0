package io.tunnelmq.server.selector;

import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class SelectorTest {

    private static WireMessage message() {
        Map<String, Object> p = new HashMap<>();
        p.put("name", "Joe");
        p.put("color", "red");
        p.put("age", 42);
        p.put("weight", 2.5d);
        p.put("small", (byte) 3);
        p.put("flag", true);
        p.put("off", false);
        p.put("country", "UK");
        p.put("phone", "12-3");
        p.put("path", "a_b%c");
        p.put("f", 1.5f);
        p.put("big", Long.MAX_VALUE);
        p.put("bytes", new byte[] {1});
        return new WireMessage(WireDestination.queue("q"), "ID:1", 1000L, "corr", null, "car", true, 7, 0, 0, p,
                BodyType.TEXT, null);
    }

    private static boolean matches(String selector) {
        return Selector.compile(selector).matches(message());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "name = 'Joe'", "NAME IS NULL", "name <> 'Bob'", "age = 42", "age > 41.5", "age >= 42", "age < 43",
            "age <= 42", "age <> 41", "weight = 2.5", "small = 3", "f = 1.5", "flag", "flag = TRUE", "off = false",
            "NOT off", "age BETWEEN 40 AND 50", "age NOT BETWEEN 43 AND 50", "age BETWEEN 42 AND 42",
            "country IN ('UK', 'US', 'France')", "country NOT IN ('US')", "phone LIKE '12%3'", "phone LIKE '12_3'",
            "name LIKE 'J%'", "name NOT LIKE 'j%'", "path LIKE 'a\\_b\\%c' ESCAPE '\\'", "path LIKE 'a!_b%' ESCAPE '!'",
            "missing IS NULL", "name IS NOT NULL", "age + 8 = 50", "age - 2 = 40", "age * 2 = 84", "age / 5 = 8",
            "age / 5.0 = 8.4", "-age = -42", "+age = 42", "- -age = 42", "1 + 2 * 3 = 7", "(1 + 2) * 3 = 9",
            "JMSDeliveryMode = 'PERSISTENT'", "JMSPriority = 7", "JMSPriority > 5", "JMSMessageID = 'ID:1'",
            "JMSTimestamp = 1000", "JMSCorrelationID = 'corr'", "JMSType = 'car'", "JMSType IN ('car', 'bike')",
            "color = 'red' AND age > 10 OR name = 'nobody'", "name = 'x' OR age = 42", "TRUE", "true", "tRuE",
            "NOT FALSE", "age = 42 and name = 'Joe'", "1E3 = 1000", "1.5E1 = 15", ".5 = 0.5", "7. = 7", "10L = 10",
            "big = 9223372036854775807", "-9223372036854775808 < 0", "'it''s' = 'it''s'",
            "missing IS NULL OR missing = 1", "NOT (missing = 1 AND FALSE)", "weight BETWEEN 2 AND 3",
            "age IN ('42') OR TRUE", "name LIKE '%' ", "name='Joe'AND age=42", "age = 42.0",
            "age BETWEEN 41.9 AND 42.1", "1 / 2 = 0", "1.0 / 2 = 0.5",
            "age = 052", "age = 0x2A", "age = 0X2aL", "-0x2a = -age", "0 = age - 42", "age = 052.0 - 10"
    })
    void selects(String selector) {
        assertThat(matches(selector)).as(selector).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "name = 'joe'", "name <> 'Joe'", "age > 42", "age = '42'", "name = 42", "flag = 1", "FALSE",
            "NOT flag", "age NOT BETWEEN 40 AND 50", "country IN ('US')", "name LIKE 'j%'", "phone LIKE '12_'",
            "missing = 1", "NOT (missing = 1)", "missing <> 1", "missing > 1 OR FALSE", "missing IN ('a')",
            "missing NOT IN ('a')", "missing LIKE 'a'", "missing NOT LIKE 'a'", "missing BETWEEN 1 AND 2",
            "missing NOT BETWEEN 1 AND 2", "NOT missing", "missing", "name", "age", "age IN ('42')",
            "age LIKE '4%'", "name < color", "NOT (name < color)", "flag > off", "bytes IS NOT NULL", "age / 0 = 1",
            "age + missing = 42", "-missing = 0", "JMSPriority < 5",
            "JMSDeliveryMode = 'NON_PERSISTENT'", "JMSMessageID IS NULL", "jmspriority = 7",
            "age = 42 AND missing = 1", "name = 'Joe' AND NOT (missing = 1)"
    })
    void doesNotSelect(String selector) {
        assertThat(matches(selector)).as(selector).isFalse();
    }

    @Test
    void threeValuedLogicFollowsTheSqlTables() {
        // U = unknown (missing = 1), T and F literals
        String u = "(missing = 1)";
        assertThat(matches(u + " OR TRUE")).isTrue();
        assertThat(matches("TRUE OR " + u)).isTrue();
        assertThat(matches(u + " OR FALSE")).isFalse();
        assertThat(matches("NOT (" + u + " OR FALSE)")).isFalse(); // NOT UNKNOWN is UNKNOWN
        assertThat(matches(u + " AND FALSE")).isFalse();
        assertThat(matches("NOT (" + u + " AND FALSE)")).isTrue(); // U AND F is F
        assertThat(matches("NOT (" + u + " AND TRUE)")).isFalse(); // U AND T is U
        assertThat(matches("NOT (" + u + " OR TRUE)")).isFalse();
        assertThat(matches(u + " IS NULL")).isTrue();
        assertThat(matches("NOT NOT TRUE")).isTrue();
    }

    @Test
    void comparingUnlikeTypesIsFalseSoItsNegationIsTrue() {
        assertThat(matches("NOT (name = 42)")).isTrue();
        assertThat(matches("NOT (age = '42')")).isTrue();
    }

    @Test
    void identifiersAreCaseSensitiveKeywordsAreNot() {
        assertThat(matches("Name = 'Joe'")).isFalse();
        assertThat(matches("name = 'Joe' AnD age BeTwEeN 1 aNd 100 oR nOt TRUE")).isTrue();
        assertThat(matches("name iS nOt NuLl")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t\n"})
    void emptyOrBlankMeansNoSelector(String text) {
        assertThat(Selector.compile(text)).isNull();
        assertThat(Selector.compile(null)).isNull();
        assertThat(Selector.matches(null, message())).isTrue();
    }

    @Test
    void errorSaysWhereAndWhy() {
        assertThatThrownBy(() -> Selector.compile("a >"))
                .isInstanceOf(SelectorException.class)
                .hasMessage("selector 'a >' is invalid at position 3: expected an operand");
        SelectorException e = catchSelector("name = 'Joe' AND");
        assertThat(e.position()).isEqualTo(16);
        assertThat(e.selector()).isEqualTo("name = 'Joe' AND");
        assertThat(e.reason()).isEqualTo("expected an operand");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "a = 'abc|4|string literal is not closed",
            "a = 1 b|6|unexpected 'b'",
            "a # 1|2|unexpected character '#'",
            "(a = 1|6|expected ')'",
            "a IN (1, 2)|6|expected a string literal in the IN list",
            "a IN 'x'|5|expected '(' to start the IN list",
            "a LIKE 5|7|expected a string literal pattern after LIKE",
            "a LIKE 'x' ESCAPE 'ab'|18|expected a one-character string literal after ESCAPE",
            "a LIKE 'x!' ESCAPE '!'|7|ends with its escape character",
            "a BETWEEN 1 2|12|expected AND after BETWEEN",
            "a IS 1|5|expected NULL after IS",
            "a IS NOT 1|9|expected NULL after IS NOT",
            "a NOT 1|6|expected BETWEEN, IN or LIKE after NOT",
            "5|0|expected a condition but found a numeric expression",
            "'abc'|0|expected a condition but found a string expression",
            "a + 1|0|expected a condition but found a numeric expression",
            "a = 1 AND 2|6|expected a condition",
            "NOT 'x'|0|expected a condition",
            "a = 'x' + 1|8|'+' needs numbers, not a string expression",
            "a = TRUE * 2|9|'*' needs numbers, not a boolean expression",
            "a = -'x'|4|'-' needs numbers",
            "'x' LIKE 'y'|4|LIKE needs an identifier",
            "AND = 1|0|expected an operand, found keyword AND",
            "a = 99999999999999999999|4|out of the range of a long",
            "a = 1E|6|the exponent of number '1E' has no digits",
            "a = 1e999|4|out of the range of a double",
            "a = 12abc|6|unexpected character 'a' after number 12",
            "a = = 1|4|expected an operand",
            "a = 1 = 2|6|unexpected '='",
            ")|0|expected an operand",
            "NULL = ZERO|0|NULL is not a value: test for it with IS NULL",
            "a = NULL|4|NULL is not a value",
            "TRUE > 0|5|'>' compares numbers only",
            "FALSE < 0|6|'<' compares numbers only",
            "a < 'x'|2|'<' compares numbers only; strings and booleans support only = and <>",
            "'x' >= a|4|'>=' compares numbers only",
            "a > TRUE|2|'>' compares numbers only",
            "TRUE = 0|5|'=' cannot compare a boolean with a numeric",
            "FALSE <> 0|6|'<>' cannot compare a boolean with a numeric",
            "'1' = 1|4|'=' cannot compare a string with a numeric",
            "a BETWEEN 'foo' and 'test'|2|'BETWEEN' needs numbers, not a string expression",
            "a NOT BETWEEN 1 AND TRUE|6|'BETWEEN' needs numbers, not a boolean expression",
            "a = 0x|4|hexadecimal number '0x' needs hexadecimal digits",
            "a = 0x1g|4|hexadecimal number '0x1' needs hexadecimal digits",
            "a = 09|4|octal number '09' is not a valid octal long"
    })
    void refusesInvalidSelectors(String text, int position, String reason) {
        SelectorException e = catchSelector(text);
        assertThat(e.position()).as(e.getMessage()).isEqualTo(position);
        assertThat(e.reason()).as(e.getMessage()).contains(reason);
        assertThat(e.getMessage()).startsWith("selector '" + text + "' is invalid at position " + position + ": ");
    }

    @Test
    void likeTreatsRegexCharactersLiterally() {
        assertThat(Selector.compile("p LIKE 'a.c'").matches(with("p", "abc"))).isFalse();
        assertThat(Selector.compile("p LIKE 'a.c'").matches(with("p", "a.c"))).isTrue();
        assertThat(Selector.compile("p LIKE '(x)*[y]$'").matches(with("p", "(x)*[y]$"))).isTrue();
        assertThat(Selector.compile("p LIKE '%\\n%'").matches(with("p", "a\\nb"))).isTrue();
        assertThat(Selector.compile("p LIKE 'a%'").matches(with("p", "a\nb"))).isTrue();
        assertThat(Selector.compile("p LIKE '_'").matches(with("p", ""))).isFalse();
    }

    @Test
    void theSpecsExamples() {
        WireMessage car = new WireMessage(WireDestination.queue("q"), "ID:2", 0, null, null, "car", false, 4, 0, 0,
                Map.of("color", "blue", "weight", 2600, "JMSXGroupID", "g1"), BodyType.TEXT, null);
        assertThat(Selector.compile("JMSType = 'car' AND color = 'blue' AND weight > 2500").matches(car)).isTrue();
        assertThat(Selector.compile("weight BETWEEN 2500 AND 3500").matches(car)).isTrue();
        assertThat(Selector.compile("JMSXGroupID = 'g1'").matches(car)).isTrue();
        assertThat(Selector.compile("weight * 2 > 5000 AND JMSDeliveryMode = 'NON_PERSISTENT'").matches(car)).isTrue();
        assertThat(Selector.compile("JMSMessageID IN ('ID:1', 'ID:2')").matches(car)).isTrue();
        assertThat(Selector.compile("JMSCorrelationID IS NULL").matches(car)).isTrue();
    }

    @Test
    void jmsxDeliveryCountIsTheCountOfTheDeliveryBeingDecided() {
        Selector firstOnly = Selector.compile("JMSXDeliveryCount = 1");
        assertThat(firstOnly.matches(message())).isTrue();
        assertThat(firstOnly.matches(message(), 1)).isTrue();
        assertThat(firstOnly.matches(message(), 2)).isFalse();
        assertThat(Selector.compile("JMSXDeliveryCount > 2").matches(message(), 3)).isTrue();
    }

    @Test
    void textIsKept() {
        Selector s = Selector.compile("a = 1");
        assertThat(s.text()).isEqualTo("a = 1");
        assertThat(s).hasToString("selector 'a = 1'");
    }

    private static WireMessage with(String name, Object value) {
        return new WireMessage(WireDestination.queue("q"), null, 0, null, null, null, false, 4, 0, 0,
                Map.of(name, value), BodyType.MESSAGE, null);
    }

    private static SelectorException catchSelector(String text) {
        try {
            Selector.compile(text);
        } catch (SelectorException e) {
            return e;
        }
        throw new AssertionError("selector '" + text + "' was accepted");
    }
}
