package dev.atrest.terraform.resources;

import dev.atrest.terraform.provider.Diagnostics;
import java.util.Map;
import java.util.regex.Pattern;

/** The service's rule for project ids, cluster names and local key ids, checked before any call. */
final class IdentifierRules {

    /** 1 to 64 characters of [A-Za-z0-9_-], starting with a letter or digit (see the atrest.v1 contract). */
    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private IdentifierRules() {
    }

    /** The identity every cluster resource and data source has: project_id and cluster_name. */
    static void checkCluster(Map<String, Object> config, Diagnostics diagnostics) {
        check(config, "project_id", "project_id", diagnostics);
        check(config, "cluster_name", "cluster_name", diagnostics);
    }

    /** Checks {@code object[name]} when known; unknown values wait for apply. */
    static void check(Map<String, Object> object, String name, String path, Diagnostics diagnostics) {
        if (!(object.get(name) instanceof String value)) {
            return;
        }
        if (value.isEmpty()) {
            diagnostics.attributeError(path, "empty " + name, name + " must not be empty");
        } else if (!IDENTIFIER.matcher(value).matches()) {
            diagnostics.attributeError(path, "invalid " + name, name + " must be 1 to 64 characters of "
                    + "[A-Za-z0-9_-] starting with a letter or digit; got " + Diagnostics.quote(value));
        }
    }
}
