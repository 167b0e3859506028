package dev.zhifu.payments.operations;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * {@code alipay.circuit.state{name="alipay", state}}: 1 for the state the circuit breaker in front of Alipay is
 * in, 0 for the others (closed, open, half_open), the usual way to export an enum to Prometheus. The breaker is
 * whoever provides a {@link State} bean (Resilience4j's: {@code () -> breaker.getState().name()}); without one
 * the service has no breaker and the gauge says closed.
 */
@Component
public class AlipayCircuit {

    public static final String METER = "alipay.circuit.state";
    public static final List<String> STATES = List.of("closed", "open", "half_open");

    /** The breaker's current state in Resilience4j's names: CLOSED, OPEN, HALF_OPEN, FORCED_OPEN, DISABLED… */
    @FunctionalInterface
    public interface State extends Supplier<String> {}

    private final ObjectProvider<State> state;

    public AlipayCircuit(MeterRegistry registry, ObjectProvider<State> state) {
        this.state = state;
        for (String s : STATES) {
            Gauge.builder(METER, () -> current().equals(s) ? 1 : 0)
                    .description("Circuit breaker in front of Alipay: 1 for its current state")
                    .tag("name", "alipay")
                    .tag("state", s)
                    .register(registry);
        }
    }

    /** closed, open or half_open. */
    public String current() {
        State provider = state.getIfAvailable();
        String s = provider == null ? "closed" : String.valueOf(provider.get()).toLowerCase(Locale.ROOT);
        return switch (s) {
            case "open", "forced_open" -> "open";
            case "half_open" -> "half_open";
            default -> "closed"; // closed, disabled, metrics_only: calls go through
        };
    }
}
