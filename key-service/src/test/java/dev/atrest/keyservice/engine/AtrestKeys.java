package dev.atrest.keyservice.engine;

import static dev.atrest.keyservice.support.Requests.enableAws;
import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.setCluster;

import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.ItDatabase;
import dev.atrest.keyservice.support.LeakCanaries;
import dev.atrest.keyservice.support.Moto;
import dev.atrest.keyservice.support.Requests;
import dev.atrest.keyservice.support.ServiceProcess;
import dev.atrest.v1.AwsKmsConfig;
import dev.atrest.v1.CreateAccessTokenRequest;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.Role;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/**
 * atrest as MariaDB's key source: the packaged key service on the shared IT database with its Vault API on, one AWS
 * project whose CMK lives in moto, one encrypted cluster in it, and a KEY_CONSUMER token for that project only, the
 * token a DBA puts into my.cnf. The service's data directory survives its restarts and kills.
 */
final class AtrestKeys implements AutoCloseable {
    static final String CLUSTER = "mariadb";
    private static Moto moto;

    final ServiceProcess service;
    /** The service's data directory (its LOCAL root keys), which survives its restarts. */
    final Path dataDir;
    final String project;
    /** The CMK's ARN, or the LOCAL root key's id. */
    final String cmkArn;
    final String consumerToken;

    private AtrestKeys(ServiceProcess service, Path dataDir, String project, String cmkArn, String consumerToken) {
        this.service = service;
        this.dataDir = dataDir;
        this.project = project;
        this.cmkArn = cmkArn;
        this.consumerToken = consumerToken;
    }

    /** Starts moto (once per test JVM) and the service, and sets up the project, its cluster and the token. */
    static AtrestKeys start(String name, Path dataDir) {
        return start(name, dataDir, false);
    }

    /**
     * @param localRoot a LOCAL root key instead of a CMK in moto: for tests that seed keys behind the service's
     *                  back (StoredHierarchy wraps under LOCAL root keys only)
     */
    static AtrestKeys start(String name, Path dataDir, boolean localRoot) {
        URI kms = sharedMoto();
        ServiceProcess service = new ServiceProcess(name, ItDatabase.shared(), dataDir, ItDatabase.sharedSealKey(), "2s")
                .with("atrest.aws.endpoint-override", kms.toString())
                .with("atrest.vault-api.enabled", "true")
                // Only the validations a test asks for: a periodic check would race the lock-out test's own.
                .with("atrest.validation.interval", "1h")
                .start();
        String project = Api.uniqueId("engine");
        String cmk = localRoot ? "root-" + project : createCmk();
        service.projects().updateProjectEncryption(localRoot ? enableLocal(project, cmk) : enableAws(project,
                AwsKmsConfig.newBuilder().setCustomerMasterKeyId(cmk).setRegion(Moto.REGION)));
        service.clusters().setClusterEncryption(setCluster(project, CLUSTER,
                localRoot ? EncryptionAtRestProvider.LOCAL : EncryptionAtRestProvider.AWS));
        return new AtrestKeys(service, dataDir, project, cmk, token(service, project, Role.KEY_CONSUMER, project));
    }

    /** A new token with {@code role} on {@code projectId}, remembered for the leak scan. */
    static String token(ServiceProcess service, String name, Role role, String projectId) {
        return LeakCanaries.remembered("engine token", service.admin().access().createAccessToken(
                CreateAccessTokenRequest.newBuilder().setName(Api.uniqueId(name)).setRole(role)
                        .addProjectIds(projectId).build()).getSecret());
    }

    /** The vault URL of this project's cluster on the service as it runs now (its port changes with each start). */
    String vaultUrl() {
        return mount(project);
    }

    String mount(String projectId) {
        return service.vaultApiUrl() + "/v1/atrest/" + projectId + "/" + CLUSTER;
    }

    /** The database keys (MariaDB key ids) atrest holds for the cluster, as "id v{version}". */
    List<String> databaseKeys() {
        return service.clusters().listClusterKeys(Requests.keys(project, CLUSTER))
                .getDatabaseKeysList().stream().map(key -> key.getDatabaseName() + " v" + key.getVersion()).toList();
    }

    /** MariaDB's options with this project's vault URL and consumer token. */
    EngineOptions engineOptions() {
        return EngineOptions.vault(vaultUrl(), consumerToken);
    }

    /** Points {@code options} at the service's current port (after a restart of the service). */
    void follow(EngineOptions options) {
        options.set("hashicorp-key-management-vault-url", vaultUrl());
    }

    private static synchronized URI sharedMoto() {
        if (moto == null) {
            moto = new Moto();
            moto.start();
            Runtime.getRuntime().addShutdownHook(new Thread(moto::stop, "engine-moto-stop"));
        }
        return Moto.endpoint();
    }

    private static String createCmk() {
        try (KmsClient kms = Moto.adminClient()) {
            return kms.createKey(r -> r.description("atrest engine IT").keyUsage(KeyUsageType.ENCRYPT_DECRYPT))
                    .keyMetadata().arn();
        }
    }

    @Override
    public void close() {
        service.close();
    }
}
