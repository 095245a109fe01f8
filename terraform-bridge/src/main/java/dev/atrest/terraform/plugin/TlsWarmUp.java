package dev.atrest.terraform.plugin;

import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.logging.Logger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * One TLS mutual handshake between two in-memory engines, run on a spare thread while the main thread
 * starts the server. Terraform connects the moment it reads the handshake line, and the first handshake of
 * a JVM is slow for reasons that have nothing to do with the peer: the JDK's handshake classes are
 * initialised and its EC arithmetic runs interpreted. That cost (a quarter to half a second here) then
 * overlapped nothing; done here, it overlaps the server start-up on the second core.
 */
final class TlsWarmUp {

    private static final Logger LOG = Logger.getLogger(TlsWarmUp.class.getName());
    private static final int MAX_STEPS = 64;

    private TlsWarmUp() {
    }

    static void startInBackground(SelfSignedCertificate own) {
        Thread thread = new Thread(() -> run(own), "tls-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    /**
     * Both sides present and trust {@code own}, so the handshake runs to completion as Terraform's will.
     * Returns whether it did.
     */
    static boolean run(SelfSignedCertificate own) {
        try {
            SSLEngine server = serverContext(own).createSSLEngine();
            server.setUseClientMode(false);
            server.setNeedClientAuth(true);
            SSLEngine client = clientContext(own).createSSLEngine("localhost", 0);
            client.setUseClientMode(true);
            handshake(client, server);
            StartupTrace.mark("TLS warmed up");
            return done(client) && done(server);
        } catch (Exception | AssertionError e) { // only a warm-up: the real handshake reports real problems
            LOG.finest(() -> "TLS warm-up stopped early: " + e);
            return false;
        }
    }

    /** The real server side: what Terraform's connection will use. */
    private static SSLContext serverContext(SelfSignedCertificate own) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {new SingleKeyManager(own)},
                new TrustManager[] {new SingleCertificateTrust(own.certificate())}, null);
        return context;
    }

    /** A client that presents {@code own} too and trusts exactly it (a key store of one trusted entry). */
    private static SSLContext clientContext(SelfSignedCertificate own) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("plugin", own.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {new ClientKey(own)}, trust.getTrustManagers(), null);
        return context;
    }

    /** Presents {@code own} as a client certificate (SingleKeyManager serves only). */
    private static final class ClientKey extends X509ExtendedKeyManager {

        private static final String ALIAS = "warm-up";
        private final SelfSignedCertificate own;

        ClientKey(SelfSignedCertificate own) {
            this.own = own;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[0];
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return new X509Certificate[] {own.certificate()};
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return own.privateKey();
        }
    }

    private static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
        int packet = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        int application = Math.max(client.getSession().getApplicationBufferSize(),
                server.getSession().getApplicationBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(packet);
        ByteBuffer toClient = ByteBuffer.allocate(packet);
        ByteBuffer sink = ByteBuffer.allocate(application);
        ByteBuffer empty = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int step = 0; step < MAX_STEPS && !(done(client) && done(server)); step++) {
            client.wrap(empty, toServer);
            toServer.flip();
            server.unwrap(toServer, sink);
            toServer.compact();
            runTasks(server);
            server.wrap(empty, toClient);
            toClient.flip();
            client.unwrap(toClient, sink);
            toClient.compact();
            runTasks(client);
            sink.clear();
        }
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.FINISHED || status == HandshakeStatus.NOT_HANDSHAKING;
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }
}
