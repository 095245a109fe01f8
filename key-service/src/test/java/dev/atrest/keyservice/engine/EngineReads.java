package dev.atrest.keyservice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a MariaDB that cannot get its keys does, observed from outside: it refuses to start, or it starts and refuses
 * to read the encrypted tables.
 */
final class EngineReads {
    enum Outcome { REFUSED_TO_START, STARTED_TABLES_UNREADABLE }

    private EngineReads() {
    }

    /**
     * Starts the server expecting it cannot use its keys; returns what happened. When it started, every marker table
     * must fail to read (it is left running); the error log's lines of this start are in {@code log}.
     */
    static Outcome startWithoutKeys(EngineServer server, StringBuilder log) {
        int mark = server.errorLogLength();
        try {
            server.start();
        } catch (EngineServer.EngineStartFailed refused) {
            log.append(server.errorLogSince(mark));
            return Outcome.REFUSED_TO_START;
        }
        List<String> readable = new ArrayList<>();
        for (String table : MarkerTables.TABLES) {
            try {
                server.query("SELECT COUNT(*), MAX(note) FROM " + MarkerTables.DATABASE + "." + table);
                readable.add(table);
            } catch (SQLException refused) {
                log.append("[").append(table).append(": ").append(refused.getMessage()).append("]\n");
            }
        }
        log.append(server.errorLogSince(mark));
        assertThat(readable).as("encrypted tables read without keys; error log:%n%s", log).isEmpty();
        return Outcome.STARTED_TABLES_UNREADABLE;
    }
}
