package dev.zhifu.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.crypto.AlipaySigner;
import dev.zhifu.alipay.crypto.AlipayVerifier;
import dev.zhifu.alipay.crypto.KeyMaterialException;
import dev.zhifu.alipay.crypto.RsaProvider;
import dev.zhifu.alipay.crypto.SignType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every key format of docs/alipay-protocol.md#key-formats reads to the same key; bad input names its source and hides the key. */
class KeyFormatsTest {

    @Test
    void privateKeyInEveryFormatIsTheSameKey() {
        PrivateKey pkcs8Base64 = AlipayKeys.privateKey(Fixtures.resource("keys/app_private_key_pkcs8.txt"), "a");
        PrivateKey pkcs8Pem = AlipayKeys.privateKey(Fixtures.resource("keys/app_private_key.pem"), "b");
        PrivateKey pkcs1Pem = AlipayKeys.privateKey(Fixtures.resource("keys/app_private_key_pkcs1.pem"), "c");
        String pkcs1Base64 = Fixtures.resource("keys/app_private_key_pkcs1.pem")
                .replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        PrivateKey pkcs1Bare = AlipayKeys.privateKey(pkcs1Base64, "d");

        assertThat(pkcs8Pem).isEqualTo(pkcs8Base64);
        assertThat(pkcs1Pem.getEncoded()).isEqualTo(pkcs8Base64.getEncoded());
        assertThat(pkcs1Bare.getEncoded()).isEqualTo(pkcs8Base64.getEncoded());
    }

    @Test
    void publicKeyAsPemBase64OrCertificate() {
        assertThat(AlipayKeys.publicKey(Fixtures.resource("keys/alipay_public_key.pem"), "a"))
                .isEqualTo(AlipayKeys.publicKey(Fixtures.resource("keys/alipay_public_key.txt"), "b"))
                .isEqualTo(AlipayKeys.publicKey(Fixtures.resource("certs/alipayCertPublicKey_RSA2.crt"), "c"));
    }

    @Test
    void unreadableKeysNameTheirSourceAndNeverEchoTheKey(@TempDir Path dir) throws Exception {
        String garbage = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ";
        assertThatThrownBy(() -> AlipayKeys.privateKey(garbage, "alipay.app-private-key"))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageContaining("alipay.app-private-key")
                .hasMessageNotContaining(garbage);
        assertThatThrownBy(() ->
                        AlipayKeys.publicKey(Fixtures.resource("keys/app_private_key.pem"), "alipay.alipay-public-key"))
                .hasMessageContaining("private key where a public key is expected");
        assertThatThrownBy(() -> AlipayKeys.readPrivateKey(dir.resolve("missing.pem")))
                .hasMessageContaining("missing.pem")
                .hasMessageContaining("cannot be read");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "  \n");
        assertThatThrownBy(() -> AlipayKeys.readPrivateKey(empty))
                .hasMessageContaining("empty.pem")
                .hasMessageContaining("empty");
    }

    @Test
    void generatedPairsRoundTripThroughPemAndBase64() {
        KeyPair pair = AlipayKeys.generateRsa2048();
        assertThat(AlipayKeys.privateKey(AlipayKeys.toPem(pair.getPrivate()), "pem"))
                .isEqualTo(pair.getPrivate());
        assertThat(AlipayKeys.publicKey(AlipayKeys.toBase64(pair.getPublic()), "b64"))
                .isEqualTo(pair.getPublic());
        assertThat(AlipayKeys.publicKeyOf(pair.getPrivate())).isEqualTo(pair.getPublic());
    }

    @Test
    void nativeRsaIsUsedWhenAccpIsOnTheClassPath() {
        // ACCP ships for linux-x86_64; elsewhere the JDK is the fallback and signatures are identical anyway
        if (System.getProperty("os.name").startsWith("Linux")
                && System.getProperty("os.arch").equals("amd64")) {
            assertThat(RsaProvider.preferNative().isNative()).isTrue();
            assertThat(RsaProvider.preferNative().name()).isEqualTo("AmazonCorrettoCryptoProvider");
        }
        assertThat(RsaProvider.jdk().isNative()).isFalse();
        assertThat(java.security.Security.getProvider("AmazonCorrettoCryptoProvider"))
                .as("never installed JVM-wide")
                .isNull();
    }

    @Test
    void nativeRsaCanBeTurnedOffAndKeysComeFromEitherProvider() {
        String before = System.getProperty(RsaProvider.NATIVE_PROPERTY);
        try {
            System.setProperty(RsaProvider.NATIVE_PROPERTY, "false");
            assertThat(RsaProvider.preferNative().isNative()).isFalse();
        } finally {
            if (before == null) {
                System.clearProperty(RsaProvider.NATIVE_PROPERTY);
            } else {
                System.setProperty(RsaProvider.NATIVE_PROPERTY, before);
            }
        }
        for (RsaProvider provider : new RsaProvider[] {RsaProvider.preferNative(), RsaProvider.jdk()}) {
            KeyPair pair = AlipayKeys.generateRsa2048(provider);
            assertThat(((java.security.interfaces.RSAKey) pair.getPublic())
                            .getModulus()
                            .bitLength())
                    .isEqualTo(2048);
            AlipaySigner signer = new AlipaySigner(pair.getPrivate(), SignType.RSA2, RsaProvider.jdk());
            AlipayVerifier verifier =
                    new AlipayVerifier(AlipayKeys.publicKeyOf(pair.getPrivate()), SignType.RSA2, provider);
            String signature = signer.sign("a=1&b=2", java.nio.charset.StandardCharsets.UTF_8);
            assertThat(verifier.verify("a=1&b=2", java.nio.charset.StandardCharsets.UTF_8, signature))
                    .as(provider.name())
                    .isTrue();
        }
    }
}
