package dev.atrest.terraform.wire;

/**
 * One attribute of a schema block. Exactly one of required / optional / computed-only describes how
 * configuration may set it; {@code optional && computed} means "set it, or the provider fills it in".
 */
public record Attribute(String name, CtyType type, String description, boolean required, boolean optional,
        boolean computed, boolean sensitive) {

    public static Attribute required(String name, CtyType type, String description) {
        return new Attribute(name, type, description, true, false, false, false);
    }

    public static Attribute optional(String name, CtyType type, String description) {
        return new Attribute(name, type, description, false, true, false, false);
    }

    public static Attribute optionalComputed(String name, CtyType type, String description) {
        return new Attribute(name, type, description, false, true, true, false);
    }

    public static Attribute computed(String name, CtyType type, String description) {
        return new Attribute(name, type, description, false, false, true, false);
    }

    public Attribute asSensitive() {
        return new Attribute(name, type, description, required, optional, computed, true);
    }

    /** Computed and not settable: the provider alone decides the value. */
    public boolean computedOnly() {
        return computed && !optional;
    }
}
