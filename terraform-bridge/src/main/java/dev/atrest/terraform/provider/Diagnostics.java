package dev.atrest.terraform.provider;

import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6;
import java.util.ArrayList;
import java.util.List;

/**
 * The errors and warnings one RPC returns to Terraform. Every problem a user can fix carries the path of
 * the attribute to fix, so Terraform points at the right line of their configuration.
 */
public final class Diagnostics {

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
