package dev.atrest.keyservice.grpc;

import dev.atrest.keyservice.domain.Role;

/** atrest.v1.Role ⇄ the domain's Role: for token messages and for each RPC's declared roles. */
public final class Roles {
    private Roles() {}

    /** The domain role, or null for ROLE_UNSPECIFIED (and values this build does not know). */
    public static Role toDomain(dev.atrest.v1.Role role) {
        return switch (role) {
            case ADMIN -> Role.ADMIN;
            case KEY_CONSUMER -> Role.KEY_CONSUMER;
            default -> null;
        };
    }

    public static dev.atrest.v1.Role toMessage(Role role) {
        return switch (role) {
            case ADMIN -> dev.atrest.v1.Role.ADMIN;
            case KEY_CONSUMER -> dev.atrest.v1.Role.KEY_CONSUMER;
        };
    }
}
