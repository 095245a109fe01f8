package dev.atrest.keyservice.vault;

import dev.atrest.keyservice.domain.InputRules;
import dev.atrest.keyservice.domain.NotFoundException;
import dev.atrest.keyservice.domain.Violations;

/**
 * A Vault mount as atrest serves it: {@code atrest/<project_id>/<cluster_name>}, one encrypted cluster. An
 * engine's vault URL is {@code <service>/v1/atrest/<project_id>/<cluster_name>}.
 */
record VaultMount(String projectId, String clusterName) {
    static final String PREFIX = "atrest";

    /**
     * @throws NotFoundException when {@code path} is not of the form atrest/&lt;project_id&gt;/&lt;cluster_name&gt;
     *                           (Vault answers 404 for a mount it does not have)
     * @throws dev.atrest.keyservice.domain.InvalidArgumentException when a part breaks the identifier rule
     */
    static VaultMount parse(String path) {
        String[] parts = path.split("/", -1);
        if (parts.length != 3 || !parts[0].equals(PREFIX)) {
            throw new NotFoundException("no such mount: atrest's mounts are " + PREFIX
                    + "/<project_id>/<cluster_name>, one per encrypted cluster");
        }
        Violations violations = new Violations();
        InputRules.requireId(violations, "mount project_id", parts[1]);
        InputRules.requireId(violations, "mount cluster_name", parts[2]);
        violations.throwIfAny();
        return new VaultMount(parts[1], parts[2]);
    }

    @Override
    public String toString() {
        return PREFIX + "/" + projectId + "/" + clusterName;
    }
}
