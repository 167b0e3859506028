package dev.zhifu.alipay;

import dev.zhifu.alipay.crypto.AesContent;
import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.crypto.AlipaySigner;
import dev.zhifu.alipay.crypto.AlipayVerifier;
import dev.zhifu.alipay.crypto.CertChain;
import dev.zhifu.alipay.crypto.CertSn;
import dev.zhifu.alipay.crypto.KeyMaterialException;
import dev.zhifu.alipay.crypto.PemCertificates;
import dev.zhifu.alipay.crypto.RsaProvider;
import dev.zhifu.alipay.crypto.SignType;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed key material of one {@link AlipayConfig}: the app's private key, the Alipay keys that answers and
 * notifications are verified with (public keys, or certificates by SN), the AES content key and the RSA provider.
 * Package-private so that keys never appear on the client's public surface; the configuration takes their text.
 */
final class ClientKeys {

    /** Certificate mode material, parsed: the SNs to send and the Alipay certificates by SN. */
    record CertificateMode(
            String appCertSn, String rootCertSn, Map<String, PublicKey> alipayKeysBySn, CertChain rootChain) {}

    private final PrivateKey appPrivateKey;
    private final PublicKey appPublicKey;
    private final List<PublicKey> alipayPublicKeys;
    private final CertificateMode certificateMode;
    private final AesContent encryption;
    private final RsaProvider rsaProvider;
    private final SignType verifySignType;

    /**
     * Checks the key settings together, in the order a person fixes them: the app key, then the mode (public key or
     * certificates), then the AES key.
     *
     * @throws IllegalArgumentException naming the setting that is missing or wrong
     */
    ClientKeys(
            PrivateKey appPrivateKey,
            List<PublicKey> alipayPublicKeys,
            String appCertPem,
            List<String> alipayCertPems,
            String alipayRootCertPem,
            String encryptKey,
            RsaProvider rsaProvider,
            SignType verifySignType) {
        if (appPrivateKey == null) {
            throw new IllegalArgumentException("appPrivateKey: required (the app's RSA2 private key)");
        }
        this.appPrivateKey = appPrivateKey;
        this.appPublicKey = safePublicOf(appPrivateKey);
        boolean certs = appCertPem != null || !alipayCertPems.isEmpty() || alipayRootCertPem != null;
        if (certs && !alipayPublicKeys.isEmpty()) {
            throw new IllegalArgumentException(
                    "alipayPublicKey and certificates both set: choose public-key mode or certificate mode");
        }
        if (certs) {
            this.certificateMode = certificateMode(appCertPem, alipayCertPems, alipayRootCertPem);
            this.alipayPublicKeys = List.of();
        } else {
            if (alipayPublicKeys.isEmpty()) {
                throw new IllegalArgumentException("alipayPublicKey: required to verify Alipay's answers "
                        + "(or configure certificate mode: appCert, alipayCert, alipayRootCert)");
            }
            for (PublicKey key : alipayPublicKeys) {
                if (appPublicKey != null && appPublicKey.equals(key)) {
                    throw new IllegalArgumentException("alipayPublicKey: this is the app's own public key (应用公钥); "
                            + "use the Alipay public key (支付宝公钥) shown in the console");
                }
            }
            this.alipayPublicKeys = List.copyOf(alipayPublicKeys);
            this.certificateMode = null;
        }
        this.encryption = encryptKey == null ? null : new AesContent(encryptKey, "encryptKey");
        this.rsaProvider = rsaProvider;
        this.verifySignType = verifySignType;
    }

    private CertificateMode certificateMode(String appCertPem, List<String> alipayCertPems, String alipayRootCertPem) {
        if (appCertPem == null || alipayCertPems.isEmpty() || alipayRootCertPem == null) {
            List<String> missing = new ArrayList<>();
            if (appCertPem == null) {
                missing.add("appCert");
            }
            if (alipayCertPems.isEmpty()) {
                missing.add("alipayCert");
            }
            if (alipayRootCertPem == null) {
                missing.add("alipayRootCert");
            }
            throw new IllegalArgumentException("certificate mode needs appCert, alipayCert and alipayRootCert; "
                    + "missing: " + String.join(", ", missing));
        }
        X509Certificate appCert = PemCertificates.first(appCertPem, "appCert");
        if (appPublicKey != null && !appPublicKey.equals(appCert.getPublicKey())) {
            throw new IllegalArgumentException("appCert: its public key does not match appPrivateKey");
        }
        String rootSn = CertSn.ofRootBundle(alipayRootCertPem, "alipayRootCert");
        CertChain chain = CertChain.ofRootBundle(alipayRootCertPem, "alipayRootCert");
        Map<String, PublicKey> bySn = new LinkedHashMap<>();
        for (String pem : alipayCertPems) {
            X509Certificate cert = PemCertificates.first(pem, "alipayCert");
            bySn.put(CertSn.of(cert), cert.getPublicKey());
        }
        return new CertificateMode(CertSn.of(appCert), rootSn, Map.copyOf(bySn), chain);
    }

    private static PublicKey safePublicOf(PrivateKey key) {
        try {
            return AlipayKeys.publicKeyOf(key);
        } catch (KeyMaterialException e) {
            return null;
        }
    }

    /** The signer of every request (always RSA2). */
    AlipaySigner appSigner() {
        return new AlipaySigner(appPrivateKey, SignType.RSA2, rsaProvider);
    }

    /** A verifier of Alipay's signatures with {@code key}, in the configured algorithm. */
    AlipayVerifier verifier(PublicKey key) {
        return new AlipayVerifier(key, verifySignType, rsaProvider);
    }

    /** Public-key mode: every Alipay public key accepted (several during a key change); empty in cert mode. */
    List<PublicKey> alipayPublicKeys() {
        return alipayPublicKeys;
    }

    /** Certificate mode material, or null in public-key mode. */
    CertificateMode certificateMode() {
        return certificateMode;
    }

    /** Whether {@code key} is the public half of the app's own key (null when that half is unknown). */
    boolean isAppKey(PublicKey key) {
        return appPublicKey != null && appPublicKey.equals(key);
    }

    /** The AES content key, or null when {@code encrypt_type=AES} is off. */
    AesContent encryption() {
        return encryption;
    }

    RsaProvider rsaProvider() {
        return rsaProvider;
    }
}
