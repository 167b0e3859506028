package dev.zhifu.sandbox.cli;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.crypto.KeyMaterialException;
import dev.zhifu.sandbox.AlipaySandbox;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar alipay-sandbox.jar [flags]}: the flags of docs/sandbox.md#command-line. */
public final class SandboxMain {

    static final String USAGE = """
            Usage: java -jar alipay-sandbox.jar [options]

              --port N                    port to listen on, 0 = any free port (default 9000)
              --app-id ID                 the app the sandbox accepts (default 2021000000000001)
              --app-public-key FILE       the app's public key (PEM or base64); requests must be signed with its
                                          private key. Absent: a key pair is generated and its files are printed
              --alipay-private-key FILE   the sandbox's own signing key; generated when absent
              --alipay-public-key-out FILE  write the sandbox's public key (PEM) there
              --seller-id ID              seller_id it reports (default 2088000000000001)
              --time-scale X              >1 runs Alipay's notification retry schedule X times faster (default 1)
              --state-file FILE           keep the trades, Alipay's and WeChat Pay's, in FILE (JSON lines) and take
                                          them back at the next start

            WeChat Pay API v3, on the same port (https://api.mch.weixin.qq.com = http://127.0.0.1:<port>):
              --wechat-mchid ID           the merchant id it accepts (default 1900000001)
              --wechat-appid ID           the appid it accepts (default wx0000000000000001)
              --wechat-merchant-public-key FILE  the merchant's API public key (PEM or base64); requests must be
                                          signed with its private key. Absent: a key pair is generated and printed
              --wechat-merchant-serial SERIAL  the serial number requests must name (default: derived from the key)
              --wechat-apiv3-key KEY      32 ASCII characters; generated when absent
              --wechat-public-key-id ID   the id answers name in public key mode (default PUB_KEY_ID_0000000000000001)
              --wechat-private-key FILE   the sandbox's own WeChat Pay signing key; generated when absent
              --wechat-public-key-out FILE  write the sandbox's WeChat Pay public key (PEM) there
              --wechat-apiv3-key-out FILE   write the APIv3 key there when it was generated
              --help                      this text

            When ready it prints: alipay-sandbox ready: http://127.0.0.1:<port>/gateway.do
            """;

    /** A bad command line: the message names the flag (and file). */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private SandboxMain() {}

    public static void main(String[] args) throws Exception {
        AlipaySandbox sandbox;
        try {
            sandbox = start(args, System.out, System.err);
        } catch (UsageException e) {
            System.err.println("alipay-sandbox: " + e.getMessage());
            System.err.println("Run with --help for the options.");
            System.exit(2);
            return;
        }
        if (sandbox == null) {
            return; // --help
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            sandbox.close();
                            stopped.countDown();
                        },
                        "alipay-sandbox-shutdown"));
        stopped.await();
    }

    /** Parses, starts, prints the ready line; {@code null} after {@code --help}. */
    static AlipaySandbox start(String[] args, PrintStream out, PrintStream err) throws UsageException, IOException {
        Map<String, String> flags = parse(args);
        if (flags.containsKey("--help")) {
            out.print(USAGE);
            return null;
        }
        AlipaySandbox.Builder builder = AlipaySandbox.builder().port(9000);
        if (flags.containsKey("--port")) {
            builder.port(intFlag("--port", flags.get("--port")));
        }
        if (flags.containsKey("--app-id")) {
            builder.appId(nonBlank("--app-id", flags.get("--app-id")));
        }
        if (flags.containsKey("--seller-id")) {
            builder.sellerId(nonBlank("--seller-id", flags.get("--seller-id")));
        }
        if (flags.containsKey("--time-scale")) {
            try {
                builder.timeScale(Double.parseDouble(flags.get("--time-scale")));
            } catch (IllegalArgumentException e) {
                throw new UsageException(
                        "--time-scale must be a positive number, got \"" + flags.get("--time-scale") + "\"");
            }
        }
        if (flags.containsKey("--app-public-key")) {
            builder.appPublicKey(readPublicKey(flags.get("--app-public-key")));
        }
        if (flags.containsKey("--alipay-private-key")) {
            builder.alipayPrivateKey(readPrivateKey(flags.get("--alipay-private-key")));
        }
        Path publicKeyOut =
                flags.containsKey("--alipay-public-key-out") ? Path.of(flags.get("--alipay-public-key-out")) : null;
        if (flags.containsKey("--state-file")) {
            builder.stateFile(stateFile(flags.get("--state-file")));
        }
        WechatFlags.apply(flags, builder);

        AlipaySandbox sandbox;
        try {
            sandbox = builder.build();
        } catch (java.io.UncheckedIOException e) {
            throw new UsageException("--state-file: " + e.getMessage() + " ("
                    + e.getCause().getClass().getSimpleName() + ")");
        }
        if (publicKeyOut != null) {
            try {
                Files.writeString(publicKeyOut, AlipayKeys.toPem(sandbox.alipayPublicKey()), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UsageException(
                        "--alipay-public-key-out: cannot write " + publicKeyOut + " (" + e.getMessage() + ")");
            }
        }
        WechatFlags.writeOutputs(flags, sandbox);
        try {
            sandbox.start();
        } catch (RuntimeException e) {
            throw new UsageException("--port: " + e.getMessage()
                    + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"));
        }
        if (sandbox.appPrivateKey().isPresent()) {
            writeGeneratedAppKeys(sandbox, err);
        }
        if (sandbox.wechatPay().merchantPrivateKey() != null) {
            WechatFlags.writeGeneratedMerchantKey(sandbox, err);
        }
        out.println("alipay-sandbox ready: http://127.0.0.1:" + sandbox.port() + "/gateway.do");
        out.flush();
        return sandbox;
    }

    /**
     * The generated app key pair, for whoever signs requests, in a directory only this user can read; it is
     * worth nothing once this sandbox is gone, so it goes with it.
     */
    private static void writeGeneratedAppKeys(AlipaySandbox sandbox, PrintStream err) throws IOException {
        Path dir = Files.createTempDirectory("alipay-sandbox-app-key-"); // rwx------ where POSIX
        dir.toFile().deleteOnExit();
        Path pem = ownerOnly(
                dir.resolve("app_private_key.pem"),
                AlipayKeys.toPem(sandbox.appPrivateKey().get()));
        Path base64 = ownerOnly(dir.resolve("app_private_key_pkcs8.txt"), sandbox.appPrivateKeyBase64() + "\n");
        ownerOnly(dir.resolve("app_public_key.pem"), AlipayKeys.toPem(sandbox.appPublicKey()));
        err.println("alipay-sandbox: no --app-public-key given; generated an app key pair for app " + sandbox.appId()
                + ". Sign requests with " + pem + " (PKCS#8 base64 for the SDK: " + base64 + ")");
    }

    static Path ownerOnly(Path file, String text) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(
                    file,
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        file.toFile().deleteOnExit(); // registered after its directory: deleted before it
        return file;
    }

    private static Map<String, String> parse(String[] args) throws UsageException {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                flags.put("--help", "");
                continue;
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!Map.of(
                                    "--port",
                                    1,
                                    "--app-id",
                                    1,
                                    "--app-public-key",
                                    1,
                                    "--alipay-private-key",
                                    1,
                                    "--alipay-public-key-out",
                                    1,
                                    "--seller-id",
                                    1,
                                    "--time-scale",
                                    1,
                                    "--state-file",
                                    1)
                            .containsKey(name)
                    && !WechatFlags.NAMES.contains(name)) {
                throw new UsageException("unknown option " + arg);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(name + " needs a value");
                }
                value = args[++i];
            }
            flags.put(name, value);
        }
        return flags;
    }

    private static int intFlag(String flag, String value) throws UsageException {
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " must be a port number 0..65535, got \"" + value + "\"");
        }
    }

    static String nonBlank(String flag, String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(flag + " must not be empty");
        }
        return value.strip();
    }

    /** A file that can be read (when it exists) and written: its directory must exist. */
    private static Path stateFile(String value) throws UsageException {
        Path file;
        try {
            file = Path.of(value).toAbsolutePath();
        } catch (java.nio.file.InvalidPathException e) {
            throw new UsageException("--state-file: not a path: " + value);
        }
        if (Files.exists(file)
                ? !Files.isRegularFile(file) || !Files.isReadable(file) || !Files.isWritable(file)
                : file.getParent() == null
                        || !Files.isDirectory(file.getParent())
                        || !Files.isWritable(file.getParent())) {
            throw new UsageException("--state-file: cannot read and write " + file
                    + (Files.exists(file) ? "" : " (its directory must exist and be writable)"));
        }
        return file;
    }

    private static PublicKey readPublicKey(String file) throws UsageException {
        return readPublicKey("--app-public-key", file);
    }

    static PublicKey readPublicKey(String flag, String file) throws UsageException {
        try {
            return AlipayKeys.publicKey(readKeyFile(flag, file), flag + " " + file);
        } catch (KeyMaterialException e) {
            throw new UsageException(e.getMessage()); // names the flag and the file
        }
    }

    private static PrivateKey readPrivateKey(String file) throws UsageException {
        return readPrivateKey("--alipay-private-key", file);
    }

    static PrivateKey readPrivateKey(String flag, String file) throws UsageException {
        try {
            return AlipayKeys.privateKey(readKeyFile(flag, file), flag + " " + file);
        } catch (KeyMaterialException e) {
            throw new UsageException(e.getMessage()); // names the flag and the file
        }
    }

    private static String readKeyFile(String flag, String file) throws UsageException {
        try {
            return Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new UsageException(
                    flag + ": cannot read file " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
