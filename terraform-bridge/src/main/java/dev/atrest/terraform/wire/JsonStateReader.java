package dev.atrest.terraform.wire;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the raw JSON state Terraform hands to {@code UpgradeResourceState} into the same plain values the
 * msgpack codec produces, shaped by the current schema type: attributes the state lacks become null and
 * attributes the schema no longer has are dropped. Raw state never holds unknowns.
 *
 * <p>A small recursive-descent parser, so the provider carries no JSON library for this one call.
 */
public final class JsonStateReader {

    private final String json;
    private int position;

    private JsonStateReader(String json) {
        this.json = json;
    }

    public static Object read(byte[] json, CtyType type) {
        JsonStateReader reader = new JsonStateReader(new String(json, java.nio.charset.StandardCharsets.UTF_8));
        Object parsed = reader.parseValue();
        reader.skipWhitespace();
        if (reader.position != reader.json.length()) {
            throw reader.error("trailing characters");
        }
        return conform(parsed, type);
    }

    /** Gives a parsed JSON value the shape of {@code type}. */
    private static Object conform(Object value, CtyType type) {
        if (value == null) {
            return null;
        }
        if (type instanceof CtyType.Primitive) {
            if (type == CtyType.NUMBER && value instanceof String text) {
                return new BigDecimal(text);
            }
            if (type == CtyType.STRING && !(value instanceof String)) {
                return value instanceof BigDecimal number ? number.toPlainString() : value.toString();
            }
            return value;
        }
        if (type instanceof CtyType.Collection collection && collection.isMap()) {
            Map<String, Object> map = new LinkedHashMap<>();
            ((Map<?, ?>) value).forEach((key, element) -> map.put((String) key, conform(element, collection.element())));
            return map;
        }
        if (type instanceof CtyType.Collection collection) {
            List<Object> list = new ArrayList<>();
            ((List<?>) value).forEach(element -> list.add(conform(element, collection.element())));
            return list;
        }
        Map<?, ?> source = (Map<?, ?>) value;
        Map<String, Object> object = new LinkedHashMap<>();
        ((CtyType.ObjectType) type).attributes().forEach(
                (name, attributeType) -> object.put(name, conform(source.get(name), attributeType)));
        return object;
    }

    private Object parseValue() {
        skipWhitespace();
        if (position >= json.length()) {
            throw error("unexpected end");
        }
        char next = json.charAt(position);
        return switch (next) {
            case '{' -> parseObject();
            case '[' -> parseArray();
            case '"' -> parseString();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> parseNumber();
        };
    }

    private Map<String, Object> parseObject() {
        Map<String, Object> object = new LinkedHashMap<>();
        position++;
        if (consumeIf('}')) {
            return object;
        }
        do {
            skipWhitespace();
            String key = parseString();
            expect(':');
            object.put(key, parseValue());
        } while (consumeIf(','));
        expect('}');
        return object;
    }

    private List<Object> parseArray() {
        List<Object> array = new ArrayList<>();
        position++;
        if (consumeIf(']')) {
            return array;
        }
        do {
            array.add(parseValue());
        } while (consumeIf(','));
        expect(']');
        return array;
    }

    private String parseString() {
        if (json.charAt(position) != '"') {
            throw error("expected a string");
        }
        StringBuilder text = new StringBuilder();
        position++;
        while (position < json.length()) {
            char c = json.charAt(position++);
            if (c == '"') {
                return text.toString();
            }
            if (c != '\\') {
                text.append(c);
                continue;
            }
            char escaped = json.charAt(position++);
            switch (escaped) {
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'u' -> {
                    text.append((char) Integer.parseInt(json.substring(position, position + 4), 16));
                    position += 4;
                }
                default -> text.append(escaped); // \" \\ \/
            }
        }
        throw error("unterminated string");
    }

    private BigDecimal parseNumber() {
        int start = position;
        while (position < json.length() && "+-0123456789.eE".indexOf(json.charAt(position)) >= 0) {
            position++;
        }
        try {
            return new BigDecimal(json.substring(start, position));
        } catch (NumberFormatException e) {
            throw error("expected a value");
        }
    }

    private Object literal(String word, Object value) {
        if (!json.startsWith(word, position)) {
            throw error("expected " + word);
        }
        position += word.length();
        return value;
    }

    private boolean consumeIf(char expected) {
        skipWhitespace();
        if (position < json.length() && json.charAt(position) == expected) {
            position++;
            return true;
        }
        return false;
    }

    private void expect(char expected) {
        if (!consumeIf(expected)) {
            throw error("expected '" + expected + "'");
        }
    }

    private void skipWhitespace() {
        while (position < json.length() && Character.isWhitespace(json.charAt(position))) {
            position++;
        }
    }

    private IllegalArgumentException error(String problem) {
        // The state may hold secrets: report where, never what.
        return new IllegalArgumentException("malformed JSON state at offset " + position + ": " + problem);
    }
}
