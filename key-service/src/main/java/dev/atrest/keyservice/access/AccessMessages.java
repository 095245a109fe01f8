package dev.atrest.keyservice.access;

import dev.atrest.keyservice.domain.AccessToken;
import dev.atrest.keyservice.domain.Caller;
import dev.atrest.keyservice.domain.Role;
import dev.atrest.keyservice.grpc.Roles;
import dev.atrest.keyservice.grpc.Timestamps;
import dev.atrest.v1.CreateAccessTokenResponse;
import dev.atrest.v1.ListAccessTokensResponse;
import java.util.List;

/** AccessService messages ⇄ domain. Secrets appear only in the create response. */
public final class AccessMessages {
    private AccessMessages() {}

    public static dev.atrest.v1.AccessToken toMessage(AccessToken token) {
        dev.atrest.v1.AccessToken.Builder message = dev.atrest.v1.AccessToken.newBuilder()
                .setTokenId(token.tokenId()).setName(token.name()).setRole(Roles.toMessage(token.role()))
                .addAllProjectIds(token.projectIds().stream().sorted().toList())
                .setAllProjects(token.allProjects()).setCreatedBy(token.createdBy());
        Timestamps.set(token.createTime(), message::setCreateTime);
        Timestamps.set(token.expireTime(), message::setExpireTime);
        Timestamps.set(token.revokeTime(), message::setRevokeTime);
        return message.build();
    }

    public static CreateAccessTokenResponse toMessage(CreatedAccessToken created) {
        return CreateAccessTokenResponse.newBuilder().setToken(toMessage(created.token()))
                .setSecret(created.secret()).build();
    }

    public static ListAccessTokensResponse toMessage(List<AccessToken> tokens) {
        return ListAccessTokensResponse.newBuilder()
                .addAllTokens(tokens.stream().map(AccessMessages::toMessage).toList()).build();
    }

    /**
     * One role in the message: an identity holds one, except the development caller, which holds both
     * and is shown as ADMIN (its principal, "development", says the rest).
     */
    public static dev.atrest.v1.Caller toMessage(Caller caller) {
        Role role = caller.roles().contains(Role.ADMIN) ? Role.ADMIN : caller.roles().iterator().next();
        return dev.atrest.v1.Caller.newBuilder().setPrincipal(caller.principal()).setRole(Roles.toMessage(role))
                .addAllProjectIds(caller.projectIds().stream().sorted().toList())
                .setAllProjects(caller.allProjects()).build();
    }
}
