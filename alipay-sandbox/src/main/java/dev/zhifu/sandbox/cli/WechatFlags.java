package dev.zhifu.sandbox.cli;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.sandbox.AlipaySandbox;
import dev.zhifu.sandbox.wechat.WechatPaySettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** The {@code --wechat-*} flags: WeChat Pay's merchant, keys and where to write what the sandbox generated. */
final class WechatFlags {

    static final Set<String> NAMES = Set.of(
            "--wechat-mchid",
            "--wechat-appid",
            "--wechat-merchant-public-key",
            "--wechat-merchant-serial",
            "--wechat-apiv3-key",
            "--wechat-public-key-id",
            "--wechat-private-key",
            "--wechat-public-key-out",
            "--wechat-apiv3-key-out");

    private WechatFlags() {}

    static void apply(Map<String, String> flags, AlipaySandbox.Builder builder) throws SandboxMain.UsageException {
        if (flags.containsKey("--wechat-mchid")) {
            builder.wechatMchid(digits("--wechat-mchid", flags.get("--wechat-mchid")));
        }
        if (flags.containsKey("--wechat-appid")) {
            builder.wechatAppid(SandboxMain.nonBlank("--wechat-appid", flags.get("--wechat-appid")));
        }
        if (flags.containsKey("--wechat-merchant-public-key")) {
            builder.wechatMerchantPublicKey(SandboxMain.readPublicKey(
                    "--wechat-merchant-public-key", flags.get("--wechat-merchant-public-key")));
        }
        if (flags.containsKey("--wechat-merchant-serial")) {
            builder.wechatMerchantSerial(
                    SandboxMain.nonBlank("--wechat-merchant-serial", flags.get("--wechat-merchant-serial")));
        }
        if (flags.containsKey("--wechat-apiv3-key")) {
            builder.wechatApiV3Key(apiV3Key(flags.get("--wechat-apiv3-key")));
        }
        if (flags.containsKey("--wechat-public-key-id")) {
            builder.wechatPublicKeyId(
                    SandboxMain.nonBlank("--wechat-public-key-id", flags.get("--wechat-public-key-id")));
        }
        if (flags.containsKey("--wechat-private-key")) {
            builder.wechatPrivateKey(
                    SandboxMain.readPrivateKey("--wechat-private-key", flags.get("--wechat-private-key")));
        }
    }

    /** Writes {@code --wechat-public-key-out} and, when the key was generated, {@code --wechat-apiv3-key-out}. */
    static void writeOutputs(Map<String, String> flags, AlipaySandbox sandbox) throws SandboxMain.UsageException {
        if (flags.containsKey("--wechat-public-key-out")) {
            write(
                    "--wechat-public-key-out",
                    flags.get("--wechat-public-key-out"),
                    AlipayKeys.toPem(sandbox.wechatPayPublicKey()));
        }
        if (flags.containsKey("--wechat-apiv3-key-out") && !flags.containsKey("--wechat-apiv3-key")) {
            write(
                    "--wechat-apiv3-key-out",
                    flags.get("--wechat-apiv3-key-out"),
                    sandbox.wechatPay().apiV3Key());
        }
    }

    /** The generated merchant key, for whoever signs WeChat Pay requests, in a directory only this user can read. */
    static void writeGeneratedMerchantKey(AlipaySandbox sandbox, PrintStream err) throws IOException {
        WechatPaySettings s = sandbox.wechatPay();
        Path dir = Files.createTempDirectory("alipay-sandbox-wechat-merchant-key-"); // rwx------ where POSIX
        dir.toFile().deleteOnExit();
        Path pem = SandboxMain.ownerOnly(dir.resolve("apiclient_key.pem"), AlipayKeys.toPem(s.merchantPrivateKey()));
        err.println("alipay-sandbox: no --wechat-merchant-public-key given; generated a merchant key pair for mchid "
                + s.mchid() + " (serial " + s.merchantSerial() + "). Sign WeChat Pay requests with " + pem);
    }

    private static void write(String flag, String file, String text) throws SandboxMain.UsageException {
        try {
            Files.writeString(Path.of(file), text, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new SandboxMain.UsageException(flag + ": cannot write " + file + " (" + e.getMessage() + ")");
        }
    }

    private static String digits(String flag, String value) throws SandboxMain.UsageException {
        if (!value.strip().matches("[0-9]{1,32}")) {
            throw new SandboxMain.UsageException(flag + " must be digits, got \"" + value + "\"");
        }
        return value.strip();
    }

    private static String apiV3Key(String value) throws SandboxMain.UsageException {
        if (value.length() != 32 || !value.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new SandboxMain.UsageException(
                    "--wechat-apiv3-key must be 32 printable ASCII characters, got " + value.length() + " characters");
        }
        return value;
    }
}
