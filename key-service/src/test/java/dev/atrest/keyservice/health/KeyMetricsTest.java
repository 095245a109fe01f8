package dev.atrest.keyservice.health;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.cmkchange.KeyHealthChecks;
import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.TestClock;
import dev.atrest.v1.EncryptionAtRestProvider;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Prometheus scrape at /q/metrics: key ages from the (test) clock, open alerts per type. */
@QuarkusTest
class KeyMetricsTest {
    // Relative to the management root path (/q): this is /q/metrics on the management port.
    @TestHTTPResource(value = "metrics", management = true)
    URI metrics;

    @Inject
    TestClock clock;

    @Inject
    KeyHealthChecks job;

    @Test
    void scrape_afterJobRun_cmkAndMasterKeyAgesAndOpenAlerts() throws Exception {
        String project = Api.uniqueId("metrics");
        Api.projects().updateProjectEncryption(enableLocal(project));
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL));
        clock.advance(Duration.ofDays(400));

        job.run();
        String scraped = scrape();

        String labels = "project_id=\"" + project + "\"";
        assertThat(value(scraped, "atrest_cmk_age_seconds", labels)).isGreaterThanOrEqualTo(400 * 86_400.0);
        assertThat(value(scraped, "atrest_master_key_age_seconds", "cluster_name=\"c1\"," + labels))
                .isGreaterThanOrEqualTo(400 * 86_400.0);
        assertThat(value(scraped, "atrest_alerts_open", "type=\"CMK_ROTATION_OVERDUE\"")).isGreaterThanOrEqualTo(1.0);
        assertThat(value(scraped, "atrest_alerts_open", "type=\"KEY_INVALID\"")).isNotNegative();
    }

    @Test
    void scrape_timePasses_agesGrowWithoutARefresh() throws Exception {
        String project = Api.uniqueId("metrics");
        Api.projects().updateProjectEncryption(enableLocal(project));
        job.run();
        String labels = "project_id=\"" + project + "\"";
        double before = value(scrape(), "atrest_cmk_age_seconds", labels);

        clock.advance(Duration.ofDays(1));

        assertThat(value(scrape(), "atrest_cmk_age_seconds", labels)).isGreaterThanOrEqualTo(before + 86_400.0);
    }

    private String scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The sample's value; labels are given in Prometheus's (alphabetical) order. */
    private static double value(String scraped, String name, String labels) {
        Matcher sample = Pattern.compile("(?m)^" + name + "\\{" + Pattern.quote(labels) + ",?} (\\S+)$").matcher(scraped);
        assertThat(sample.find()).as(name + "{" + labels + "} in\n" + scraped).isTrue();
        return Double.parseDouble(sample.group(1));
    }
}
