package dev.atrest.keyservice.audit;

import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.domain.AwsKmsSettings;
import dev.atrest.keyservice.kms.AwsClients;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Copies each anchor to AWS KMS, with the service's own AWS credentials, when
 * {@code atrest.audit.anchor.kms-key-id} is set: a KMS Encrypt under that key whose encryption context carries
 * the head ({@code atrest:chain}, {@code atrest:sequence}, {@code atrest:mac}, {@code atrest:time}). KMS
 * answers with a ciphertext the service throws away; what matters is that CloudTrail logs every Encrypt with
 * its encryption context, in an account the database's administrators cannot rewrite: an append-only copy of
 * every anchor, even if the anchor file and the database are lost or rolled back together.
 *
 * <p>Never on the writer's path: {@link #offer} only leaves the anchor for a thread of its own, which sends
 * the newest one of each chain (a newer head vouches for the older ones); a failure is logged, counted and
 * retried with growing pauses (1 s up to 5 min), and a newer anchor of a chain replaces the one waiting.
 */
@Startup
@ApplicationScoped
public class KmsAnchor implements AnchorCopies {
    private static final Logger LOG = Logger.getLogger(KmsAnchor.class);
    private static final byte[] PLAINTEXT = "atrest audit anchor".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofMinutes(5);

    private final Optional<String> keyId;
    private final String region;
    private final AwsClients clients;
    private final Map<String, ChainAnchor> waiting = new ConcurrentHashMap<>(); // the newest per chain
    private final AtomicLong sentSequence = new AtomicLong();
    private final Counter failures;
    private ScheduledExecutorService sender;
    private KmsClient kms;
    private Duration retry = FIRST_RETRY;
    private boolean scheduled;

    @Inject
    KmsAnchor(AtrestConfig config, AwsClients clients, MeterRegistry registry) {
        AtrestConfig.AuditAnchor anchor = config.audit().anchor();
        this.keyId = anchor.enabled() ? anchor.kmsKeyId() : Optional.empty();
        this.region = keyId.map(id -> regionOf(id, anchor.kmsRegion())).orElse(null);
        this.clients = clients;
        this.failures = Counter.builder("atrest.audit.anchor.kms.failures")
                .description("KMS anchor calls that failed (retried)").register(registry);
        Gauge.builder("atrest.audit.anchor.kms.sequence", sentSequence, AtomicLong::get)
                .description("the newest audit sequence anchored in KMS (CloudTrail)").register(registry);
    }

    /** The region from {@code atrest.audit.anchor.kms-region}, or from the key's ARN. */
    static String regionOf(String keyId, Optional<String> configured) {
        if (configured.isPresent()) {
            return configured.get();
        }
        String[] arn = keyId.split(":");
        if (arn.length >= 6 && arn[0].equals("arn") && !arn[3].isEmpty()) {
            return arn[3];
        }
        throw new IllegalStateException("atrest.audit.anchor.kms-region is required when atrest.audit.anchor.kms-key-id"
                + " is not an ARN");
    }

    @Override
    public void offer(ChainAnchor anchor) {
        if (keyId.isEmpty()) {
            return;
        }
        waiting.put(anchor.chain(), anchor);
        synchronized (this) {
            if (!scheduled) {
                scheduled = true;
                sender().execute(this::send);
            }
        }
    }

    /** What one KMS anchor says, as the encryption context CloudTrail records. */
    static Map<String, String> context(ChainAnchor anchor) {
        Map<String, String> context = new LinkedHashMap<>();
        context.put("atrest:chain", anchor.chain());
        context.put("atrest:sequence", Long.toString(anchor.sequence()));
        context.put("atrest:mac", anchor.macHex());
        context.put("atrest:time", anchor.time().toString());
        return context;
    }

    private void send() {
        ChainAnchor anchor = waiting.values().iterator().next(); // scheduled only while one waits
        try {
            client().encrypt(r -> r.keyId(keyId.get()).plaintext(SdkBytes.fromByteArray(PLAINTEXT))
                    .encryptionContext(context(anchor)));
            if (anchor.chain().equals(ChainAnchor.AUDIT)) {
                sentSequence.set(anchor.sequence());
            }
            retry = FIRST_RETRY;
            synchronized (this) {
                waiting.remove(anchor.chain(), anchor);
                if (waiting.isEmpty()) {
                    scheduled = false;
                    return;
                }
            }
            sender().execute(this::send); // a newer anchor, or another chain's, came meanwhile
        } catch (RuntimeException e) {
            failures.increment();
            LOG.errorf("audit anchor: anchoring %s head %d in KMS (key %s) failed, retrying in %d s: %s",
                    anchor.chain(), anchor.sequence(), keyId.get(), retry.toSeconds(), e.toString());
            sender().schedule(this::send, retry.toMillis(), TimeUnit.MILLISECONDS);
            retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
        }
    }

    private KmsClient client() {
        if (kms == null) {
            kms = clients.kms(new AwsKmsSettings(keyId.get(), region, null, null, null, null));
        }
        return kms;
    }

    private synchronized ScheduledExecutorService sender() {
        if (sender == null) {
            sender = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "atrest-audit-kms-anchor");
                thread.setDaemon(true);
                return thread;
            });
        }
        return sender;
    }

    void stop(@Observes ShutdownEvent shutdown) {
        synchronized (this) {
            if (sender != null) {
                sender.shutdownNow();
            }
        }
        if (kms != null) {
            kms.close();
        }
    }
}
