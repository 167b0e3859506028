package dev.zhifu.alipay.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.StringJoiner;

/** Certificate serial numbers as Alipay computes them (docs/alipay-protocol.md#s7.1, #s7.2). */
public final class CertSn {

    private static final String RSA_FAMILY_OID = "1.2.840.113549.1.1";

    private CertSn() {}

    /** {@code md5(issuerDN(RFC 2253) + serial in decimal)} as 32 lower-case hex digits. */
    public static String of(X509Certificate certificate) {
        String input = certificate.getIssuerX500Principal().getName() + certificate.getSerialNumber();
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(input.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md5); // always 32 digits: leading zeros kept
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available in this JDK", e);
        }
    }

    /** SN of the first certificate in a PEM file. */
    public static String ofFirst(String pemText, String what) {
        return of(PemCertificates.first(pemText, what));
    }

    /**
     * {@code alipay_root_cert_sn}: the SNs of the RSA-family roots of the bundle, in file order, joined by
     * {@code _}. Blocks the JDK cannot parse (the SM2 root) are not RSA and are skipped.
     */
    public static String ofRootBundle(String pemText, String what) {
        StringJoiner sns = new StringJoiner("_");
        int counted = 0;
        for (PemCertificates.Block block : PemCertificates.blocks(pemText)) {
            X509Certificate cert = block.certificate();
            if (cert != null && cert.getSigAlgOID().startsWith(RSA_FAMILY_OID)) {
                sns.add(of(cert));
                counted++;
            }
        }
        if (counted == 0) {
            throw new KeyMaterialException(what + ": holds no RSA root certificate");
        }
        return sns.toString();
    }
}
