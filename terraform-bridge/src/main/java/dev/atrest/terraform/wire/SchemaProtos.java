package dev.atrest.terraform.wire;

import com.google.protobuf.ByteString;
import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6;
import java.nio.charset.StandardCharsets;

/** Turns a {@link Block} into the {@code tfplugin6.Schema} that GetProviderSchema returns. */
public final class SchemaProtos {

    private SchemaProtos() {
    }

    public static Tfplugin6.Schema schema(long version, Block block) {
        return Tfplugin6.Schema.newBuilder().setVersion(version).setBlock(block(block)).build();
    }

    static Tfplugin6.Schema.Block block(Block block) {
        Tfplugin6.Schema.Block.Builder proto = Tfplugin6.Schema.Block.newBuilder()
                .setDescription(block.description())
                .setDescriptionKind(Tfplugin6.StringKind.MARKDOWN);
        block.attributes().forEach(attribute -> proto.addAttributes(attribute(attribute)));
        for (Block.NestedBlock nested : block.blocks()) {
            proto.addBlockTypes(Tfplugin6.Schema.NestedBlock.newBuilder()
                    .setTypeName(nested.name())
                    .setNesting(nested.nesting() == Block.Nesting.SINGLE
                            ? Tfplugin6.Schema.NestedBlock.NestingMode.SINGLE
                            : Tfplugin6.Schema.NestedBlock.NestingMode.LIST)
                    .setBlock(block(nested.block())));
        }
        return proto.build();
    }

    static Tfplugin6.Schema.Attribute attribute(Attribute attribute) {
        return Tfplugin6.Schema.Attribute.newBuilder()
                .setName(attribute.name())
                .setType(ByteString.copyFrom(attribute.type().toJson(), StandardCharsets.UTF_8))
                .setDescription(attribute.description())
                .setDescriptionKind(Tfplugin6.StringKind.MARKDOWN)
                .setRequired(attribute.required())
                .setOptional(attribute.optional())
                .setComputed(attribute.computed())
                .setSensitive(attribute.sensitive())
                .build();
    }
}
