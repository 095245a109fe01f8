package dev.atrest.keyservice.health;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.cmkchange.KeyHealthChecks;
import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.RefusalLimitsProfile;
import dev.atrest.keyservice.support.TestClock;
import dev.atrest.v1.EncryptionAtRestProvider;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** atrest.metrics.per-project=false: the unauthenticated scrape names no project and no cluster, maxima remain. */
@QuarkusTest
@TestProfile(RefusalLimitsProfile.class)
class KeyMetricsPerProjectOffTest {
    // Relative to the management root path (/q): this is /q/metrics on the management port.
    @TestHTTPResource(value = "metrics", management = true)
    URI metrics;

    @Inject
    TestClock clock;

    @Inject
    KeyHealthChecks job;

    @Test
    void scrape_perProjectOff_noProjectOrClusterNamedButTheOldestAgesExported() throws Exception {
        String project = Api.uniqueId("unnamed");
        Api.projects().updateProjectEncryption(enableLocal(project));
        Api.clusters().setClusterEncryption(setCluster(project, "secret-cluster-name", EncryptionAtRestProvider.LOCAL));
        clock.advance(Duration.ofDays(30));

        job.run();
        String scraped = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();

        assertThat(scraped).doesNotContain(project).doesNotContain("secret-cluster-name")
                .doesNotContain("project_id=").doesNotContain("cluster_name=");
        assertThat(value(scraped, "atrest_cmk_age_max_seconds")).isGreaterThanOrEqualTo(30 * 86_400.0);
        assertThat(value(scraped, "atrest_master_key_age_max_seconds")).isGreaterThanOrEqualTo(30 * 86_400.0);
    }

    private static double value(String scraped, String name) {
        Matcher sample = Pattern.compile("(?m)^" + name + "(\\{})? (\\S+)$").matcher(scraped);
        assertThat(sample.find()).as(name + " in\n" + scraped).isTrue();
        return Double.parseDouble(sample.group(2));
    }
}
