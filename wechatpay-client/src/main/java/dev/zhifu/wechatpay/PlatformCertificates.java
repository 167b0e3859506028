package dev.zhifu.wechatpay;

import dev.zhifu.wechatpay.crypto.PemKeys;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The platform certificates trusted now, by serial number: several at once while WeChat Pay rotates them. An
 * unknown serial triggers one download, at most once a minute, so forged notifications naming made-up serials
 * cannot turn the client into a download loop (docs/wechatpay-protocol.md#s5).
 */
final class PlatformCertificates {

    private static final Duration MIN_REFRESH_INTERVAL = Duration.ofMinutes(1);

    private final Clock clock;
    private final Supplier<Map<String, X509Certificate>> download;
    private final Map<String, X509Certificate> bySerial = new HashMap<>();
    private Instant lastDownload;

    /** {@code download} null: the given certificates only. */
    PlatformCertificates(
            Iterable<X509Certificate> given, Clock clock, Supplier<Map<String, X509Certificate>> download) {
        this.clock = clock;
        this.download = download;
        for (X509Certificate certificate : given) {
            bySerial.put(PemKeys.serialNumber(certificate), certificate);
        }
    }

    /** The valid certificate with this serial, downloading once when it is unknown. */
    synchronized Optional<X509Certificate> find(String serial) {
        X509Certificate known = bySerial.get(serial);
        if (known == null && mayDownload()) {
            refresh();
            known = bySerial.get(serial);
        }
        return Optional.ofNullable(known).filter(this::valid);
    }

    /** The newest valid certificate, for encrypting sensitive fields; downloads when there is none. */
    synchronized Optional<X509Certificate> newest() {
        if (bySerial.values().stream().noneMatch(this::valid) && mayDownload()) {
            refresh();
        }
        return bySerial.values().stream()
                .filter(this::valid)
                .max(java.util.Comparator.comparing(X509Certificate::getNotAfter)
                        .thenComparing(PemKeys::serialNumber));
    }

    /** The serial of the newest valid certificate already held, without downloading; null when none is. */
    synchronized String newestKnownSerial() {
        return bySerial.entrySet().stream()
                .filter(e -> valid(e.getValue()))
                .max(java.util.Comparator.comparing((Map.Entry<String, X509Certificate> e) ->
                                e.getValue().getNotAfter())
                        .thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey)
                .orElse(null);
    }

    private boolean mayDownload() {
        return download != null
                && (lastDownload == null || !clock.instant().isBefore(lastDownload.plus(MIN_REFRESH_INTERVAL)));
    }

    private void refresh() {
        lastDownload = clock.instant();
        bySerial.putAll(download.get());
    }

    private boolean valid(X509Certificate certificate) {
        try {
            certificate.checkValidity(Date.from(clock.instant()));
            return true;
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            return false;
        }
    }
}
