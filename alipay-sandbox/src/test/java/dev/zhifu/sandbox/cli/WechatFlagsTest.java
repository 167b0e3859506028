package dev.zhifu.sandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.sandbox.AlipaySandbox;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code --wechat-*} flags: taken, validated with the flag (and file) named, outputs written. */
class WechatFlagsTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private AlipaySandbox start(String... args) throws Exception {
        return SandboxMain.start(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void everyFlagReachesTheSandboxAndTheReadyLineIsUnchanged() throws Exception {
        KeyPair merchant = AlipayKeys.generateRsa2048();
        KeyPair platform = AlipayKeys.generateRsa2048();
        Path merchantPub = Files.writeString(dir.resolve("merchant.pem"), AlipayKeys.toPem(merchant.getPublic()));
        Path platformKey = Files.writeString(dir.resolve("platform.pem"), AlipayKeys.toPem(platform.getPrivate()));
        Path pubOut = dir.resolve("wechatpay_public.pem");
        try (AlipaySandbox sandbox = start(
                "--port", "0",
                "--wechat-mchid", "1900000123",
                "--wechat-appid", "wx1234567890abcdef",
                "--wechat-merchant-public-key", merchantPub.toString(),
                "--wechat-merchant-serial", "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
                "--wechat-apiv3-key", "abcdefghijklmnopqrstuvwxyz012345",
                "--wechat-public-key-id", "PUB_KEY_ID_0000000000000042",
                "--wechat-private-key", platformKey.toString(),
                "--wechat-public-key-out", pubOut.toString())) {
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .isEqualTo("alipay-sandbox ready: http://127.0.0.1:" + sandbox.port() + "/gateway.do"
                            + System.lineSeparator());
            var s = sandbox.wechatPay();
            assertThat(s.mchid()).isEqualTo("1900000123");
            assertThat(s.appid()).isEqualTo("wx1234567890abcdef");
            assertThat(s.merchantPublicKey()).isEqualTo(merchant.getPublic());
            assertThat(s.merchantPrivateKey()).isNull();
            assertThat(s.merchantSerial()).isEqualTo("5157F09EFDC096DE15EBE81A47057A7232F1B8E1");
            assertThat(s.apiV3Key()).isEqualTo("abcdefghijklmnopqrstuvwxyz012345");
            assertThat(s.publicKeyId()).isEqualTo("PUB_KEY_ID_0000000000000042");
            assertThat(sandbox.wechatPayPublicKey()).isEqualTo(platform.getPublic());
            assertThat(AlipayKeys.publicKey(Files.readString(pubOut), "out")).isEqualTo(platform.getPublic());
        }
    }

    @Test
    void generatedApiV3KeyAndMerchantKeyAreHandedOut() throws Exception {
        Path keyOut = dir.resolve("apiv3.txt");
        try (AlipaySandbox sandbox = start("--port", "0", "--wechat-apiv3-key-out", keyOut.toString())) {
            assertThat(Files.readString(keyOut))
                    .isEqualTo(sandbox.wechatPay().apiV3Key())
                    .hasSize(32);
            assertThat(sandbox.wechatPay().mchid()).isEqualTo("1900000001");
            assertThat(sandbox.wechatPay().appid()).isEqualTo("wx0000000000000001");
            assertThat(sandbox.wechatPay().publicKeyId()).isEqualTo("PUB_KEY_ID_0000000000000001");
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains("--wechat-merchant-public-key")
                    .contains("apiclient_key.pem");
        }
    }

    @Test
    void shortApiV3KeyIsRefusedNamingTheFlag() {
        assertThatThrownBy(() -> start("--port", "0", "--wechat-apiv3-key", "tooshort"))
                .isInstanceOf(SandboxMain.UsageException.class)
                .hasMessageContaining("--wechat-apiv3-key")
                .hasMessageContaining("32");
    }

    @Test
    void unreadableMerchantKeyIsRefusedNamingFlagAndFile() {
        Path missing = dir.resolve("missing.pem");

        assertThatThrownBy(() -> start("--port", "0", "--wechat-merchant-public-key", missing.toString()))
                .isInstanceOf(SandboxMain.UsageException.class)
                .hasMessageContaining("--wechat-merchant-public-key")
                .hasMessageContaining(missing.toString());
    }

    @Test
    void garbageSigningKeyIsRefusedNamingFlagAndFile() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a key");

        assertThatThrownBy(() -> start("--port", "0", "--wechat-private-key", garbage.toString()))
                .isInstanceOf(SandboxMain.UsageException.class)
                .hasMessageContaining("--wechat-private-key")
                .hasMessageContaining(garbage.toString());
    }

    @Test
    void nonNumericMchidIsRefused() {
        assertThatThrownBy(() -> start("--port", "0", "--wechat-mchid", "abc"))
                .isInstanceOf(SandboxMain.UsageException.class)
                .hasMessageContaining("--wechat-mchid");
    }
}
