package dev.zhifu.payments.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code payments.http.*}: how request bodies are received ({@link RequestBodyFilter}) before anything else of the
 * service sees the request.
 *
 * @param maxBodySize a larger body is refused (413) without being received in full; applies to every path (the
 *                    notification endpoint's own, smaller {@code payments.notify.max-body-size} still applies there)
 * @param bodyTimeout the whole body must have arrived this long after the request's headers, or the request is
 *                    answered 408 and its connection closed. No worker thread waits for a body meanwhile
 * @param maxBuffered the bodies still arriving may hold at most this much memory together; a request that would need
 *                    more is answered 503 (and its connection closed), so that many connections sending large bodies
 *                    at once cannot exhaust the heap
 */
@ConfigurationProperties("payments.http")
public record RequestBodyProperties(
        @DefaultValue("1MB") DataSize maxBodySize,
        @DefaultValue("10s") Duration bodyTimeout,
        @DefaultValue("64MB") DataSize maxBuffered) {

    public RequestBodyProperties {
        if (maxBodySize.toBytes() < 1024 || maxBodySize.toBytes() > 64L * 1024 * 1024) {
            throw new IllegalArgumentException("payments.http.max-body-size: 1KB to 64MB, got " + maxBodySize);
        }
        // the container looks for expired deadlines about once a second: a shorter one would not be kept
        if (bodyTimeout.compareTo(Duration.ofSeconds(1)) < 0 || bodyTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("payments.http.body-timeout: 1s to 10m, got " + bodyTimeout);
        }
        if (maxBuffered.toBytes() < maxBodySize.toBytes()) {
            throw new IllegalArgumentException("payments.http.max-buffered: at least payments.http.max-body-size ("
                    + maxBodySize + "), got " + maxBuffered);
        }
    }
}
