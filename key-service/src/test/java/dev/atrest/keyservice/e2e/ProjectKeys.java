package dev.atrest.keyservice.e2e;

import dev.atrest.keyservice.datakey.DatabaseKeys;
import dev.atrest.keyservice.datakey.ReleasedDatabaseKey;
import dev.atrest.keyservice.domain.KeyState;
import dev.atrest.keyservice.store.MasterKeyEntity;
import dev.atrest.keyservice.store.MasterKeyRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** What the CMK-change end-to-end tests read back about a project with clusters c0, c1, ...: its keys. */
final class ProjectKeys {
    private ProjectKeys() {
    }

    /** One database key per cluster, read through the service: each must unwrap to the same bytes. */
    static Map<String, String> bytes(DatabaseKeys databaseKeys, String project, int clusters) {
        Map<String, String> bytes = new HashMap<>();
        for (int i = 0; i < clusters; i++) {
            try (ReleasedDatabaseKey key = databaseKeys.getOrCreate(project, "c" + i, "orders")) {
                bytes.put("c" + i, HexFormat.of().formatHex(key.key().copyBytes()));
            }
        }
        return bytes;
    }

    /** The project's master keys not destroyed, as stored. */
    static List<MasterKeyEntity> live(MasterKeyRepository masterKeyRows, String project) {
        return QuarkusTransaction.requiringNew().call(() -> masterKeyRows
                .list("projectId = ?1 and state <> ?2", project, KeyState.DESTROYED));
    }
}
