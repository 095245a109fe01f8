package dev.atrest.terraform.plugin;

import java.lang.management.ManagementFactory;

/**
 * With ATREST_PROVIDER_STARTUP_TRACE=1, prints how long after the JVM started each step of a start
 * ended, as {@code [DEBUG] startup <ms> <step>} lines on stderr (see docs/startup.md). Off by default:
 * it then costs one environment lookup.
 */
public final class StartupTrace {

    private static final boolean ON = "1".equals(System.getenv("ATREST_PROVIDER_STARTUP_TRACE"));

    private StartupTrace() {
    }

    public static void mark(String step) {
        if (ON) {
            // The JVM's uptime, not time since main: JVM boot is part of what Terraform waits for. (The
            // first call loads the management classes, a few ms, only when tracing.)
            System.err.println("[DEBUG] startup " + ManagementFactory.getRuntimeMXBean().getUptime()
                    + " ms " + step + " (" + Thread.currentThread().getName() + ")");
        }
    }
}
