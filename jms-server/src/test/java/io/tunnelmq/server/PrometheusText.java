package io.tunnelmq.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests (the Prometheus Java client writes it but
 * has no reader). Fails on anything a Prometheus server would reject or that hints at a bug: a sample before its
 * family's {@code # TYPE}, a family typed twice, a sample name that does not belong to its family, bad label syntax
 * or escapes, a duplicate series, a value that is not a number.
 */
final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final Map<String, String> types = new HashMap<>();
    private final List<Sample> samples = new ArrayList<>();
    private final Set<List<Object>> series = new HashSet<>();

    private PrometheusText() {
    }

    /** @throws AssertionError naming the line and what is wrong with it */
    static PrometheusText parse(String text) {
        PrometheusText parsed = new PrometheusText();
        String[] lines = text.split("\n", -1);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new AssertionError("the exposition does not end with a line feed");
        }
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            try {
                parsed.line(line);
            } catch (RuntimeException e) {
                throw new AssertionError("line " + (i + 1) + " '" + line + "': " + e.getMessage(), e);
            }
        }
        return parsed;
    }

    /** Every sample of a metric name (a sample name: {@code x_total}, {@code x_bucket}, ...). */
    List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The value of the one sample with this name and exactly these labels. */
    double value(String name, String... labelPairs) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            wanted.put(labelPairs[i], labelPairs[i + 1]);
        }
        List<Sample> found = samples(name).stream().filter(s -> s.labels().equals(wanted)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one sample " + name + wanted + ", found " + found.size()
                    + " among " + samples(name));
        }
        return found.get(0).value();
    }

    /** The type the exposition declares for a family. */
    String type(String family) {
        return types.get(family);
    }

    private void line(String line) {
        if (line.startsWith("#")) {
            comment(line);
            return;
        }
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        int nameEnd = brace >= 0 && brace < space ? brace : space;
        if (nameEnd <= 0) {
            throw new IllegalArgumentException("no value");
        }
        String name = line.substring(0, nameEnd);
        requireName(name);
        Map<String, String> labels = new LinkedHashMap<>();
        int pos = nameEnd;
        if (line.charAt(pos) == '{') {
            pos = labels(line, pos + 1, labels);
        }
        if (pos >= line.length() || line.charAt(pos) != ' ') {
            throw new IllegalArgumentException("expected a space before the value");
        }
        String[] rest = line.substring(pos + 1).split(" ");
        if (rest.length < 1 || rest.length > 2) {
            throw new IllegalArgumentException("expected a value and an optional timestamp");
        }
        double value = number(rest[0]);
        if (rest.length == 2) {
            Long.parseLong(rest[1]);
        }
        String family = familyOf(name);
        Sample sample = new Sample(name, labels, value);
        if (!series.add(List.of(name, labels))) {
            throw new IllegalArgumentException("duplicate series " + name + labels);
        }
        if (types.get(family).equals("counter") && value < 0) {
            throw new IllegalArgumentException("a counter is negative");
        }
        samples.add(sample);
    }

    private void comment(String line) {
        String[] parts = line.split(" ", 4);
        if (parts.length >= 3 && parts[1].equals("TYPE")) {
            requireName(parts[2]);
            if (parts.length != 4 || !TYPES.contains(parts[3])) {
                throw new IllegalArgumentException("bad TYPE");
            }
            if (types.put(parts[2], parts[3]) != null) {
                throw new IllegalArgumentException("family " + parts[2] + " typed twice");
            }
        } else if (parts.length >= 3 && parts[1].equals("HELP")) {
            requireName(parts[2]);
        }
        // other comments are allowed and ignored
    }

    /** The declared family a sample name belongs to, by the suffix rules of its type. */
    private String familyOf(String name) {
        if (types.containsKey(name)) {
            String type = types.get(name);
            if (type.equals("histogram") || type.equals("summary")) {
                throw new IllegalArgumentException(type + " sample without a suffix");
            }
            return name;
        }
        for (String suffix : List.of("_bucket", "_sum", "_count", "_total", "_created")) {
            if (name.endsWith(suffix)) {
                String family = name.substring(0, name.length() - suffix.length());
                String type = types.get(family);
                if (type != null && (type.equals("histogram") || type.equals("summary") || suffix.equals("_total")
                        || suffix.equals("_created"))) {
                    return family;
                }
            }
        }
        throw new IllegalArgumentException("sample " + name + " has no # TYPE before it");
    }

    private static int labels(String line, int pos, Map<String, String> labels) {
        while (true) {
            if (line.charAt(pos) == '}') {
                return pos + 1;
            }
            int eq = line.indexOf('=', pos);
            String name = line.substring(pos, eq);
            if (!LABEL_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("bad label name '" + name + "'");
            }
            if (line.charAt(eq + 1) != '"') {
                throw new IllegalArgumentException("label value not quoted");
            }
            StringBuilder value = new StringBuilder();
            int i = eq + 2;
            for (; line.charAt(i) != '"'; i++) {
                char c = line.charAt(i);
                if (c == '\\') {
                    char next = line.charAt(++i);
                    switch (next) {
                        case '\\' -> value.append('\\');
                        case '"' -> value.append('"');
                        case 'n' -> value.append('\n');
                        default -> throw new IllegalArgumentException("bad escape \\" + next);
                    }
                } else {
                    value.append(c);
                }
            }
            if (labels.put(name, value.toString()) != null) {
                throw new IllegalArgumentException("label " + name + " twice");
            }
            pos = i + 1;
            if (line.charAt(pos) == ',') {
                pos++;
            } else if (line.charAt(pos) != '}') {
                throw new IllegalArgumentException("expected ',' or '}' after a label");
            }
        }
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    private static void requireName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad metric name '" + name + "'");
        }
    }
}
