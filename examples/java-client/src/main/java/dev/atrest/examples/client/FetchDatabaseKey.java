package dev.atrest.examples.client;

import dev.atrest.v1.AccessServiceGrpc;
import dev.atrest.v1.Caller;
import dev.atrest.v1.DatabaseKey;
import dev.atrest.v1.DatabaseKeyServiceGrpc;
import dev.atrest.v1.GetDatabaseKeyRequest;
import dev.atrest.v1.WhoAmIRequest;
import io.grpc.StatusRuntimeException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * What a storage engine does at start-up: authenticate to the key service, fetch its database key, use it,
 * forget it. Here "use it" is printing its fingerprint: the key itself is never printed or written anywhere.
 *
 * <pre>java -jar atrest-java-client.jar PROJECT CLUSTER DATABASE [VERSION]</pre>
 */
public final class FetchDatabaseKey {

    private static final int DEADLINE_SECONDS = 30;

    private FetchDatabaseKey() {
    }

    public static void main(String[] args) throws SSLException {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** @return the exit code: 0 fetched, 1 refused or failed, 2 usage or settings error */
    static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err)
            throws SSLException {
        GetDatabaseKeyRequest request;
        ClientSettings settings;
        try {
            request = request(args);
            settings = ClientSettings.fromEnvironment(environment);
        } catch (IllegalArgumentException e) {
            err.println("usage: FetchDatabaseKey PROJECT CLUSTER DATABASE [VERSION]  (" + e.getMessage() + ")");
            return 2;
        }
        try (KeyServiceChannel keyService = KeyServiceChannel.open(settings)) {
            return fetch(keyService, request, out, err);
        }
    }

    static int fetch(KeyServiceChannel keyService, GetDatabaseKeyRequest request, PrintStream out, PrintStream err) {
        try {
            Caller caller = AccessServiceGrpc.newBlockingStub(keyService.channel())
                    .withCallCredentials(keyService.credentials())
                    .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .whoAmI(WhoAmIRequest.getDefaultInstance());
            out.println("authenticated as " + caller.getPrincipal() + " (" + caller.getRole() + ", projects: "
                    + (caller.getAllProjects() ? "all" : String.join(",", caller.getProjectIdsList())) + ")");
            DatabaseKey key = DatabaseKeyServiceGrpc.newBlockingStub(keyService.channel())
                    .withCallCredentials(keyService.credentials())
                    .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .getDatabaseKey(request);
            report(key, out);
            return 0;
        } catch (StatusRuntimeException e) {
            err.println("failed: " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
            return 1;
        }
    }

    /**
     * Works on a copy of the key and zeroes it afterwards. The protobuf message keeps its own immutable copy
     * until it is garbage-collected; a real storage engine would hand the copy to its cipher and drop the
     * message at once.
     */
    private static void report(DatabaseKey key, PrintStream out) {
        byte[] keyBytes = key.getKey().toByteArray();
        try {
            out.println("database key " + key.getProjectId() + "/" + key.getClusterName() + "/"
                    + key.getDatabaseName() + ": version " + key.getVersion() + ", master-key version "
                    + key.getMasterKeyVersion() + ", " + keyBytes.length * 8 + " bits, sha256 "
                    + KeyFingerprint.sha256(keyBytes));
        } finally {
            Arrays.fill(keyBytes, (byte) 0);
        }
    }

    private static GetDatabaseKeyRequest request(String[] args) {
        if (args.length < 3 || args.length > 4) {
            throw new IllegalArgumentException("expected 3 or 4 arguments, got " + args.length);
        }
        GetDatabaseKeyRequest.Builder request = GetDatabaseKeyRequest.newBuilder()
                .setProjectId(args[0]).setClusterName(args[1]).setDatabaseName(args[2]);
        if (args.length == 4) {
            try {
                request.setVersion(Integer.parseInt(args[3]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("VERSION must be a number, got \"" + args[3] + "\"");
            }
        }
        return request.build();
    }
}
