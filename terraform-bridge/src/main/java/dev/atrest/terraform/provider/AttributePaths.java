package dev.atrest.terraform.provider;

import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6;

/** Attribute paths from their dotted form: {@code "aws_kms_config.role_arn"}. */
public final class AttributePaths {

    private AttributePaths() {
    }

    public static Tfplugin6.AttributePath of(String dotted) {
        Tfplugin6.AttributePath.Builder path = Tfplugin6.AttributePath.newBuilder();
        for (String name : dotted.split("\\.")) {
            if (!name.isEmpty()) {
                path.addSteps(Tfplugin6.AttributePath.Step.newBuilder().setAttributeName(name));
            }
        }
        return path.build();
    }

    public static String dotted(Tfplugin6.AttributePath path) {
        StringBuilder dotted = new StringBuilder();
        for (Tfplugin6.AttributePath.Step step : path.getStepsList()) {
            if (dotted.length() > 0) {
                dotted.append('.');
            }
            dotted.append(step.getAttributeName());
        }
        return dotted.toString();
    }
}
