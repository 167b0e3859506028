package dev.zhifu.sandbox.cert;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.crypto.PemCertificates;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.security.auth.x500.X500Principal;

/**
 * One of the TEST-ONLY intermediate CAs of the protocol vectors (resources {@code testca/}), able to issue
 * RSA certificates without BouncyCastle: the TBSCertificate is written as DER by hand (X.509 v3, no
 * extensions, sha256WithRSA), valid 2024-01-01 to 2049-12-31 like the vector certificates.
 */
public final class TestCertificateAuthority {

    private static final byte[] SHA256_WITH_RSA = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00
    };

    private final X509Certificate certificate;
    private final String certificatePem;
    private final PrivateKey key;

    private TestCertificateAuthority(String certificatePem, PrivateKey key) {
        this.certificatePem = certificatePem;
        this.certificate = PemCertificates.first(certificatePem, "test CA certificate");
        this.key = key;
    }

    /** {@code class1} issues app certificates, {@code class2} Alipay certificates (as in the vectors). */
    public static TestCertificateAuthority load(String name) {
        return new TestCertificateAuthority(
                resource(name + "_ca.crt"), AlipayKeys.privateKey(resource(name + "_ca.key"), "test CA key " + name));
    }

    static String resource(String name) {
        try (InputStream in = TestCertificateAuthority.class.getResourceAsStream("/dev/zhifu/sandbox/testca/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource testca/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String certificatePem() {
        return certificatePem;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Issues a certificate for {@code publicKey} with the given subject and serial. */
    public X509Certificate issue(X500Principal subject, PublicKey publicKey, BigInteger serial) {
        byte[] tbs = seq(
                tagged(0xa0, integer(BigInteger.TWO)),
                integer(serial),
                SHA256_WITH_RSA,
                certificate.getSubjectX500Principal().getEncoded(),
                seq(time("240101000000Z"), time("491231235959Z")),
                subject.getEncoded(),
                publicKey.getEncoded());
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(key);
            signer.update(tbs);
            byte[] signature = signer.sign();
            byte[] bitString = new byte[signature.length + 1];
            System.arraycopy(signature, 0, bitString, 1, signature.length);
            byte[] der = seq(tbs, SHA256_WITH_RSA, tagged(0x03, bitString));
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue a test certificate", e);
        }
    }

    public static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] time(String utc) {
        return tagged(0x17, utc.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] integer(BigInteger value) {
        return tagged(0x02, value.toByteArray());
    }

    private static byte[] seq(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        return tagged(0x30, content.toByteArray());
    }

    private static byte[] tagged(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
