package dev.atrest.terraform.wire;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A schema block: attributes plus nested blocks. Its {@link #impliedType()} is the object type values of
 * the block travel as, so one definition drives both the schema Terraform sees and the codec.
 */
public record Block(String description, List<Attribute> attributes, List<NestedBlock> blocks) {

    public Block {
        attributes = List.copyOf(attributes);
        blocks = List.copyOf(blocks);
    }

    public static Block of(String description, List<Attribute> attributes) {
        return new Block(description, attributes, List.of());
    }

    /** A block nested in another. SINGLE: zero or one, the value is an object or null. */
    public record NestedBlock(String name, Nesting nesting, Block block) {
    }

    public enum Nesting { SINGLE, LIST }

    public CtyType.ObjectType impliedType() {
        Map<String, CtyType> types = new LinkedHashMap<>();
        attributes.forEach(attribute -> types.put(attribute.name(), attribute.type()));
        for (NestedBlock nested : blocks) {
            CtyType objectType = nested.block().impliedType();
            types.put(nested.name(), nested.nesting() == Nesting.SINGLE ? objectType : CtyType.listOf(objectType));
        }
        return new CtyType.ObjectType(types);
    }

    public Attribute attribute(String name) {
        return attributes.stream().filter(attribute -> attribute.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no attribute " + name));
    }
}
