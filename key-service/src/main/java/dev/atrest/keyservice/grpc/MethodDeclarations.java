package dev.atrest.keyservice.grpc;

import com.google.protobuf.Descriptors;
import dev.atrest.keyservice.domain.AccessPolicy;
import dev.atrest.keyservice.domain.Role;
import dev.atrest.v1.AccessProto;
import dev.atrest.v1.MethodAccess;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads each RPC's {@code (atrest.v1.access)} option from the descriptor the generated stubs attach to
 * every method, once per method: the contract is the only place an RPC's access rule, audit rule and
 * resource are written. A declaration that breaks the option's own rules (documented in access.proto)
 * is refused here with what is wrong, never half-applied.
 */
public final class MethodDeclarations {
    /** By full method name; read on a method's first call, then every call of it looks it up here. */
    private static final Map<String, Optional<MethodDeclaration>> READ = new ConcurrentHashMap<>();

    private MethodDeclarations() {}

    /**
     * The declaration of the method a call is for; empty when it has none: a method of another contract
     * (health, reflection), one that forgot it, or one built without its proto descriptor.
     *
     * @throws IllegalStateException when the method's declaration breaks the option's rules
     */
    public static Optional<MethodDeclaration> of(MethodDescriptor<?, ?> method) {
        Optional<MethodDeclaration> known = READ.get(method.getFullMethodName());
        if (known != null) {
            return known;
        }
        if (!(method.getSchemaDescriptor() instanceof ProtoMethodDescriptorSupplier schema)) {
            return Optional.empty();
        }
        Optional<MethodDeclaration> read = of(schema.getMethodDescriptor());
        READ.put(method.getFullMethodName(), read);
        return read;
    }

    /**
     * The declaration in {@code method}'s options, empty when it has none.
     *
     * @throws IllegalStateException when the declaration breaks the option's rules
     */
    public static Optional<MethodDeclaration> of(Descriptors.MethodDescriptor method) {
        if (!method.getOptions().hasExtension(AccessProto.access)) {
            return Optional.empty();
        }
        try {
            return Optional.of(read(method, method.getOptions().getExtension(AccessProto.access)));
        } catch (IllegalArgumentException broken) {
            throw new IllegalStateException(method.getFullName() + " (atrest.v1.access): " + broken.getMessage(),
                    broken);
        }
    }

    private static MethodDeclaration read(Descriptors.MethodDescriptor method, MethodAccess access) {
        AccessPolicy.Scope scope = switch (access.getScope()) {
            case ACCESS_SCOPE_PROJECT -> AccessPolicy.Scope.PROJECT;
            case ACCESS_SCOPE_ALL_PROJECTS -> AccessPolicy.Scope.ALL_PROJECTS;
            case ACCESS_SCOPE_ANY_CALLER -> AccessPolicy.Scope.ANY_CALLER;
            default -> throw new IllegalArgumentException("scope is not set");
        };
        boolean audited = switch (access.getAudit()) {
            case AUDIT_RULE_EVERY_CALL -> true;
            case AUDIT_RULE_READ_ONLY -> false;
            default -> throw new IllegalArgumentException("audit is not set");
        };
        if (audited && (method.isClientStreaming() || method.isServerStreaming())) {
            // AuditedCalls holds back exactly one answer until the call's record is queued.
            throw new IllegalArgumentException("only unary RPCs can be audited");
        }
        ResourcePattern resource = ResourcePattern.parse(access.getResource(), method.getInputType());
        if (scope == AccessPolicy.Scope.PROJECT && !resource.namesAProject()) {
            throw new IllegalArgumentException(
                    "scope ACCESS_SCOPE_PROJECT needs a resource starting with projects/{…}");
        }
        return new MethodDeclaration(new AccessPolicy.Rule(roles(access), scope), audited, resource);
    }

    private static Set<Role> roles(MethodAccess access) {
        Set<Role> roles = new HashSet<>();
        for (dev.atrest.v1.Role role : access.getRolesList()) {
            Role known = Roles.toDomain(role);
            if (known == null) {
                throw new IllegalArgumentException("roles names " + role + ", which is not a role");
            }
            roles.add(known);
        }
        return roles;
    }
}
