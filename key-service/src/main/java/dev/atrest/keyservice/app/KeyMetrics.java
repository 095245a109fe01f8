package dev.atrest.keyservice.app;

import dev.atrest.keyservice.domain.AlertType;
import dev.atrest.keyservice.store.ClusterEncryptionRepository;
import dev.atrest.keyservice.store.KeyAge;
import dev.atrest.keyservice.store.KeyAlertRepository;
import dev.atrest.keyservice.store.ProjectEncryptionRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prometheus gauges (at /q/metrics): open alerts per type, and the age of every enabled project's CMK
 * and every encrypted cluster's master key. Which keys exist is read from the database at start-up,
 * after every health-job run and after every alert change; the ages themselves are computed from the
 * clock at each scrape, so they never go stale between refreshes, and a scrape never queries the database.
 */
@ApplicationScoped
public class KeyMetrics {
    private final KeyAlertRepository alerts;
    private final ProjectEncryptionRepository projects;
    private final ClusterEncryptionRepository clusters;
    private final Clock clock;
    private final Map<AlertType, AtomicLong> openAlerts = new EnumMap<>(AlertType.class);
    private final MultiGauge cmkAges;
    private final MultiGauge masterKeyAges;

    KeyMetrics(MeterRegistry registry, KeyAlertRepository alerts, ProjectEncryptionRepository projects,
               ClusterEncryptionRepository clusters, Clock clock) {
        this.alerts = alerts;
        this.projects = projects;
        this.clusters = clusters;
        this.clock = clock;
        for (AlertType type : AlertType.values()) {
            openAlerts.put(type, registry.gauge("atrest.alerts.open", Tags.of("type", type.name()), new AtomicLong()));
        }
        cmkAges = MultiGauge.builder("atrest.cmk.age").baseUnit("seconds")
                .description("Time since the project's CMK last changed").register(registry);
        masterKeyAges = MultiGauge.builder("atrest.master.key.age").baseUnit("seconds")
                .description("Time since the cluster's current master key became active").register(registry);
    }

    void onStart(@Observes StartupEvent started) {
        refresh();
    }

    void onAlertsChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) AlertsChanged changed) {
        refresh();
    }

    /** Reloads open-alert counts and which keys exist, in a short transaction of its own. */
    public void refresh() {
        QuarkusTransaction.requiringNew().run(() -> {
            Map<AlertType, Long> counts = alerts.countOpenByType();
            openAlerts.forEach((type, gauge) -> gauge.set(counts.getOrDefault(type, 0L)));
            cmkAges.register(rows(projects.cmkAges()), true);
            masterKeyAges.register(rows(clusters.masterKeyAges()), true);
        });
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
