package io.tunnelmq.server.security;

import io.tunnelmq.protocol.Permission;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a permissions file: one {@code key = value} per line; blank lines and lines starting with {@code #} are
 * ignored.
 * <pre>
 * role.producers = alice, bob                    # the users of a role
 * queue.orders.&gt;.send = producers               # queue.PATTERN.PERMISSION[,PERMISSION...] = ROLE[, ROLE...]
 * queue.orders.&gt;.consume,browse = consumers
 * topic.prices.*.consume = *                     # * = every client (anonymous ones too)
 * temporary.create,send = producers, consumers   # temporary.PERMISSION: every temporary destination
 * </pre>
 * Permissions: {@code send}, {@code consume}, {@code browse}, {@code create}, {@code admin}; patterns as
 * {@link DestinationPattern} (names may contain dots, {@code /}, {@code :}, even {@code =}: the value starts after
 * the last {@code =}). Every role a rule names must be defined. Any mistake is refused with the line it is on.
 */
final class PermissionsFile {
    private static final String ROLE = "role.";
    private static final String QUEUE = "queue.";
    private static final String TOPIC = "topic.";
    private static final String TEMPORARY = "temporary.";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.@-]+");
    /** Consuming from a temporary destination is its creator's alone, so no rule grants it. */
    private static final Set<Permission> TEMPORARY_PERMISSIONS = EnumSet.of(Permission.SEND, Permission.BROWSE,
            Permission.CREATE);

    private PermissionsFile() {
    }

    /**
     * @throws PermissionsFileException naming the line and what is wrong on it
     */
    static AccessRules parse(Path file, List<String> lines) {
        Map<String, Integer> roleLines = new HashMap<>();
        Map<String, Set<String>> rolesOfUser = new HashMap<>();
        // roles first, so a rule may come before the role it names
        for (int i = 0; i < lines.size(); i++) {
            Entry entry = entry(file, i + 1, lines.get(i));
            if (entry == null || !entry.key.startsWith(ROLE)) {
                continue;
            }
            String role = entry.key.substring(ROLE.length());
            if (!NAME.matcher(role).matches()) {
                throw new PermissionsFileException(file, entry.line, "role name '" + role + "' may only contain"
                        + " letters, digits and . _ @ -");
            }
            Integer earlier = roleLines.putIfAbsent(role, entry.line);
            if (earlier != null) {
                throw new PermissionsFileException(file, entry.line, "role '" + role + "' is already defined on line "
                        + earlier + "; list all its users there");
            }
            for (String user : list(entry.value)) {
                rolesOfUser.computeIfAbsent(user, u -> new LinkedHashSet<>()).add(role);
            }
        }
        List<AccessRules.Rule> rules = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Entry entry = entry(file, i + 1, lines.get(i));
            if (entry != null && !entry.key.startsWith(ROLE)) {
                rules.addAll(rules(file, entry, roleLines.keySet()));
            }
        }
        return new AccessRules(rolesOfUser, rules, roleLines.size());
    }

    private record Entry(int line, String key, String value) {
    }

    private static Entry entry(Path file, int line, String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return null;
        }
        int eq = trimmed.lastIndexOf('=');
        if (eq < 0) {
            throw new PermissionsFileException(file, line, "'" + trimmed + "' is not 'key = value'; expected e.g."
                    + " 'role.producers = alice, bob' or 'queue.orders.>.send = producers'");
        }
        return new Entry(line, trimmed.substring(0, eq).strip(), trimmed.substring(eq + 1).strip());
    }

    private static List<AccessRules.Rule> rules(Path file, Entry entry, Set<String> roles) {
        AccessRules.Scope scope;
        String rest;
        if (entry.key.startsWith(QUEUE)) {
            scope = AccessRules.Scope.QUEUE;
            rest = entry.key.substring(QUEUE.length());
        } else if (entry.key.startsWith(TOPIC)) {
            scope = AccessRules.Scope.TOPIC;
            rest = entry.key.substring(TOPIC.length());
        } else if (entry.key.startsWith(TEMPORARY)) {
            scope = AccessRules.Scope.TEMPORARY;
            rest = entry.key.substring(TEMPORARY.length());
        } else {
            throw new PermissionsFileException(file, entry.line, "unknown key '" + entry.key + "': expected"
                    + " role.ROLE, queue.PATTERN.PERMISSION, topic.PATTERN.PERMISSION or temporary.PERMISSION");
        }
        DestinationPattern pattern = null;
        String permissionWords = rest;
        if (scope != AccessRules.Scope.TEMPORARY) {
            int dot = rest.lastIndexOf('.');
            if (dot <= 0) {
                throw new PermissionsFileException(file, entry.line, "'" + entry.key + "' needs a destination pattern"
                        + " and a permission, as in '" + scope.name().toLowerCase() + ".orders.>.send'");
            }
            try {
                pattern = new DestinationPattern(rest.substring(0, dot));
            } catch (IllegalArgumentException e) {
                throw new PermissionsFileException(file, entry.line, e.getMessage());
            }
            permissionWords = rest.substring(dot + 1);
        }
        Set<Permission> permissions = permissions(file, entry, scope, permissionWords);
        List<String> granted = list(entry.value);
        if (granted.isEmpty()) {
            throw new PermissionsFileException(file, entry.line, "'" + entry.key + "' grants to no role; name the"
                    + " roles (or * for every client), or delete the line to grant nothing");
        }
        for (String role : granted) {
            if (!role.equals(AccessRules.EVERYONE) && !roles.contains(role)) {
                throw new PermissionsFileException(file, entry.line, "role '" + role + "' is not defined; define it"
                        + " with 'role." + role + " = USER, ...' or use * for every client");
            }
        }
        List<AccessRules.Rule> rules = new ArrayList<>();
        for (Permission permission : permissions) {
            rules.add(new AccessRules.Rule(scope, pattern, permission, Set.copyOf(granted), entry.line));
        }
        return rules;
    }

    private static Set<Permission> permissions(Path file, Entry entry, AccessRules.Scope scope, String words) {
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (String word : words.split(",", -1)) {
            Permission permission = Permission.ofWord(word.strip());
            if (permission == null) {
                throw new PermissionsFileException(file, entry.line, "unknown permission '" + word.strip() + "' in '"
                        + entry.key + "': expected send, consume, browse, create or admin");
            }
            if (scope == AccessRules.Scope.TEMPORARY && !TEMPORARY_PERMISSIONS.contains(permission)) {
                throw new PermissionsFileException(file, entry.line, "temporary destinations take send, browse and"
                        + " create rules only (only the connection that created one may consume from it), not '"
                        + word.strip() + "'");
            }
            permissions.add(permission);
        }
        return permissions;
    }

    private static List<String> list(String value) {
        List<String> names = new ArrayList<>();
        for (String name : value.split(",")) {
            if (!name.isBlank()) {
                names.add(name.strip());
            }
        }
        return names;
    }
}
