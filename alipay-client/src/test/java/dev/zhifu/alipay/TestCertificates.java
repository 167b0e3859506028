package dev.zhifu.alipay;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import javax.security.auth.x500.X500Principal;

/**
 * Issues X.509 v3 certificates with the JDK alone, for chain tests that the fixed vectors cannot cover (a
 * certificate issued by a leaf, a CA without keyCertSign, expired intermediates). The DER is written by
 * hand: sha256WithRSA, optional basicConstraints and keyUsage, both critical as in the vector certificates.
 */
public final class TestCertificates {

    public static final int DIGITAL_SIGNATURE = 0;
    public static final int KEY_ENCIPHERMENT = 2;
    public static final int KEY_CERT_SIGN = 5;
    public static final int CRL_SIGN = 6;

    private static final byte[] SHA256_WITH_RSA = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00};
    private static final byte[] BASIC_CONSTRAINTS = {0x06, 0x03, 0x55, 0x1d, 0x13};
    private static final byte[] KEY_USAGE = {0x06, 0x03, 0x55, 0x1d, 0x0f};
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static BigInteger nextSerial = BigInteger.valueOf(0x5e51);

    private X500Principal subject;
    private PublicKey publicKey;
    private X500Principal issuer;
    private PrivateKey issuerKey;
    private Instant notBefore = Instant.parse("2024-01-01T00:00:00Z");
    private Instant notAfter = Instant.parse("2049-12-31T23:59:59Z");
    private Boolean ca;
    private int[] keyUsage;

    private TestCertificates(String subject, PublicKey publicKey) {
        this.subject = new X500Principal(subject);
        this.publicKey = publicKey;
    }

    /** A certificate for {@code subject} holding {@code publicKey}; no extension unless asked for. */
    public static TestCertificates certificate(String subject, PublicKey publicKey) {
        return new TestCertificates(subject, publicKey);
    }

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public TestCertificates issuedBy(X509Certificate issuerCertificate, PrivateKey key) {
        this.issuer = issuerCertificate.getSubjectX500Principal();
        this.issuerKey = key;
        return this;
    }

    public TestCertificates selfSigned(PrivateKey key) {
        this.issuer = subject;
        this.issuerKey = key;
        return this;
    }

    public TestCertificates valid(Instant from, Instant until) {
        this.notBefore = from;
        this.notAfter = until;
        return this;
    }

    /** Adds basicConstraints with this cA flag. */
    public TestCertificates ca(boolean value) {
        this.ca = value;
        return this;
    }

    /** Adds keyUsage with these bits ({@link #DIGITAL_SIGNATURE}, {@link #KEY_CERT_SIGN}, ...). */
    public TestCertificates keyUsage(int... bits) {
        this.keyUsage = bits.clone();
        return this;
    }

    public X509Certificate build() {
        BigInteger serial;
        synchronized (TestCertificates.class) {
            serial = nextSerial;
            nextSerial = nextSerial.add(BigInteger.ONE);
        }
        ByteArrayOutputStream extensions = new ByteArrayOutputStream();
        if (ca != null) {
            byte[] value = ca ? seq(tagged(0x01, new byte[] {(byte) 0xff})) : seq();
            extensions.writeBytes(extension(BASIC_CONSTRAINTS, value));
        }
        if (keyUsage != null) {
            extensions.writeBytes(extension(KEY_USAGE, bitString(keyUsage)));
        }
        byte[] tbs = seq(
                tagged(0xa0, integer(BigInteger.TWO)),
                integer(serial),
                SHA256_WITH_RSA,
                issuer.getEncoded(),
                seq(time(notBefore), time(notAfter)),
                subject.getEncoded(),
                publicKey.getEncoded(),
                extensions.size() == 0 ? new byte[0] : tagged(0xa3, tagged(0x30, extensions.toByteArray())));
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(issuerKey);
            signer.update(tbs);
            byte[] signature = signer.sign();
            byte[] bits = new byte[signature.length + 1];
            System.arraycopy(signature, 0, bits, 1, signature.length);
            byte[] der = seq(tbs, SHA256_WITH_RSA, tagged(0x03, bits));
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue a test certificate", e);
        }
    }

    public static String pem(X509Certificate... certificates) {
        StringBuilder out = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                out.append("-----BEGIN CERTIFICATE-----\n")
                        .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return out.toString();
    }

    private static byte[] extension(byte[] oid, byte[] value) {
        return seq(oid, tagged(0x01, new byte[] {(byte) 0xff}), tagged(0x04, value));
    }

    /** A DER named bit list: bit 0 is the most significant bit of the first byte, trailing zero bits dropped. */
    private static byte[] bitString(int[] bits) {
        int highest = -1;
        for (int bit : bits) {
            highest = Math.max(highest, bit);
        }
        byte[] content = new byte[1 + (highest + 8) / 8];
        for (int bit : bits) {
            content[1 + bit / 8] |= (byte) (0x80 >> (bit % 8));
        }
        content[0] = (byte) (7 - highest % 8);
        return tagged(0x03, content);
    }

    private static byte[] time(Instant at) {
        int year = at.atZone(ZoneOffset.UTC).getYear();
        if (year >= 1950 && year < 2050) {
            return tagged(0x17, UTC_TIME.format(at).getBytes(StandardCharsets.US_ASCII));
        }
        return tagged(0x18, GENERALIZED_TIME.format(at).getBytes(StandardCharsets.US_ASCII));
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
