package dev.atrest.keyservice.support;

import dev.atrest.keyservice.crypto.Aad;
import dev.atrest.keyservice.crypto.KeyMaterial;
import dev.atrest.keyservice.crypto.KeyWrapper;
import dev.atrest.keyservice.crypto.UnwrapException;
import dev.atrest.keyservice.domain.DatabaseKeyRef;
import dev.atrest.keyservice.domain.KeyRing;
import dev.atrest.keyservice.domain.KeyState;
import dev.atrest.keyservice.domain.LocalKeySettings;
import dev.atrest.keyservice.kms.LocalRootKeyProvider;
import dev.atrest.keyservice.kms.MasterKeyContext;
import dev.atrest.keyservice.kms.WrappedMasterKey;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A project's key hierarchy as MariaDB holds it, read and written behind the service's back. Seeds
 * database keys wrapped exactly as the service wraps them, remembers their plaintext (test memory
 * only), and checks the stored hierarchy: sound by {@link KeyRing#violations}, every master key
 * readable under the root key its row names, every database key unwrapping to its original bytes.
 */
public final class StoredHierarchy {
    private static final int MAX_REPORTED = 20;

    private final ItDatabase db;
    private final LocalRootKeyProvider rootKeys;
    private final KeyWrapper wrapper = new KeyWrapper(new SecureRandom());
    private final SecureRandom random = new SecureRandom();
    private final Map<String, byte[]> plaintexts = new ConcurrentHashMap<>();

    public StoredHierarchy(ItDatabase db, Path dataDir) {
        this.db = db;
        this.rootKeys = new LocalRootKeyProvider(ProviderConfig.local(dataDir), wrapper, random);
    }

    /** Stores {@code count} new database keys (db0, db1, ...) under the cluster's current master key. */
    public void seed(String project, String cluster, int count) throws SQLException {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            int version = queryInt(c, "SELECT master_key_version FROM cluster_encryption"
                    + " WHERE project_id = ? AND cluster_name = ?", project, cluster);
            MasterRow master = masterKeys(c, project).get(cluster).get(version);
            int first = queryInt(c, "SELECT COUNT(*) FROM database_key WHERE project_id = ? AND cluster_name = ?",
                    project, cluster);
            try (KeyMaterial kek = open(master, rootKeyIdOf(master));
                 PreparedStatement insert = c.prepareStatement("INSERT INTO database_key (project_id, cluster_name,"
                         + " database_name, version, state, master_key_version, wrapped_key, create_time, update_time)"
                         + " VALUES (?, ?, ?, 1, 'ACTIVE', ?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))")) {
                for (int i = first; i < first + count; i++) {
                    String database = "db" + i;
                    try (KeyMaterial key = KeyMaterial.generate(random)) {
                        byte[] aad = Aad.forDatabaseKey(project, cluster, database, 1, version);
                        insert.setString(1, project);
                        insert.setString(2, cluster);
                        insert.setString(3, database);
                        insert.setInt(4, version);
                        insert.setBytes(5, wrapper.wrapKey(kek, key, aad));
                        insert.addBatch();
                        byte[] plaintext = key.copyBytes();
                        plaintexts.put(place(project, cluster, database, 1), plaintext);
                        LeakCanaries.record("seeded database key", plaintext);
                    }
                }
                insert.executeBatch();
            }
            c.commit();
        }
    }

    /**
     * Remembers a key the service released (GetDatabaseKey): from now on the checks expect it stored and
     * unwrapping to these bytes, as for a seeded key.
     */
    public void remember(String project, String cluster, String database, int version, byte[] key) {
        plaintexts.put(place(project, cluster, database, version), key.clone());
    }

    /** Everything wrong with the project's stored hierarchy; empty when it is sound and complete. */
    public List<String> problems(String project) throws SQLException {
        return findings(project).problems();
    }

    /** The seeded database keys of the project that are gone or no longer unwrap to their seeded bytes. */
    public long keysLost(String project) throws SQLException {
        return findings(project).keysLost();
    }

    private record Findings(List<String> problems, long keysLost) {}

    private Findings findings(String project) throws SQLException {
        try (Connection c = db.connect()) {
            // One consistent snapshot, so that a replica still writing cannot make a sound state look torn.
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setAutoCommit(false);
            try {
                return findings(c, project);
            } finally {
                c.rollback();
            }
        }
    }

    public void assertSound(String project, String when) throws SQLException {
        List<String> found = problems(project);
        if (!found.isEmpty()) {
            throw new AssertionError("project " + project + " " + when + ": " + found);
        }
    }

    private Findings findings(Connection c, String project) throws SQLException {
        List<String> found = new ArrayList<>();
        Map<String, Integer> currentVersions = clusterVersions(c, project);
        Map<String, SortedMap<Integer, MasterRow>> masters = masterKeys(c, project);
        Map<String, List<DatabaseRow>> databaseKeys = databaseKeys(c, project);
        Roots roots = roots(c, project);
        int seeded = 0;
        for (Map.Entry<String, Integer> cluster : currentVersions.entrySet()) {
            SortedMap<Integer, MasterRow> versions = masters.getOrDefault(cluster.getKey(), new TreeMap<>());
            List<DatabaseRow> keys = databaseKeys.getOrDefault(cluster.getKey(), List.of());
            ringOf(cluster.getValue(), versions, keys).violations()
                    .forEach(v -> found.add(cluster.getKey() + ": " + v));
            Map<Integer, KeyMaterial> opened = openAll(project, cluster.getKey(), versions, roots, found);
            try {
                for (DatabaseRow key : keys) {
                    seeded += checkDatabaseKey(project, cluster.getKey(), key, opened, found) ? 1 : 0;
                }
            } finally {
                opened.values().forEach(KeyMaterial::close);
            }
        }
        long expected = plaintexts.keySet().stream().filter(k -> k.startsWith(project + "/")).count();
        if (seeded != expected) {
            found.add(expected + " database keys were seeded but " + seeded + " are stored and unwrap");
        }
        return new Findings(found.size() > MAX_REPORTED ? found.subList(0, MAX_REPORTED) : found, expected - seeded);
    }

    /** True when the key unwraps to the bytes it was seeded with. */
    private boolean checkDatabaseKey(String project, String cluster, DatabaseRow key, Map<Integer, KeyMaterial> opened,
                                     List<String> found) {
        KeyMaterial kek = opened.get(key.masterKeyVersion);
        String name = cluster + "/" + key.database + ":" + key.version;
        if (kek == null) {
            found.add(name + " is wrapped by master-key version " + key.masterKeyVersion + ", which cannot be opened");
            return false;
        }
        byte[] aad = Aad.forDatabaseKey(project, cluster, key.database, key.version, key.masterKeyVersion);
        try {
            byte[] plaintext = wrapper.unwrap(kek, key.wrapped, aad);
            byte[] expected = plaintexts.get(place(project, cluster, key.database, key.version));
            if (expected != null && !Arrays.equals(expected, plaintext)) {
                found.add(name + " unwraps to other bytes than it was seeded with");
                return false;
            }
            return expected != null;
        } catch (UnwrapException e) {
            found.add(name + " does not unwrap under master-key version " + key.masterKeyVersion + ": " + e.getMessage());
            return false;
        }
    }

    private Map<Integer, KeyMaterial> openAll(String project, String cluster, SortedMap<Integer, MasterRow> versions,
                                              Roots roots, List<String> found) {
        Map<Integer, KeyMaterial> opened = new HashMap<>();
        for (MasterRow row : versions.values()) {
            if (row.state == KeyState.DESTROYED) {
                continue;
            }
            Optional<String> rootId = roots.idOf(row.rootKeyGeneration);
            String name = cluster + " master-key version " + row.version;
            if (rootId.isEmpty()) {
                found.add(name + " names root-key generation " + row.rootKeyGeneration + ", which the project no"
                        + " longer reaches (current " + roots.generation + ", changing from " + roots.fromGeneration + ")");
            } else if (!row.wrappingKeyId.equals("local:" + rootId.get())) {
                found.add(name + " is wrapped by " + row.wrappingKeyId + " but its generation " + row.rootKeyGeneration
                        + " is local:" + rootId.get());
            } else {
                try {
                    opened.put(row.version, open(row, rootId.get()));
                } catch (UnwrapException e) {
                    found.add(name + " does not open under local:" + rootId.get() + ": " + e.getMessage());
                }
            }
        }
        return opened;
    }

    private KeyMaterial open(MasterRow row, String rootId) {
        KeyMaterial masterKey = rootKeys.decryptMasterKey(new LocalKeySettings(rootId),
                new WrappedMasterKey(row.wrappingKeyId, row.wrapped),
                MasterKeyContext.of(row.project, row.cluster, row.version));
        LeakCanaries.record("master key", masterKey.copyBytes());
        return masterKey;
    }

    private static String rootKeyIdOf(MasterRow row) {
        return row.wrappingKeyId.substring("local:".length());
    }

    private static KeyRing ringOf(int current, SortedMap<Integer, MasterRow> versions, List<DatabaseRow> keys) {
        SortedMap<Integer, KeyState> states = new TreeMap<>();
        versions.values().forEach(row -> states.put(row.version, row.state));
        SortedMap<DatabaseKeyRef, Integer> wrapped = new TreeMap<>();
        keys.forEach(key -> wrapped.put(new DatabaseKeyRef(key.database, key.version), key.masterKeyVersion));
        return new KeyRing(current, states, wrapped);
    }

    private static Map<String, Integer> clusterVersions(Connection c, String project) throws SQLException {
        Map<String, Integer> versions = new TreeMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT cluster_name, master_key_version FROM cluster_encryption"
                + " WHERE project_id = ?")) {
            s.setString(1, project);
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    versions.put(rows.getString(1), rows.getInt(2));
                }
            }
        }
        return versions;
    }

    private static Map<String, SortedMap<Integer, MasterRow>> masterKeys(Connection c, String project) throws SQLException {
        Map<String, SortedMap<Integer, MasterRow>> byCluster = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT cluster_name, version, state, wrapping_key_id, wrapped_key,"
                + " root_key_generation FROM master_key WHERE project_id = ?")) {
            s.setString(1, project);
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    MasterRow row = new MasterRow(project, rows.getString(1), rows.getInt(2),
                            KeyState.valueOf(rows.getString(3)), rows.getString(4), rows.getBytes(5), rows.getInt(6));
                    byCluster.computeIfAbsent(row.cluster, k -> new TreeMap<>()).put(row.version, row);
                }
            }
        }
        return byCluster;
    }

    private static Map<String, List<DatabaseRow>> databaseKeys(Connection c, String project) throws SQLException {
        Map<String, List<DatabaseRow>> byCluster = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT cluster_name, database_name, version, master_key_version,"
                + " wrapped_key FROM database_key WHERE project_id = ? AND state <> 'DESTROYED'")) {
            s.setString(1, project);
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    byCluster.computeIfAbsent(rows.getString(1), k -> new ArrayList<>()).add(
                            new DatabaseRow(rows.getString(2), rows.getInt(3), rows.getInt(4), rows.getBytes(5)));
                }
            }
        }
        return byCluster;
    }

    private static Roots roots(Connection c, String project) throws SQLException {
        Roots roots = new Roots();
        try (PreparedStatement s = c.prepareStatement("SELECT p.root_key_generation, p.local_key_id,"
                + " ch.from_generation, ch.from_local_key_id FROM project_encryption p"
                + " LEFT JOIN cmk_change ch ON ch.project_id = p.project_id WHERE p.project_id = ?")) {
            s.setString(1, project);
            try (ResultSet rows = s.executeQuery()) {
                if (rows.next()) {
                    roots.generation = rows.getInt(1);
                    roots.id = rows.getString(2);
                    roots.fromGeneration = rows.getObject(3) == null ? null : rows.getInt(3);
                    roots.fromId = rows.getString(4);
                }
            }
        }
        return roots;
    }

    static int queryInt(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rows = s.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("no row for " + sql + " " + Arrays.toString(args));
                }
                return rows.getInt(1);
            }
        }
    }

    private static String place(String project, String cluster, String database, int version) {
        return project + "/" + cluster + "/" + database + "/" + version;
    }

    private record MasterRow(String project, String cluster, int version, KeyState state, String wrappingKeyId,
                             byte[] wrapped, int rootKeyGeneration) {}

    private record DatabaseRow(String database, int version, int masterKeyVersion, byte[] wrapped) {}

    /** The root keys a project's master keys may be under: the current one, and the one a CMK change leaves. */
    private static final class Roots {
        int generation;
        String id;
        Integer fromGeneration;
        String fromId;

        Optional<String> idOf(int rootKeyGeneration) {
            if (rootKeyGeneration == generation) {
                return Optional.ofNullable(id);
            }
            return fromGeneration != null && fromGeneration == rootKeyGeneration ? Optional.ofNullable(fromId)
                    : Optional.empty();
        }
    }
}
