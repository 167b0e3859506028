package dev.zhifu.payments.operations;

import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import java.util.Map;
import java.util.function.Function;
import org.springframework.beans.factory.ObjectProvider;
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
    public static final String WECHATPAY_NOTIFICATION_SPAN = "wechatpay notification";

    private final ObjectProvider<Tracer> tracerProvider;
    /** Resolved on first use, not per request: a bean lookup costs more than the span it would start. */
    private volatile Tracer tracer;

    public PaymentTraces(ObjectProvider<Tracer> tracer) {
        this.tracerProvider = tracer;
    }

    private Tracer tracer() {
        Tracer t = tracer;
        if (t == null) {
            t = tracerProvider.getIfAvailable(() -> Tracer.NOOP);
            tracer = t;
        }
        return t;
    }

    /**
     * The current trace as {@code traceId-spanId}, stored with a new payment ({@code payments.trace_parent}) so
     * that its notification can link back to it; null without a sampled trace.
     */
    public String currentTraceParent() {
        Span current = tracer().currentSpan();
        if (current == null || current.isNoop()) {
            return null;
        }
        TraceContext c = current.context();
        return c.traceId() + "-" + c.spanId();
    }

    /**
     * Runs the handling of a notification in a span {@code alipay notification}, linked to the payment's
     * creation. Only protocol fields become attributes: no buyer identifiers, no signature.
     *
     * @param form        the decoded form (empty when it could not be decoded)
     * @param traceParent the payment's {@code trace_parent} (see {@link #currentTraceParent}), or null
     * @param handle      the handling; its answer's {@code toString()} names the result (a span attribute)
     */
    public <T> T notification(Map<String, String> form, String traceParent, Function<Span, T> handle) {
        return notification("alipay", NOTIFICATION_SPAN, form, traceParent, handle);
    }

    /**
     * The same for a WeChat Pay notification, in a span {@code wechatpay notification}.
     *
     * @param fields the envelope's {@code id} and {@code event_type}, and the decrypted {@code out_trade_no} and
     *               {@code trade_state} or {@code refund_status} where known
     */
    public <T> T wechatPayNotification(Map<String, String> fields, String traceParent, Function<Span, T> handle) {
        return notification("wechatpay", WECHATPAY_NOTIFICATION_SPAN, fields, traceParent, handle);
    }

    private <T> T notification(
            String channel, String spanName, Map<String, String> params, String traceParent, Function<Span, T> handle) {
        Tracer t = tracer();
        if (t == Tracer.NOOP) {
            return handle.apply(Span.NOOP);
        }
        Span.Builder builder = t.spanBuilder().name(spanName).kind(Span.Kind.CONSUMER);
        builder.tag("payments.channel", channel);
        for (String name : new String[] {
            "notify_id",
            "notify_type",
            "out_trade_no",
            "trade_status",
            "id",
            "event_type",
            "trade_state",
            "refund_status"
        }) {
            String value = params.get(name);
            if (value != null && value.length() <= 128) {
                builder.tag(channel + "." + name, value);
            }
        }
        TraceContext creation = linkTo(t, traceParent);
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

    private static TraceContext linkTo(Tracer t, String parent) {
        if (parent == null || parent.indexOf('-') < 0) {
            return null;
        }
        String[] ids = parent.split("-", 2);
        return t.traceContextBuilder()
                .traceId(ids[0])
                .spanId(ids[1])
                .sampled(true)
                .build();
    }
}
