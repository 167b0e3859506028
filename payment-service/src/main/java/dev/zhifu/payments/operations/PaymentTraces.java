package dev.zhifu.payments.operations;

import dev.zhifu.alipay.notify.NotificationVerifier;
import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import java.util.Map;
import java.util.function.Function;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Ties the traces of one payment together. Alipay's notification arrives in a trace of its own (Alipay sends
 * no trace context), so the trace context of the API request that created the payment is kept on the payment
 * ({@code payments.trace_parent}, V30) and the notification's span carries a span link to it: a tracing UI
 * leads from the notification to the request, its Alipay calls, and back.
 */
@Component
public class PaymentTraces {

    public static final String NOTIFICATION_SPAN = "alipay notification";

    private final ObjectProvider<Tracer> tracer;
    private final JdbcClient jdbc;

    public PaymentTraces(ObjectProvider<Tracer> tracer, JdbcClient jdbc) {
        this.tracer = tracer;
        this.jdbc = jdbc;
    }

    /** Remembers the current trace as the one that created the payment. */
    public void created(String paymentId) {
        Tracer t = tracer.getIfAvailable();
        Span current = t == null ? null : t.currentSpan();
        if (current == null || current.isNoop()) {
            return;
        }
        TraceContext c = current.context();
        jdbc.sql("UPDATE payments SET trace_parent = ? WHERE id = ? AND trace_parent IS NULL")
                .params(c.traceId() + "-" + c.spanId(), paymentId).update();
    }

    /**
     * Runs the handling of a notification in a span {@code alipay notification}, linked to the payment's
     * creation. Only protocol fields become attributes: no buyer identifiers, no signature.
     *
     * @param body    the raw form body as received
     * @param handle  the handling; its answer's {@code toString()} names the result (a span attribute)
     */
    public <T> T notification(byte[] body, Function<Span, T> handle) {
        Tracer t = tracer.getIfAvailable();
        if (t == null || t == Tracer.NOOP) {
            return handle.apply(Span.NOOP);
        }
        Map<String, String> params;
        try {
            params = NotificationVerifier.decodeForm(body);
        } catch (RuntimeException malformed) { // AlipaySignatureException among them
            params = Map.of();
        }
        Span.Builder builder = t.spanBuilder().name(NOTIFICATION_SPAN).kind(Span.Kind.CONSUMER);
        for (String name : new String[]{"notify_id", "notify_type", "out_trade_no", "trade_status"}) {
            String value = params.get(name);
            if (value != null && value.length() <= 128) {
                builder.tag("alipay." + name, value);
            }
        }
        TraceContext creation = creationOf(t, params.get("out_trade_no"));
        if (creation != null) {
            builder.addLink(new Link(creation));
        }
        Span span = builder.start();
        try (Tracer.SpanInScope ignored = t.withSpan(span)) {
            return handle.apply(span);
        } catch (RuntimeException | Error e) {
            span.error(e);
            throw e;
        } finally {
            span.end();
        }
    }

    private TraceContext creationOf(Tracer t, String outTradeNo) {
        if (outTradeNo == null || outTradeNo.length() > 64) {
            return null;
        }
        String parent;
        try {
            parent = jdbc.sql("SELECT trace_parent FROM payments WHERE out_trade_no = ?").param(outTradeNo)
                    .query(String.class).optional().orElse(null);
        } catch (RuntimeException e) {
            return null; // a link is a convenience; the notification is handled anyway
        }
        if (parent == null || parent.indexOf('-') < 0) {
            return null;
        }
        String[] ids = parent.split("-", 2);
        return t.traceContextBuilder().traceId(ids[0]).spanId(ids[1]).sampled(true).build();
    }
}
