package dev.atrest.terraform;

import dev.atrest.terraform.plugin.HandshakeRefused;
import dev.atrest.terraform.plugin.PluginProcess;
import dev.atrest.terraform.plugin.PluginServer;
import dev.atrest.terraform.plugin.StartupProperties;
import dev.atrest.terraform.plugin.StartupTrace;
import dev.atrest.terraform.plugin.StderrLogging;
import dev.atrest.terraform.provider.Catalog;
import dev.atrest.terraform.provider.ProviderService;
import dev.atrest.terraform.resources.AtrestCatalog;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Entry point Terraform/OpenTofu starts (through the launcher script) for every command. */
public final class Main {

    private Main() {
    }

    private static void startDaemon(Runnable task) {
        Thread thread = new Thread(task, "startup");
        thread.setDaemon(true);
        thread.start();
    }

    private static Catalog catalog() {
        Catalog catalog = AtrestCatalog.create();
        StartupTrace.mark("schemas built");
        return catalog;
    }

    public static void main(String[] args) throws InterruptedException {
        // Claim stdout before anything can print to it: go-plugin reads it for exactly one line.
        PrintStream handshakeOut = StderrLogging.takeStdout();
        StartupTrace.mark("main entered");
        StartupProperties.apply();
        Map<String, String> environment = System.getenv();
        StderrLogging.install(environment);
        PluginServer server;
        try {
            // Building the schemas (protobuf descriptors and all) does not depend on the handshake: run it
            // beside the TLS and server set-up, on its own thread (the common pool has one worker on two cores).
            CompletableFuture<Catalog> catalog = CompletableFuture.supplyAsync(Main::catalog, Main::startDaemon);
            server = PluginProcess.serve(environment, handshakeOut, List.of(new ProviderService(environment, catalog)));
        } catch (HandshakeRefused refused) {
            System.err.println(refused.getMessage());
            System.exit(1);
            return;
        }
        server.awaitShutdown();
        server.releaseNetwork();
        StartupTrace.mark("exiting");
        System.exit(0); // do not wait for idle threads or connections: Terraform is done with us
    }
}
