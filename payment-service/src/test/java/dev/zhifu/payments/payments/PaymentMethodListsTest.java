package dev.zhifu.payments.payments;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document's method lists are annotation constants, so they cannot be taken from {@link PaymentMethod}:
 * this keeps them equal to it, and the validator's message, which is taken from it.
 */
class PaymentMethodListsTest {

    private static final List<String> WIRES =
            Arrays.stream(PaymentMethod.values()).map(PaymentMethod::wire).toList();

    /** {@code @Schema} does not target record components: Java puts it on the record's field. */
    private static List<String> allowed(Class<? extends Record> type) {
        try {
            return List.of(
                    type.getDeclaredField("method").getAnnotation(Schema.class).allowableValues());
        } catch (NoSuchFieldException e) {
            throw new AssertionError(type + " has no method", e);
        }
    }

    @Test
    void theCreateRequestsSchemaListsEveryMethodInOrder() {
        assertThat(allowed(CreatePaymentRequest.class)).isEqualTo(WIRES);
    }

    @Test
    void thePaymentsSchemaListsEveryMethodInOrder() {
        assertThat(allowed(PaymentView.class)).isEqualTo(WIRES);
    }

    @Test
    void theValidatorNamesEveryMethod() {
        assertThat(PaymentValidator.METHODS)
                .isEqualTo("page, wap, app, qr, barcode, wechat_native, wechat_jsapi, wechat_h5, wechat_app or any_qr");
    }
}
