package dev.atrest.terraform.resources;

import dev.atrest.terraform.wire.Block;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds values the way Terraform sends them: every attribute of the schema present, unset ones null. */
final class TerraformValues {

    private TerraformValues() {
    }

    static Map<String, Object> of(Block schema, Object... namesAndValues) {
        Map<String, Object> value = new LinkedHashMap<>();
        schema.impliedType().attributes().keySet().forEach(name -> value.put(name, null));
        for (int i = 0; i < namesAndValues.length; i += 2) {
            value.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return value;
    }
}
