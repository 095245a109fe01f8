package dev.atrest.keyservice.domain;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Who may call what: one table from full gRPC method name to the rule it needs. A method missing from
 * the table is denied to everyone (fail closed), so a new RPC is unreachable until someone decides who may
 * call it. Health checks and server reflection are not atrest's RPCs and need no identity: see
 * {@link #isPublic(String)}.
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

    private final Map<String, Rule> rules;

    private AccessPolicy(Map<String, Rule> rules) {
        this.rules = Map.copyOf(rules);
    }

    /** The atrest.v1 policy. */
    public static AccessPolicy atrestV1() {
        Map<String, Rule> table = new TreeMap<>();
        Rule admin = new Rule(Set.of(Role.ADMIN), Scope.PROJECT);
        Rule consumer = new Rule(Set.of(Role.KEY_CONSUMER), Scope.PROJECT);
        Rule consumerOrAdmin = new Rule(Set.of(Role.KEY_CONSUMER, Role.ADMIN), Scope.PROJECT);
        Rule adminEverywhere = new Rule(Set.of(Role.ADMIN), Scope.ALL_PROJECTS);
        for (String method : new String[] {"GetProjectEncryption", "UpdateProjectEncryption",
                "DisableProjectEncryption", "ValidateProjectEncryption"}) {
            table.put("atrest.v1.ProjectEncryptionService/" + method, admin);
        }
        for (String method : new String[] {"GetClusterEncryption", "ListClusterEncryptions", "SetClusterEncryption",
                "ListClusterKeys", "RotateMasterKey", "GetRotationStatus"}) {
            table.put("atrest.v1.ClusterEncryptionService/" + method, admin);
        }
        table.put("atrest.v1.AlertService/ListAlerts", admin);
        table.put("atrest.v1.DatabaseKeyService/GetDatabaseKey", consumer);
        table.put("atrest.v1.SnapshotService/RegisterSnapshot", consumer);
        table.put("atrest.v1.SnapshotService/ReleaseSnapshot", consumer);
        table.put("atrest.v1.SnapshotService/PrepareSnapshotRestore", consumer);
        table.put("atrest.v1.SnapshotService/GetSnapshot", consumerOrAdmin);
        table.put("atrest.v1.SnapshotService/ListSnapshots", consumerOrAdmin);
        table.put("atrest.v1.AccessService/CreateAccessToken", adminEverywhere);
        table.put("atrest.v1.AccessService/RevokeAccessToken", adminEverywhere);
        table.put("atrest.v1.AccessService/ListAccessTokens", adminEverywhere);
        table.put("atrest.v1.AccessService/WhoAmI", new Rule(Set.of(), Scope.ANY_CALLER));
        table.put("atrest.v1.AuditService/ListAuditRecords", adminEverywhere);
        table.put("atrest.v1.AuditService/VerifyAuditLog", adminEverywhere);
        return new AccessPolicy(table);
    }

    /** Whether {@code fullMethodName} needs no identity at all (health checks, reflection). */
    public boolean isPublic(String fullMethodName) {
        int slash = fullMethodName.indexOf('/');
        return slash > 0 && PUBLIC_SERVICES.contains(fullMethodName.substring(0, slash));
    }

    public Optional<Rule> rule(String fullMethodName) {
        return Optional.ofNullable(rules.get(fullMethodName));
    }

    /**
     * Lets the call through or says why not.
     *
     * @param projectId the project the request names, empty when it names none
     * @throws PermissionDeniedException when the caller lacks what the method's rule needs
     */
    public void authorize(String fullMethodName, Caller caller, Optional<String> projectId) {
        Rule rule = rules.get(fullMethodName);
        if (rule == null) {
            throw new PermissionDeniedException(fullMethodName + " has no access rule, so no one may call it", "",
                    projectId.filter(InputRules::isId).orElse(""));
        }
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
