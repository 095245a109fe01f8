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
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()).toString();
    }
}
