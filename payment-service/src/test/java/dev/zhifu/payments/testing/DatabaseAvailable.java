package dev.zhifu.payments.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Skips a class whose database server cannot be reached, before Spring tries to build its context; with
 * {@code CI=true} an unreachable server is a failure instead.
 */
public class DatabaseAvailable implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        UsesDatabase uses = context.getTestClass()
                .map(c -> AnnotatedElementUtils.findMergedAnnotation(c, UsesDatabase.class))
                .orElse(null);
        if (uses == null) {
            return ConditionEvaluationResult.enabled("no database named");
        }
        String reason = uses.value().unavailableReason();
        if (reason == null) {
            return ConditionEvaluationResult.enabled(uses.value() + " reachable");
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(uses.value() + " is required when CI=true but is not reachable: " + reason);
        }
        return ConditionEvaluationResult.disabled(uses.value() + " not reachable, skipped: " + reason);
    }
}
