package dev.atrest.keyservice.fault;

import dev.atrest.keyservice.support.Moto;
import dev.atrest.keyservice.support.Toxiproxy;
import dev.atrest.testsupport.Awaits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/**
 * The key service's way to KMS in the fault tests: its endpoint override is a toxiproxy proxy, and the
 * proxy forwards to a moto server. Faults are toxics on the proxy, the proxy disabled, or moto stopped.
 * moto keeps its keys in memory only, so the moto that is stopped is a dedicated one, never the shared one.
 */
final class KmsPath implements AutoCloseable {
    private static final String PROXY = "kms";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Toxiproxy toxiproxy;
    private final Moto shared;
    private final URI sharedEndpoint;
    private final URI serviceEndpoint;
    private Moto dedicated;
    private URI current;

    private KmsPath(Toxiproxy toxiproxy, Moto shared, URI sharedEndpoint) {
        this.toxiproxy = toxiproxy;
        this.shared = shared;
        this.sharedEndpoint = sharedEndpoint;
        this.current = sharedEndpoint;
        this.serviceEndpoint = toxiproxy.createProxy(PROXY, sharedEndpoint);
    }

    static KmsPath open() {
        Moto moto = new Moto();
        moto.start();
        return new KmsPath(Toxiproxy.start(), moto, Moto.endpoint());
    }

    /** What the service's atrest.aws.endpoint-override must be. */
    URI serviceEndpoint() {
        return serviceEndpoint;
    }

    /** A new symmetric CMK in the moto the proxy forwards to now, created directly (past the proxy). */
    String createKey() {
        try (KmsClient kms = KmsClient.builder().endpointOverride(current).region(Region.of(Moto.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "kms-fault-test-admin")))
                .build()) {
            return kms.createKey(r -> r.description("atrest KMS fault test").keyUsage(KeyUsageType.ENCRYPT_DECRYPT))
                    .keyMetadata().arn();
        }
    }

    void addToxic(String name, String type, String stream, Map<String, Long> attributes) {
        toxiproxy.addToxic(PROXY, name, type, stream, attributes);
    }

    void removeToxic(String name) {
        toxiproxy.removeToxic(PROXY, name);
    }

    void setEnabled(boolean enabled) {
        toxiproxy.setEnabled(PROXY, enabled);
    }

    /** A fresh moto of its own behind the proxy (the service's endpoint stays the same). */
    void useDedicatedMoto() {
        stopDedicatedMoto();
        dedicated = new Moto();
        dedicated.start();
        current = Moto.endpoint();
        toxiproxy.setUpstream(PROXY, current);
    }

    /** Stops the dedicated moto and waits until its port refuses connections. */
    void stopDedicatedMoto() {
        if (dedicated == null) {
            return;
        }
        dedicated.stop();
        dedicated = null;
        Awaits.until("moto at " + current + " stopped", STOP_TIMEOUT, () -> refuses(current));
    }

    void useSharedMoto() {
        stopDedicatedMoto();
        current = sharedEndpoint;
        toxiproxy.setUpstream(PROXY, current);
    }

    @Override
    public void close() {
        stopDedicatedMoto();
        toxiproxy.close();
        shared.stop();
    }

    private static boolean refuses(URI endpoint) {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), endpoint.getPort())) {
            return false;
        } catch (IOException refused) {
            return true;
        }
    }
}
