package dev.atrest.keyservice.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.datakey.DatabaseKeys;
import dev.atrest.keyservice.datakey.ReleasedDatabaseKey;
import dev.atrest.keyservice.domain.DatabaseKeyRef;
import dev.atrest.keyservice.domain.KeyRing;
import dev.atrest.keyservice.domain.KeyState;
import dev.atrest.keyservice.support.Api;
import dev.atrest.v1.DatabaseKeyInfo;
import dev.atrest.v1.ListClusterKeysRequest;
import dev.atrest.v1.ListClusterKeysResponse;
import dev.atrest.v1.MasterKeyVersion;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads a cluster's stored hierarchy through the API and checks it the way the rotation promises to
 * keep it: sound by the domain's rules ({@link KeyRing#violations}) and every database key unwrapping to
 * the bytes it had before.
 */
final class KeyHierarchyProbe {
    private KeyHierarchyProbe() {}

    static ListClusterKeysResponse keys(String project, String cluster) {
        return Api.clusters().listClusterKeys(
                ListClusterKeysRequest.newBuilder().setProjectId(project).setClusterName(cluster).build());
    }

    static KeyRing ring(String project, String cluster, int currentVersion) {
        ListClusterKeysResponse keys = keys(project, cluster);
        SortedMap<Integer, KeyState> masters = new TreeMap<>();
        for (MasterKeyVersion key : keys.getMasterKeyVersionsList()) {
            masters.put(key.getVersion(), KeyState.valueOf(key.getState().name().substring("KEY_STATE_".length())));
        }
        SortedMap<DatabaseKeyRef, Integer> wrapped = new TreeMap<>();
        for (DatabaseKeyInfo key : keys.getDatabaseKeysList()) {
            wrapped.put(new DatabaseKeyRef(key.getDatabaseName(), key.getVersion()), key.getWrappedByMasterKeyVersion());
        }
        return new KeyRing(currentVersion, masters, wrapped);
    }

    /** Each database's key bytes (hex), read through the service: proves each still unwraps. */
    static Map<String, String> keyBytes(DatabaseKeys databaseKeys, String project, String cluster, int databases) {
        Map<String, String> bytes = new HashMap<>();
        for (int i = 0; i < databases; i++) {
            try (ReleasedDatabaseKey key = databaseKeys.getOrCreate(project, cluster, "db" + i)) {
                bytes.put("db" + i, HexFormat.of().formatHex(key.key().copyBytes()));
            }
        }
        return bytes;
    }

    static void assertSound(String project, String cluster, int currentVersion) {
        assertThat(ring(project, cluster, currentVersion).violations()).isEmpty();
    }
}
