package dev.atrest.keyservice.kms;

import java.util.Map;
import java.util.TreeMap;

/**
 * The encryption context a master key is wrapped with. KMS binds the ciphertext to it (and records
 * it in CloudTrail), so a master key of one cluster cannot be unwrapped as another's.
 */
public final class MasterKeyContext {
    private MasterKeyContext() {}

    public static Map<String, String> of(String projectId, String clusterName, int version) {
        Map<String, String> context = new TreeMap<>();
        context.put("atrest:project", projectId);
        context.put("atrest:cluster", clusterName);
        context.put("atrest:master-key-version", Integer.toString(version));
        return context;
    }

    /** Context for the throwaway data key of a validation round trip. */
    public static Map<String, String> forValidation(String projectId) {
        Map<String, String> context = new TreeMap<>();
        context.put("atrest:project", projectId);
        context.put("atrest:purpose", "validation");
        return context;
    }
}
