package dev.atrest.keyservice.access;

import com.google.protobuf.Message;
import dev.atrest.keyservice.audit.AuditEvent;
import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.domain.AccessPolicy;
import dev.atrest.keyservice.domain.Caller;
import dev.atrest.keyservice.domain.InvalidArgumentException;
import dev.atrest.keyservice.domain.PermissionDeniedException;
import dev.atrest.keyservice.domain.Role;
import dev.atrest.keyservice.domain.UnauthenticatedException;
import dev.atrest.keyservice.grpc.ErrorMapper;
import dev.atrest.keyservice.grpc.MethodDeclaration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLSession;

/**
 * Whether a call of an atrest.v1 method may go ahead, whatever transport it came by (gRPC through
 * {@link AccessInterceptor}, the Vault-compatible HTTP API through the vault package): who is calling
 * ({@link CallAuthenticator}), whether {@link AccessPolicy} lets that caller make the call by the rule the
 * method declares in the contract, on the project the request names, and what refusals cost that caller
 * ({@link RefusalGuard}: rate limit and audit). One decision for every way in, so a key is never easier to
 * get over one of them.
 */
@ApplicationScoped
public class CallAdmission {
    static final Caller DEVELOPER = new Caller("development", Set.of(Role.ADMIN, Role.KEY_CONSUMER), Set.of(), true);

    private final CallAuthentication authenticator;
    private final RefusalGuard refusals;
    private final boolean developmentMode;

    @Inject
    CallAdmission(CallAuthenticator authenticator, RefusalGuard refusals, AtrestConfig config) {
        this(authenticator, refusals, config.auth().developmentMode());
    }

    CallAdmission(CallAuthentication authenticator, RefusalGuard refusals, boolean developmentMode) {
        this.authenticator = authenticator;
        this.refusals = refusals;
        this.developmentMode = developmentMode;
    }

    /**
     * The caller to let in; otherwise throws the refusal (audited, and counted against the caller).
     *
     * @param credentials what the call presented
     * @param method      the full method name, as the audit log records it
     * @param declared    the method's {@code (atrest.v1.access)} declaration; empty refuses every caller
     * @param request     the request message, null when its bytes were not valid protobuf
     */
    public Caller admit(Credentials credentials, String method, Optional<MethodDeclaration> declared,
                        Message request) {
        String authorization = credentials.authorization();
        if (!developmentMode) {
            refusals.throttleBeforeAuthentication(credentials.peer(), authorization,
                    () -> new AuditEvent(Caller.ANONYMOUS, method, resource(declared, request), "", ""));
        }
        Caller caller = null;
        try {
            caller = developmentMode ? DEVELOPER : authenticator.authenticate(authorization, credentials.tls());
            // Not valid protobuf (UnparsableRequests). Checked after authentication: an anonymous caller is refused
            // (and audited) as UNAUTHENTICATED whatever bytes it sent.
            if (request == null) {
                throw InvalidArgumentException.of("request",
                        "is not a valid protobuf encoding of the method's request message");
            }
            AccessPolicy.authorize(method, declared.map(MethodDeclaration::rule), caller,
                    declared.flatMap(d -> d.resource().projectId(request)));
            refusals.admitted(authorization);
            return caller;
        } catch (UnauthenticatedException | PermissionDeniedException refusal) {
            String code = ErrorMapper.toStatus(refusal).getStatus().getCode().name();
            // Known callers are limited by who they are; anonymous ones by where they call from, which the
            // record names too (the actor alone, "anonymous", would not tell one flood from another).
            String limited = caller == null ? credentials.peer() : caller.principal();
            String detail = caller == null ? refusal.getMessage() + " (" + credentials.peer() + ")" : refusal.getMessage();
            String actor = caller == null ? Caller.ANONYMOUS : caller.principal();
            throw refusals.refused(limited, refusal,
                    new AuditEvent(actor, method, resource(declared, request), code, detail));
        }
    }

    private static String resource(Optional<MethodDeclaration> declared, Message request) {
        return request == null || declared.isEmpty() ? "" : declared.get().resource().describe(request);
    }

    /**
     * What a call presented.
     *
     * @param authorization the value of its authorization ("Bearer &lt;token&gt;"), null when it sent none
     * @param tls           its TLS session, null on a plaintext connection
     * @param peer          "peer:&lt;address&gt;" ({@link #peer(String)}): whom its refusals are
     *                      counted against before it is known
     */
    public record Credentials(String authorization, SSLSession tls, String peer) {
        /**
         * "peer:&lt;address&gt;" for a client's IP address (null: unknown), without the port: one client host is
         * one caller, whichever connection it uses and whichever way in (gRPC or the Vault API).
         */
        public static String peer(String address) {
            return "peer:" + (address == null ? "unknown" : address);
        }
    }
}
