package dev.atrest.terraform.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaEncodingTest {

    @Test
    void toJson_everyTypeKind_matchesCtyEncoding() {
        assertThat(CtyType.STRING.toJson()).isEqualTo("\"string\"");
        assertThat(CtyType.listOf(CtyType.NUMBER).toJson()).isEqualTo("[\"list\",\"number\"]");
        assertThat(CtyType.setOf(CtyType.BOOL).toJson()).isEqualTo("[\"set\",\"bool\"]");
        assertThat(CtyType.mapOf(CtyType.STRING).toJson()).isEqualTo("[\"map\",\"string\"]");
        assertThat(CtyType.objectOf(Map.of("b", CtyType.BOOL, "a", CtyType.listOf(CtyType.STRING))).toJson())
                .isEqualTo("[\"object\",{\"a\":[\"list\",\"string\"],\"b\":\"bool\"}]");
    }

    @Test
    void schema_blockWithSensitiveAttributeAndSingleNestedBlock_encodesFlagsAndNesting() {
        Block nested = Block.of("inner", List.of(Attribute.optional("secret", CtyType.STRING, "s").asSensitive()));
        Block block = new Block("outer", List.of(Attribute.required("name", CtyType.STRING, "n"),
                Attribute.computed("count", CtyType.NUMBER, "c")),
                List.of(new Block.NestedBlock("inner", Block.Nesting.SINGLE, nested)));

        Tfplugin6.Schema schema = SchemaProtos.schema(0, block);

        Tfplugin6.Schema.Attribute name = schema.getBlock().getAttributes(0);
        assertThat(name.getName()).isEqualTo("name");
        assertThat(name.getType().toStringUtf8()).isEqualTo("\"string\"");
        assertThat(name.getRequired()).isTrue();
        assertThat(schema.getBlock().getAttributes(1).getComputed()).isTrue();
        assertThat(schema.getBlock().getAttributes(1).getOptional()).isFalse();
        Tfplugin6.Schema.NestedBlock inner = schema.getBlock().getBlockTypes(0);
        assertThat(inner.getNesting()).isEqualTo(Tfplugin6.Schema.NestedBlock.NestingMode.SINGLE);
        assertThat(inner.getBlock().getAttributes(0).getSensitive()).isTrue();
    }

    @Test
    void impliedType_blockWithNestedBlocks_isObjectOfAttributesAndBlocks() {
        Block nested = Block.of("inner", List.of(Attribute.optional("x", CtyType.STRING, "x")));
        Block block = new Block("outer", List.of(Attribute.required("name", CtyType.STRING, "n")),
                List.of(new Block.NestedBlock("one", Block.Nesting.SINGLE, nested),
                        new Block.NestedBlock("many", Block.Nesting.LIST, nested)));

        assertThat(block.impliedType().attributes()).isEqualTo(Map.of("name", CtyType.STRING,
                "one", nested.impliedType(), "many", CtyType.listOf(nested.impliedType())));
    }
}
