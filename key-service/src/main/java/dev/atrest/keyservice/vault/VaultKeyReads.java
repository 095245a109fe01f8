package dev.atrest.keyservice.vault;

import dev.atrest.keyservice.access.CallAdmission;
import dev.atrest.keyservice.access.CallAdmission.Credentials;
import dev.atrest.keyservice.audit.AuditEvent;
import dev.atrest.keyservice.audit.AuditLog;
import dev.atrest.keyservice.cluster.Clusters;
import dev.atrest.keyservice.datakey.DatabaseKeys;
import dev.atrest.keyservice.datakey.ReleasedDatabaseKey;
import dev.atrest.keyservice.domain.Caller;
import dev.atrest.keyservice.domain.ClusterState;
import dev.atrest.keyservice.domain.NotFoundException;
import dev.atrest.keyservice.grpc.ErrorMapper;
import dev.atrest.keyservice.grpc.MethodDeclaration;
import dev.atrest.keyservice.grpc.MethodDeclarations;
import dev.atrest.keyservice.grpc.ShutdownDrain;
import dev.atrest.keyservice.grpc.ShuttingDownException;
import dev.atrest.v1.DatabaseKeyServiceGrpc;
import dev.atrest.v1.GetDatabaseKeyRequest;
import io.grpc.StatusRuntimeException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * What a Vault read does, which is what GetDatabaseKey does: the same admission (the caller needs
 * GetDatabaseKey's role on the project, by the rule the contract declares for it; refusals are limited and
 * audited alike), the same release (cache, first-use creation, the KEY_INVALID lock-out), and the same audit
 * record, action {@code atrest.v1.DatabaseKeyService/GetDatabaseKey}, with detail {@value #VIA} so that an
 * auditor can tell the way in. No key leaves before its record is queued.
 */
@ApplicationScoped
class VaultKeyReads {
    static final String METHOD = DatabaseKeyServiceGrpc.getGetDatabaseKeyMethod().getFullMethodName();
    static final String VIA = "vault-kv";

    private final CallAdmission admission;
    private final DatabaseKeys databaseKeys;
    private final Clusters clusters;
    private final AuditLog auditLog;
    private final ShutdownDrain drain;
    private final Optional<MethodDeclaration> declared =
            MethodDeclarations.of(DatabaseKeyServiceGrpc.getGetDatabaseKeyMethod());

    VaultKeyReads(CallAdmission admission, DatabaseKeys databaseKeys, Clusters clusters, AuditLog auditLog,
                  ShutdownDrain drain) {
        this.admission = admission;
        this.databaseKeys = databaseKeys;
        this.clusters = clusters;
        this.auditLog = auditLog;
        this.drain = drain;
    }

    /**
     * A database key in plaintext, released and audited as GetDatabaseKey releases it; the caller closes it.
     *
     * @throws RuntimeException the refusal or failure; once the caller was admitted, a {@link StatusRuntimeException}
     *                          already audited
     */
    ReleasedDatabaseKey read(Credentials credentials, VaultMount mount, VaultKeyPath key) {
        GetDatabaseKeyRequest request = GetDatabaseKeyRequest.newBuilder().setProjectId(mount.projectId())
                .setClusterName(mount.clusterName()).setDatabaseName(key.databaseName()).setVersion(key.version())
                .build();
        Caller caller = admit(credentials, request);
        String resource = declared.orElseThrow().resource().describe(request);
        ReleasedDatabaseKey released;
        try {
            released = databaseKeys.release(mount.projectId(), mount.clusterName(), key.databaseName(), key.version());
        } catch (RuntimeException failed) {
            StatusRuntimeException status = ErrorMapper.toStatus(failed);
            String description = status.getStatus().getDescription();
            auditLog.record(new AuditEvent(caller.principal(), METHOD, resource, status.getStatus().getCode().name(),
                    VIA + ": " + (description == null ? "" : description)));
            throw status;
        }
        try {
            auditLog.record(new AuditEvent(caller.principal(), METHOD, resource, "OK", VIA));
            return released;
        } catch (RuntimeException notRecorded) {
            released.close();
            throw notRecorded;
        }
    }

    /**
     * Vault's mount check, which engines make once when they start: passes when the caller may read the
     * cluster's keys and the cluster is encrypted. It does not look at the CMK: an engine locked out must
     * still start and then fail on the key read, whose error names the reason.
     */
    void checkMount(Credentials credentials, VaultMount mount) {
        admit(credentials, GetDatabaseKeyRequest.newBuilder().setProjectId(mount.projectId())
                .setClusterName(mount.clusterName()).build());
        if (clusters.get(mount.projectId(), mount.clusterName()).state() != ClusterState.ENABLED) {
            throw new NotFoundException("no such mount: cluster " + mount.clusterName() + " of project "
                    + mount.projectId() + " is not encrypted");
        }
    }

    private Caller admit(Credentials credentials, GetDatabaseKeyRequest request) {
        if (drain.draining()) {
            throw new ShuttingDownException();
        }
        return admission.admit(credentials, METHOD, declared, request);
    }
}
