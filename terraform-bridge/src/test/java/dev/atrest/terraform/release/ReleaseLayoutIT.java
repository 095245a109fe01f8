package dev.atrest.terraform.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The registry release layout the package phase writes to target/release: what a private registry or a
 * provider network mirror serves, and what `terraform providers mirror` would have produced.
 */
class ReleaseLayoutIT {

    static final Path RELEASE = ProviderFileIT.REPO.resolve("terraform-bridge/target/release");
    static final String PREFIX = "terraform-provider-atrest_0.1.0";
    static final Path ZIP = RELEASE.resolve(PREFIX + "_linux_amd64.zip");

    @Test
    void sha256sums_listsZipAndManifest_withTheirDigests() throws Exception {
        Map<String, String> sums = sha256Sums();

        assertThat(sums).containsOnlyKeys(ZIP.getFileName().toString(), PREFIX + "_manifest.json");
        assertThat(sums.get(ZIP.getFileName().toString())).isEqualTo(sha256(ZIP));
        assertThat(sums.get(PREFIX + "_manifest.json")).isEqualTo(sha256(RELEASE.resolve(PREFIX + "_manifest.json")));
    }

    @Test
    void zip_holdsOnlyTheVersionedExecutable_identicalToTheMirrorsFile() throws Exception {
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            assertThat(zip.stream().map(ZipEntry::getName)).containsExactly("terraform-provider-atrest_v0.1.0");
            byte[] packed = zip.getInputStream(zip.getEntry("terraform-provider-atrest_v0.1.0")).readAllBytes();
            assertThat(packed).isEqualTo(Files.readAllBytes(ProviderFileIT.PROVIDER));
        }
    }

    @Test
    void manifest_declaresPluginProtocolSix() throws Exception {
        JsonObject manifest = JsonParser.parseString(Files.readString(RELEASE.resolve(PREFIX + "_manifest.json")))
                .getAsJsonObject();

        assertThat(manifest.get("version").getAsInt()).isEqualTo(1);
        assertThat(manifest.getAsJsonObject("metadata").getAsJsonArray("protocol_versions").toString())
                .isEqualTo("[\"6.0\"]");
    }

    @Test
    void networkMirror_indexAndVersion_pointAtTheZipWithItsZipHash() throws Exception {
        Path provider = RELEASE.resolve("network-mirror/registry.terraform.io/atrest/atrest");
        JsonObject index = JsonParser.parseString(Files.readString(provider.resolve("index.json"))).getAsJsonObject();
        JsonObject archive = JsonParser.parseString(Files.readString(provider.resolve("0.1.0.json"))).getAsJsonObject()
                .getAsJsonObject("archives").getAsJsonObject("linux_amd64");

        assertThat(index.getAsJsonObject("versions").keySet()).containsExactly("0.1.0");
        assertThat(archive.get("url").getAsString()).isEqualTo(ZIP.getFileName().toString());
        assertThat(archive.getAsJsonArray("hashes").get(0).getAsString()).isEqualTo("zh:" + sha256(ZIP));
        assertThat(sha256(provider.resolve(archive.get("url").getAsString()))).isEqualTo(sha256(ZIP));
    }

    /** File name to hex SHA-256, from the `sha256sum` format (digest, two spaces, name). */
    static Map<String, String> sha256Sums() throws Exception {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : Files.readAllLines(RELEASE.resolve(PREFIX + "_SHA256SUMS"))) {
            assertThat(line).matches("[0-9a-f]{64}  \\S+");
            sums.put(line.substring(66), line.substring(0, 64));
        }
        return sums;
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
