package dev.atrest.keyservice.fault;

import dev.atrest.keyservice.support.Client;
import dev.atrest.keyservice.support.StoredHierarchy;
import dev.atrest.v1.DatabaseKey;
import dev.atrest.v1.GetDatabaseKeyRequest;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every database key the service released to the fault tests' clients, as they received it (test
 * memory only). A release that differs from an earlier one of the same database and version is a
 * second key for that database; after a crash every released key must come back byte-identical.
 */
final class ReleasedKeys {
    private final Map<Place, byte[]> keys = new ConcurrentHashMap<>();
    private final List<String> secondKeys = new CopyOnWriteArrayList<>();
    private final StoredHierarchy stored;

    /** @param stored also told of every release, so its checks expect each key stored and unwrapping */
    ReleasedKeys(StoredHierarchy stored) {
        this.stored = stored;
    }

    record Place(String project, String cluster, String database, int version) {
        @Override
        public String toString() {
            return project + "/" + cluster + "/" + database + " v" + version;
        }
    }

    void record(DatabaseKey released) {
        Place place = new Place(released.getProjectId(), released.getClusterName(), released.getDatabaseName(),
                released.getVersion());
        byte[] bytes = released.getKey().toByteArray();
        byte[] earlier = keys.putIfAbsent(place, bytes);
        if (earlier == null) {
            stored.remember(place.project, place.cluster, place.database, place.version, bytes);
        } else if (!Arrays.equals(earlier, bytes)) {
            secondKeys.add(place + " was released with two different keys");
        }
    }

    int count() {
        return keys.size();
    }

    /** Databases that were handed two different keys for one version. */
    List<String> secondKeys() {
        return List.copyOf(secondKeys);
    }

    /**
     * Asks for every released key of {@code project} again (by version): the ones that come back with
     * other bytes, or not at all, are lost.
     */
    List<String> lost(String project, Client consumer) {
        List<String> lost = new ArrayList<>();
        keys.forEach((place, bytes) -> {
            if (!place.project.equals(project)) {
                return;
            }
            try {
                // A stub per call: a stub's deadline runs from its creation, and checking a thousand keys on a
                // loaded machine can take longer than one deadline.
                DatabaseKey again = consumer.databaseKeys().getDatabaseKey(GetDatabaseKeyRequest.newBuilder()
                        .setProjectId(place.project).setClusterName(place.cluster).setDatabaseName(place.database)
                        .setVersion(place.version).build());
                if (!Arrays.equals(bytes, again.getKey().toByteArray())) {
                    lost.add(place + " comes back with other bytes");
                }
            } catch (StatusRuntimeException e) {
                lost.add(place + " is refused: " + e.getStatus());
            }
        });
        return lost;
    }
}
