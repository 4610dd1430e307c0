package io.tunnelmq.server.security;

import io.tunnelmq.protocol.Permission;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The roles and rules of one version of a permissions file (immutable). A user may do something with a destination
 * when a rule of the destination's kind whose pattern matches its name grants that permission to one of the user's
 * roles, or to {@code *} (every client, anonymous ones included). Nothing else is allowed.
 */
final class AccessRules {

    /** What kind of destination a rule is about; every temporary destination falls under {@link #TEMPORARY}. */
    enum Scope { QUEUE, TOPIC, TEMPORARY }

    /** The role that stands for every client. */
    static final String EVERYONE = "*";

    /**
     * One rule: {@code roles} may {@code permission} on destinations of {@code scope} whose names {@code pattern}
     * matches (null for {@link Scope#TEMPORARY}).
     */
    record Rule(Scope scope, DestinationPattern pattern, Permission permission, Set<String> roles, int line) {
        Rule {
            roles = Set.copyOf(roles);
        }

        boolean grants(Set<String> userRoles, Permission asked, Scope where, String name) {
            return permission == asked && scope == where && (pattern == null || pattern.matches(name))
                    && (roles.contains(EVERYONE) || userRoles.stream().anyMatch(roles::contains));
        }
    }

    private final Map<String, Set<String>> rolesOfUser;
    private final List<Rule> rules;
    private final int roleCount;

    AccessRules(Map<String, Set<String>> rolesOfUser, List<Rule> rules, int roleCount) {
        this.rolesOfUser = Map.copyOf(rolesOfUser);
        this.rules = List.copyOf(rules);
        this.roleCount = roleCount;
    }

    /** @param user the user name, or null for an anonymous client (in no role) */
    boolean allows(String user, Permission permission, Scope scope, String name) {
        Set<String> roles = user == null ? Set.of() : rolesOfUser.getOrDefault(user, Set.of());
        for (Rule rule : rules) {
            if (rule.grants(roles, permission, scope, name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a rule whose pattern is {@code >} (every name of the scope) grants the permission: the user may do it
     * with every destination of the scope, those that do not exist yet included.
     */
    boolean allowsEverywhere(String user, Permission permission, Scope scope) {
        Set<String> roles = user == null ? Set.of() : rolesOfUser.getOrDefault(user, Set.of());
        for (Rule rule : rules) {
            if (rule.pattern() != null && rule.pattern().text().equals(">")
                    && rule.grants(roles, permission, scope, "any")) {
                return true;
            }
        }
        return false;
    }

    int roleCount() {
        return roleCount;
    }

    int ruleCount() {
        return rules.size();
    }
}
