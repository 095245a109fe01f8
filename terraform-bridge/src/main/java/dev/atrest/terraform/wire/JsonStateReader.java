package dev.atrest.terraform.wire;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the raw JSON state Terraform hands to {@code UpgradeResourceState} into the same plain values the
 * msgpack codec produces, shaped by the current schema type: attributes the state lacks become null and
 * attributes the schema no longer has are dropped. Raw state never holds unknowns.
 *
 * <p>Parsing is Gson's streaming {@link JsonReader}, strict (RFC 8259) and with its nesting limit: gRPC already
 * ships Gson inside the provider, so it costs no jar size, and only the reader's few classes load, on the first
 * upgrade (docs/startup.md).
 */
public final class JsonStateReader {
    private static final Pattern WHERE = Pattern.compile("line \\d+ column \\d+");

    private JsonStateReader() {
    }

    public static Object read(byte[] json, CtyType type) {
        try (JsonReader reader = new JsonReader(new InputStreamReader(new ByteArrayInputStream(json),
                StandardCharsets.UTF_8))) {
            reader.setStrictness(Strictness.STRICT);
            Object parsed = value(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw malformed("trailing characters", null);
            }
            return conform(parsed, type);
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw malformed("not one JSON value", e);
        } catch (ClassCastException e) {
            // A state that is JSON but not of the schema's shape (a string where a block was): the same error
            // as broken JSON, not a crash of the plugin that takes the whole apply with it.
            throw malformed("a value does not have the schema's type", null);
        }
    }

    private static Object value(JsonReader reader) throws IOException {
        return switch (reader.peek()) {
            case BEGIN_OBJECT -> object(reader);
            case BEGIN_ARRAY -> array(reader);
            case STRING -> reader.nextString();
            // Gson gives a number's literal text: exact, as Terraform's numbers are arbitrary-precision.
            case NUMBER -> new BigDecimal(reader.nextString());
            case BOOLEAN -> reader.nextBoolean();
            case NULL -> {
                reader.nextNull();
                yield null;
            }
            default -> throw new IllegalStateException("expected a value but was " + reader.peek());
        };
    }

    private static Map<String, Object> object(JsonReader reader) throws IOException {
        Map<String, Object> object = new LinkedHashMap<>();
        reader.beginObject();
        while (reader.hasNext()) {
            String name = reader.nextName();
            object.put(name, value(reader));
        }
        reader.endObject();
        return object;
    }

    private static List<Object> array(JsonReader reader) throws IOException {
        List<Object> array = new ArrayList<>();
        reader.beginArray();
        while (reader.hasNext()) {
            array.add(value(reader));
        }
        reader.endArray();
        return array;
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

    /** The state may hold secrets: the message says where (Gson's line and column), never what. */
    private static IllegalArgumentException malformed(String problem, Exception cause) {
        Matcher where = WHERE.matcher(cause == null || cause.getMessage() == null ? "" : cause.getMessage());
        return new IllegalArgumentException("malformed JSON state" + (where.find() ? " at " + where.group() : "")
                + ": " + problem);
    }
}
