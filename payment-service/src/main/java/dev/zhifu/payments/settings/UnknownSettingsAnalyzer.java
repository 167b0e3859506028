package dev.zhifu.payments.settings;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Start-up refused for a misspelt setting: one line per setting, with the nearest real one; no stack trace. */
public class UnknownSettingsAnalyzer extends AbstractFailureAnalyzer<UnknownSettings> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnknownSettings cause) {
        return new FailureAnalysis(
                "payment-service does not know these settings:\n  - " + String.join("\n  - ", cause.problems()),
                "Correct or remove them: a setting the service does not read would otherwise be ignored without a "
                        + "word. The settings are listed in payment-service/README.md (Configure production).",
                cause);
    }
}
