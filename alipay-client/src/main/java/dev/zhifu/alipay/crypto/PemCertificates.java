package dev.zhifu.alipay.crypto;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits PEM certificate files block by block. Alipay's real root bundle holds an SM2 root that the JDK
 * cannot parse, so {@code CertificateFactory.generateCertificates} on the whole file fails (docs/alipay-protocol.md#s7.2).
 */
public final class PemCertificates {

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", Pattern.DOTALL);

    private PemCertificates() {}

    /** One parsed block: the certificate, or {@code null} when the JDK cannot read it (e.g. SM2). */
    public record Block(String pem, X509Certificate certificate, String parseError) {}

    /** Every PEM block in file order, parsed where the JDK can. */
    public static List<Block> blocks(String pemText) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(pemText == null ? "" : pemText);
        CertificateFactory factory = factory();
        while (m.find()) {
            String pem = m.group();
            try {
                X509Certificate cert = (X509Certificate)
                        factory.generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
                blocks.add(new Block(pem, cert, null));
            } catch (CertificateException | RuntimeException e) {
                blocks.add(new Block(pem, null, String.valueOf(e.getMessage())));
            }
        }
        return blocks;
    }

    /** The readable certificates, in file order. */
    public static List<X509Certificate> all(String pemText) {
        List<X509Certificate> certs = new ArrayList<>();
        for (Block b : blocks(pemText)) {
            if (b.certificate() != null) {
                certs.add(b.certificate());
            }
        }
        return certs;
    }

    /** The first certificate of a file (Alipay's cert files also carry the issuing CA after it). */
    public static X509Certificate first(String pemText, String what) {
        List<Block> blocks = blocks(pemText);
        if (blocks.isEmpty()) {
            throw new KeyMaterialException(what + ": holds no PEM certificate");
        }
        Block first = blocks.get(0);
        if (first.certificate() == null) {
            throw new KeyMaterialException(what + ": the first certificate cannot be read: " + first.parseError());
        }
        return first.certificate();
    }

    private static CertificateFactory factory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("X.509 is not available in this JDK", e);
        }
    }
}
