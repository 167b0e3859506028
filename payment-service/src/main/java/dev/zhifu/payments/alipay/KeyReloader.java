package dev.zhifu.payments.alipay;

import dev.zhifu.alipay.spring.AlipayProperties;
import dev.zhifu.alipay.spring.KeyText;
import dev.zhifu.payments.config.PaymentsProperties;
import dev.zhifu.payments.secrets.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Key rotation without downtime (production mode): every {@code alipay.key-reload-interval} the key and
 * certificate files named by the {@code alipay.*} settings are looked at (a hash of their content), and the
 * {@link AlipayKeySource}'s version when there is one. When something changed, the configuration is read and
 * checked again and a new client swapped in atomically; calls in progress finish with the old one. Key material
 * that cannot be used is reported (naming the setting and file, never the key) and the old client stays.
 *
 * <p>During an Alipay key change, list both public keys ({@code alipay.alipay-public-key=old.pem,new.pem}) so
 * answers signed by either verify; in certificate mode the client fetches a rotated Alipay certificate itself.
 */
@Component
public class KeyReloader {

    private static final Logger log = LoggerFactory.getLogger(KeyReloader.class);

    private final AlipayProperties alipay;
    private final PaymentsProperties payments;
    private final AlipayGateway gateway;
    private final ObjectProvider<AlipayKeySource> keySource;
    private volatile String fingerprint;
    private volatile String lastProblem;

    public KeyReloader(
            AlipayProperties alipay,
            PaymentsProperties payments,
            AlipayGateway gateway,
            ObjectProvider<AlipayKeySource> keySource) {
        this.alipay = alipay;
        this.payments = payments;
        this.gateway = gateway;
        this.keySource = keySource;
        this.fingerprint = DemoMode.isDemo(alipay) ? "" : fingerprint();
    }

    @Scheduled(
            fixedDelayString = "${alipay.key-reload-interval:30s}",
            initialDelayString = "${alipay.key-reload-interval:30s}")
    public void scheduled() {
        try {
            reloadIfChanged();
        } catch (RuntimeException e) {
            log.warn("Key reload check failed: {}", e.getClass().getSimpleName());
        }
    }

    /** Answers true when new key material was found and is now in use. */
    public boolean reloadIfChanged() {
        if (DemoMode.isDemo(alipay)) {
            return false;
        }
        String now = fingerprint();
        if (now.equals(fingerprint)) {
            return false;
        }
        try {
            gateway.reconnect(ProductionSettings.builder(alipay, payments, keySource.getIfAvailable()));
        } catch (ConfigurationProblems e) {
            String problem = String.join("; ", e.problems());
            if (!problem.equals(lastProblem)) { // once per change, not every interval
                log.error("Alipay key material changed but cannot be used; still using the previous keys: {}", problem);
                lastProblem = problem;
            }
            return false;
        }
        fingerprint = now;
        lastProblem = null;
        log.info("Alipay keys reloaded: a new client is in use");
        return true;
    }

    /** What identifies the key material now: file names with content hashes, inline values as hashes. */
    private String fingerprint() {
        StringBuilder s = new StringBuilder();
        AlipayKeySource source = keySource.getIfAvailable();
        if (source != null) {
            s.append("source:").append(source.version()).append('|');
        }
        List<String> values = new ArrayList<>();
        values.add(alipay.appPrivateKey());
        values.addAll(alipay.alipayPublicKey());
        values.add(alipay.appCert());
        values.addAll(alipay.alipayCert());
        values.add(alipay.alipayRootCert());
        for (String value : values) {
            s.append(value == null || value.isBlank() ? "" : part(value.strip()))
                    .append('|');
        }
        return s.toString();
    }

    /** A file (as the settings are read, KeyText) by its content's hash, an inline key by its own. */
    private static String part(String value) {
        Path path = KeyText.fileOf(value);
        if (path != null && Files.isRegularFile(path)) {
            try {
                // the content's hash rather than the modification time: a file replaced within the same
                // millisecond, or copied with its old time, is still noticed
                return path.toAbsolutePath() + "@"
                        + Hashing.sha256Hex(Files.readString(path, StandardCharsets.ISO_8859_1));
            } catch (IOException unreadable) {
                // noticed when it can be read again
            }
        }
        return "inline:" + Hashing.sha256Hex(value);
    }
}
