package dev.atrest.keyservice.access;

import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.domain.Caller;
import dev.atrest.keyservice.domain.UnauthenticatedException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Turns a TLS client certificate chain into a {@link Caller}. The TLS layer only asks for the chain
 * (see bootstrap/GrpcTls): it is checked here, with PKIX against the configured client CA at the
 * service's clock, so that an untrusted or expired certificate is refused like a bad token (UNAUTHENTICATED,
 * audited) instead of failing the handshake unexplained. The subject common name selects a grant from
 * {@code atrest.auth.certificates."<CN>"}.
 */
@ApplicationScoped
public class CertificateAuthenticator {
    private final Set<TrustAnchor> anchors;
    private final Map<String, Caller> grants = new HashMap<>();
    private final Clock clock;

    CertificateAuthenticator(AtrestConfig config, Clock clock) {
        this.clock = clock;
        this.anchors = config.tls().clientCaFile().map(CertificateAuthenticator::readAnchors).orElse(Set.of());
        config.auth().certificates().forEach((commonName, grant) -> grants.put(commonName, caller(commonName, grant)));
    }

    /** Whether the service asks callers for client certificates at all. */
    public boolean enabled() {
        return !anchors.isEmpty();
    }

    /** @param chain the peer's chain, its own certificate first */
    public Caller authenticate(X509Certificate[] chain) {
        if (!enabled()) {
            throw new UnauthenticatedException("client certificates are not accepted: no atrest.tls.client-ca-file");
        }
        try {
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(clock.instant()));
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(List.of(chain)), parameters);
        } catch (CertPathValidatorException invalid) {
            throw new UnauthenticatedException("client certificate " + subject(chain[0]) + " refused: "
                    + reason(invalid));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PKIX validation is unavailable", e);
        }
        String commonName = commonName(chain[0]);
        Caller caller = grants.get(commonName);
        if (caller == null) {
            throw new UnauthenticatedException("client certificate CN=" + commonName
                    + " is trusted but has no grant in atrest.auth.certificates");
        }
        return caller;
    }

    private static String reason(CertPathValidatorException invalid) {
        CertPathValidatorException.Reason reason = invalid.getReason();
        if (reason == CertPathValidatorException.BasicReason.EXPIRED) {
            return "expired";
        }
        if (reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
            return "not yet valid";
        }
        if (reason == PKIXReason.NO_TRUST_ANCHOR) {
            return "not issued by the configured client CA";
        }
        return "invalid (" + reason + ")";
    }

    private static Caller caller(String commonName, AtrestConfig.CertificateGrant grant) {
        boolean all = grant.projects().contains("*");
        return new Caller("certificate:" + commonName, Set.of(grant.role()),
                all ? Set.of() : Set.copyOf(grant.projects()), all);
    }

    static String commonName(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            throw new UnauthenticatedException("client certificate subject cannot be read");
        }
        throw new UnauthenticatedException("client certificate has no subject common name (CN)");
    }

    private static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }

    private static Set<TrustAnchor> readAnchors(Path caFile) {
        try (InputStream pem = Files.newInputStream(caFile)) {
            Set<TrustAnchor> anchors = CertificateFactory.getInstance("X.509").generateCertificates(pem).stream()
                    .map(certificate -> new TrustAnchor((X509Certificate) certificate, null))
                    .collect(Collectors.toUnmodifiableSet());
            if (anchors.isEmpty()) {
                throw new IllegalStateException("atrest.tls.client-ca-file " + caFile + " holds no certificate");
            }
            return anchors;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read atrest.tls.client-ca-file " + caFile, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("atrest.tls.client-ca-file " + caFile + " is not PEM certificates", e);
        }
    }
}
