package dev.atrest.keyservice.support;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP link between the service and moto that a test can cut and restore. KMS must become
 * unreachable without losing its keys: moto keeps them in memory, so stopping it would forget every
 * CMK, and the endpoint override is service-wide configuration that cannot change while the shared
 * test application runs. While cut, connections are accepted and closed at once (the service sees a
 * network failure quickly, as with a dropped connection), and the connections already open are closed.
 */
public final class KmsLink implements Closeable {
    private final ServerSocket server;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;

    private KmsLink(ServerSocket server, int targetPort) {
        this.server = server;
        this.targetPort = targetPort;
    }

    static KmsLink to(int targetPort) throws IOException {
        KmsLink link = new KmsLink(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), targetPort);
        daemon("kms-link-accept", link::acceptAll);
        return link;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** From now on KMS cannot be reached through this link. */
    public void cut() {
        cut = true;
        open.forEach(KmsLink::closeQuietly);
        open.clear();
    }

    public void restore() {
        cut = false;
    }

    @Override
    public void close() {
        closeQuietly(server);
        cut();
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(upstream);
                daemon("kms-link-up", () -> pump(client, upstream));
                daemon("kms-link-down", () -> pump(upstream, client));
            } catch (IOException e) {
                // the server socket closed (test run over), or moto refused: the client sees a failure
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // either side closed or the link was cut
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
