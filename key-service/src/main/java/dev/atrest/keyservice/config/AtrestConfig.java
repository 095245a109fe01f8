package dev.atrest.keyservice.config;

import dev.atrest.keyservice.domain.Role;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The service's own settings, all under {@code atrest.}; docs/configuration.md lists them. */
@ConfigMapping(prefix = "atrest")
public interface AtrestConfig {

    /** Where the embedded database, the generated seal key and LOCAL root keys live. */
    @WithDefault(".data")
    Path dataDir();

    LocalRoot localRoot();

    Aws aws();

    Seal seal();

    Rotation rotation();

    EmbeddedDb embeddedDb();

    Validation validation();

    Auth auth();

    Tls tls();

    VaultApi vaultApi();

    interface Auth {
        /**
         * No authentication at all: every caller is an administrator and key consumer of every project.
         * For a laptop only; the service refuses it unless gRPC listens on a loopback address.
         */
        @WithDefault("false")
        boolean developmentMode();

        /** How long a verified token is trusted without reading it again: a revocation on another replica takes this long. */
        @WithDefault("10s")
        Duration tokenCacheTtl();

        /** Where the first administrator token is read from, or written to; default {@code <data-dir>/bootstrap-admin-token}. */
        Optional<Path> bootstrapTokenFile();

        /** Client-certificate grants, keyed by the certificate's subject common name. */
        Map<String, CertificateGrant> certificates();
    }

    interface CertificateGrant {
        Role role();

        /** Project ids, or "*" for all projects. */
        List<String> projects();
    }

    interface Tls {
        /** The server's certificate chain (PEM); with {@link #keyFile()} it turns TLS on for the gRPC port. */
        Optional<Path> certificateFile();

        /** The server's private key (PEM, PKCS#8). */
        Optional<Path> keyFile();

        /** The CA (PEM) that issues client certificates; when set the server asks callers for one. */
        Optional<Path> clientCaFile();
    }

    /**
     * The Vault-KV-v2-compatible read endpoint for storage engines (vault package). Quarkus' HTTP server
     * serves it; these settings are turned into that server's own (see vault/VaultApiServerSettings), so
     * only these are documented.
     */
    interface VaultApi {
        /** Off unless set: nothing listens on the port then. */
        @WithDefault("false")
        boolean enabled();

        /** Vault's own default port, so an engine's documented examples need the host changed only. */
        @WithDefault("8200")
        int port();

        @WithDefault("127.0.0.1")
        String host();
    }

    Audit audit();

    interface Audit {
        /**
         * Records waiting for the audit writer. When it is full (the database is slow or down), calls that
         * must be audited wait up to {@link #backlogWait()} and are then refused with UNAVAILABLE.
         */
        @WithDefault("10000")
        int queueCapacity();

        /** How long a call waits for room in a full audit queue before it is refused. */
        @WithDefault("2s")
        Duration backlogWait();

        /** Records appended per database transaction, at most. */
        @WithDefault("500")
        int batchSize();

        /** Where the chain head is anchored outside the database (audit/ChainAnchoring). */
        AuditAnchor anchor();

        /**
         * Records older than this are pruned (behind a MAC'd checkpoint, so the rest still verifies); 0 keeps
         * every record. 400 days: a year of history (what PCI DSS and most audits ask for) and a margin.
         */
        @WithDefault("400d")
        Duration retention();

        /** How often retention looks for records to prune (one replica at a time). */
        @WithDefault("1h")
        Duration retentionCheckInterval();

        /** Records pruned per database transaction, at most. */
        @WithDefault("1000")
        int retentionBatchSize();
    }

    // --- audit anchor (issue 13): kept as its own block ------------------------------------------
    interface AuditAnchor {
        /**
         * Whether the chain head is anchored. On by default: a log whose head lives only in the database can
         * be rolled back by anyone who can write to the database.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * The anchor file; it must lie outside {@code atrest.data-dir} (the service refuses to start
         * otherwise). Default: {@code <data-dir>.audit-anchor} beside the data directory, so that a copy or
         * restore of the data directory never carries it along.
         */
        Optional<Path> file();

        /** Anchor at least once per this many records appended. */
        @WithDefault("1000")
        int everyRecords();

        /** Anchor at least this often while records are being appended. */
        @WithDefault("5m")
        Duration interval();

        /** Anchors kept in the file per chain (the newest is what verification needs; older ones help diagnose). */
        @WithDefault("16")
        int history();

        /**
         * A KMS key (id, ARN or alias ARN) to anchor with as well, using the service's own AWS credentials:
         * each anchor is a KMS Encrypt call whose encryption context carries the head, so CloudTrail keeps an
         * append-only copy of every anchor. Off when unset.
         */
        Optional<String> kmsKeyId();

        /** The KMS key's region; default: the region in the key's ARN. */
        Optional<String> kmsRegion();
    }

    Cache cache();

    interface Cache {
        /**
         * How long the data plane keeps an unwrapped master key in memory (and, for as long, the wrapped
         * database keys and the facts that admit a release). At most {@code atrest.validation.interval}:
         * a revoked CMK must stop serving keys within one validation interval, on every replica.
         */
        @WithDefault("5m")
        Duration masterKeyTtl();
    }

    interface Validation {
        /** How often every enabled project's CMK is checked against KMS (KeyHealthChecks). */
        @WithDefault("15m")
        Duration interval();
    }

    interface EmbeddedDb {
        /** Set by the service itself when it started the embedded MariaDB; not for users to set. */
        @WithDefault("false")
        boolean active();
    }

    interface LocalRoot {
        /** The LOCAL provider keeps root keys in files: development only, so it is off unless asked for. */
        @WithDefault("false")
        boolean enabled();
    }

    interface Rotation {
        /**
         * How often the service looks for master keys older than their cluster's period, and for
         * rotations a crash or an outage left unfinished. Due-ness is read from the database, so a
         * longer interval only delays a rotation, it never skips one.
         */
        @WithDefault("10m")
        Duration checkInterval();

        /** The first check after start-up: soon, so that a rotation a restart interrupted resumes. */
        @WithDefault("15s")
        Duration firstCheckDelay();

        /** Database keys re-wrapped per transaction. */
        @WithDefault("1000")
        int batchSize();
    }

    Jobs jobs();

    interface Jobs {
        /**
         * How long a job lock (a rotation, a CMK change, audit retention) stays held without renewal. The
         * holder renews it every third of this; a replica that dies leaves it to be taken over this much
         * later, and a holder cut off from the database for this long loses it (its steps then refuse to
         * commit). Measured on the database's clock.
         */
        @WithDefault("30s")
        Duration leaseDuration();
    }

    interface Aws {
        /** One endpoint for KMS and STS (moto, LocalStack). Service-wide; API callers can never choose it. */
        Optional<URI> endpointOverride();

        /** Upper bound for one KMS/STS call including retries: a slow KMS never hangs an RPC longer. */
        @WithDefault("10s")
        Duration apiCallTimeout();

        @WithDefault("3s")
        Duration apiCallAttemptTimeout();

        @WithDefault("2s")
        Duration connectTimeout();

        /** Attempts per call; throttling and transient errors are retried with jittered backoff. */
        @WithDefault("4")
        int maxAttempts();
    }

    interface Seal {
        /** The seal key, 32 bytes in base64 (env ATREST_SEAL_KEY). */
        Optional<String> key();

        /** A file holding the seal key in base64. */
        Optional<Path> keyFile();
    }

    Refusals refusals();

    /**
     * Bounds on refused calls (failed authentication, wrong role or project): they cost a caller nothing,
     * so without a bound they cost the service a database lookup and an audit record each.
     */
    interface Refusals {
        /**
         * Refused calls per second one caller may keep making (a token bucket, refilled at this rate); past
         * it the caller is answered RESOURCE_EXHAUSTED with RetryInfo, before any database lookup. The
         * caller is its token or certificate when known, else its peer address. Admitted calls are never
         * limited by this.
         */
        @WithDefault("2")
        double ratePerSecond();

        /** Refused calls a caller may make at once before the rate applies (the bucket's size). */
        @WithDefault("20")
        int burst();

        /**
         * Refusal audit records are coalesced per caller, method and outcome over this window: the first
         * is recorded at once, the rest become one record with their count when the window closes (or at
         * shutdown). 0 records every refusal on its own.
         */
        @WithDefault("60s")
        Duration auditWindow();

        /** Callers tracked at once; past it, new callers share one bucket and one audit window. */
        @WithDefault("10000")
        int maxTrackedCallers();
    }

    Metrics metrics();

    interface Metrics {
        /**
         * Export the per-project and per-cluster key-age gauges (labelled with project ids and cluster
         * names). /q/metrics has no authentication: turn this off if the HTTP port is reachable by anyone
         * who should not learn which projects and clusters exist; maxima without labels remain.
         */
        @WithDefault("true")
        boolean perProject();
    }
}
