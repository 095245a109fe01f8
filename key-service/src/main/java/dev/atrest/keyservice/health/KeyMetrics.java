package dev.atrest.keyservice.health;

import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.domain.AlertType;
import dev.atrest.keyservice.store.ClusterEncryptionRepository;
import dev.atrest.keyservice.store.KeyAge;
import dev.atrest.keyservice.store.KeyAlertRepository;
import dev.atrest.keyservice.store.ProjectEncryptionRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Prometheus gauges (at /q/metrics): open alerts per type, and the age of every enabled project's CMK
 * and every encrypted cluster's master key. Which keys exist is read from the database at start-up,
 * after every health-job run and after every alert change; the ages themselves are computed from the
 * clock at each scrape, so they never go stale between refreshes, and a scrape never queries the database.
 *
 * <p>/q/metrics answers anyone who reaches the HTTP port, and the per-key gauges are labelled with project
 * ids and cluster names: a list of the tenants. {@code atrest.metrics.per-project=false} leaves only the
 * unlabelled maxima ({@code atrest_cmk_age_max_seconds}, {@code atrest_master_key_age_max_seconds}), which
 * are enough to alert on; the HTTP port listens on loopback by default, and a warning says when the
 * labelled gauges are exported on another address.
 */
@ApplicationScoped
public class KeyMetrics {
    private static final Logger LOG = Logger.getLogger(KeyMetrics.class);

    private final KeyAlertRepository alerts;
    private final ProjectEncryptionRepository projects;
    private final ClusterEncryptionRepository clusters;
    private final Clock clock;
    private final Map<AlertType, AtomicLong> openAlerts = new EnumMap<>(AlertType.class);
    private final boolean perProject;
    private final MultiGauge cmkAges;
    private final MultiGauge masterKeyAges;
    private volatile List<KeyAge> cmkKeys = List.of();
    private volatile List<KeyAge> masterKeys = List.of();

    KeyMetrics(MeterRegistry registry, KeyAlertRepository alerts, ProjectEncryptionRepository projects,
               ClusterEncryptionRepository clusters, Clock clock, AtrestConfig config,
               @ConfigProperty(name = "quarkus.http.host") String httpHost) {
        this.alerts = alerts;
        this.projects = projects;
        this.clusters = clusters;
        this.clock = clock;
        this.perProject = config.metrics().perProject();
        for (AlertType type : AlertType.values()) {
            openAlerts.put(type, registry.gauge("atrest.alerts.open", Tags.of("type", type.name()), new AtomicLong()));
        }
        Gauge.builder("atrest.cmk.age.max", this, metrics -> metrics.oldest(metrics.cmkKeys)).baseUnit("seconds")
                .description("Time since the least recently changed CMK of any project changed").strongReference(true)
                .register(registry);
        Gauge.builder("atrest.master.key.age.max", this, metrics -> metrics.oldest(metrics.masterKeys)).baseUnit("seconds")
                .description("Age of the oldest current master key of any cluster").strongReference(true)
                .register(registry);
        cmkAges = perProject ? MultiGauge.builder("atrest.cmk.age").baseUnit("seconds")
                .description("Time since the project's CMK last changed").register(registry) : null;
        masterKeyAges = perProject ? MultiGauge.builder("atrest.master.key.age").baseUnit("seconds")
                .description("Time since the cluster's current master key became active").register(registry) : null;
        if (perProject && !isLoopback(httpHost)) {
            LOG.warnf("/q/metrics on %s names every project and cluster to whoever reaches it, without authentication:"
                    + " set atrest.metrics.per-project=false, or keep quarkus.http.host on loopback", httpHost);
        }
    }

    void onStart(@Observes StartupEvent started) {
        refresh();
    }

    void onAlertsChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) AlertsChanged changed) {
        refresh();
    }

    /** Reloads open-alert counts and which keys exist, in a short transaction of its own. */
    @Transactional(TxType.REQUIRES_NEW)
    public void refresh() {
        Map<AlertType, Long> counts = alerts.countOpenByType();
        openAlerts.forEach((type, gauge) -> gauge.set(counts.getOrDefault(type, 0L)));
        cmkKeys = List.copyOf(projects.cmkAges());
        masterKeys = List.copyOf(clusters.masterKeyAges());
        if (perProject) {
            cmkAges.register(rows(cmkKeys), true);
            masterKeyAges.register(rows(masterKeys), true);
        }
    }

    private double oldest(List<KeyAge> ages) {
        return ages.stream().mapToDouble(this::seconds).max().orElse(0);
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private List<MultiGauge.Row<?>> rows(List<KeyAge> ages) {
        return ages.stream().<MultiGauge.Row<?>>map(age -> MultiGauge.Row.of(tags(age), age, this::seconds)).toList();
    }

    private static Tags tags(KeyAge age) {
        Tags tags = Tags.of("project_id", age.projectId());
        return age.clusterName() == null ? tags : tags.and("cluster_name", age.clusterName());
    }

    private double seconds(KeyAge age) {
        Instant now = Instant.now(clock);
        return Duration.between(age.since(), now).toMillis() / 1000.0;
    }
}
