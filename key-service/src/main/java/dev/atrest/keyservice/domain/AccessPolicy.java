package dev.atrest.keyservice.domain;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may call what. Each RPC declares its rule in the contract (the {@code (atrest.v1.access)} option of
 * atrest.v1, read by the transport and handed in here); a method without a rule is denied to everyone (fail
 * closed), so a new RPC is unreachable until someone decides who may call it. Health checks and server
 * reflection are not atrest's RPCs and need no identity: see {@link #isPublic(String)}.
 */
public final class AccessPolicy {
    /** Where the role must be held. */
    public enum Scope {
        /** On the project the request names. */
        PROJECT,
        /** On every project (tokens, the audit log). */
        ALL_PROJECTS,
        /** Nowhere: any authenticated caller. */
        ANY_CALLER
    }

    /** @param anyOf holding one of these roles is enough (empty exactly for {@link Scope#ANY_CALLER}) */
    public record Rule(Set<Role> anyOf, Scope scope) {
        public Rule {
            anyOf = Set.copyOf(anyOf);
            if (anyOf.isEmpty() != (scope == Scope.ANY_CALLER)) {
                throw new IllegalArgumentException(scope == Scope.ANY_CALLER
                        ? "a rule for any caller names no roles" : "a rule names the roles it needs");
            }
        }

        String describeRoles() {
            return anyOf.stream().map(Role::name).sorted().collect(Collectors.joining(" or "));
        }
    }

    private static final Set<String> PUBLIC_SERVICES = Set.of(
            "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection");

    private AccessPolicy() {}

    /** Whether {@code fullMethodName} needs no identity at all (health checks, reflection). */
    public static boolean isPublic(String fullMethodName) {
        int slash = fullMethodName.indexOf('/');
        return slash > 0 && PUBLIC_SERVICES.contains(fullMethodName.substring(0, slash));
    }

    /**
     * Lets the call through or says why not.
     *
     * @param declared  the method's rule, empty when it declares none
     * @param projectId the project the request names, empty when it names none
     * @throws PermissionDeniedException when the caller lacks what the method's rule needs
     */
    public static void authorize(String fullMethodName, Optional<Rule> declared, Caller caller,
                                 Optional<String> projectId) {
        if (declared.isEmpty()) {
            throw new PermissionDeniedException(fullMethodName + " has no access rule, so no one may call it", "",
                    projectId.filter(InputRules::isId).orElse(""));
        }
        Rule rule = declared.get();
        switch (rule.scope()) {
            case ANY_CALLER -> { }
            case ALL_PROJECTS -> {
                if (rule.anyOf().stream().noneMatch(caller::holdsEverywhere)) {
                    throw new PermissionDeniedException(caller.principal() + " needs the role "
                            + rule.describeRoles() + " on all projects", rule.describeRoles(), "*");
                }
            }
            case PROJECT -> {
                // A malformed id names no project anyone holds, and is not worth repeating in the message.
                String project = projectId.filter(InputRules::isId).orElse("");
                if (rule.anyOf().stream().noneMatch(role -> caller.holds(role, project))) {
                    throw new PermissionDeniedException(caller.principal() + " needs the role "
                            + rule.describeRoles() + " on project '" + project + "'", rule.describeRoles(), project);
                }
            }
        }
    }
}
