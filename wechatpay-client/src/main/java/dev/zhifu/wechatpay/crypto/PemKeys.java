package dev.zhifu.wechatpay.crypto;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads the key material WeChat Pay hands out: the merchant's {@code apiclient_key.pem} (PKCS#8), the WeChat Pay
 * public key ({@code pub_key.pem}, SubjectPublicKeyInfo) and platform certificates (X.509), as PEM or as bare
 * Base64. Only RSA keys of at least 2048 bits are accepted (docs/wechatpay-protocol.md#s2).
 */
public final class PemKeys {

    private static final Pattern PEM_ARMOUR = Pattern.compile("-----(BEGIN|END) [A-Z0-9 ]+-----");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");
    private static final int MIN_BITS = 2048;

    private PemKeys() {}

    /** @throws KeyMaterialException when {@code text} is not an RSA private key in PKCS#8 */
    public static PrivateKey privateKey(String text) {
        if (text != null && text.contains("BEGIN RSA PRIVATE KEY")) {
            throw new KeyMaterialException("PKCS#1 private key: convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt)"
                    + ", the form WeChat Pay issues apiclient_key.pem in");
        }
        byte[] der = der(text, "private key");
        try {
            return checkSize(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new KeyMaterialException("not an RSA private key in PKCS#8", e);
        }
    }

    /** @throws KeyMaterialException when {@code text} is not an RSA public key (SubjectPublicKeyInfo) */
    public static PublicKey publicKey(String text) {
        if (text != null && text.contains("BEGIN CERTIFICATE")) {
            return certificate(text).getPublicKey();
        }
        byte[] der = der(text, "public key");
        try {
            return checkSize(KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der)));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new KeyMaterialException("not an RSA public key (SubjectPublicKeyInfo)", e);
        }
    }

    /** @throws KeyMaterialException when {@code text} is not one X.509 certificate with an RSA key */
    public static X509Certificate certificate(String text) {
        byte[] der = der(text, "certificate");
        try {
            X509Certificate certificate = (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
            checkSize(certificate.getPublicKey());
            return certificate;
        } catch (CertificateException | RuntimeException e) {
            if (e instanceof KeyMaterialException k) {
                throw k;
            }
            throw new KeyMaterialException("not an X.509 certificate", e);
        }
    }

    /** The serial number as WeChat Pay writes it: upper-case hexadecimal, no leading zeros. */
    public static String serialNumber(X509Certificate certificate) {
        return serialNumber(certificate.getSerialNumber());
    }

    static String serialNumber(BigInteger serial) {
        return serial.toString(16).toUpperCase(Locale.ROOT);
    }

    private static <K extends java.security.Key> K checkSize(K key) {
        if (!(key instanceof RSAKey rsa)) {
            throw new KeyMaterialException("not an RSA key: " + key.getAlgorithm());
        }
        if (rsa.getModulus().bitLength() < MIN_BITS) {
            throw new KeyMaterialException(
                    "RSA key of " + rsa.getModulus().bitLength() + " bits; at least " + MIN_BITS + " are required");
        }
        return key;
    }

    private static byte[] der(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new KeyMaterialException("no " + what + " text");
        }
        String body = PEM_ARMOUR.matcher(text).replaceAll("").replaceAll("\\s+", "");
        if (PEM_ARMOUR.matcher(text).results().count() > 2) {
            throw new KeyMaterialException("more than one PEM block where one " + what + " was expected");
        }
        if (!BASE64.matcher(body).matches()) {
            throw new KeyMaterialException(what + " is neither PEM nor Base64");
        }
        try {
            return Base64.getDecoder().decode(body.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new KeyMaterialException(what + " is not valid Base64", e);
        }
    }
}
