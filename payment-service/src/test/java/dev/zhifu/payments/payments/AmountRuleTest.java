package dev.zhifu.payments.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.zhifu.payments.refunds.RefundBody;
import dev.zhifu.payments.refunds.RefundService;
import dev.zhifu.payments.web.ApiException;
import dev.zhifu.payments.web.FieldErrors.FieldError;
import java.math.BigDecimal;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST API's amounts (docs/rest-api.md#create, #refund-create) follow Alipay's rule (dev.zhifu.alipay.Yuan), with
 * the API's own codes and messages; surrounding spaces are ignored, as for every text member.
 */
class AmountRuleTest {

    private static final String PAYMENT_MESSAGE = "must be 0.01 to 100000000.00 with at most 2 decimals";
    private static final String REFUND_MESSAGE = "a decimal string from 0.01 to 100000000.00 with at most 2 decimals";

    private final PaymentValidator validator =
            new PaymentValidator(JsonMapper.builder().build());

    private static CreatePaymentRequest create(String amount) {
        return new CreatePaymentRequest(null, amount, "Coffee", "qr", null, null, null, null, null, null);
    }

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\'',
            value = {
                "0.01            | 0.01",
                "100000000.00    | 100000000.00",
                "9.9             | 9.90",
                "0009.90         | 9.90",
                "' 9.90 '        | 9.90"
            })
    void amounts(String text, BigDecimal value) {
        assertThat(validator.check(create(text)).amount()).isEqualTo(value.setScale(2));
        assertThat(RefundService.validate(new RefundBody(text, null)).amount()).isEqualTo(value.setScale(2));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(
            strings = {
                "0",
                "0.00",
                "100000000.01",
                "1000000000",
                "1.001",
                "0.001",
                "-1",
                "-0.01",
                "+1",
                "1e2",
                "9.9e1",
                "9,90",
                ".5",
                "5.",
                "9 .90",
                "NaN",
                "\uff19.\uff19\uff10",
                "100000000000000000000000000000000000000000000000000000000000000000000000000000000000000.00"
            })
    void notAmounts(String text) {
        assertThat(problems(() -> validator.check(create(text))))
                .containsExactly(new FieldError("amount", PAYMENT_MESSAGE));
        assertThat(problems(() -> RefundService.validate(new RefundBody(text, null))))
                .containsExactly(new FieldError("amount", REFUND_MESSAGE));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "  "})
    void blankIsMissing(String text) {
        assertThat(problems(() -> validator.check(create(text))))
                .containsExactly(new FieldError("amount", "required, a decimal string such as \"9.90\""));
        assertThat(problems(() -> RefundService.validate(new RefundBody(text, null))))
                .containsExactly(new FieldError("amount", "required, e.g. \"1.00\""));
    }

    @SuppressWarnings("unchecked")
    private static List<FieldError> problems(ThrowingCallable call) {
        ApiException e = catchThrowableOfType(ApiException.class, call);
        assertThat(e.code()).isEqualTo("validation_failed");
        return (List<FieldError>) e.extra().get("errors");
    }
}
