package dev.atrest.keyservice.bootstrap;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * A start-up refusal that names its setting: printed as one line, {@code <setting>: <what is wrong>
 * (<what to do>)}, after "atrest: refusing to start: ", with exit status 1 and no stack trace.
 */
final class SettingRefused extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    SettingRefused(String setting, String problem, String remedy) {
        super(setting + ": " + problem + " (" + remedy + ")");
    }

    /** An I/O failure as words, without the exception's class name: "does not exist", "permission denied". */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "it does not exist";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
