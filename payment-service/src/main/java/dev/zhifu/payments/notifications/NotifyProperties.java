package dev.zhifu.payments.notifications;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code payments.notify.*}: what {@code POST /notify/alipay} accepts before any work is done.
 *
 * @param allowedIps      when not empty, only these addresses or CIDR ranges (IPv4 or IPv6) may post; others get 403.
 *                        Behind a proxy set {@code server.forward-headers-strategy=native} with the proxies in
 *                        {@code server.tomcat.remoteip.internal-proxies}, so that the client's address is seen
 * @param maxBodySize     larger bodies are refused (413) without being read in full
 * @param maxAge          a notification whose {@code notify_time} is older than this is refused (0 = no limit). Alipay
 *                        re-sends for about 25 hours, so keep this above that unless you rely on sync alone
 * @param maxFutureSkew   how far {@code notify_time} may be ahead of our clock
 * @param refusalsPerMinute posts that fail verification (undecodable, bad signature, stale) or are refused before it
 *                        (not allowed, too large) one address may make per minute; past that such posts from it are
 *                        answered 429 and not kept. A correctly signed notification is never throttled: it is
 *                        verified before the limit is looked at
 * @param refusalBurst    refused posts an address may make at once before the rate applies
 * @param evidenceRetention how long the evidence of a refused, unauthenticated post is kept
 * @param evidencePerSource at most this many rows of evidence per remote address
 * @param evidenceMax     at most this many rows of evidence in all
 * @param port            when set, a second connector on this port serves only the Alipay-facing paths
 *                        ({@code /notify/alipay}, {@code /return/alipay}); expose that port to the internet and keep
 *                        {@code server.port} (API, admin, docs) internal
 */
@ConfigurationProperties("payments.notify")
public record NotifyProperties(
        List<String> allowedIps,
        @DefaultValue("64KB") DataSize maxBodySize,
        @DefaultValue("25h") Duration maxAge,
        @DefaultValue("5m") Duration maxFutureSkew,
        @DefaultValue("30") int refusalsPerMinute,
        @DefaultValue("30") int refusalBurst,
        Integer port,
        @DefaultValue("7d") Duration evidenceRetention,
        @DefaultValue("100") int evidencePerSource,
        @DefaultValue("10000") int evidenceMax) {

    public NotifyProperties {
        allowedIps = allowedIps == null
                ? List.of()
                : allowedIps.stream()
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList();
        if (maxBodySize.toBytes() < 1024 || maxBodySize.toBytes() > 16L * 1024 * 1024) {
            throw new IllegalArgumentException("payments.notify.max-body-size: 1KB to 16MB, got " + maxBodySize);
        }
        if (refusalsPerMinute < 1 || refusalBurst < 1) {
            throw new IllegalArgumentException("payments.notify.refusals-per-minute and .refusal-burst: at least 1");
        }
        if (evidenceRetention.isNegative() || evidenceRetention.isZero()) {
            throw new IllegalArgumentException(
                    "payments.notify.evidence-retention: more than 0, got " + evidenceRetention);
        }
        if (evidencePerSource < 0 || evidenceMax < 0) {
            throw new IllegalArgumentException("payments.notify.evidence-per-source and .evidence-max: 0 or more");
        }
        if (port != null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("payments.notify.port: 1 to 65535, got " + port);
        }
    }
}
