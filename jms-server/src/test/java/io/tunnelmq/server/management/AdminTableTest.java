package io.tunnelmq.server.management;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class AdminTableTest {
    private final AdminTable table = new AdminTable(List.of("name", "messages", "note"), List.of(
            List.of("orders", "12", "line\nbreak"),
            List.of("a", "3", "")));

    @Test
    void rendersAlignedColumnsWithNumbersOnTheRight() {
        assertThat(table.render()).isEqualTo("""
                name    messages  note
                orders        12  line break
                a              3
                """);
    }

    @Test
    void jsonEscapesQuotesBackslashesAndControlCharacters() {
        AdminTable odd = AdminTable.of(List.of("k\"ey"), List.of("a\\b\"c\n\u0001"));
        assertThat(odd.toJson()).isEqualTo("[\n  {\"k\\\"ey\": \"a\\\\b\\\"c\\n\\u0001\"}\n]");
        assertThat(new AdminTable(List.of("x"), List.of()).toJson()).isEqualTo("[]");
        assertThat(table.toJson()).contains("{\"name\": \"orders\", \"messages\": \"12\", \"note\": \"line\\nbreak\"}");
    }

    @Test
    void aRowMustHaveOneValuePerColumn() {
        assertThatThrownBy(() -> new AdminTable(List.of("a", "b"), List.of(List.of("1"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 values for 2 columns");
    }
}
