package dev.atrest.terraform.plugin;

/** The environment does not describe a Terraform/OpenTofu launch we can serve; the message is for humans. */
public final class HandshakeRefused extends Exception {
    public HandshakeRefused(String message) {
        super(message);
    }
}
