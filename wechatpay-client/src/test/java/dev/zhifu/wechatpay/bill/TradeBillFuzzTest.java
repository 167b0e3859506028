package dev.zhifu.wechatpay.bill;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zhifu.fixtures.FuzzInput;

/**
 * A bill file is outside input: whatever its text, parsing gives rows that each have every column, or an
 * {@link IllegalArgumentException} naming the line.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/zhifu/wechatpay/bill/TradeBillFuzzTestInputs/}.
 */
class TradeBillFuzzTest {

    @FuzzTest
    void parse(byte[] input) {
        try {
            TradeBill bill = TradeBill.parse(FuzzInput.text(input));
            assertThat(bill.rows())
                    .allSatisfy(row -> assertThat(row.keySet()).containsExactlyElementsOf(bill.columns()));
            assertThat(bill.summary()).isNotEmpty();
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }
}
