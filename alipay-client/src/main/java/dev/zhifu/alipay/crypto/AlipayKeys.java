package dev.zhifu.alipay.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Reads RSA keys in every form Alipay users meet: PEM PKCS#8 ({@code BEGIN PRIVATE KEY}), PEM PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}), PEM X.509 public keys, and the bare one-line base64 that Alipay's key
 * tool prints (PKCS#8 private, SubjectPublicKeyInfo public; PKCS#1 private is detected too).
 * Messages name the source ({@code what}) and never echo the key.
 */
public final class AlipayKeys {

    private AlipayKeys() {}

    /** Parses a private key from PEM or bare base64 text. {@code what} names the setting or file for errors. */
    public static PrivateKey privateKey(String text, String what) {
        byte[] der = decode(text, what, "PRIVATE KEY");
        KeyFactory rsa = rsaKeyFactory();
        try {
            return rsa.generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException notPkcs8) {
            try {
                return rsa.generatePrivate(new PKCS8EncodedKeySpec(pkcs1ToPkcs8(der)));
            } catch (GeneralSecurityException | RuntimeException notPkcs1) {
                throw new KeyMaterialException(
                        what + ": not an RSA private key (expected PKCS#8 or PKCS#1, PEM or base64)");
            }
        }
    }

    /** Parses an X.509 SubjectPublicKeyInfo public key (PEM or bare base64); a PKCS#1 RSAPublicKey is accepted too. */
    public static PublicKey publicKey(String text, String what) {
        if (text != null && text.contains("BEGIN CERTIFICATE")) {
            return PemCertificates.first(text, what).getPublicKey();
        }
        byte[] der = decode(text, what, "PUBLIC KEY");
        KeyFactory rsa = rsaKeyFactory();
        try {
            return rsa.generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException notSpki) {
            try {
                BigInteger[] ints = Der.readSequenceOfIntegers(der, 2);
                return rsa.generatePublic(new RSAPublicKeySpec(ints[0], ints[1]));
            } catch (GeneralSecurityException | RuntimeException notPkcs1) {
                if (text.contains("PRIVATE KEY")) {
                    throw new KeyMaterialException(what + ": holds a private key where a public key is expected");
                }
                throw new KeyMaterialException(what + ": not an RSA public key (expected X.509 PEM or base64)");
            }
        }
    }

    /** Reads a private key file; errors name the file. */
    public static PrivateKey readPrivateKey(Path file) {
        return privateKey(readFile(file), file.toString());
    }

    /** Reads a public key file; errors name the file. */
    public static PublicKey readPublicKey(Path file) {
        return publicKey(readFile(file), file.toString());
    }

    static String readFile(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new KeyMaterialException(
                    file + ": cannot be read (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** The public half of an RSA CRT private key, e.g. to check that a configured public key matches. */
    public static PublicKey publicKeyOf(PrivateKey privateKey) {
        if (!(privateKey instanceof RSAPrivateCrtKey crt)) {
            throw new KeyMaterialException("the private key carries no public exponent");
        }
        try {
            return rsaKeyFactory().generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new KeyMaterialException("cannot derive the public key", e);
        }
    }

    /** A fresh RSA-2048 key pair, as Alipay's key tool makes. */
    public static KeyPair generateRsa2048() {
        return generateRsa2048(RsaProvider.preferNative());
    }

    /**
     * A new RSA-2048 pair from {@code provider}. The native provider makes one in tens of milliseconds where the
     * JDK takes hundreds (prime search in {@code BigInteger}), which a demo's first start pays several times.
     */
    public static KeyPair generateRsa2048(RsaProvider provider) {
        try {
            KeyPairGenerator generator = provider.keyPairGenerator();
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA key generation is not available from " + provider.name(), e);
        }
    }

    /** The bare one-line base64 form Alipay's console takes (PKCS#8 private, X.509 public). */
    public static String toBase64(java.security.Key key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** PEM text ({@code BEGIN PRIVATE KEY} / {@code BEGIN PUBLIC KEY}), 64 characters a line. */
    public static String toPem(java.security.Key key) {
        String type = key instanceof PrivateKey ? "PRIVATE KEY" : "PUBLIC KEY";
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded());
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static byte[] decode(String text, String what, String kind) {
        if (text == null || text.isBlank()) {
            throw new KeyMaterialException(what + ": is empty, expected a " + kind.toLowerCase() + " (PEM or base64)");
        }
        StringBuilder base64 = new StringBuilder(text.length());
        for (String line : text.split("\r?\n|\r")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("-----") || trimmed.isEmpty() || trimmed.contains(":")) {
                continue; // PEM armour and legacy "Proc-Type:" style headers
            }
            base64.append(trimmed);
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(base64.toString());
            if (der.length < 16) {
                throw new IllegalArgumentException("too short");
            }
            return der;
        } catch (IllegalArgumentException e) {
            throw new KeyMaterialException(what + ": is not valid PEM or base64 " + kind.toLowerCase());
        }
    }

    private static KeyFactory rsaKeyFactory() {
        try {
            return KeyFactory.getInstance("RSA");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is not available in this JDK", e);
        }
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo with the rsaEncryption algorithm id. */
    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        Der.readSequenceOfIntegers(pkcs1, 9); // throws unless it really is a PKCS#1 RSAPrivateKey
        byte[] version = {0x02, 0x01, 0x00};
        byte[] algorithm = {
            0x30,
            0x0d,
            0x06,
            0x09,
            0x2a,
            (byte) 0x86,
            0x48,
            (byte) 0x86,
            (byte) 0xf7,
            0x0d,
            0x01,
            0x01,
            0x01,
            0x05,
            0x00
        };
        byte[] octets = Der.wrap(0x04, pkcs1);
        byte[] inner = new byte[version.length + algorithm.length + octets.length];
        System.arraycopy(version, 0, inner, 0, version.length);
        System.arraycopy(algorithm, 0, inner, version.length, algorithm.length);
        System.arraycopy(octets, 0, inner, version.length + algorithm.length, octets.length);
        return Der.wrap(0x30, inner);
    }
}
