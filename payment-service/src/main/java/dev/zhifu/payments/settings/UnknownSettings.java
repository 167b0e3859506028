package dev.zhifu.payments.settings;

import java.util.List;

/** Settings under {@code alipay.*} or {@code payments.*} that the service does not read; each line names one. */
public final class UnknownSettings extends RuntimeException {

    private final List<String> problems;

    public UnknownSettings(List<String> problems) {
        super("unknown settings:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
