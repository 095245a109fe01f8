package dev.atrest.terraform.wire;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * Reads and writes Terraform's msgpack {@code DynamicValue}s.
 *
 * <p>Decoded values are plain Java: {@code null}, {@link Unknown#VALUE}, {@link String}, {@link BigDecimal},
 * {@link Boolean}, {@link List} (lists and sets) and {@link Map} (maps and objects; an object always has
 * every attribute of its type, absent ones as {@code null}).
 */
public final class DynamicValueCodec {

    /** cty writes an unknown as fixext1 of type 0 with a zero byte; any extension type reads as unknown. */
    private static final byte UNKNOWN_EXTENSION_TYPE = 0;

    private DynamicValueCodec() {
    }

    public static byte[] encode(Object value, CtyType type) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            write(packer, value, type);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode value of type " + type.toJson(), e);
        }
    }

    public static Object decode(byte[] msgpack, CtyType type) {
        if (msgpack.length == 0) {
            return null;
        }
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(msgpack)) {
            return read(unpacker, type);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed msgpack value for type " + type.toJson(), e);
        }
    }

    private static void write(MessageBufferPacker packer, Object value, CtyType type) throws IOException {
        if (value == null) {
            packer.packNil();
        } else if (Unknown.is(value)) {
            packer.packExtensionTypeHeader(UNKNOWN_EXTENSION_TYPE, 1);
            packer.writePayload(new byte[] {0});
        } else if (type instanceof CtyType.Primitive) {
            writePrimitive(packer, value, type);
        } else if (type instanceof CtyType.Collection collection && collection.isMap()) {
            Map<?, ?> map = (Map<?, ?>) value;
            packer.packMapHeader(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                packer.packString((String) entry.getKey());
                write(packer, entry.getValue(), collection.element());
            }
        } else if (type instanceof CtyType.Collection collection) {
            List<?> list = (List<?>) value;
            packer.packArrayHeader(list.size());
            for (Object element : list) {
                write(packer, element, collection.element());
            }
        } else {
            CtyType.ObjectType object = (CtyType.ObjectType) type;
            Map<?, ?> attributes = (Map<?, ?>) value;
            packer.packMapHeader(object.attributes().size());
            for (Map.Entry<String, CtyType> attribute : object.attributes().entrySet()) {
                packer.packString(attribute.getKey());
                write(packer, attributes.get(attribute.getKey()), attribute.getValue());
            }
        }
    }

    private static void writePrimitive(MessageBufferPacker packer, Object value, CtyType type) throws IOException {
        if (type == CtyType.STRING) {
            packer.packString((String) value);
        } else if (type == CtyType.BOOL) {
            packer.packBoolean((Boolean) value);
        } else {
            writeNumber(packer, (BigDecimal) value);
        }
    }

    /** Like cty: an integer that fits in 64 bits as int, a double that reads back equal as float, else a string. */
    private static void writeNumber(MessageBufferPacker packer, BigDecimal number) throws IOException {
        BigDecimal stripped = number.stripTrailingZeros();
        if (stripped.scale() <= 0 && stripped.precision() - stripped.scale() <= 18) {
            packer.packLong(stripped.longValueExact());
            return;
        }
        double asDouble = number.doubleValue();
        if (Double.isFinite(asDouble) && BigDecimal.valueOf(asDouble).compareTo(number) == 0) {
            packer.packDouble(asDouble);
        } else {
            packer.packString(number.toPlainString());
        }
    }

    private static Object read(MessageUnpacker unpacker, CtyType type) throws IOException {
        MessageFormat format = unpacker.getNextFormat();
        if (format.getValueType() == ValueType.NIL) {
            unpacker.unpackNil();
            return null;
        }
        if (format.getValueType() == ValueType.EXTENSION) {
            // Refined unknowns (type 12) carry a payload; we only need to know the value is unknown.
            unpacker.readPayload(unpacker.unpackExtensionTypeHeader().getLength());
            return Unknown.VALUE;
        }
        if (type instanceof CtyType.Primitive) {
            return readPrimitive(unpacker, format, type);
        }
        if (type instanceof CtyType.Collection collection && collection.isMap()) {
            int size = unpacker.unpackMapHeader();
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < size; i++) {
                map.put(unpacker.unpackString(), read(unpacker, collection.element()));
            }
            return map;
        }
        if (type instanceof CtyType.Collection collection) {
            int size = unpacker.unpackArrayHeader();
            // Not presized: the header is the sender's claim (up to 2^31 - 1), and an array that large would be
            // an OutOfMemoryError before the first missing element could make it a malformed value.
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                list.add(read(unpacker, collection.element()));
            }
            return list;
        }
        return readObject(unpacker, (CtyType.ObjectType) type);
    }

    private static Map<String, Object> readObject(MessageUnpacker unpacker, CtyType.ObjectType type)
            throws IOException {
        Map<String, Object> object = new LinkedHashMap<>();
        type.attributes().keySet().forEach(name -> object.put(name, null));
        int size = unpacker.unpackMapHeader();
        for (int i = 0; i < size; i++) {
            String name = unpacker.unpackString();
            CtyType attributeType = type.attributes().get(name);
            if (attributeType == null) {
                unpacker.skipValue(); // an attribute this schema does not know: ignore it
            } else {
                object.put(name, read(unpacker, attributeType));
            }
        }
        return object;
    }

    private static Object readPrimitive(MessageUnpacker unpacker, MessageFormat format, CtyType type)
            throws IOException {
        ValueType valueType = format.getValueType();
        if (type == CtyType.STRING) {
            return unpacker.unpackString();
        }
        if (type == CtyType.BOOL) {
            return unpacker.unpackBoolean();
        }
        return switch (valueType) {
            case INTEGER -> format == MessageFormat.UINT64
                    ? new BigDecimal(unpacker.unpackBigInteger())
                    : BigDecimal.valueOf(unpacker.unpackLong());
            case FLOAT -> BigDecimal.valueOf(unpacker.unpackDouble());
            case STRING -> new BigDecimal(unpacker.unpackString());
            default -> throw new IllegalArgumentException("expected a number, got " + valueType);
        };
    }
}
