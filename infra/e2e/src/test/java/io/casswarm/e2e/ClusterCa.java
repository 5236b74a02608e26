package io.casswarm.e2e;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * TLS as a client of edge sees it: trusting only the cluster CA ({@code infra/.secrets/ca.crt},
 * made by {@code infra/cluster up}), as the README tells API clients to, so a test that passes
 * has also checked edge's certificate and its names.
 */
final class ClusterCa {

    private ClusterCa() {
    }

    static Path certificate(Path root) {
        return root.resolve("infra/.secrets/ca.crt");
    }

    static SSLContext sslContext(Path root) {
        Path ca = certificate(root);
        try (InputStream in = Files.newInputStream(ca)) {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("casswarm-ca", certificate);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("no cluster CA at " + ca + ": run infra/cluster up first", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + ca, e);
        }
    }
}
