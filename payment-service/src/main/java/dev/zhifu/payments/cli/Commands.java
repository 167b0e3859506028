package dev.zhifu.payments.cli;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.spring.AlipayProperties;
import dev.zhifu.alipay.spring.KeyText;
import dev.zhifu.payments.alipay.ConfigurationProblems;
import dev.zhifu.payments.alipay.DemoKeys;
import dev.zhifu.payments.alipay.DemoMode;
import dev.zhifu.payments.config.PaymentsProperties;
import dev.zhifu.payments.secrets.SecretFiles;
import dev.zhifu.payments.settings.SettingNames;
import dev.zhifu.payments.settings.Spelling;
import dev.zhifu.payments.settings.UnknownSettingsCheck;
import dev.zhifu.payments.wechatpay.WechatPayProperties;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The command line: {@code help}, {@code keygen DIR} and {@code doctor [--name=value ...]} run without starting
 * the service; anything else that is not a {@code --name=value} setting is refused with the usage, so that a typo
 * ({@code doctr}) or {@code --help} never starts the service by accident.
 */
public final class Commands {

    /** What {@link #dispatch} answers when the arguments start the service. */
    public static final int START = -1;
    /** Exit code of a command line that could not be understood. */
    public static final int USAGE_ERROR = 2;

    static final List<String> COMMANDS = List.of("doctor", "keygen", "help");
    static final String USAGE = """
            usage: java -jar payment-service.jar [--name=value ...]
                     start the service; with no alipay.gateway-url it runs as a demo (embedded Alipay sandbox, H2)
                   java -jar payment-service.jar doctor [--offline] [--explain=FILE] [--name=value ...]
                     check a configuration without starting the service (exit 0 when sound, 1 with its problems)
                   java -jar payment-service.jar keygen DIR
                     write an RSA-2048 key pair in the formats Alipay's console takes (Alipay only: WeChat Pay's
                     files come from WeChat: apiclient_key.pem and apiclient_cert.pem from its certificate tool,
                     the serial from `openssl x509 -noout -serial -in apiclient_cert.pem`, pub_key.pem and its
                     PUB_KEY_ID_ and the APIv3 key from the merchant platform; doctor checks them)
                   java -jar payment-service.jar help
                     this text (also --help, -h)
            Settings are Spring Boot properties: --server.port=9090, or environment variables such as
            ALIPAY_APP_PRIVATE_KEY, or application.properties; payment-service/README.md lists them.
            """;

    private Commands() {}

    /**
     * What the arguments ask for: {@link #START} to start the service, else the exit code of the command run
     * (usage and results on {@code out}, complaints and the usage after them on {@code err}).
     */
    public static int dispatch(String[] args, PrintStream out, PrintStream err) {
        if (Arrays.stream(args).anyMatch(a -> a.equals("--help") || a.equals("-h") || a.equals("-help"))
                || args.length > 0 && args[0].equals("help")) {
            out.print(USAGE);
            return 0;
        }
        if (args.length > 0 && (args[0].equals("keygen") || args[0].equals("doctor"))) {
            return run(args);
        }
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                err.println(complaint(args[i], i == 0));
                err.print(USAGE);
                return USAGE_ERROR;
            }
        }
        return START;
    }

    private static String complaint(String arg, boolean first) {
        if (arg.startsWith("-D") && arg.contains("=")) {
            return "'" + arg + "' after the jar is not a JVM option: write --" + arg.substring(2)
                    + ", or put it before -jar";
        }
        if (arg.startsWith("-")) {
            return "unknown option '" + arg + "': settings are written --name=value";
        }
        if (!first) {
            return "unexpected argument '" + arg + "': settings are written --name=value, a command comes first";
        }
        return "unknown command '" + arg + "'; did you mean '"
                + Spelling.closest(arg.toLowerCase(Locale.ROOT), COMMANDS) + "'?";
    }

    public static int run(String[] args) {
        return switch (args[0]) {
            case "keygen" -> keygen(args);
            case "doctor" -> doctor(args);
            default -> USAGE_ERROR;
        };
    }

    /** Writes an RSA-2048 pair as PEM files and as the one-line base64 that Alipay's console takes. */
    static int keygen(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: java -jar payment-service.jar keygen DIR");
            return 2;
        }
        Path dir = Path.of(args[1]);
        try {
            SecretFiles.createDirectories(dir);
            Path privatePem = dir.resolve("app_private_key.pem");
            if (Files.exists(privatePem)) {
                System.err.println(privatePem + " exists; not overwriting a key");
                return 1;
            }
            KeyPair pair = AlipayKeys.generateRsa2048();
            SecretFiles.writeNew(privatePem, AlipayKeys.toPem(pair.getPrivate()));
            Files.writeString(
                    dir.resolve("app_public_key.pem"), AlipayKeys.toPem(pair.getPublic()), StandardCharsets.US_ASCII);
            Files.writeString(
                    dir.resolve("app_public_key.txt"),
                    AlipayKeys.toBase64(pair.getPublic()) + "\n",
                    StandardCharsets.US_ASCII);
            System.out.println("Wrote " + privatePem + " (keep it secret: alipay.app-private-key),");
            System.out.println(
                    "      " + dir.resolve("app_public_key.pem") + " and " + dir.resolve("app_public_key.txt")
                            + " (paste the one-line key into Alipay's console as the app public key / 应用公钥).");
            System.out.println("These are for Alipay only. WeChat Pay's merchant key is made by WeChat's certificate "
                    + "tool (apiclient_key.pem, apiclient_cert.pem); see `help`, and run doctor once configured.");
            return 0;
        } catch (IOException e) {
            System.err.println("cannot write keys to " + dir + ": " + e.getMessage());
            return 1;
        }
    }

    /**
     * Binds the settings exactly as the service would (arguments, environment, files) and checks them
     * ({@link Doctor}); {@code --offline} skips the gateway; {@code --explain=FILE} explains a signature instead
     * ({@link SignatureExplainer}; {@code -} reads standard input).
     */
    static int doctor(String[] args) {
        return doctor(args, System.out);
    }

    static int doctor(String[] args, PrintStream out) {
        return doctor(args, out, Clock.systemUTC());
    }

    static int doctor(String[] args, PrintStream out, Clock clock) {
        boolean offline = false;
        String explain = null;
        List<String> rest = new ArrayList<>();
        for (String arg : Arrays.copyOfRange(args, 1, args.length)) {
            if (arg.equals("--offline")) {
                offline = true;
            } else if (arg.startsWith("--explain=")) {
                explain = arg.substring("--explain=".length());
            } else {
                rest.add(arg);
            }
        }
        SpringApplication app = new SpringApplication(Empty.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setLogStartupInfo(false);
        app.setBannerMode(org.springframework.boot.Banner.Mode.OFF);
        app.setDefaultProperties(
                java.util.Map.of("spring.main.log-startup-info", "false", "logging.level.root", "WARN"));
        try (ConfigurableApplicationContext context = app.run(rest.toArray(String[]::new))) {
            List<String> unknown = UnknownSettingsCheck.problems(context.getEnvironment(), SettingNames.ofService());
            if (!unknown.isEmpty()) {
                unknown.forEach(problem -> out.println("PROBLEM unknown setting " + problem));
                return 1;
            }
            Binder binder = Binder.get(context.getEnvironment());
            AlipayProperties alipay = binder.bindOrCreate("alipay", AlipayProperties.class);
            PaymentsProperties payments = binder.bindOrCreate("payments", PaymentsProperties.class);
            WechatPayProperties wechat = binder.bindOrCreate("wechatpay", WechatPayProperties.class);
            if (explain != null) {
                return explain(explain, alipay, payments, out);
            }
            if (DemoMode.isDemo(alipay)) {
                out.println("OK: demo mode (alipay.gateway-url is not set): in-process sandbox, keys under "
                        + Path.of(payments.dataDir()).toAbsolutePath().normalize());
                return 0;
            }
            Doctor.Report report = new Doctor(alipay, wechat, payments, clock, offline).check();
            report.lines().forEach(out::println);
            for (String problem : report.problems()) {
                out.println("PROBLEM " + problem);
            }
            out.println(
                    report.problems().isEmpty()
                            ? "OK: production configuration for " + alipay.gatewayUrl()
                                    + (offline ? " (gateway not contacted)" : "")
                            : report.problems().size() + (report.problems().size() == 1 ? " problem" : " problems")
                                    + " found; nothing was changed");
            return report.problems().isEmpty() ? 0 : 1;
        } catch (ConfigurationProblems e) {
            for (String problem : e.problems()) {
                out.println("PROBLEM " + problem);
            }
            return 1;

        } catch (RuntimeException e) {
            out.println("PROBLEM " + e.getMessage());
            return 1;
        }
    }

    private static int explain(String file, AlipayProperties alipay, PaymentsProperties payments, PrintStream out) {
        String text;
        try {
            text = "-".equals(file)
                    ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            out.println("PROBLEM --explain: cannot read " + file + " ("
                    + e.getClass().getSimpleName() + ")");
            return 1;
        }
        List<SignatureExplainer.Candidate> app = new ArrayList<>();
        List<SignatureExplainer.Candidate> ali = new ArrayList<>();
        if (DemoMode.isDemo(alipay)) {
            DemoKeys demo = DemoKeys.findExisting(payments.dataDir());
            if (demo != null) {
                app.add(new SignatureExplainer.Candidate("the demo app key", demo.appPublicKey()));
                ali.add(new SignatureExplainer.Candidate("the demo sandbox's Alipay key", demo.alipayPublicKey()));
            }
        }
        keys("alipay.app-private-key", listOf(alipay.appPrivateKey()), true, app, out);
        keys("alipay.app-public-key", listOf(alipay.appPublicKey()), false, app, out);
        keys("alipay.alipay-public-key", alipay.alipayPublicKey(), false, ali, out);
        keys("alipay.alipay-cert", alipay.alipayCert(), false, ali, out);
        Map<String, String> params;
        try {
            params = SignatureExplainer.parse(text);
        } catch (RuntimeException e) {
            out.println("PROBLEM --explain: " + file
                    + " is neither a query string, a form body, k=v lines nor a JSON object");
            return 1;
        }
        SignatureExplainer.Explanation explanation = new SignatureExplainer(app, ali).explain(params);
        explanation.lines().forEach(out::println);
        return explanation.verified() ? 0 : 1;
    }

    private static List<String> listOf(String value) {
        return value == null || value.isBlank() ? List.of() : List.of(value);
    }

    private static void keys(
            String setting,
            List<String> values,
            boolean isPrivate,
            List<SignatureExplainer.Candidate> into,
            PrintStream out) {
        for (String one : values) {
            try {
                KeyText key = KeyText.read(setting, one);
                java.security.PublicKey publicKey =
                        isPrivate ? AlipayKeys.publicKeyOf(key.privateKey()) : key.publicKey();
                if (into.stream().noneMatch(c -> c.key().equals(publicKey))) {
                    into.add(new SignatureExplainer.Candidate(setting, publicKey));
                }
            } catch (RuntimeException e) {
                out.println("NOTE  " + setting + " not usable here: " + e.getMessage());
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Empty {}
}
