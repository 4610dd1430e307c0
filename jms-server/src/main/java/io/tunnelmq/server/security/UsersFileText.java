package io.tunnelmq.server.security;

import java.util.ArrayList;
import java.util.List;

/**
 * Edits the text of a users (properties) file line by line, so comments, order and other users stay as they were:
 * {@link java.util.Properties#store} would drop comments and reorder everything.
 */
final class UsersFileText {

    /**
     * @param text     the new file text
     * @param replaced true if the user had a line, false if one was added
     */
    record Edit(String text, boolean replaced) {
    }

    private UsersFileText() {
    }

    /** Sets {@code user}'s value: its first line is replaced, later duplicates removed, or a line is appended. */
    static Edit put(String text, String user, String value) {
        String entry = escapeKey(user) + "=" + value;
        List<String> lines = new ArrayList<>(text.isEmpty() ? List.of() : List.of(text.split("\r?\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1); // the final line end
        }
        List<String> out = new ArrayList<>();
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int last = i;
            while (continues(lines.get(last)) && last + 1 < lines.size()) {
                last++; // a value continued on the next line belongs to this entry
            }
            if (user.equals(keyOf(line))) {
                if (!replaced) {
                    out.add(entry);
                    replaced = true;
                }
            } else {
                out.addAll(lines.subList(i, last + 1));
            }
            i = last;
        }
        if (!replaced) {
            out.add(entry);
        }
        return new Edit(String.join("\n", out) + "\n", replaced);
    }

    /** The key of a properties line as {@link java.util.Properties} reads it, or null for a blank or comment line. */
    static String keyOf(String line) {
        int i = 0;
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        if (i == line.length() || line.charAt(i) == '#' || line.charAt(i) == '!') {
            return null;
        }
        StringBuilder key = new StringBuilder();
        for (; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                key.append(line.charAt(++i));
            } else if (c == '=' || c == ':' || Character.isWhitespace(c)) {
                break;
            } else {
                key.append(c);
            }
        }
        return key.toString();
    }

    private static boolean continues(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private static String escapeKey(String user) {
        StringBuilder escaped = new StringBuilder();
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (c == '=' || c == ':' || c == ' ' || c == '\\' || (i == 0 && (c == '#' || c == '!'))) {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
