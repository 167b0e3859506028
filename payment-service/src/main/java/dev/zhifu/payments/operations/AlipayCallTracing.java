package dev.zhifu.payments.operations;

import dev.zhifu.alipay.AlipayCallListener;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * A client span per attempt of every Alipay call, child of whatever span is current (the API request, a
 * notification, a job item), named {@code alipay <method>}, with Alipay's {@code trace_id} (what Alipay
 * support asks for) when its answer carried one. The client reports an attempt when it ends, on the calling
 * thread, so the span is opened with the attempt's start time and closed at once.
 */
@Component
public class AlipayCallTracing implements AlipayCallListener {

    private final ObjectProvider<Tracer> tracerProvider;
    /** Resolved on first use, not per call. */
    private volatile Tracer tracer;

    public AlipayCallTracing(ObjectProvider<Tracer> tracer) {
        this.tracerProvider = tracer;
    }

    /** Every {@link AlipayCallListener} bean (metrics, tracing) as the one listener an {@code AlipayConfig} takes. */
    public static AlipayCallListener fanOut(ObjectProvider<AlipayCallListener> listeners) {
        List<AlipayCallListener> all = listeners.orderedStream().toList();
        return event -> {
            for (AlipayCallListener l : all) {
                try {
                    l.onCall(event);
                } catch (RuntimeException ignored) {
                    // one broken listener must not silence the others, nor break a payment
                }
            }
        };
    }

    @Override
    public void onCall(Event event) {
        Tracer t = tracer;
        if (t == null) {
            t = tracerProvider.getIfAvailable(() -> Tracer.NOOP);
            tracer = t;
        }
        if (t == Tracer.NOOP) {
            return;
        }
        Instant end = Instant.now();
        Instant start = end.minus(event.duration());
        Span.Builder builder = t.spanBuilder()
                .name("alipay " + event.method())
                .kind(Span.Kind.CLIENT)
                .remoteServiceName("alipay")
                .tag("alipay.method", event.method())
                .tag("alipay.attempt", event.attempt())
                .tag("alipay.outcome", event.outcome().name().toLowerCase(Locale.ROOT))
                .tag("alipay.will_retry", event.willRetry())
                .startTimestamp(micros(start), TimeUnit.MICROSECONDS);
        if (event.code() != null) {
            builder.tag("alipay.code", event.code());
        }
        if (event.subCode() != null) {
            builder.tag("alipay.sub_code", event.subCode());
        }
        if (event.httpStatus() > 0) {
            builder.tag("http.response.status_code", event.httpStatus());
        }
        if (event.traceId() != null && !event.traceId().isBlank()) {
            builder.tag("alipay.trace_id", event.traceId());
        }
        Span span = builder.start();
        if (event.outcome() != Outcome.SUCCESS && event.outcome() != Outcome.BUSINESS_ERROR) {
            span.error(new AlipayCallFailed(event.method() + ": " + event.outcome()));
        }
        span.end(micros(end), TimeUnit.MICROSECONDS);
    }

    private static long micros(Instant at) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, at);
    }

    /** Marks a span failed without a stack trace: the client's own exception is reported where it is handled. */
    static final class AlipayCallFailed extends RuntimeException {
        AlipayCallFailed(String message) {
            super(message, null, false, false);
        }
    }
}
