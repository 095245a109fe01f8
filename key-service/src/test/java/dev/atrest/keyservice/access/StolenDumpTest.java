package dev.atrest.keyservice.access;

import static dev.atrest.keyservice.support.Requests.enableAws;
import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.Client;
import dev.atrest.keyservice.support.DatabaseDump;
import dev.atrest.keyservice.support.LeakScan;
import dev.atrest.keyservice.support.Moto;
import dev.atrest.v1.AwsKmsConfig;
import dev.atrest.v1.CreateAccessTokenResponse;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetDatabaseKeyRequest;
import dev.atrest.v1.Role;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Attacker class (b) with a stolen backup: a dump taken with the service's own database account, as a
 * backup job takes it, holds every key row, yet no database key, no usable token and no secret. Database
 * keys are wrapped by master keys that a root key outside the database wraps; tokens are stored as a
 * digest of a 256-bit secret; AWS secrets are sealed under a key that never enters the database.
 */
@QuarkusTest
class StolenDumpTest {
    /** Distinctive enough that finding it in the dump is unambiguous. */
    private static final String AWS_SECRET = "Dump7SecretAccessKey/stolenBackup+0815";
    private static final String DATABASE_KEY_ROWS = "INSERT INTO `database_key` VALUES";
    private static Stolen stolen;

    /** What was set up through the API, and the dump taken afterwards. */
    private record Stolen(String project, CreateAccessTokenResponse token, Map<String, byte[]> secrets, Path dump, String text) {}

    @Test
    void dump_withTheServicesOwnAccount_holdsEveryKeyRow() throws Exception {
        Stolen dump = stolen();

        assertThat(Files.size(dump.dump())).isPositive();
        assertThat(dump.text()).contains("CREATE TABLE `database_key`", "`wrapped_key` varbinary",
                DATABASE_KEY_ROWS, "INSERT INTO `master_key` VALUES", "INSERT INTO `access_token` VALUES",
                "INSERT INTO `project_encryption` VALUES", dump.project(), dump.token().getToken().getTokenId());
        for (String database : List.of("orders", "payments", "customers")) {
            assertThat(dump.text()).containsPattern(",'" + Pattern.quote(dump.project()) + "','c1','" + database
                    + "',1,'[A-Z_]+',1,0x[0-9A-F]{32,}");
        }
    }

    @Test
    void dump_withTheServicesOwnAccount_holdsNoKeyTokenOrSecret() throws Exception {
        Stolen dump = stolen();
        LeakScan scan = new LeakScan();
        dump.secrets().forEach(scan::addCanary);
        // The scan must be able to see what is there: the token id is in the dump by design.
        scan.addCanary("control: token id", dump.token().getToken().getTokenId().getBytes(StandardCharsets.US_ASCII));

        scan.scanTree(dump.dump());

        assertThat(scan.hits()).as(scan.summary()).isNotEmpty().allMatch(hit -> hit.startsWith("control: token id"));
        assertThat(dump.secrets().keySet()).contains("seal key", "LOCAL root key default.key", "AWS secret access key",
                "token secret", "database key orders");
    }

    @Test
    void dumpedTokenDigest_presentedAsBearerToken_unauthenticated() throws Exception {
        Stolen dump = stolen();
        Matcher row = Pattern.compile("\\('" + Pattern.quote(dump.token().getToken().getTokenId()) + "','([0-9a-f]{64})'")
                .matcher(dump.text());
        assertThat(row.find()).as("the token's row and its stored digest are in the dump").isTrue();
        String digest = row.group(1);
        String wellFormed = "atrest_" + Base64.getUrlEncoder().withoutPadding().encodeToString(HexFormat.of().parseHex(digest));

        for (String presented : List.of(digest, "atrest_" + digest, wellFormed)) {
            assertThatThrownBy(() -> getKey(Api.as(presented), dump.project(), "orders"))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        }
        // The token itself still works: what was refused was the digest, not a broken token.
        assertThat(getKey(Api.as(dump.token().getSecret()), dump.project(), "orders"))
                .isEqualTo(dump.secrets().get("database key orders"));
    }

    private static synchronized Stolen stolen() throws IOException, InterruptedException {
        if (stolen == null) {
            Map<String, byte[]> secrets = new LinkedHashMap<>();
            String project = Api.uniqueId("dump");
            String awsProject = Api.uniqueId("dump-aws");
            Api.projects().updateProjectEncryption(enableLocal(project));
            Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL));
            Api.projects().updateProjectEncryption(enableAws(awsProject, AwsKmsConfig.newBuilder()
                    .setCustomerMasterKeyId(createCmk()).setRegion(Moto.REGION)
                    .setAccessKeyId("AKIAATRESTDUMPTEST01").setSecretAccessKey(AWS_SECRET)));
            Api.clusters().setClusterEncryption(setCluster(awsProject, "c1", EncryptionAtRestProvider.AWS));
            CreateAccessTokenResponse token = Api.createToken(Role.KEY_CONSUMER, project, awsProject);
            Client consumer = Api.as(token.getSecret());
            for (String database : List.of("orders", "payments", "customers")) {
                secrets.put("database key " + database, getKey(consumer, project, database));
            }
            secrets.put("database key aws orders", getKey(consumer, awsProject, "orders"));
            secrets.put("token secret", token.getSecret().getBytes(StandardCharsets.US_ASCII));
            secrets.put("token secret's random bytes", Base64.getUrlDecoder().decode(token.getSecret().substring("atrest_".length())));
            secrets.put("admin token", Api.ADMIN_TOKEN.getBytes(StandardCharsets.US_ASCII));
            secrets.put("AWS secret access key", AWS_SECRET.getBytes(StandardCharsets.US_ASCII));
            secrets.put("seal key", sealKey());
            secrets.putAll(localRootKeys());
            Path dump = DatabaseDump.take();
            stolen = new Stolen(project, token, secrets, dump, Files.readString(dump, StandardCharsets.ISO_8859_1));
        }
        return stolen;
    }

    private static byte[] getKey(Client client, String project, String database) {
        return client.databaseKeys().getDatabaseKey(GetDatabaseKeyRequest.newBuilder().setProjectId(project)
                .setClusterName("c1").setDatabaseName(database).build()).getKey().toByteArray();
    }

    /** The configured seal key (external database), else the one generated into the data directory (embedded). */
    private static byte[] sealKey() throws IOException {
        var config = ConfigProvider.getConfig();
        String base64 = config.getOptionalValue("atrest.seal.key", String.class).orElse(null);
        if (base64 == null) {
            Path file = config.getOptionalValue("atrest.seal.key-file", String.class).map(Path::of)
                    .orElse(DatabaseDump.dataDir().resolve("seal.key"));
            base64 = Files.readString(file, StandardCharsets.US_ASCII);
        }
        return Base64.getDecoder().decode(base64.trim());
    }

    /** Every LOCAL root key file of this run, by name; {@code default.key} at least, which this test used. */
    private static Map<String, byte[]> localRootKeys() throws IOException {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(DatabaseDump.dataDir().resolve("local-root-keys"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".key")).toList()) {
                keys.put("LOCAL root key " + file.getFileName(), Files.readAllBytes(file));
            }
        }
        return keys;
    }

    private static String createCmk() {
        try (KmsClient kms = Moto.adminClient()) {
            return kms.createKey(r -> r.description("atrest stolen dump")).keyMetadata().arn();
        }
    }
}
