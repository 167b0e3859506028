package dev.zhifu.sandbox.trade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.zhifu.sandbox.gateway.AlipayError;
import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The gateway's answer to each kind of bad amount (docs/sandbox.md#validation), by the one rule of Yuan. */
class MoneyTest {

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "0.01         | 0.01",
                "100000000.00 | 100000000.00",
                "100000000    | 100000000.00",
                "007.5        | 7.50"
            })
    void amounts(String text, BigDecimal value) {
        assertThat(Money.parse("total_amount", text)).isEqualTo(value.setScale(2));
    }

    @ParameterizedTest(name = "\"{0}\" gives {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\'',
            value = {
                "0             | ACQ.INVALID_PARAMETER | total_amount 必须在 [0.01, 100000000] 之间",
                "0.00          | ACQ.INVALID_PARAMETER | total_amount 必须在 [0.01, 100000000] 之间",
                "1.001         | ACQ.INVALID_PARAMETER | total_amount 格式错误：金额单位为元，精确到小数点后两位 (1.001)",
                "-1            | ACQ.INVALID_PARAMETER | total_amount 格式错误：金额单位为元，精确到小数点后两位 (-1)",
                "1e2           | ACQ.INVALID_PARAMETER | total_amount 格式错误：金额单位为元，精确到小数点后两位 (1e2)",
                "' 1.00'       | ACQ.INVALID_PARAMETER | total_amount 格式错误：金额单位为元，精确到小数点后两位 ( 1.00)",
                "100000000.01  | ACQ.TOTAL_FEE_EXCEED  | total_amount 超过最大金额 100000000 元",
                "1000000000000000000000 | ACQ.TOTAL_FEE_EXCEED | total_amount 超过最大金额 100000000 元"
            })
    void badAmounts(String text, String subCode, String subMsg) {
        AlipayError error = catchThrowableOfType(AlipayError.class, () -> Money.parse("total_amount", text));
        assertThat(error.result().subCode()).isEqualTo(subCode);
        assertThat(error.result().fields()).containsEntry("sub_msg", subMsg);
    }
}
