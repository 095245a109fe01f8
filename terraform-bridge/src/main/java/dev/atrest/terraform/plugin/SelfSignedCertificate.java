package dev.atrest.terraform.plugin;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Base64;

/**
 * A fresh certificate and key for one plugin run, shaped like go-plugin's own AutoMTLS certificate:
 * self-signed P-256 ECDSA, CN and SAN {@code localhost} (plus 127.0.0.1), key usage for signing and
 * key agreement, extended key usage serverAuth + clientAuth, and CA:true so Go accepts it as its own root.
 * The key lives only in memory for the life of the process.
 */
public record SelfSignedCertificate(X509Certificate certificate, PrivateKey privateKey) {

    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    private static final Duration LIFETIME = Duration.ofDays(30);

    public static SelfSignedCertificate generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            byte[] tbs = toBeSigned(keys, ZonedDateTime.now());
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keys.getPrivate());
            signer.update(tbs);
            byte[] der = Der.sequence(tbs, Der.sequence(Der.oid(ECDSA_WITH_SHA256)), Der.bitString(signer.sign()));
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            return new SelfSignedCertificate(certificate, keys.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the plugin's TLS certificate", e);
        }
    }

    /** DER, base64 without padding: the last field of the handshake line. */
    public String handshakeEncoding() {
        try {
            return Base64.getEncoder().withoutPadding().encodeToString(certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode the plugin's TLS certificate", e);
        }
    }

    private static byte[] toBeSigned(KeyPair keys, ZonedDateTime now) {
        byte[] name = Der.sequence(
                Der.tagged(Der.SET, Der.sequence(Der.oid("2.5.4.10"), Der.utf8("atrest"))),
                Der.tagged(Der.SET, Der.sequence(Der.oid("2.5.4.3"), Der.utf8("localhost"))));
        return Der.sequence(
                Der.tagged(0xa0, Der.integer(BigInteger.TWO)), // [0] version: v3
                Der.integer(new BigInteger(127, new SecureRandom())),
                Der.sequence(Der.oid(ECDSA_WITH_SHA256)),
                name,
                Der.sequence(Der.utcTime(now.minus(CLOCK_SKEW)), Der.utcTime(now.plus(LIFETIME))),
                name,
                keys.getPublic().getEncoded(), // already a DER SubjectPublicKeyInfo
                Der.tagged(0xa3, Der.sequence(basicConstraints(), keyUsage(), extendedKeyUsage(), subjectAltName())));
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical
                ? Der.sequence(Der.oid(oid), Der.bool(true), Der.tagged(Der.OCTET_STRING, value))
                : Der.sequence(Der.oid(oid), Der.tagged(Der.OCTET_STRING, value));
    }

    private static byte[] basicConstraints() {
        return extension("2.5.29.19", true, Der.sequence(Der.bool(true)));
    }

    /** digitalSignature(0), keyEncipherment(2), keyAgreement(4), keyCertSign(5): bits 1010 1100, 2 unused. */
    private static byte[] keyUsage() {
        return extension("2.5.29.15", true, Der.tagged(Der.BIT_STRING, new byte[] {2, (byte) 0xac}));
    }

    private static byte[] extendedKeyUsage() {
        return extension("2.5.29.37", false,
                Der.sequence(Der.oid("1.3.6.1.5.5.7.3.1"), Der.oid("1.3.6.1.5.5.7.3.2")));
    }

    /** dNSName [2] "localhost" and iPAddress [7] 127.0.0.1. */
    private static byte[] subjectAltName() {
        return extension("2.5.29.17", false, Der.sequence(
                Der.tagged(0x82, "localhost".getBytes(StandardCharsets.US_ASCII)),
                Der.tagged(0x87, new byte[] {127, 0, 0, 1})));
    }

    @Override
    public String toString() {
        return "SelfSignedCertificate[" + certificate.getSubjectX500Principal() + ", key hidden]";
    }
}
