package dev.atrest.terraform.provider;

import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6;
import dev.atrest.terraform.wire.Block;
import dev.atrest.terraform.wire.DynamicValueCodec;
import dev.atrest.terraform.wire.JsonStateReader;
import dev.atrest.terraform.wire.Values;
import com.google.protobuf.ByteString;
import java.util.Map;

/** {@code tfplugin6.DynamicValue} ⇄ the object value of a schema block. */
final class DynamicValues {

    private DynamicValues() {
    }

    /** The object, or null when Terraform sent null (no prior state, a planned delete). */
    static Map<String, Object> decode(Tfplugin6.DynamicValue value, Block schema) {
        Object decoded;
        if (!value.getMsgpack().isEmpty()) {
            decoded = DynamicValueCodec.decode(value.getMsgpack().toByteArray(), schema.impliedType());
        } else if (!value.getJson().isEmpty()) {
            decoded = JsonStateReader.read(value.getJson().toByteArray(), schema.impliedType());
        } else {
            decoded = null;
        }
        return decoded == null ? null : Values.copy(decoded);
    }

    static Tfplugin6.DynamicValue encode(Map<String, Object> value, Block schema) {
        return Tfplugin6.DynamicValue.newBuilder()
                .setMsgpack(ByteString.copyFrom(DynamicValueCodec.encode(value, schema.impliedType())))
                .build();
    }
}
