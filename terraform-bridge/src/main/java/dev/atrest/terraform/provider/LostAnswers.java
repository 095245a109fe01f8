package dev.atrest.terraform.provider;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.function.Supplier;

/**
 * Whether a write of one operation may have been carried out although its answer never came: the connection
 * failed (UNAVAILABLE) or the deadline passed after the write was sent. A create that finds its object already
 * encrypted on the next attempt uses it to tell "my own earlier attempt" from "someone else's object".
 */
public final class LostAnswers {

    private boolean writeMayHaveApplied;

    /** Sends a write, remembering a failure after which it may still have been applied. */
    public <T> T send(Supplier<T> write) {
        try {
            return write.get();
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
                writeMayHaveApplied = true;
            }
            throw e;
        }
    }

    public boolean writeMayHaveApplied() {
        return writeMayHaveApplied;
    }
}
