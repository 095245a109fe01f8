package dev.atrest.keyservice.grpc;

import dev.atrest.keyservice.domain.AccessPolicy;

/**
 * One atrest.v1 RPC's declaration, as its {@code (atrest.v1.access)} option in the proto states it (read by
 * {@link MethodDeclarations}): the rule {@link AccessPolicy} admits callers by, whether {@link AuditedCalls}
 * records every call, and the pattern that names what a request is about.
 *
 * @param audited  the RPC changes something or releases a key: every call is recorded
 * @param resource names the request's resource and the project the rule is checked on
 */
public record MethodDeclaration(AccessPolicy.Rule rule, boolean audited, ResourcePattern resource) {
}
