package dev.atrest.keyservice.grpc;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor.JavaType;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an RPC's requests are about, as its declaration names it: "projects/{project_id}/clusters/{cluster_name}"
 * is a path of collection/{field} pairs over the request's string fields. Used to authorise a call on the
 * project it names and to name its resource in the audit log. Parsed and checked against the request type
 * once per method, so a pattern naming a field the request does not have fails where it is read, not per call.
 */
public final class ResourcePattern {
    /** The collection whose {field} is the project the request names. */
    static final String PROJECTS = "projects";

    /** One "collection/{field}" pair; the field is reached through {@code path} (nested messages, then a string). */
    private record Segment(String collection, List<FieldDescriptor> path) {
        /** The field's value, empty when it is blank or a message on the way is unset. */
        Optional<String> value(Message request) {
            Message message = request;
            for (FieldDescriptor field : path.subList(0, path.size() - 1)) {
                if (!message.hasField(field)) {
                    return Optional.empty();
                }
                message = (Message) message.getField(field);
            }
            String value = (String) message.getField(path.get(path.size() - 1));
            return value.isBlank() ? Optional.empty() : Optional.of(value);
        }
    }

    private final String pattern;
    private final List<Segment> segments;

    private ResourcePattern(String pattern, List<Segment> segments) {
        this.pattern = pattern;
        this.segments = List.copyOf(segments);
    }

    /**
     * @param pattern     e.g. "projects/{project_id}/clusters/{cluster_name}", or "" for none
     * @param requestType the message the pattern's fields are read from
     * @throws IllegalArgumentException when the pattern is not collection/{field} pairs over singular string fields
     */
    static ResourcePattern parse(String pattern, Descriptor requestType) {
        List<Segment> segments = new ArrayList<>();
        String[] parts = pattern.isEmpty() ? new String[0] : pattern.split("/", -1);
        if (parts.length % 2 != 0) {
            throw new IllegalArgumentException("resource \"" + pattern + "\" is not collection/{field} pairs");
        }
        for (int i = 0; i < parts.length; i += 2) {
            String collection = parts[i];
            String variable = parts[i + 1];
            if (!collection.matches("[a-z][a-z_]*") || !variable.matches("\\{[a-z][a-z0-9_.]*}")) {
                throw new IllegalArgumentException("resource \"" + pattern + "\" is not collection/{field} pairs");
            }
            segments.add(new Segment(collection, fieldPath(requestType, variable.substring(1, variable.length() - 1))));
        }
        return new ResourcePattern(pattern, segments);
    }

    private static List<FieldDescriptor> fieldPath(Descriptor requestType, String dottedPath) {
        List<FieldDescriptor> path = new ArrayList<>();
        Descriptor type = requestType;
        String[] names = dottedPath.split("\\.", -1);
        for (int i = 0; i < names.length; i++) {
            FieldDescriptor field = type == null ? null : type.findFieldByName(names[i]);
            boolean last = i == names.length - 1;
            JavaType expected = last ? JavaType.STRING : JavaType.MESSAGE;
            if (field == null || field.isRepeated() || field.getJavaType() != expected) {
                throw new IllegalArgumentException("{" + dottedPath + "} is not a singular string field of "
                        + requestType.getFullName());
            }
            path.add(field);
            type = last ? null : field.getMessageType();
        }
        return path;
    }

    /** Whether the pattern names a project ("projects/{…}" first), which a project-scoped rule needs. */
    boolean namesAProject() {
        return !segments.isEmpty() && segments.get(0).collection().equals(PROJECTS);
    }

    /** The project the request names, if any (blank counts as none: the service itself rejects it). */
    public Optional<String> projectId(Message request) {
        return namesAProject() ? segments.get(0).value(request) : Optional.empty();
    }

    /**
     * The most specific resource the request names: up to the first blank field, e.g.
     * "projects/p/clusters/c" when the database name is blank; "" when the first is blank or there is none.
     */
    public String describe(Message request) {
        StringBuilder resource = new StringBuilder();
        for (Segment segment : segments) {
            Optional<String> value = segment.value(request);
            if (value.isEmpty()) {
                break;
            }
            if (!resource.isEmpty()) {
                resource.append('/');
            }
            resource.append(segment.collection()).append('/').append(value.get());
        }
        return resource.toString();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
