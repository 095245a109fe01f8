package dev.atrest.keyservice.vault;

import dev.atrest.keyservice.access.CallAdmission.Credentials;
import dev.atrest.keyservice.datakey.ReleasedDatabaseKey;
import dev.atrest.keyservice.domain.InvalidArgumentException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/**
 * The part of HashiCorp Vault's HTTP API that storage engines call to fetch encryption keys: the KV version 2
 * read of a secret, latest or by version, and the mount check that precedes it, as MariaDB's
 * hashicorp_key_management plugin calls them (Percona's keyring_vault and pg_tde read through the same API but
 * are not tried here). Transport only: every read is
 * {@link VaultKeyReads}, i.e. GetDatabaseKey. Keys are never set from outside: every other method answers
 * 405, on every path. The token is the X-Vault-Token header, an atrest token.
 */
@Path("/")
public class VaultKvResource {
    static final String TOKEN_HEADER = "X-Vault-Token";
    private static final String READ_ONLY = "atrest's Vault API is read-only: keys are made by atrest, never set from outside";

    private final VaultKeyReads reads;
    private final MeterRegistry metrics;

    VaultKvResource(VaultKeyReads reads, MeterRegistry metrics) {
        this.reads = reads;
        this.metrics = metrics;
    }

    @GET
    @Path("v1/sys/mounts/{mount: .+}/tune")
    public Response mountTune(@PathParam("mount") String mount, @Context HttpHeaders headers,
                              @Context HttpServerRequest request) {
        try {
            VaultMount parsed = VaultMount.parse(mount);
            reads.checkMount(credentials(headers, request), parsed);
            return Response.ok(VaultResponses.mountTune(parsed), MediaType.APPLICATION_JSON_TYPE).build();
        } catch (RuntimeException failed) {
            return VaultErrors.toResponse(failed);
        }
    }

    @GET
    @Path("v1/{mount: .+}/data/{keyId}")
    public Response read(@PathParam("mount") String mount, @PathParam("keyId") String keyId,
                         @Context UriInfo uri, @Context HttpHeaders headers, @Context HttpServerRequest request) {
        Response response;
        try {
            VaultMount parsed = VaultMount.parse(mount);
            VaultKeyPath key = VaultKeyPath.parse(keyId, uri.getQueryParameters().get("version"));
            try (ReleasedDatabaseKey released = reads.read(credentials(headers, request), parsed, key)) {
                response = Response.ok(VaultResponses.secret(released), MediaType.APPLICATION_JSON_TYPE)
                        .header("Cache-Control", "no-store").build();
            }
        } catch (RuntimeException failed) {
            response = VaultErrors.toResponse(failed);
        }
        Counter.builder("atrest.vault.key.reads").description("Key reads over the Vault API, by HTTP status")
                .tag("outcome", Integer.toString(response.getStatus())).register(metrics).increment();
        return response;
    }

    /** Any other path: Vault's answer for a route it does not have. */
    @GET
    @Path("{any: .*}")
    public Response unknownPath() {
        return VaultErrors.of(404, "no handler for route: atrest serves GET /v1/atrest/<project_id>/<cluster_name>"
                + "/data/<key-id> and GET /v1/sys/mounts/atrest/<project_id>/<cluster_name>/tune");
    }

    @POST
    @Path("{any: .*}")
    public Response post() {
        return readOnly();
    }

    @PUT
    @Path("{any: .*}")
    public Response put() {
        return readOnly();
    }

    @PATCH
    @Path("{any: .*}")
    public Response patch() {
        return readOnly();
    }

    @DELETE
    @Path("{any: .*}")
    public Response delete() {
        return readOnly();
    }

    /** Declared so that a HEAD is not answered by running the GET (which would release and audit a key). */
    @HEAD
    @Path("{any: .*}")
    public Response head() {
        return readOnly();
    }

    @OPTIONS
    @Path("{any: .*}")
    public Response options() {
        return readOnly();
    }

    private static Response readOnly() {
        return Response.fromResponse(VaultErrors.of(405, READ_ONLY)).header("Allow", "GET").build();
    }

    /** The token (exactly one X-Vault-Token header), the TLS session and the peer, as the admission wants them. */
    private static Credentials credentials(HttpHeaders headers, HttpServerRequest request) {
        List<String> tokens = headers.getRequestHeader(TOKEN_HEADER);
        if (tokens != null && tokens.size() > 1) {
            throw InvalidArgumentException.of(TOKEN_HEADER, "must be sent once");
        }
        String token = tokens == null || tokens.isEmpty() ? null : tokens.get(0).strip();
        String authorization = token == null || token.isEmpty() ? null : "Bearer " + token;
        SocketAddress remote = request.remoteAddress();
        return new Credentials(authorization, request.isSSL() ? request.sslSession() : null,
                Credentials.peer(remote == null ? null : remote.hostAddress()));
    }
}
