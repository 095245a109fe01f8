package dev.atrest.keyservice.grpc;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.function.Consumer;

public final class Timestamps {
    private Timestamps() {}

    /** Sets a timestamp field only when there is a time: an unset field reads as "never". */
    public static void set(Instant instant, Consumer<Timestamp> setter) {
        if (instant != null) {
            setter.accept(Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build());
        }
    }
}
