package io.tunnelmq.server.management;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The answer of a management operation as a table of strings: what the admin channel carries, what the {@code admin}
 * command prints (aligned text, or JSON) and what JMX operations return as text. An absent value is {@code ""}.
 *
 * @param columns the column names
 * @param rows    the rows, each with one value per column
 */
public record AdminTable(List<String> columns, List<List<String>> rows) {

    public AdminTable {
        columns = List.copyOf(columns);
        List<List<String>> copy = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("a row has " + row.size() + " values for " + columns.size()
                        + " columns");
            }
            copy.add(row.stream().map(v -> Objects.requireNonNullElse(v, "")).toList());
        }
        rows = List.copyOf(copy);
    }

    /** A table of one row. */
    public static AdminTable of(List<String> columns, List<String> row) {
        return new AdminTable(columns, List.of(row));
    }

    /**
     * The table as aligned text: a header line, then one line per row, columns separated by two spaces, numbers
     * right-aligned. Line breaks and tabs inside values are shown as spaces, so each row stays one line.
     */
    public String render() {
        int n = columns.size();
        int[] widths = new int[n];
        boolean[] numeric = new boolean[n];
        for (int c = 0; c < n; c++) {
            widths[c] = columns.get(c).length();
            numeric[c] = !rows.isEmpty();
        }
        List<List<String>> shown = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            List<String> cells = row.stream().map(AdminTable::oneLine).toList();
            shown.add(cells);
            for (int c = 0; c < n; c++) {
                widths[c] = Math.max(widths[c], cells.get(c).length());
                numeric[c] &= cells.get(c).isEmpty() || cells.get(c).matches("-?\\d+");
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, columns, widths, new boolean[n]);
        for (List<String> cells : shown) {
            line(sb, cells, widths, numeric);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] widths, boolean[] rightAligned) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                line.append("  ");
            }
            String cell = cells.get(c);
            String pad = " ".repeat(widths[c] - cell.length());
            line.append(rightAligned[c] ? pad + cell : c == cells.size() - 1 ? cell : cell + pad);
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    private static String oneLine(String value) {
        return value.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    }

    /** The rows as a JSON array of objects, keyed by column name; every value a JSON string. */
    public String toJson() {
        StringBuilder sb = new StringBuilder("[");
        for (int r = 0; r < rows.size(); r++) {
            sb.append(r == 0 ? "\n  {" : ",\n  {");
            List<String> row = rows.get(r);
            for (int c = 0; c < columns.size(); c++) {
                if (c > 0) {
                    sb.append(", ");
                }
                jsonString(sb, columns.get(c)).append(": ");
                jsonString(sb, row.get(c));
            }
            sb.append('}');
        }
        return sb.append(rows.isEmpty() ? "]" : "\n]").toString();
    }

    /** Appends {@code s} as a JSON string literal (RFC 8259 escapes). */
    static StringBuilder jsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (ch < 0x20 || ch == 0x2028 || ch == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"');
    }
}
