package dev.atrest.terraform.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6;
import dev.atrest.terraform.wire.Unknown;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufAllocator;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderSettingsTest {

    private static final String TOKEN = "atrest_" + "a".repeat(43);

    @TempDir
    Path folder;

    @Test
    void resolve_tokenOnlyInEnvironment_usesEnvironment() {
        Diagnostics diagnostics = new Diagnostics();

        ProviderSettings settings = ProviderSettings.resolve(Map.of(), Map.of("ATREST_TOKEN", TOKEN), diagnostics);

        assertThat(settings.token()).isEqualTo(TOKEN);
        assertThat(diagnostics.asList()).isEmpty();
    }

    @Test
    void resolve_tokenInBlockAndEnvironment_blockWins() {
        ProviderSettings settings = ProviderSettings.resolve(Map.of("token", TOKEN),
                Map.of("ATREST_TOKEN", "atrest_other"), new Diagnostics());

        assertThat(settings.token()).isEqualTo(TOKEN);
    }

    @Test
    void resolve_tokenWithSpace_errorOnTokenWithoutItsValue() {
        Diagnostics diagnostics = new Diagnostics();

        ProviderSettings.resolve(Map.of("token", "atrest_abc def"), Map.of(), diagnostics);

        assertThat(errorPaths(diagnostics)).containsExactly("token");
        assertThat(diagnostics.asList().get(0).getDetail()).doesNotContain("atrest_abc");
    }

    @Test
    void resolve_endpointUnknownAtPlan_errorOnEndpointInsteadOfFallingBackToTheEnvironment() {
        Diagnostics diagnostics = new Diagnostics();

        ProviderSettings.resolve(Map.of("endpoint", Unknown.VALUE), Map.of("ATREST_ENDPOINT", "elsewhere:9090"),
                diagnostics);

        assertThat(errorPaths(diagnostics)).containsExactly("endpoint");
        assertThat(diagnostics.asList().get(0).getSummary()).isEqualTo("endpoint not known at plan");
    }

    @Test
    void resolve_endpointOfAMegabyte_errorQuotesAnExcerpt() {
        Diagnostics diagnostics = new Diagnostics();

        ProviderSettings.resolve(Map.of("endpoint", "h".repeat(1 << 20)), Map.of(), diagnostics);

        assertThat(errorPaths(diagnostics)).containsExactly("endpoint");
        assertThat(diagnostics.asList().get(0).getDetail()).hasSizeLessThan(200).endsWith("(1048576 characters)");
    }

    @Test
    void resolve_tokenInPlaintextToRemoteHost_warns() {
        Diagnostics diagnostics = new Diagnostics();

        ProviderSettings.resolve(Map.of("token", TOKEN, "endpoint", "keys.example.com:9090"), Map.of(), diagnostics);

        assertThat(diagnostics.hasErrors()).isFalse();
        assertThat(diagnostics.asList()).extracting(Tfplugin6.Diagnostic::getSummary)
                .containsExactly("token sent without TLS");
    }

    @Test
    void resolve_missingCaFile_errorOnCaCertificateFile() {
        Diagnostics diagnostics = new Diagnostics();

        ProviderSettings.resolve(Map.of("ca_certificate_file", folder.resolve("absent.pem").toString()), Map.of(),
                diagnostics);

        assertThat(errorPaths(diagnostics)).containsExactly("ca_certificate_file");
    }

    @Test
    void resolve_certificateWithoutKey_errorOnClientCertificateFile() throws Exception {
        PemFiles server = PemFiles.write(folder, "server");
        Diagnostics diagnostics = new Diagnostics();

        ProviderSettings.resolve(Map.of("ca_certificate_file", server.certificate().toString(),
                "client_certificate_file", server.certificate().toString()), Map.of(), diagnostics);

        assertThat(errorPaths(diagnostics)).containsExactly("client_certificate_file");
    }

    @Test
    void resolve_certificateWithoutCa_errorOnClientCertificateFile() throws Exception {
        PemFiles client = PemFiles.write(folder, "client");
        Diagnostics diagnostics = new Diagnostics();

        ProviderSettings.resolve(Map.of("client_certificate_file", client.certificate().toString(),
                "client_key_file", client.key().toString()), Map.of(), diagnostics);

        assertThat(errorPaths(diagnostics)).containsExactly("client_certificate_file");
    }

    @Test
    void tlsContext_caFileNotPem_errorOnCaCertificateFile() throws Exception {
        Path notPem = Files.writeString(folder.resolve("ca.pem"), "not a certificate");
        Diagnostics diagnostics = new Diagnostics();

        ProviderSettings settings = ProviderSettings.resolve(Map.of("ca_certificate_file", notPem.toString()),
                Map.of(), diagnostics);

        assertThat(ClientTls.context(settings, diagnostics)).isNull();
        assertThat(errorPaths(diagnostics)).containsExactly("ca_certificate_file");
    }

    @Test
    void tlsContext_keyFileHoldsCertificate_errorOnClientKeyFile() throws Exception {
        PemFiles client = PemFiles.write(folder, "client");
        Diagnostics diagnostics = new Diagnostics();

        ProviderSettings settings = ProviderSettings.resolve(Map.of(
                "ca_certificate_file", client.certificate().toString(),
                "client_certificate_file", client.certificate().toString(),
                "client_key_file", client.certificate().toString()), Map.of(), diagnostics);

        assertThat(ClientTls.context(settings, diagnostics)).isNull();
        assertThat(errorPaths(diagnostics)).containsExactly("client_key_file");
    }

    @Test
    void tlsContext_validFiles_buildsContext() throws Exception {
        PemFiles client = PemFiles.write(folder, "client");
        Diagnostics diagnostics = new Diagnostics();

        ProviderSettings settings = ProviderSettings.resolve(Map.of(
                "ca_certificate_file", client.certificate().toString(),
                "client_certificate_file", client.certificate().toString(),
                "client_key_file", client.key().toString()), Map.of(), diagnostics);

        SslContext context = ClientTls.context(settings, diagnostics);

        assertThat(diagnostics.asList()).isEmpty();
        assertThat(context.isClient()).as("a client context").isTrue();
        // gRPC over TLS needs HTTP/2 agreed by ALPN: a context without it fails at the first call, not here.
        assertThat(context.applicationProtocolNegotiator().protocols()).containsExactly("h2");
        assertThat(context.newEngine(ByteBufAllocator.DEFAULT).getUseClientMode()).isTrue();
    }

    @Test
    void toString_tokenSet_doesNotShowIt() {
        ProviderSettings settings = ProviderSettings.resolve(Map.of("token", TOKEN), Map.of(), new Diagnostics());

        assertThat(settings.toString()).doesNotContain(TOKEN).contains("token=set");
    }

    private static java.util.List<String> errorPaths(Diagnostics diagnostics) {
        return diagnostics.asList().stream()
                .filter(d -> d.getSeverity() == Tfplugin6.Diagnostic.Severity.ERROR)
                .map(d -> AttributePaths.dotted(d.getAttribute())).toList();
    }
}
