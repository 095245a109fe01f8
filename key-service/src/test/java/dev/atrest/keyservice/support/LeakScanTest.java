package dev.atrest.keyservice.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeakScanTest {
    private static final byte[] KEY = HexFormat.of().parseHex("8f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0");

    @TempDir
    Path dir;

    @Test
    void scan_keyInRawBytesHexAndBase64_everyFormFound() throws IOException {
        byte[] page = new byte[16384];
        System.arraycopy(KEY, 0, page, 9000, KEY.length);
        Files.write(dir.resolve("ibdata1"), page);
        Files.writeString(dir.resolve("service.log"), "DEBUG key=" + HexFormat.of().formatHex(KEY) + "\n"
                + "INFO released " + Base64.getEncoder().encodeToString(KEY) + " to caller\n");
        Files.writeString(dir.resolve("dump.sql"), "INSERT VALUES (0x" + HexFormat.of().withUpperCase().formatHex(KEY) + ");");

        LeakScan scan = new LeakScan();
        scan.addCanary("database key", KEY);
        scan.scanTree(dir);

        assertThat(scan.hits()).hasSize(4)
                .anyMatch(hit -> hit.contains("(raw)") && hit.contains("ibdata1 at byte 9000"))
                .anyMatch(hit -> hit.contains("(hex)") && hit.contains("service.log"))
                .anyMatch(hit -> hit.contains("(base64)") && hit.contains("service.log"))
                .anyMatch(hit -> hit.contains("(HEX)") && hit.contains("dump.sql"));
        assertThat(scan.summary()).doesNotContain(HexFormat.of().formatHex(KEY))
                .doesNotContain(Base64.getEncoder().encodeToString(KEY));
    }

    @Test
    void scan_otherBytesAndSkippedFiles_noHit() throws IOException {
        byte[] almost = KEY.clone();
        almost[31] ^= 1;
        Files.write(dir.resolve("ibdata1"), almost);
        Files.createDirectories(dir.resolve("leak-canaries"));
        Files.writeString(dir.resolve("leak-canaries/1.txt"), "database key\t" + Base64.getEncoder().encodeToString(KEY));
        Files.writeString(dir.resolve("bootstrap-admin-token"), "atrest_abcdefghijklmnopqrstuvwxyz", StandardCharsets.US_ASCII);

        LeakScan scan = new LeakScan();
        scan.loadCanaries(dir.resolve("leak-canaries"));
        scan.addCanary("token", "atrest_abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII));
        scan.scanTree(dir);

        assertThat(scan.hits()).isEmpty();
        assertThat(scan.summary()).contains("2 canaries");
    }

    @Test
    void scan_terraformInputSecret_allowedInConfigurationAndStateOnly() throws IOException {
        String secret = "acc-secret-5b0c7f0e-1d2a-4c3b-9e8f";
        Files.writeString(dir.resolve("terraform.tfstate"), "{\"secret_access_key\": \"" + secret + "\"}");
        Files.writeString(dir.resolve("credentials.auto.tfvars"), "secret_access_key = \"" + secret + "\"\n");
        Files.writeString(dir.resolve("tofu.log"), "provider said " + secret);

        LeakScan scan = new LeakScan();
        scan.addCanary("terraform input secret_access_key", secret.getBytes(StandardCharsets.US_ASCII));
        scan.addCanary("database key", KEY);
        Files.write(dir.resolve("terraform.tfstate.backup"), KEY);
        scan.scanTree(dir);

        assertThat(scan.hits()).hasSize(2)
                .anyMatch(hit -> hit.startsWith("terraform input secret_access_key (raw) in") && hit.contains("tofu.log"))
                .anyMatch(hit -> hit.startsWith("database key (raw) in") && hit.contains("terraform.tfstate.backup"));
    }
}
