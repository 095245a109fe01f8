package dev.atrest.keyservice.fault;

import dev.atrest.keyservice.support.ItDatabase;
import dev.atrest.keyservice.support.ServiceProcess;
import dev.atrest.keyservice.support.StoredHierarchy;
import dev.atrest.testsupport.FaultTally;
import dev.atrest.v1.CreateAccessTokenRequest;
import dev.atrest.v1.Role;

/**
 * What each crash test of the packaged service starts from: its run (seed, trials, data directory) on the shared
 * integration-test database, the stored hierarchy and the rows it checks there, the service it kills, and the kill.
 */
final class CrashSetup {
    final FaultRun run;
    final ItDatabase db;
    final StoredHierarchy stored;
    final Rows rows;

    private CrashSetup(FaultRun run, ItDatabase db) {
        this.run = run;
        this.db = db;
        this.stored = new StoredHierarchy(db, run.dataDir);
        this.rows = new Rows(db);
    }

    /** A run of the CI count of trials, or of the full count when {@code -Dfault.full=true}. */
    static CrashSetup of(String test, int ciTrials, int fullTrials) {
        return new CrashSetup(FaultRun.of(test, ciTrials, fullTrials), ItDatabase.shared());
    }

    /** The service on this run's database and data directory, checking for due rotations every 2 s; not started. */
    ServiceProcess service(String name) {
        return new ServiceProcess(name, db, run.dataDir, run.sealKey, "2s");
    }

    /** A KEY_CONSUMER token for every project, for the data-plane clients. */
    static String consumerToken(ServiceProcess service, String name) {
        return service.admin().access().createAccessToken(CreateAccessTokenRequest.newBuilder()
                .setName(name).setRole(Role.KEY_CONSUMER).setAllProjects(true).build()).getSecret();
    }

    /** SIGKILL after {@code delayMillis}, counted as one trial with one fault. */
    static void killAfter(long delayMillis, ServiceProcess service, FaultTally tally) {
        Rows.sleep(delayMillis);
        service.killHard();
        tally.trial();
        tally.faults(1);
    }
}
