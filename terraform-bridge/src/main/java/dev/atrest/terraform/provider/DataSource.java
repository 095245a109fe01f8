package dev.atrest.terraform.provider;

import dev.atrest.terraform.wire.Block;
import java.util.Map;

/** One data source type: reads something the key service holds, changes nothing. */
public interface DataSource {

    String typeName();

    Block schema();

    void validate(Map<String, Object> config, Diagnostics diagnostics);

    /** The config with its computed attributes filled in; null after an error diagnostic. */
    Map<String, Object> read(Map<String, Object> config, AtrestClient client, Diagnostics diagnostics);
}
