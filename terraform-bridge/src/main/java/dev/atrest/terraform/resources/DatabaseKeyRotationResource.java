package dev.atrest.terraform.resources;

import static dev.atrest.terraform.wire.Attribute.computed;
import static dev.atrest.terraform.wire.Attribute.optional;
import static dev.atrest.terraform.wire.Attribute.required;

import dev.atrest.terraform.provider.AtrestClient;
import dev.atrest.terraform.provider.Diagnostics;
import dev.atrest.terraform.provider.ManagedResource;
import dev.atrest.terraform.provider.ServiceErrors;
import dev.atrest.terraform.provider.ServiceRetry;
import dev.atrest.terraform.wire.Block;
import dev.atrest.terraform.wire.CtyType;
import dev.atrest.terraform.wire.Unknown;
import dev.atrest.terraform.wire.Values;
import dev.atrest.v1.DatabaseKeyInfo;
import dev.atrest.v1.ListClusterKeysRequest;
import dev.atrest.v1.ListClusterKeysResponse;
import dev.atrest.v1.RotateDatabaseKeyRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code atrest_database_key_rotation}: one rotation of one database key, made when the object is created, in the
 * manner of hashicorp/time's {@code time_rotating} and {@code null_resource}'s triggers. Every change replaces it,
 * which is the next rotation; destroying it changes nothing remote (key versions outlive the record of a rotation).
 */
public final class DatabaseKeyRotationResource implements ManagedResource {

    static final String TRIGGERS = "triggers";

    static final Block SCHEMA = Block.of("One rotation of a database key: creating the resource makes a new version "
            + "of the key, which becomes the version the key service serves as current (storage engines then "
            + "re-encrypt under it); earlier versions stay readable and listed. Changing `triggers` (or anything "
            + "else) replaces the resource, that is, rotates again. Destroying it changes nothing in the key service: "
            + "key versions are never destroyed by Terraform.", List.of(
            computed("id", CtyType.STRING, "`projects/PROJECT/clusters/CLUSTER/databases/DATABASE`."),
            required("project_id", CtyType.STRING, "The project. Changing it replaces the resource."),
            required("cluster_name", CtyType.STRING, "The cluster, which must be encrypted. Changing it replaces "
                    + "the resource."),
            required("database_name", CtyType.STRING, "The database whose key rotates (for MariaDB, the key id "
                    + "as a decimal number, e.g. `\"1\"`). Changing it replaces the resource."),
            optional(TRIGGERS, CtyType.mapOf(CtyType.STRING), "Arbitrary values; changing any of them replaces the "
                    + "resource, that is, rotates the key again (e.g. a date, or a `time_rotating` id)."),
            computed("version", CtyType.NUMBER, "The key version this rotation made (1 for a database that had no "
                    + "key yet). A later rotation by anyone else does not change it."),
            computed("master_key_version", CtyType.NUMBER, "The master-key version that wraps this key version; a "
                    + "master-key rotation re-wraps it, and the next refresh records the new one."),
            computed("create_time", CtyType.STRING, "When the key version was made (RFC 3339).")));

    /** Every argument: a rotation is never updated in place, a change is the next rotation. */
    private static final List<String> REPLACED_ON_CHANGE = List.of("project_id", "cluster_name", "database_name",
            TRIGGERS);

    /** What the rotation answers: unknown until apply, then never changed by a plan. */
    private static final List<String> MADE_BY_ROTATION = List.of("version", "master_key_version", "create_time");

    @Override
    public String typeName() {
        return "atrest_database_key_rotation";
    }

    @Override
    public Block schema() {
        return SCHEMA;
    }

    @Override
    public void validate(Map<String, Object> config, Diagnostics diagnostics) {
        IdentifierRules.checkCluster(config, diagnostics);
        IdentifierRules.check(config, "database_name", "database_name", diagnostics);
    }

    @Override
    public Plan plan(Map<String, Object> prior, Map<String, Object> proposed, Map<String, Object> config) {
        List<String> replace = new ArrayList<>();
        if (prior != null) {
            for (String name : REPLACED_ON_CHANGE) {
                if (!Objects.equals(prior.get(name), proposed.get(name))) {
                    replace.add(name);
                }
            }
            if (replace.isEmpty()) {
                return new Plan(prior, List.of()); // nothing of ours changed; a rotation is never updated in place
            }
        }
        Map<String, Object> planned = Values.copy(proposed);
        String projectId = Values.string(planned, "project_id");
        String clusterName = Values.string(planned, "cluster_name");
        String databaseName = Values.string(planned, "database_name");
        planned.put("id", projectId != null && clusterName != null && databaseName != null
                ? DatabaseKeyRotationMapping.id(projectId, clusterName, databaseName) : Unknown.VALUE);
        MADE_BY_ROTATION.forEach(name -> planned.put(name, Unknown.VALUE));
        return new Plan(planned, replace);
    }

    @Override
    public Map<String, Object> apply(Map<String, Object> prior, Map<String, Object> planned,
            Map<String, Object> config, AtrestClient client, Diagnostics diagnostics) {
        if (planned == null) {
            return null; // the record of a rotation goes; the key versions it made stay (see the class comment)
        }
        if (prior != null) {
            return planned; // plan never proposes an update: every change replaces
        }
        // Validation saw unknowns as fine; by now every value is known, and a bad one must not reach the service.
        validate(planned, diagnostics);
        if (diagnostics.hasErrors()) {
            return null;
        }
        String what = describe(planned);
        int current = 0;
        try {
            current = DatabaseKeyRotationMapping.currentVersion(listKeys(planned, client),
                    Values.string(planned, "database_name"));
            // expected_version: a call repeated after one that succeeded, or a rotation by someone else since the
            // read, is refused instead of rotating twice.
            DatabaseKeyInfo made = rotate(RotateDatabaseKeyRequest.newBuilder()
                    .setProjectId(Values.string(planned, "project_id"))
                    .setClusterName(Values.string(planned, "cluster_name"))
                    .setDatabaseName(Values.string(planned, "database_name"))
                    .setExpectedVersion(current).build(), client, diagnostics);
            return Values.copy(Values.resolveUnknowns(planned, DatabaseKeyRotationMapping.toState(planned, made)));
        } catch (StatusRuntimeException e) {
            if (ServiceErrors.hasReason(e, DatabaseKeyRotationMapping.VERSION_CHANGED)) {
                diagnostics.error("cannot rotate the key of " + what, "someone else rotated it while this apply "
                        + "was rotating it from version " + current + " (" + Objects.requireNonNullElse(
                        e.getStatus().getDescription(), e.getStatus().getCode().toString()) + "). This apply made no "
                        + "version, so the key was not rotated twice; run apply again to rotate it from its current "
                        + "version.");
            } else {
                ServiceErrors.report("rotate the key of " + what, e, DatabaseKeyRotationMapping.ERRORS,
                        client.endpoint(), diagnostics);
            }
            return null;
        }
    }

    /**
     * Sends the rotation, and again if the connection failed (UNAVAILABLE): the first call may have been
     * lost on its way, or only its answer. The repeats (ServiceRetry's, while the service stays unreachable) carry
     * the same expected_version, so they rotate only if the first never arrived; if it finds the version moved on, the version after the expected one is the first call's
     * (or, indistinguishably, someone else's of the same moment) and is recorded rather than rotating twice.
     */
    private static DatabaseKeyInfo rotate(RotateDatabaseKeyRequest request, AtrestClient client,
            Diagnostics diagnostics) {
        try {
            return client.clusters().rotateDatabaseKey(request);
        } catch (StatusRuntimeException lost) {
            if (lost.getStatus().getCode() != Status.Code.UNAVAILABLE) {
                throw lost;
            }
        }
        try {
            return ServiceRetry.write(client, () -> client.clusters().rotateDatabaseKey(request));
        } catch (StatusRuntimeException again) {
            if (!ServiceErrors.hasReason(again, DatabaseKeyRotationMapping.VERSION_CHANGED)) {
                throw again;
            }
            int made = request.getExpectedVersion() + 1;
            DatabaseKeyInfo earlier = DatabaseKeyRotationMapping.version(ServiceRetry.read(client,
                    () -> client.clusters().listClusterKeys(ListClusterKeysRequest.newBuilder()
                            .setProjectId(request.getProjectId()).setClusterName(request.getClusterName()).build())),
                    request.getDatabaseName(), made)
                    .orElseThrow(() -> again);
            diagnostics.warning("recorded version " + made + " of the key of database " + request.getDatabaseName(),
                    "the connection to the key service failed during the rotation and asking again found version "
                    + made + " already made: by the first attempt, whose answer was lost, or by someone else at the "
                    + "same moment. It is recorded as this rotation's instead of rotating twice.");
            return earlier;
        }
    }

    /**
     * Keeps the state while the version this object made is still listed, whatever came after it: a later
     * rotation (by another configuration, grpcurl, …) is not drift of this one. Gone with its cluster or database.
     */
    @Override
    public Map<String, Object> read(Map<String, Object> state, AtrestClient client, Diagnostics diagnostics) {
        try {
            ListClusterKeysResponse keys = listKeys(state, client);
            if (!(state.get("version") instanceof Number version)) {
                return null; // no version recorded: nothing this object can stand for
            }
            return DatabaseKeyRotationMapping.version(keys, Values.string(state, "database_name"), version.intValue())
                    .map(key -> DatabaseKeyRotationMapping.toState(state, key)).orElse(null);
        } catch (StatusRuntimeException e) {
            if (ServiceErrors.isNotFound(e)) {
                return null;
            }
            ServiceErrors.report("read the key versions of " + describe(state), e,
                    DatabaseKeyRotationMapping.ERRORS, client.endpoint(), diagnostics);
            return state;
        }
    }

    /** "database D of cluster P/C", as the other resources name their clusters. */
    private static String describe(Map<String, Object> object) {
        return "database " + object.get("database_name") + " of cluster "
                + ClusterEncryptionMapping.id(Values.string(object, "project_id"), Values.string(object, "cluster_name"));
    }

    private static ListClusterKeysResponse listKeys(Map<String, Object> object, AtrestClient client) {
        return ServiceRetry.read(client, () -> client.clusters().listClusterKeys(ListClusterKeysRequest.newBuilder()
                .setProjectId(Values.string(object, "project_id"))
                .setClusterName(Values.string(object, "cluster_name")).build()));
    }

    /** A rotation is an event, not an object to adopt: importing one would claim a version Terraform never made. */
    @Override
    public Map<String, Object> importState(String id, Diagnostics diagnostics) {
        diagnostics.error("atrest_database_key_rotation cannot be imported", "it records one rotation that "
                + "this configuration made; to rotate " + Diagnostics.quote(id) + " now, add the resource and apply "
                + "(data.atrest_cluster_keys lists the versions that exist).");
        return null;
    }
}
