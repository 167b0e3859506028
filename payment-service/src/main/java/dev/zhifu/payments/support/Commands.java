package dev.zhifu.payments.support;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.payments.PaymentsProperties;
import dev.zhifu.payments.alipay.AlipayProperties;
import dev.zhifu.payments.alipay.ConfigurationProblems;
import dev.zhifu.payments.alipay.ProductionSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/** {@code keygen DIR} and {@code doctor [--name=value ...]}: tools that do not start the service. */
public final class Commands {

    private Commands() {
    }

    public static boolean isCommand(String arg) {
        return "keygen".equals(arg) || "doctor".equals(arg);
    }

    public static int run(String[] args) {
        return switch (args[0]) {
            case "keygen" -> keygen(args);
            case "doctor" -> doctor(args);
            default -> 2;
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
            Files.createDirectories(dir);
            Path privatePem = dir.resolve("app_private_key.pem");
            if (Files.exists(privatePem)) {
                System.err.println(privatePem + " exists; not overwriting a key");
                return 1;
            }
            KeyPair pair = AlipayKeys.generateRsa2048();
            Files.writeString(privatePem, AlipayKeys.toPem(pair.getPrivate()), StandardCharsets.US_ASCII);
            Files.writeString(dir.resolve("app_public_key.pem"), AlipayKeys.toPem(pair.getPublic()), StandardCharsets.US_ASCII);
            Files.writeString(dir.resolve("app_public_key.txt"), AlipayKeys.toBase64(pair.getPublic()) + "\n",
                    StandardCharsets.US_ASCII);
            try {
                privatePem.toFile().setReadable(false, false);
                privatePem.toFile().setReadable(true, true);
            } catch (SecurityException ignored) {
                // best effort
            }
            System.out.println("Wrote " + privatePem + " (keep it secret: alipay.app-private-key),");
            System.out.println("      " + dir.resolve("app_public_key.pem") + " and " + dir.resolve("app_public_key.txt")
                    + " (paste the one-line key into Alipay's console as the app public key / 应用公钥).");
            return 0;
        } catch (IOException e) {
            System.err.println("cannot write keys to " + dir + ": " + e.getMessage());
            return 1;
        }
    }

    /** Binds the settings exactly as the service would (arguments, environment, files) and checks them. */
    static int doctor(String[] args) {
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        SpringApplication app = new SpringApplication(Empty.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setLogStartupInfo(false);
        app.setBannerMode(org.springframework.boot.Banner.Mode.OFF);
        app.setDefaultProperties(java.util.Map.of("spring.main.log-startup-info", "false", "logging.level.root", "WARN"));
        try (ConfigurableApplicationContext context = app.run(rest)) {
            Binder binder = Binder.get(context.getEnvironment());
            AlipayProperties alipay = binder.bindOrCreate("alipay", AlipayProperties.class);
            PaymentsProperties payments = binder.bindOrCreate("payments", PaymentsProperties.class);
            if (alipay.demo()) {
                System.out.println("OK: demo mode (alipay.gateway-url is not set): in-process sandbox, keys under "
                        + Path.of(payments.dataDir()).toAbsolutePath().normalize());
                return 0;
            }
            ProductionSettings.check(alipay, payments);
            System.out.println("OK: production configuration for " + alipay.gatewayUrl());
            return 0;
        } catch (ConfigurationProblems e) {
            for (String problem : e.problems()) {
                System.out.println(problem);
            }
            return 1;
        } catch (RuntimeException e) {
            System.out.println(e.getMessage());
            return 1;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Empty {
    }
}
