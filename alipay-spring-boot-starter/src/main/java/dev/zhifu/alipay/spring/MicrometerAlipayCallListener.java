package dev.zhifu.alipay.spring;

import dev.zhifu.alipay.AlipayCallListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Records every gateway call attempt as the timer {@code alipay.client.calls}, tagged by {@code method},
 * {@code outcome}, {@code code} and {@code sub_code} ("none" when absent). Codes come from a small fixed
 * vocabulary, so the tag cardinality stays bounded.
 */
public final class MicrometerAlipayCallListener implements AlipayCallListener {

    public static final String METER = "alipay.client.calls";
    private final MeterRegistry registry;

    public MicrometerAlipayCallListener(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onCall(Event event) {
        Timer.builder(METER)
                .description("Alipay gateway call attempts")
                .tag("method", event.method())
                .tag("outcome", event.outcome().name().toLowerCase(java.util.Locale.ROOT))
                .tag("code", event.code() == null ? "none" : event.code())
                .tag("sub_code", event.subCode() == null ? "none" : event.subCode())
                .register(registry)
                .record(event.duration());
    }
}
