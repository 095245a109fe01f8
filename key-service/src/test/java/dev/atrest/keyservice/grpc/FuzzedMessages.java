package dev.atrest.keyservice.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Seeded random requests for any atrest.v1 message type, built from its descriptor: every field maybe set,
 * with the values that break services (empty, huge, unicode and control characters, ids that exist and ids
 * that do not, forged page tokens, out-of-range numbers, unknown enum values, absent sub-messages), and raw
 * bytes that are not a valid encoding of any message at all.
 */
final class FuzzedMessages {
    private static final int MAX_DEPTH = 3;

    private final Random random;
    /** Ids that exist in the database, so some calls get past "not found" to the checks behind it. */
    private final List<String> knownIds;

    FuzzedMessages(Random random, List<String> knownIds) {
        this.random = random;
        this.knownIds = knownIds;
    }

    /** A well-formed message of {@code type} with fuzzed field values. */
    byte[] wellFormed(Descriptor type) {
        return message(type, 0).toByteArray();
    }

    /** Bytes that do not parse as {@code type}: garbage, a cut-off message, a wrong wire type, a lying length. */
    byte[] malformed(Descriptor type) {
        byte[] valid = wellFormed(type);
        return switch (random.nextInt(5)) {
            case 0 -> randomBytes(1 + random.nextInt(200));
            case 1 -> valid.length < 2 ? new byte[] {(byte) 0x0a, (byte) 0x05} : java.util.Arrays.copyOf(valid, valid.length - 1);
            case 2 -> concat(valid, new byte[] {(byte) 0x0f}); // field 1, wire type 7: no such wire type
            case 3 -> concat(valid, new byte[] {(byte) 0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x07}); // length 16M, absent
            default -> concat(valid, new byte[] {(byte) 0x0b}); // a group that is never closed
        };
    }

    private DynamicMessage message(Descriptor type, int depth) {
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
        for (FieldDescriptor field : type.getFields()) {
            if (random.nextInt(4) == 0) {
                continue; // left unset: missing required parts
            }
            if (field.isRepeated()) {
                int count = random.nextInt(10) == 0 ? 150 : random.nextInt(4);
                for (int i = 0; i < count; i++) {
                    Object value = value(field, depth);
                    if (value != null) {
                        builder.addRepeatedField(field, value);
                    }
                }
            } else {
                Object value = value(field, depth);
                if (value != null) {
                    builder.setField(field, value);
                }
            }
        }
        return builder.build();
    }

    private Object value(FieldDescriptor field, int depth) {
        return switch (field.getJavaType()) {
            case STRING -> text();
            case INT -> (int) number();
            case LONG -> number();
            case BOOLEAN -> random.nextBoolean();
            case FLOAT -> (float) random.nextGaussian();
            case DOUBLE -> random.nextGaussian();
            case BYTE_STRING -> ByteString.copyFrom(randomBytes(random.nextInt(64)));
            case ENUM -> enumValue(field.getEnumType());
            case MESSAGE -> depth >= MAX_DEPTH ? null : message(field.getMessageType(), depth + 1);
        };
    }

    private String text() {
        return switch (random.nextInt(12)) {
            case 0 -> "";
            case 1 -> "a".repeat(10_000 + random.nextInt(30_000));
            case 2 -> "proj\u00e9t-\u65e5\u672c-\uD83D\uDD11";
            case 3 -> "p\u0000\u0007\n\r\u001b[31m" + random.nextInt(100);
            case 4 -> "../../etc/passwd";
            case 5 -> "arn:aws" + "-a".repeat(random.nextInt(20_000)) + ":iam::123456789012:role/r";
            case 6 -> "'; DROP TABLE project_encryption; --";
            case 7 -> pageToken();
            case 8, 9 -> knownIds.get(random.nextInt(knownIds.size()));
            default -> "fz-" + Integer.toString(random.nextInt(1_000_000), 36);
        };
    }

    /** base64url of what each List call's page token decodes to, with values out of range or broken. */
    private String pageToken() {
        String inside = switch (random.nextInt(4)) {
            case 0 -> random.nextLong() + ":" + random.nextLong();
            case 1 -> "+" + (10_000 + random.nextInt(990_000)) + "-01-01T00:00:00Z/s" + random.nextInt(10);
            case 2 -> "-" + random.nextInt(1_000_000) + "-06-30T23:59:59.999999999Z/" + knownIds.get(0);
            default -> new String(randomBytes(random.nextInt(40)), StandardCharsets.ISO_8859_1);
        };
        return Base64.getUrlEncoder().withoutPadding().encodeToString(inside.getBytes(StandardCharsets.UTF_8));
    }

    private long number() {
        return switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> Integer.MAX_VALUE;
            case 3 -> Long.MIN_VALUE;
            case 4 -> Long.MAX_VALUE;
            default -> random.nextInt(5000) - 100;
        };
    }

    private Object enumValue(EnumDescriptor type) {
        return random.nextInt(3) == 0
                ? type.findValueByNumberCreatingIfUnknown(100 + random.nextInt(1000))
                : type.getValues().get(random.nextInt(type.getValues().size()));
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] joined = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }
}
