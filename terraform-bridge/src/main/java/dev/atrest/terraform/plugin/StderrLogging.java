package dev.atrest.terraform.plugin;

import java.io.PrintStream;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sends java.util.logging (ours, grpc's, netty's) to stderr as lines starting with {@code [DEBUG]},
 * {@code [INFO]}, {@code [WARN]} or {@code [ERROR]}: go-plugin reads that prefix to file each line under
 * the matching TF_LOG level. The level follows TF_LOG_PROVIDER, then TF_LOG, else INFO.
 */
public final class StderrLogging {

    private StderrLogging() {
    }

    public static void install(java.util.Map<String, String> environment) {
        Level level = level(environment.getOrDefault("TF_LOG_PROVIDER", environment.getOrDefault("TF_LOG", "")));
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        Handler stderr = new ConsoleHandler(); // ConsoleHandler always writes to System.err
        stderr.setFormatter(new TerraformLineFormatter());
        stderr.setLevel(level);
        root.addHandler(stderr);
        root.setLevel(level);
        // grpc and netty are chatty below INFO and their internals are not what a provider user debugs.
        Logger.getLogger("io.grpc").setLevel(Level.INFO);
    }

    static Level level(String tfLog) {
        return switch (tfLog.trim().toUpperCase(java.util.Locale.ROOT)) {
            case "TRACE", "JSON" -> Level.FINEST;
            case "DEBUG" -> Level.FINE;
            case "WARN" -> Level.WARNING;
            case "ERROR" -> Level.SEVERE;
            default -> Level.INFO;
        };
    }

    /** Stdout belongs to the handshake; route every later print to stderr. */
    public static PrintStream takeStdout() {
        PrintStream stdout = System.out;
        System.setOut(System.err);
        return stdout;
    }

    static final class TerraformLineFormatter extends Formatter {
        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder()
                    .append(prefix(record.getLevel())).append(' ')
                    .append(shortName(record.getLoggerName())).append(": ")
                    .append(formatMessage(record).replace('\n', ' '));
            if (record.getThrown() != null) {
                line.append(": ").append(record.getThrown());
            }
            return line.append(System.lineSeparator()).toString();
        }

        private static String prefix(Level level) {
            if (level.intValue() >= Level.SEVERE.intValue()) {
                return "[ERROR]";
            }
            if (level.intValue() >= Level.WARNING.intValue()) {
                return "[WARN]";
            }
            if (level.intValue() >= Level.INFO.intValue()) {
                return "[INFO]";
            }
            return level.intValue() >= Level.FINE.intValue() ? "[DEBUG]" : "[TRACE]";
        }

        private static String shortName(String loggerName) {
            if (loggerName == null) {
                return "atrest";
            }
            return loggerName.substring(loggerName.lastIndexOf('.') + 1);
        }
    }
}
