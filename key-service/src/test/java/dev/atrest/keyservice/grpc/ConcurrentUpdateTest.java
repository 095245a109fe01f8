package dev.atrest.keyservice.grpc;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.support.Api;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ProjectEncryption;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Parallel writers on one project: no write is lost, and an etag admits exactly one of them. */
@QuarkusTest
class ConcurrentUpdateTest {
    private static final int WRITERS = 8;

    @Test
    void update_parallelWritersWithSameEtag_exactlyOneWins() throws Exception {
        String project = Api.uniqueId("p");
        String etag = Api.projects().updateProjectEncryption(enableLocal(project)).getEtag();

        List<Object> outcomes = inParallel(i -> () -> Api.projects().updateProjectEncryption(
                enableLocal(project, "writer-" + i).toBuilder().setEtag(etag).build()));

        List<ProjectEncryption> winners = outcomes.stream().filter(ProjectEncryption.class::isInstance)
                .map(ProjectEncryption.class::cast).toList();
        assertThat(winners).hasSize(1);
        assertThat(outcomes).filteredOn(StatusRuntimeException.class::isInstance).hasSize(WRITERS - 1)
                .allSatisfy(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.ABORTED));
        assertThat(read(project)).isEqualTo(winners.get(0));
    }

    @Test
    void update_parallelWritersWithoutEtag_everyAcknowledgedWriteIsOrdered() throws Exception {
        String project = Api.uniqueId("p");
        Api.projects().updateProjectEncryption(enableLocal(project));

        List<Object> outcomes = inParallel(i -> () -> Api.projects().updateProjectEncryption(enableLocal(project, "writer-" + i)));

        List<ProjectEncryption> acknowledged = outcomes.stream().filter(ProjectEncryption.class::isInstance)
                .map(ProjectEncryption.class::cast).toList();
        assertThat(outcomes).filteredOn(StatusRuntimeException.class::isInstance)
                .allSatisfy(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.ABORTED));
        assertThat(acknowledged).isNotEmpty();
        // Writes serialise on the project row: each acknowledged write has its own etag, and the
        // stored state is the last acknowledged one, not a mix.
        assertThat(acknowledged).extracting(ProjectEncryption::getEtag).doesNotHaveDuplicates();
        ProjectEncryption last = acknowledged.stream().max((a, b) -> a.getUpdateTime().getSeconds() != b.getUpdateTime().getSeconds()
                ? Long.compare(a.getUpdateTime().getSeconds(), b.getUpdateTime().getSeconds())
                : Integer.compare(a.getUpdateTime().getNanos(), b.getUpdateTime().getNanos())).orElseThrow();
        assertThat(read(project).getLocalKey().getKeyId()).isEqualTo(last.getLocalKey().getKeyId());
    }

    private static ProjectEncryption read(String project) {
        return Api.projects().getProjectEncryption(GetProjectEncryptionRequest.newBuilder().setProjectId(project).build());
    }

    private static List<Object> inParallel(java.util.function.IntFunction<Callable<ProjectEncryption>> writer) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<ProjectEncryption>> futures = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                futures.add(pool.submit(writer.apply(i)));
            }
            List<Object> outcomes = new ArrayList<>();
            for (Future<ProjectEncryption> f : futures) {
                try {
                    outcomes.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    outcomes.add(e.getCause());
                }
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }
}
