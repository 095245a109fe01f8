package dev.atrest.terraform.provider;

import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6;
import java.util.ArrayList;
import java.util.List;

/**
 * The errors and warnings one RPC returns to Terraform. Every problem a user can fix carries the path of
 * the attribute to fix, so Terraform points at the right line of their configuration.
 */
public final class Diagnostics {

    /** Longer than any valid identifier (64), so a quoted valid-looking value is never cut. */
    static final int QUOTED_LENGTH = 80;

    private final List<Tfplugin6.Diagnostic> diagnostics = new ArrayList<>();

    public void error(String summary, String detail) {
        add(Tfplugin6.Diagnostic.Severity.ERROR, summary, detail, null);
    }

    public void attributeError(Tfplugin6.AttributePath path, String summary, String detail) {
        add(Tfplugin6.Diagnostic.Severity.ERROR, summary, detail, path);
    }

    public void attributeError(String dottedPath, String summary, String detail) {
        attributeError(AttributePaths.of(dottedPath), summary, detail);
    }

    public void warning(String summary, String detail) {
        add(Tfplugin6.Diagnostic.Severity.WARNING, summary, detail, null);
    }

    /**
     * {@code value} in quotes for a diagnostic's detail, cut to its first {@value #QUOTED_LENGTH} characters
     * (and its length said) when longer: a megabyte-long name must not become a megabyte-long error message.
     */
    public static String quote(String value) {
        if (value.length() <= QUOTED_LENGTH) {
            return "\"" + value + "\"";
        }
        return "\"" + value.substring(0, QUOTED_LENGTH) + "…\" (" + value.length() + " characters)";
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(d -> d.getSeverity() == Tfplugin6.Diagnostic.Severity.ERROR);
    }

    public List<Tfplugin6.Diagnostic> asList() {
        return List.copyOf(diagnostics);
    }

    private void add(Tfplugin6.Diagnostic.Severity severity, String summary, String detail,
            Tfplugin6.AttributePath path) {
        Tfplugin6.Diagnostic.Builder diagnostic = Tfplugin6.Diagnostic.newBuilder()
                .setSeverity(severity).setSummary(summary).setDetail(detail == null ? "" : detail);
        if (path != null && path.getStepsCount() > 0) {
            diagnostic.setAttribute(path);
        }
        diagnostics.add(diagnostic.build());
    }
}
