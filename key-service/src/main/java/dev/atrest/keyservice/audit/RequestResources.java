package dev.atrest.keyservice.audit;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an atrest.v1 request is about, read from its fields by name: every request names its project in
 * {@code project_id}, at the top level or (UpdateProjectEncryption) in the message it carries. Used to
 * authorise a call before it runs and to name its resource in the audit log.
 */
public final class RequestResources {
    /**
     * Each request type's single string fields by name, looked up once: every authenticated call reads
     * them, and the descriptor's own lookup builds a string per question.
     */
    private static final Map<Descriptor, Map<String, FieldDescriptor>> STRING_FIELDS = new ConcurrentHashMap<>();

    private RequestResources() {}

    /** The project the request names, if any (blank counts as none: the service itself rejects it). */
    public static Optional<String> projectId(Message request) {
        return text(request, "project_id").or(() -> {
            for (FieldDescriptor field : request.getDescriptorForType().getFields()) {
                if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isRepeated()
                        && request.hasField(field)) {
                    Optional<String> nested = text((Message) request.getField(field), "project_id");
                    if (nested.isPresent()) {
                        return nested;
                    }
                }
            }
            return Optional.empty();
        });
    }

    /**
     * The most specific resource the request names: "projects/p", "projects/p/clusters/c",
     * "projects/p/clusters/c/databases/d", "…/snapshots/s", "tokens/t", or "" when it names none.
     */
    public static String describe(Message request) {
        Optional<String> token = text(request, "token_id");
        if (token.isPresent()) {
            return "tokens/" + token.get();
        }
        Optional<String> project = projectId(request);
        if (project.isEmpty()) {
            return "";
        }
        Optional<String> cluster = text(request, "cluster_name");
        if (cluster.isEmpty()) {
            return AuditEvent.project(project.get());
        }
        Optional<String> database = text(request, "database_name");
        if (database.isPresent()) {
            return AuditEvent.database(project.get(), cluster.get(), database.get());
        }
        String clusterResource = AuditEvent.cluster(project.get(), cluster.get());
        return text(request, "snapshot_id").map(id -> clusterResource + "/snapshots/" + id).orElse(clusterResource);
    }

    private static Optional<String> text(Message message, String fieldName) {
        FieldDescriptor field = STRING_FIELDS.computeIfAbsent(message.getDescriptorForType(), RequestResources::stringFields)
                .get(fieldName);
        if (field == null) {
            return Optional.empty();
        }
        String value = (String) message.getField(field);
        return value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    private static Map<String, FieldDescriptor> stringFields(Descriptor type) {
        Map<String, FieldDescriptor> byName = new HashMap<>();
        for (FieldDescriptor field : type.getFields()) {
            if (field.getJavaType() == FieldDescriptor.JavaType.STRING && !field.isRepeated()) {
                byName.put(field.getName(), field);
            }
        }
        return Map.copyOf(byName);
    }
}
