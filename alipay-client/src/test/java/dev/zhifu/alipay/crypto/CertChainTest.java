package dev.zhifu.alipay.crypto;

import static dev.zhifu.fixtures.TestCertificates.CRL_SIGN;
import static dev.zhifu.fixtures.TestCertificates.DIGITAL_SIGNATURE;
import static dev.zhifu.fixtures.TestCertificates.KEY_CERT_SIGN;
import static dev.zhifu.fixtures.TestCertificates.KEY_ENCIPHERMENT;
import static dev.zhifu.fixtures.TestCertificates.certificate;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.alipay.Fixtures;
import dev.zhifu.fixtures.TestCertificates;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chain check that decides whether a downloaded certificate is Alipay's: the vectors' TEST hierarchy
 * (root R1, Class 1 CA for app certificates, Class 2 CA for Alipay's), plus certificates issued here.
 */
class CertChainTest {

    private static final Instant NOW = Instant.parse("2024-06-01T04:00:00Z");
    private static final String ALIPAY_SUBJECT = "CN=Alipay TEST forged,OU=Alipay,C=CN";

    private static final CertChain TEST_ROOTS =
            CertChain.ofRootBundle(Fixtures.resource("certs/alipayRootCert.crt"), "alipayRootCert.crt");
    private static final X509Certificate ROOT_R1 =
            PemCertificates.all(Fixtures.resource("certs/alipayRootCert.crt")).stream()
                    .filter(c -> c.getSubjectX500Principal().getName().contains("Authority R1"))
                    .findFirst()
                    .orElseThrow();
    private static final PrivateKey ROOT_R1_KEY = key("certs/ca/root_r1.key");
    private static final X509Certificate CLASS1 = cert("certs/ca/class1_ca.crt");
    private static final X509Certificate CLASS2 = cert("certs/ca/class2_ca.crt");
    private static final PrivateKey CLASS2_KEY = key("certs/ca/class2_ca.key");
    private static final X509Certificate APP_CERT = cert("certs/appCertPublicKey.crt");
    private static final KeyPair KEYS = TestCertificates.newKeyPair();

    @Test
    void alipayShapedChainsValidate() throws GeneralSecurityException {
        for (String file :
                List.of("certs/alipayCertPublicKey_RSA2.crt", "certs/alipayCertPublicKey_RSA2_rotated.crt")) {
            List<X509Certificate> certs = PemCertificates.all(Fixtures.resource(file));
            TEST_ROOTS.verify(certs.get(0), certs.subList(1, certs.size()), NOW);
        }
        // the sandbox issues Alipay certificates without any extension: still an end entity that may sign
        X509Certificate bare = certificate(ALIPAY_SUBJECT, KEYS.getPublic())
                .issuedBy(CLASS2, CLASS2_KEY)
                .build();
        TEST_ROOTS.verify(bare, List.of(CLASS2), NOW);
        // intermediates in any order, with strangers among them
        TEST_ROOTS.verify(bare, List.of(APP_CERT, CLASS1, CLASS2), NOW);
        // the real bundle (an SM2 root the JDK cannot read, skipped) is usable as a set of roots
        assertThatCode(() -> CertChain.ofRootBundle(Fixtures.resource("certs/real_alipayRootCert.crt"), "real"))
                .doesNotThrowAnyException();
    }

    @Test
    void aCertificateIssuedWithAMerchantsAppCertificateIsNotAlipays() {
        // every merchant holds the private key of its app certificate, issued under the Class 1 CA: a
        // certificate signed with it names a chain to Alipay's root, but an app certificate is no CA
        X509Certificate forged = certificate(ALIPAY_SUBJECT, KEYS.getPublic())
                .issuedBy(APP_CERT, Fixtures.appPrivateKey())
                .keyUsage(DIGITAL_SIGNATURE)
                .build();

        assertThatThrownBy(() -> TEST_ROOTS.verify(forged, List.of(APP_CERT, CLASS1), NOW))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining(APP_CERT.getSubjectX500Principal().getName())
                .hasMessageContaining("may not issue certificates");
    }

    @Test
    void anIssuerWithoutBasicConstraintsIsNotACa() {
        KeyPair issuerKeys = TestCertificates.newKeyPair();
        X509Certificate issuer = certificate("CN=TEST keyCertSign without cA", issuerKeys.getPublic())
                .issuedBy(ROOT_R1, ROOT_R1_KEY)
                .keyUsage(KEY_CERT_SIGN, CRL_SIGN)
                .build();
        X509Certificate leaf = certificate(ALIPAY_SUBJECT, KEYS.getPublic())
                .issuedBy(issuer, issuerKeys.getPrivate())
                .build();

        assertThatThrownBy(() -> TEST_ROOTS.verify(leaf, List.of(issuer), NOW))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("CN=TEST keyCertSign without cA")
                .hasMessageContaining("not a CA certificate");
    }

    @Test
    void aCaWhoseKeyUsageLacksKeyCertSignMayNotIssue() {
        KeyPair issuerKeys = TestCertificates.newKeyPair();
        X509Certificate issuer = certificate("CN=TEST cA without keyCertSign", issuerKeys.getPublic())
                .issuedBy(ROOT_R1, ROOT_R1_KEY)
                .ca(true)
                .keyUsage(DIGITAL_SIGNATURE)
                .build();
        X509Certificate leaf = certificate(ALIPAY_SUBJECT, KEYS.getPublic())
                .issuedBy(issuer, issuerKeys.getPrivate())
                .build();

        assertThatThrownBy(() -> TEST_ROOTS.verify(leaf, List.of(issuer), NOW))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("CN=TEST cA without keyCertSign")
                .hasMessageContaining("keyCertSign");
    }

    @Test
    void aCaCertificateIsNotAlipaysCertificate() {
        assertThatThrownBy(() -> TEST_ROOTS.verify(CLASS2, List.of(), NOW))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("is a CA certificate");
    }

    @Test
    void alipaysCertificateMustBeUsableForSignatures() {
        X509Certificate encryptionOnly = certificate(ALIPAY_SUBJECT, KEYS.getPublic())
                .issuedBy(CLASS2, CLASS2_KEY)
                .keyUsage(KEY_ENCIPHERMENT)
                .build();

        assertThatThrownBy(() -> TEST_ROOTS.verify(encryptionOnly, List.of(CLASS2), NOW))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("digitalSignature");
    }

    @Test
    void anExpiredOrNotYetValidCertificateIsRefused() {
        List<X509Certificate> certs = PemCertificates.all(Fixtures.resource("certs/alipayCertPublicKey_RSA2.crt"));
        X509Certificate leaf = certs.get(0);

        assertThatThrownBy(() -> TEST_ROOTS.verify(leaf, certs.subList(1, 2), Instant.parse("2050-01-01T00:00:00Z")))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("expired");
        assertThatThrownBy(() -> TEST_ROOTS.verify(leaf, certs.subList(1, 2), Instant.parse("2023-12-31T00:00:00Z")))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("not yet valid");
    }

    @Test
    void anExpiredIntermediateBreaksTheChain() throws GeneralSecurityException {
        KeyPair issuerKeys = TestCertificates.newKeyPair();
        X509Certificate shortLived = certificate("CN=TEST short-lived CA", issuerKeys.getPublic())
                .issuedBy(ROOT_R1, ROOT_R1_KEY)
                .ca(true)
                .keyUsage(KEY_CERT_SIGN, CRL_SIGN)
                .valid(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2030-01-01T00:00:00Z"))
                .build();
        X509Certificate leaf = certificate(ALIPAY_SUBJECT, KEYS.getPublic())
                .issuedBy(shortLived, issuerKeys.getPrivate())
                .build();

        TEST_ROOTS.verify(leaf, List.of(shortLived), Instant.parse("2029-01-01T00:00:00Z"));
        assertThatThrownBy(() -> TEST_ROOTS.verify(leaf, List.of(shortLived), Instant.parse("2031-01-01T00:00:00Z")))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("CN=TEST short-lived CA")
                .hasMessageContaining("expired");
    }

    @Test
    void anExpiredRootIsNotTrusted() throws GeneralSecurityException {
        KeyPair rootKeys = TestCertificates.newKeyPair();
        X509Certificate root = certificate("CN=TEST short-lived root", rootKeys.getPublic())
                .selfSigned(rootKeys.getPrivate())
                .ca(true)
                .keyUsage(KEY_CERT_SIGN, CRL_SIGN)
                .valid(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2030-01-01T00:00:00Z"))
                .build();
        X509Certificate leaf = certificate(ALIPAY_SUBJECT, KEYS.getPublic())
                .issuedBy(root, rootKeys.getPrivate())
                .build();
        CertChain chain = new CertChain(List.of(root));

        chain.verify(leaf, List.of(), Instant.parse("2029-01-01T00:00:00Z"));
        assertThatThrownBy(() -> chain.verify(leaf, List.of(), Instant.parse("2031-01-01T00:00:00Z")))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("CN=TEST short-lived root")
                .hasMessageContaining("2030-01-01T00:00:00Z");
    }

    @Test
    void aChainToAnotherRootIsRefused() {
        CertChain realRoots = CertChain.ofRootBundle(Fixtures.resource("certs/real_alipayRootCert.crt"), "real");
        List<X509Certificate> certs = PemCertificates.all(Fixtures.resource("certs/alipayCertPublicKey_RSA2.crt"));

        assertThatThrownBy(() -> realRoots.verify(certs.get(0), certs.subList(1, 2), NOW))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("no trusted issuer found for");
    }

    @Test
    void aTamperedSignatureIsRefused() {
        // right names, wrong key: the Class 2 CA's name on a certificate signed by someone else
        KeyPair impostor = TestCertificates.newKeyPair();
        X509Certificate leaf = certificate(ALIPAY_SUBJECT, KEYS.getPublic())
                .issuedBy(CLASS2, impostor.getPrivate())
                .build();

        assertThatThrownBy(() -> TEST_ROOTS.verify(leaf, List.of(CLASS2), NOW))
                .isInstanceOf(GeneralSecurityException.class);
    }

    private static X509Certificate cert(String path) {
        return PemCertificates.first(Fixtures.resource(path), path);
    }

    private static PrivateKey key(String path) {
        return AlipayKeys.privateKey(Fixtures.resource(path), path);
    }
}
