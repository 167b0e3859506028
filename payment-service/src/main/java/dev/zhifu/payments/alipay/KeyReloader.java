package dev.zhifu.payments.alipay;

import dev.zhifu.payments.config.PaymentsProperties;
import dev.zhifu.payments.secrets.Hashing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
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

    public KeyReloader(AlipayProperties alipay, PaymentsProperties payments, AlipayGateway gateway,
                       ObjectProvider<AlipayKeySource> keySource) {
        this.alipay = alipay;
        this.payments = payments;
        this.gateway = gateway;
        this.keySource = keySource;
        this.fingerprint = alipay.demo() ? "" : fingerprint();
    }

    @Scheduled(fixedDelayString = "${alipay.key-reload-interval:30s}", initialDelayString = "${alipay.key-reload-interval:30s}")
    public void scheduled() {
        try {
            reloadIfChanged();
        } catch (RuntimeException e) {
            log.warn("Key reload check failed: {}", e.getClass().getSimpleName());
        }
    }

    /** Answers true when new key material was found and is now in use. */
    public boolean reloadIfChanged() {
        if (alipay.demo()) {
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
        for (String value : List.of(nz(alipay.appPrivateKey()), nz(alipay.alipayPublicKey()), nz(alipay.appCert()),
                nz(alipay.alipayCert()), nz(alipay.alipayRootCert()))) {
            for (String one : value.contains("-----BEGIN") ? new String[]{value} : value.split(",")) {
                s.append(part(one.strip())).append('|');
            }
        }
        return s.toString();
    }

    private static String part(String value) {
        if (value.isEmpty()) {
            return "";
        }
        try {
            Path path = Path.of(value);
            if (Files.isRegularFile(path)) {
                // the content's hash rather than the modification time: a file replaced within the same
                // millisecond, or copied with its old time, is still noticed
                return path.toAbsolutePath() + "@" + Hashing.sha256Hex(Files.readString(path, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        } catch (InvalidPathException | IOException notAFile) {
            // inline key
        }
        return "inline:" + Hashing.sha256Hex(value);
    }

    private static String nz(String s) {
        return Objects.requireNonNullElse(s, "");
    }
}
