package dev.atrest.terraform.provider;

import dev.atrest.terraform.plugin.SelfSignedCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;

/** A fresh self-signed certificate (CN/SAN localhost and 127.0.0.1) and its key, as PEM files in a folder. */
record PemFiles(SelfSignedCertificate identity, Path certificate, Path key) {

    static PemFiles write(Path folder, String name) throws IOException, GeneralSecurityException {
        SelfSignedCertificate identity = SelfSignedCertificate.generate();
        Path certificate = Files.writeString(folder.resolve(name + ".crt"),
                pem("CERTIFICATE", identity.certificate().getEncoded()));
        Path key = Files.writeString(folder.resolve(name + ".key"),
                pem("PRIVATE KEY", identity.privateKey().getEncoded()));
        return new PemFiles(identity, certificate, key);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
