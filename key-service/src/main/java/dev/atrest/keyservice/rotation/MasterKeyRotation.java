package dev.atrest.keyservice.rotation;

import dev.atrest.keyservice.audit.AuditEvent;
import dev.atrest.keyservice.audit.AuditLog;
import dev.atrest.keyservice.audit.RecordLimits;
import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.domain.ClusterEncryption;
import dev.atrest.keyservice.domain.RootKeyConfig;
import dev.atrest.keyservice.kms.GeneratedMasterKey;
import dev.atrest.keyservice.kms.Secrets;
import dev.atrest.keyservice.masterkey.MasterKeys;
import dev.atrest.keyservice.masterkey.OpenMasterKeys;
import dev.atrest.keyservice.rotation.RotationSteps.RewrapChunk;
import dev.atrest.keyservice.rotation.RotationSteps.RotationStart;
import dev.atrest.keyservice.store.JobLock;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Runs one cluster's master-key rotation: the create step, then the re-wrap in chunks, then the finish
 * step. The caller holds the cluster's rotation lock, and every step is fenced by it, so no other run
 * (here or on another replica) interleaves, even one that took the lock over from a holder presumed dead. Everything it does is decided from what is stored, so a run after a crash carries on.
 */
@ApplicationScoped
class MasterKeyRotation {
    private static final Logger LOG = Logger.getLogger(MasterKeyRotation.class);
    private static final int MAX_PASSES = 5;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    private final RotationSteps steps;
    private final MasterKeys masterKeys;
    private final Clock clock;
    private final AuditLog audit;
    private final int batchSize;

    MasterKeyRotation(RotationSteps steps, MasterKeys masterKeys, Clock clock, AuditLog audit, AtrestConfig config) {
        this.steps = steps;
        this.masterKeys = masterKeys;
        this.clock = clock;
        this.audit = audit;
        this.batchSize = config.rotation().batchSize();
    }

    /** Records that a rotation step failed; it is retried at the next check. */
    void recordFailure(String projectId, String clusterName, RuntimeException failure) {
        audit.recordFact(AuditEvent.byService("rotation.failed", AuditEvent.cluster(projectId, clusterName), "FAILED",
                RecordLimits.cut(String.valueOf(failure.getMessage()), 200)));
    }

    /** The lock name that makes a cluster's rotation run once across replicas. */
    static String lockName(String projectId, String clusterName) {
        return "rotate:" + projectId + "/" + clusterName;
    }

    /**
     * Stores a new master-key version when {@code due} says the current one needs replacing, unless a
     * rotation is already under way (which is then left to {@link #rewrapAndFinish}). Returns whether a
     * new version was created.
     */
    boolean startIfDue(String projectId, String clusterName, Due due, JobLock lock) {
        for (int attempt = 0; attempt < 3; attempt++) {
            RotationStart start = steps.read(projectId, clusterName).orElse(null);
            if (start == null || start.root().isEmpty() || !due.test(start.cluster(), Instant.now(clock))) {
                if (start != null) {
                    Secrets.clear(start.root());
                }
                return false;
            }
            if (create(projectId, clusterName, start, lock)) {
                return true;
            }
        }
        throw new IllegalStateException("cluster " + clusterName + " kept changing under its rotation");
    }

    private boolean create(String projectId, String clusterName, RotationStart start, JobLock lock) {
        RootKeyConfig root = start.root().get();
        int from = start.cluster().masterKeyVersion();
        try (GeneratedMasterKey generated = masterKeys.generate(root, projectId, clusterName, from + 1)) {
            boolean stored = steps.activate(projectId, clusterName, from, start.rootKeyGeneration(), root,
                    generated.wrapped(), lock);
            if (stored) {
                LOG.infof("cluster %s/%s: master key version %d is active; version %d is retired (decrypt-only)",
                        projectId, clusterName, from + 1, from);
                audit.recordFact(AuditEvent.byService("rotation.started", AuditEvent.cluster(projectId, clusterName),
                        "OK", "master key version " + (from + 1) + " active, version " + from + " retired"));
            }
            return stored;
        } finally {
            Secrets.clear(root);
        }
    }

    /**
     * Re-wraps every database key under the current version and records the rotation finished; false
     * when no rotation was under way.
     */
    boolean rewrapAndFinish(String projectId, String clusterName, JobLock lock) {
        ClusterEncryption cluster = steps.cluster(projectId, clusterName).orElse(null);
        if (cluster == null || !cluster.rotationInProgress()) {
            return false;
        }
        int version = cluster.masterKeyVersion();
        Instant started = Instant.now(clock);
        long total = 0;
        try (OpenMasterKeys open = new OpenMasterKeys()) {
            for (int pass = 0; pass < MAX_PASSES; pass++) {
                total += rewrapAll(projectId, clusterName, version, open, lock);
                if (steps.finish(projectId, clusterName, version, lock)) {
                    Duration took = Duration.between(started, Instant.now(clock));
                    LOG.infof("cluster %s/%s: rotation to master key version %d finished: %d database keys "
                            + "re-wrapped in %d ms", projectId, clusterName, version, total, took.toMillis());
                    audit.recordFact(AuditEvent.byService("rotation.completed", AuditEvent.cluster(projectId, clusterName),
                            "OK", "master key version " + version + ", " + total + " database keys re-wrapped"));
                    return true;
                }
            }
        }
        throw new IllegalStateException("database keys of " + clusterName + " kept appearing under an old "
                + "master-key version; the next check continues the rotation");
    }

    private long rewrapAll(String projectId, String clusterName, int version, OpenMasterKeys open, JobLock lock) {
        long done = 0;
        Instant nextReport = Instant.now(clock).plus(PROGRESS_EVERY);
        List<Integer> versionsBefore = steps.versionsWrappingBefore(projectId, clusterName, version);
        if (!versionsBefore.isEmpty()) {
            steps.openVersions(projectId, clusterName,
                    Stream.concat(versionsBefore.stream(), Stream.of(version)).toList(), open);
        }
        for (int from : versionsBefore) {
            long afterId = 0;
            while (true) {
                RewrapChunk chunk = steps.rewrapChunk(projectId, clusterName, from, version, afterId, batchSize, open,
                        lock);
                if (chunk.lastId() == afterId) {
                    break;
                }
                done += chunk.rewrapped();
                afterId = chunk.lastId();
                if (Instant.now(clock).isAfter(nextReport)) {
                    LOG.infof("cluster %s/%s: rotation to master key version %d: %d database keys re-wrapped so far",
                            projectId, clusterName, version, done);
                    nextReport = Instant.now(clock).plus(PROGRESS_EVERY);
                }
            }
        }
        return done;
    }

    /** Whether a cluster as stored needs a new master-key version at {@code now}. */
    @FunctionalInterface
    interface Due {
        Due ALWAYS = (cluster, now) -> true;
        Due BY_POLICY = (cluster, now) -> cluster.masterKeyActivatedTime() != null
                && cluster.rotationPolicy().isDue(cluster.masterKeyActivatedTime(), now);

        boolean test(ClusterEncryption cluster, Instant now);

        /** On demand: unless the current version became active at or after {@code asked}. */
        static Due activatedBefore(Instant asked) {
            return (cluster, now) -> cluster.masterKeyActivatedTime() == null
                    || cluster.masterKeyActivatedTime().isBefore(asked);
        }
    }
}
