package io.tunnelmq.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code --name value} and {@code --flag} arguments of one command. Every option a command reads is remembered,
 * so {@link #requireAllUsed()} can reject a misspelt one instead of silently running another benchmark.
 */
public final class CommandLine {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();
    private final Set<String> used = new TreeSet<>();

    private CommandLine() {
    }

    /** Reads a command's options from its line. */
    @FunctionalInterface
    public interface OptionsReader<T> {
        T read(CommandLine line) throws IOException;
    }

    /**
     * A command's options: parses {@code args}, prints {@code usage} for {@code --help} (empty then: the command has
     * nothing more to do), else reads them and rejects any option the reader did not use.
     */
    public static <T> Optional<T> options(List<String> args, String usage, OptionsReader<T> reader)
            throws IOException {
        CommandLine line = parse(args);
        if (line.flag("help")) {
            System.out.print(usage);
            return Optional.empty();
        }
        T options = reader.read(line);
        line.requireAllUsed();
        return Optional.of(options);
    }

    /**
     * Parses {@code args}: {@code --name value}, {@code --name=value}, or {@code --flag} (when followed by
     * another option or nothing); anything else is positional.
     */
    public static CommandLine parse(List<String> args) {
        CommandLine line = new CommandLine();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                line.positional.add(arg);
                continue;
            }
            String name = arg.substring(2);
            int eq = name.indexOf('=');
            if (eq > 0) {
                line.values.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                line.values.put(name, args.get(++i));
            } else {
                line.values.put(name, "true");
            }
        }
        return line;
    }

    public List<String> positional() {
        return positional;
    }

    public boolean has(String name) {
        used.add(name);
        return values.containsKey(name);
    }

    public String string(String name, String defaultValue) {
        used.add(name);
        return values.getOrDefault(name, defaultValue);
    }

    public int integer(String name, int defaultValue) {
        String v = string(name, null);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs a whole number, not '" + v + "'");
        }
    }

    public long longValue(String name, long defaultValue) {
        String v = string(name, null);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs a whole number, not '" + v + "'");
        }
    }

    public boolean flag(String name) {
        String v = string(name, "false");
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("--" + name + " is a flag: give it alone, or as true/false, not '"
                    + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    /** A duration: {@code 10} or {@code 10s} (seconds), {@code 500ms}, {@code 2m}. */
    public Duration duration(String name, Duration defaultValue) {
        String v = string(name, null);
        return v == null ? defaultValue : parseDuration(name, v);
    }

    static Duration parseDuration(String name, String v) {
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs a duration such as 10s, 500ms or 2m, not '"
                    + v + "'");
        }
    }

    /**
     * A comma-separated list of an enum's constants, named in any case with {@code -} for {@code _}
     * ({@code one-user} is {@code ONE_USER}), each once, in the order given.
     *
     * @param what  what one value is, for the errors ("scenario")
     * @param known the values in words, for the errors
     * @throws IllegalArgumentException for an unknown value, or none at all
     */
    public static <E extends Enum<E>> List<E> enums(String list, Class<E> type, String what, String known) {
        List<E> values = Arrays.stream(list.split(",")).filter(s -> !s.isBlank()).map(s -> {
            try {
                return Enum.valueOf(type, s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown " + what + " '" + s.trim() + "': " + known);
            }
        }).distinct().toList();
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no " + what + " given: " + known);
        }
        return values;
    }

    /** Fails on an option no reader asked for: most likely a typo. */
    public void requireAllUsed() {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(used);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + unknown.stream().map(s -> "--" + s).toList()
                    + "; --help lists the options");
        }
    }
}
