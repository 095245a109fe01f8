package dev.atrest.terraform.resources;

import dev.atrest.contract.IdentifierRule;
import dev.atrest.terraform.provider.Diagnostics;
import java.util.Map;

/**
 * The service's rule for project ids, cluster names and local key ids ({@link IdentifierRule}, the same
 * class the service checks with), checked at plan time so a bad value fails before any call.
 */
final class IdentifierRules {

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
        } else if (!IdentifierRule.matches(value)) {
            diagnostics.attributeError(path, "invalid " + name, name + " must be 1 to 64 characters of "
                    + "[A-Za-z0-9_-] starting with a letter or digit; got " + Diagnostics.quote(value));
        }
    }
}
