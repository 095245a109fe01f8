package dev.atrest.terraform.resources;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** How service values read in Terraform: proto3's "" means unset (null), timestamps are RFC 3339. */
final class ServiceText {

    private ServiceText() {
    }

    static String orNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    static String orEmpty(String text) {
        return text == null ? "" : text;
    }

    static String time(Timestamp timestamp) {
        if (timestamp.getSeconds() == 0 && timestamp.getNanos() == 0) {
            return null;
        }
        // Whole seconds: the service answers a write with nanoseconds but reads back what its database kept
        // (microseconds), and a computed value that shifts on every refresh is noise in Terraform's logs.
        return Instant.ofEpochSecond(timestamp.getSeconds()).toString();
    }
}
