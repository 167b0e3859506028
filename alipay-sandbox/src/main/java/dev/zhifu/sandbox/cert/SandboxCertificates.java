package dev.zhifu.sandbox.cert;

import dev.zhifu.alipay.crypto.CertSn;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

/**
 * Certificate mode (docs/alipay-protocol.md#s7): the TEST root bundle, the sandbox's "Alipay" certificate (rotatable, every
 * issued one stays downloadable by SN) and the app certificates whose SN a request may name.
 */
public final class SandboxCertificates {

    private final TestCertificateAuthority alipayCa = TestCertificateAuthority.load("class2");
    private final TestCertificateAuthority appCa = TestCertificateAuthority.load("class1");
    private final String rootBundlePem = TestCertificateAuthority.resource("alipayRootCert.crt");
    private final String rootCertSn = CertSn.ofRootBundle(rootBundlePem, "sandbox root bundle");
    private final PublicKey alipayPublicKey;
    private final String sellerId;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, String> alipayCertsBySn = new LinkedHashMap<>();
    private final Map<String, X509Certificate> appCertsBySn = new LinkedHashMap<>();
    private final String appCertPem;
    private volatile String currentAlipayCertSn;

    public SandboxCertificates(
            PublicKey alipayPublicKey,
            PublicKey appPublicKey,
            String appId,
            String sellerId,
            X509Certificate extraAppCert) {
        this.alipayPublicKey = alipayPublicKey;
        this.sellerId = sellerId;
        X509Certificate appCert = appCa.issue(
                new X500Principal("CN=" + appId + " TEST,OU=Alipay,O=Sandbox Merchant TEST,C=CN"),
                appPublicKey,
                serial());
        appCertsBySn.put(CertSn.of(appCert), appCert);
        this.appCertPem = TestCertificateAuthority.pem(appCert) + appCa.certificatePem();
        if (extraAppCert != null) {
            appCertsBySn.put(CertSn.of(extraAppCert), extraAppCert);
        }
        rotate();
    }

    private BigInteger serial() {
        return new BigInteger(126, random).setBit(125);
    }

    /** Issues a new Alipay certificate for the same key with a new serial, hence a new {@code alipay_cert_sn}. */
    public synchronized String rotate() {
        X509Certificate cert = alipayCa.issue(
                new X500Principal("CN=Alipay Sandbox-" + sellerId + " TEST,OU=Alipay,O=Alipay Sandbox TEST,C=CN"),
                alipayPublicKey,
                serial());
        String sn = CertSn.of(cert);
        // the file Alipay hands out holds the leaf and its issuing CA, like alipayCertPublicKey_RSA2.crt
        alipayCertsBySn.put(sn, TestCertificateAuthority.pem(cert) + alipayCa.certificatePem());
        currentAlipayCertSn = sn;
        return sn;
    }

    public String alipayCertSn() {
        return currentAlipayCertSn;
    }

    /** PEM of the current Alipay certificate chain ({@code alipayCertPublicKey_RSA2.crt}). */
    public synchronized String alipayCertPem() {
        return alipayCertsBySn.get(currentAlipayCertSn);
    }

    /** PEM of an Alipay certificate ever issued, or {@code null}. */
    public synchronized String alipayCertPem(String sn) {
        return alipayCertsBySn.get(sn);
    }

    public String rootCertPem() {
        return rootBundlePem;
    }

    public String rootCertSn() {
        return rootCertSn;
    }

    /** PEM of the app certificate the sandbox issued for the app public key ({@code appCertPublicKey.crt}). */
    public String appCertPem() {
        return appCertPem;
    }

    /** Public key of the app certificate with that SN, or {@code null}. */
    public synchronized PublicKey appKey(String appCertSn) {
        X509Certificate cert = appCertsBySn.get(appCertSn);
        return cert == null ? null : cert.getPublicKey();
    }
}
