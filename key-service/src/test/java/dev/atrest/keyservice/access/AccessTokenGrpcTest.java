package dev.atrest.keyservice.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.support.Api;
import dev.atrest.v1.AccessToken;
import dev.atrest.v1.Caller;
import dev.atrest.v1.CreateAccessTokenRequest;
import dev.atrest.v1.CreateAccessTokenResponse;
import dev.atrest.v1.ListAccessTokensRequest;
import dev.atrest.v1.RevokeAccessTokenRequest;
import dev.atrest.v1.Role;
import dev.atrest.v1.WhoAmIRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** AccessService on the running service: tokens are created, listed (never their secrets) and revoked. */
@QuarkusTest
class AccessTokenGrpcTest {
    private static final List<String> SECRETS = Collections.synchronizedList(new java.util.ArrayList<>());

    @Test
    void create_projectToken_returnsTheSecretOnceAndTheCallerSeesItsGrant() {
        CreateAccessTokenResponse created = create(CreateAccessTokenRequest.newBuilder().setName("storage-engine.eu-1")
                .setRole(Role.KEY_CONSUMER).addProjectIds("p-b").addProjectIds("p-a").setTtlDays(30));

        assertThat(created.getSecret()).matches("atrest_[A-Za-z0-9_-]{43}");
        AccessToken token = created.getToken();
        assertThat(token.getTokenId()).matches("tok-[0-9a-f]{32}");
        assertThat(token.getProjectIdsList()).containsExactly("p-a", "p-b");
        assertThat(token.getCreatedBy()).isEqualTo("token:tok-bootstrap");
        assertThat(token.getExpireTime().getSeconds() - token.getCreateTime().getSeconds()).isEqualTo(30L * 86400);
        Caller caller = Api.as(created.getSecret()).access().whoAmI(WhoAmIRequest.getDefaultInstance());
        assertThat(caller.getPrincipal()).isEqualTo("token:" + token.getTokenId());
        assertThat(caller.getRole()).isEqualTo(Role.KEY_CONSUMER);
        assertThat(caller.getProjectIdsList()).containsExactly("p-a", "p-b");
        assertThat(caller.getAllProjects()).isFalse();
    }

    @Test
    void list_afterCreateAndRevoke_showsActiveOnlyUnlessAskedAndNeverASecret() {
        CreateAccessTokenResponse kept = create(CreateAccessTokenRequest.newBuilder().setName("kept")
                .setRole(Role.ADMIN).setAllProjects(true));
        CreateAccessTokenResponse revoked = create(CreateAccessTokenRequest.newBuilder().setName("revoked")
                .setRole(Role.ADMIN).addProjectIds("p1"));
        AccessToken answer = Api.access().revokeAccessToken(revoke(revoked.getToken().getTokenId()));
        AccessToken again = Api.access().revokeAccessToken(revoke(revoked.getToken().getTokenId()));

        assertThat(answer.hasRevokeTime()).isTrue();
        assertThat(again.getRevokeTime()).isEqualTo(answer.getRevokeTime());
        List<String> active = ids(Api.access().listAccessTokens(ListAccessTokensRequest.getDefaultInstance()).getTokensList());
        List<AccessToken> all = Api.access().listAccessTokens(ListAccessTokensRequest.newBuilder()
                .setIncludeInactive(true).build()).getTokensList();
        assertThat(active).contains(kept.getToken().getTokenId()).doesNotContain(revoked.getToken().getTokenId());
        assertThat(ids(all)).contains(kept.getToken().getTokenId(), revoked.getToken().getTokenId(), "tok-bootstrap");
        assertThat(all.toString()).doesNotContain(kept.getSecret()).doesNotContain(revoked.getSecret());
    }

    @Test
    void revoke_unknownToken_notFound() {
        assertThatThrownBy(() -> Api.access().revokeAccessToken(revoke("tok-0000")))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void create_badInput_invalidArgumentNamingEveryField() {
        StatusRuntimeException e = invalid(CreateAccessTokenRequest.newBuilder().setName("has space")
                .addProjectIds("p1").setAllProjects(true).setTtlDays(3651));

        assertThat(Api.violatedFields(e)).containsExactlyInAnyOrder("name", "role", "project_ids", "ttl_days");
    }

    @Test
    void create_projectIds_oneToAHundredWellFormedOnes() {
        List<String> tooMany = IntStream.rangeClosed(1, 101).mapToObj(i -> "p" + i).toList();

        assertThat(Api.violatedFields(invalid(CreateAccessTokenRequest.newBuilder().setName("none").setRole(Role.ADMIN))))
                .containsExactly("project_ids");
        assertThat(Api.violatedFields(invalid(CreateAccessTokenRequest.newBuilder().setName("many")
                .setRole(Role.ADMIN).addAllProjectIds(tooMany)))).containsExactly("project_ids");
        assertThat(Api.violatedFields(invalid(CreateAccessTokenRequest.newBuilder().setName("bad")
                .setRole(Role.ADMIN).addProjectIds("ok").addProjectIds("-bad").addProjectIds("ok"))))
                .containsExactly("project_ids[1]", "project_ids[2]");
        assertThat(create(CreateAccessTokenRequest.newBuilder().setName("hundred").setRole(Role.ADMIN)
                .addAllProjectIds(tooMany.subList(0, 100))).getToken().getProjectIdsCount()).isEqualTo(100);
    }

    @Test
    void whoAmI_adminToken_isTheBootstrapToken() {
        Caller caller = Api.access().whoAmI(WhoAmIRequest.getDefaultInstance());

        assertThat(caller.getPrincipal()).isEqualTo("token:tok-bootstrap");
        assertThat(caller.getRole()).isEqualTo(Role.ADMIN);
        assertThat(caller.getAllProjects()).isTrue();
    }

    /** Runs after every test of this class: no secret the service handed out is in its log. */
    @AfterAll
    static void secretsNeverInTheLog() throws Exception {
        String log = Files.readString(Path.of("target", "test-logs", "key-service.log"));
        assertThat(SECRETS).isNotEmpty();
        assertThat(log).isNotEmpty().doesNotContain(Api.ADMIN_TOKEN);
        SECRETS.forEach(secret -> assertThat(log).doesNotContain(secret));
    }

    private static CreateAccessTokenResponse create(CreateAccessTokenRequest.Builder request) {
        CreateAccessTokenResponse created = Api.access().createAccessToken(request.build());
        SECRETS.add(created.getSecret());
        return created;
    }

    private static StatusRuntimeException invalid(CreateAccessTokenRequest.Builder request) {
        StatusRuntimeException[] caught = new StatusRuntimeException[1];
        assertThatThrownBy(() -> Api.access().createAccessToken(request.build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    caught[0] = e;
                });
        return caught[0];
    }

    private static RevokeAccessTokenRequest revoke(String tokenId) {
        return RevokeAccessTokenRequest.newBuilder().setTokenId(tokenId).build();
    }

    private static List<String> ids(List<AccessToken> tokens) {
        return tokens.stream().map(AccessToken::getTokenId).toList();
    }
}
