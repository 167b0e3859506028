package dev.zhifu.payments.alipay;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Start-up refused: one line per problem, each naming its setting; no stack trace, never a key. */
public class ConfigurationProblemsAnalyzer extends AbstractFailureAnalyzer<ConfigurationProblems> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigurationProblems cause) {
        return new FailureAnalysis(
                "payment-service cannot start with this configuration:\n  - " + String.join("\n  - ", cause.problems()),
                "Set the settings named above (as --name=value arguments, environment variables such as "
                        + "ALIPAY_APP_PRIVATE_KEY, or application.properties), or unset alipay.gateway-url to run the demo. "
                        + "'java -jar payment-service.jar doctor' checks a configuration without starting.",
                cause);
    }
}
