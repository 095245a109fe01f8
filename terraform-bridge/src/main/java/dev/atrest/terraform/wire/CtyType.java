package dev.atrest.terraform.wire;

import java.util.Map;
import java.util.TreeMap;

/**
 * A cty type, the type system Terraform values travel in. Schemas send attribute types as cty's JSON
 * encoding ({@code "string"}, {@code ["list","string"]}, {@code ["object",{"a":"bool"}]}), and the msgpack
 * codec needs the type to read numbers sent as strings and to fill absent object attributes with null.
 */
public sealed interface CtyType {

    CtyType STRING = new Primitive("string");
    CtyType NUMBER = new Primitive("number");
    CtyType BOOL = new Primitive("bool");

    /** cty's JSON type encoding, as sent in {@code Schema.Attribute.type}. */
    String toJson();

    static CtyType listOf(CtyType element) {
        return new Collection("list", element);
    }

    static CtyType setOf(CtyType element) {
        return new Collection("set", element);
    }

    static CtyType mapOf(CtyType element) {
        return new Collection("map", element);
    }

    static CtyType objectOf(Map<String, CtyType> attributes) {
        return new ObjectType(attributes);
    }

    /** string, number or bool. */
    record Primitive(String name) implements CtyType {
        @Override
        public String toJson() {
            return '"' + name + '"';
        }
    }

    /** list, set or map of one element type. */
    record Collection(String kind, CtyType element) implements CtyType {
        public boolean isMap() {
            return kind.equals("map");
        }

        @Override
        public String toJson() {
            return "[\"" + kind + "\"," + element.toJson() + "]";
        }
    }

    /** An object: a fixed set of named attributes, each with its own type. */
    record ObjectType(Map<String, CtyType> attributes) implements CtyType {
        public ObjectType {
            // Sorted, so the JSON encoding is stable and equal types encode equally.
            attributes = java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
        }

        @Override
        public String toJson() {
            StringBuilder json = new StringBuilder("[\"object\",{");
            String separator = "";
            for (Map.Entry<String, CtyType> attribute : attributes.entrySet()) {
                json.append(separator).append('"').append(attribute.getKey()).append("\":")
                        .append(attribute.getValue().toJson());
                separator = ",";
            }
            return json.append("}]").toString();
        }
    }
}
