package dev.atrest.terraform.wire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small operations on decoded values that plan and apply need. */
public final class Values {

    private Values() {
    }

    /**
     * The state apply returns: every known value of {@code planned} exactly as planned, each unknown replaced
     * by what the service reported in {@code actual}. Terraform rejects an apply result that differs from a
     * known planned value, so the service's echo never overrides the plan.
     */
    public static Object resolveUnknowns(Object planned, Object actual) {
        if (Unknown.is(planned)) {
            return actual;
        }
        if (planned instanceof Map<?, ?> plannedMap) {
            Map<?, ?> actualMap = actual instanceof Map<?, ?> map ? map : Map.of();
            Map<String, Object> resolved = new LinkedHashMap<>();
            plannedMap.forEach((key, value) -> resolved.put((String) key, resolveUnknowns(value, actualMap.get(key))));
            return resolved;
        }
        if (planned instanceof List<?> plannedList) {
            List<?> actualList = actual instanceof List<?> list ? list : List.of();
            List<Object> resolved = new ArrayList<>();
            for (int i = 0; i < plannedList.size(); i++) {
                resolved.add(resolveUnknowns(plannedList.get(i), i < actualList.size() ? actualList.get(i) : null));
            }
            return resolved;
        }
        return planned;
    }

    public static boolean containsUnknown(Object value) {
        if (Unknown.is(value)) {
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            return map.values().stream().anyMatch(Values::containsUnknown);
        }
        if (value instanceof List<?> list) {
            return list.stream().anyMatch(Values::containsUnknown);
        }
        return false;
    }

    /** The object value, or an empty map for null/unknown, for reading attributes without null checks. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /** A known, non-null string attribute, or null. */
    public static String string(Map<String, Object> object, String name) {
        return object.get(name) instanceof String text ? text : null;
    }

    /** A known bool attribute; null and unknown read as false. */
    public static boolean bool(Map<String, Object> object, String name) {
        return Boolean.TRUE.equals(object.get(name));
    }

    /** A mutable copy of an object value, for building a plan from the proposed state. */
    public static Map<String, Object> copy(Object value) {
        return new LinkedHashMap<>(object(value));
    }
}
