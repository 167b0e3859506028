package dev.zhifu.payments.alipay;

import java.util.List;

/** The service cannot start with this configuration; each problem names its setting. */
public final class ConfigurationProblems extends RuntimeException {

    private final List<String> problems;

    public ConfigurationProblems(List<String> problems) {
        super("payment-service cannot start:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
