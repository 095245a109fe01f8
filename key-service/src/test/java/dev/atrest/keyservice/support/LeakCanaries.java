package dev.atrest.keyservice.support;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * Every plaintext key and secret the tests handle, remembered so that {@link LeakScan} can prove none
 * of them reached a log, a database file or the audit log. Each test JVM appends
 * {@code <kind> TAB <base64 of the secret>} lines to {@code target/leak-canaries/<pid>.txt}; the file
 * holds test secrets only and stays under target/, which the scan reads the canaries from, never scans.
 *
 * <p>{@link #RECORDER} sits on every stub {@link Client} hands out: database keys and token secrets in
 * responses, and AWS secret access keys in requests the service accepted, are recorded without any test asking.
 */
public final class LeakCanaries {
    /** Shorter values are not secrets worth hunting (and would match by chance). */
    private static final int MIN_LENGTH = 12;
    /** Field names that carry a secret in atrest.v1 messages (database key bytes, token and AWS secrets). */
    private static final Set<String> SECRET_FIELDS = Set.of("key", "secret", "secret_access_key");
    private static final Path FILE = Path.of("target", "leak-canaries", ProcessHandle.current().pid() + ".txt");
    private static final Set<String> RECORDED = ConcurrentHashMap.newKeySet();

    public static final ClientInterceptor RECORDER = new ClientInterceptor() {
        @Override
        public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
            // A request's secrets count once the service accepted the call: tests also send deliberately bad
            // values in secret fields (the same string as a refused project id, say), which the service may
            // rightly echo in its refusal; a secret it accepted and stored must never appear anywhere.
            List<Map.Entry<String, byte[]>> sent = new CopyOnWriteArrayList<>();
            return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void start(Listener<A> listener, Metadata headers) {
                    super.start(new SimpleForwardingClientCallListener<>(listener) {
                        @Override
                        public void onMessage(A message) {
                            secretsOf(message, (kind, secret) -> record(kind, secret));
                            super.onMessage(message);
                        }

                        @Override
                        public void onClose(Status status, Metadata trailers) {
                            if (status.isOk()) {
                                sent.forEach(secret -> record(secret.getKey(), secret.getValue()));
                            }
                            super.onClose(status, trailers);
                        }
                    }, headers);
                }

                @Override
                public void sendMessage(Q message) {
                    secretsOf(message, (kind, secret) -> sent.add(Map.entry(kind, secret)));
                    super.sendMessage(message);
                }
            };
        }
    };

    private LeakCanaries() {}

    public static void record(String kind, byte[] secret) {
        if (secret == null || secret.length < MIN_LENGTH) {
            return;
        }
        String encoded = Base64.getEncoder().encodeToString(secret);
        if (!RECORDED.add(encoded)) {
            return;
        }
        append(kind + "\t" + encoded + "\n");
    }

    public static void record(String kind, String secret) {
        if (secret != null) {
            record(kind, secret.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Records the secret and hands it back, for constants. */
    public static String remembered(String kind, String secret) {
        record(kind, secret);
        return secret;
    }

    private static void secretsOf(Object value, BiConsumer<String, byte[]> found) {
        if (!(value instanceof Message message)) {
            return;
        }
        for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
            FieldDescriptor descriptor = field.getKey();
            List<?> values = descriptor.isRepeated() ? (List<?>) field.getValue() : List.of(field.getValue());
            for (Object each : values) {
                if (each instanceof Message nested) {
                    secretsOf(nested, found);
                } else if (SECRET_FIELDS.contains(descriptor.getName())) {
                    String kind = message.getDescriptorForType().getName() + "." + descriptor.getName();
                    if (each instanceof ByteString bytes) {
                        found.accept(kind, bytes.toByteArray());
                    } else if (each instanceof String text) {
                        found.accept(kind, text.getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        }
    }

    private static synchronized void append(String line) {
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remember a leak canary in " + FILE, e);
        }
    }
}
