package dev.zhifu.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.alipay.Yuan.Problem;
import dev.zhifu.alipay.trade.PrecreateRequest;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Alipay's amount rule at its edges: the text every module parses, and the numbers the client sends. */
class YuanTest {

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "0.01         | 0.01",
                "1            | 1.00",
                "9.9          | 9.90",
                "9.90         | 9.90",
                "100000000    | 100000000.00",
                "100000000.0  | 100000000.00",
                "100000000.00 | 100000000.00",
                "0009.90      | 9.90",
                "00.01        | 0.01",
                "000000000000000000000000000000100000000.00 | 100000000.00"
            })
    void amountsInRange(String text, String value) {
        assertThat(Yuan.problem(text)).isNull();
        assertThat(Yuan.parse(text))
                .isEqualTo(new BigDecimal(value))
                .extracting(BigDecimal::scale)
                .isEqualTo(2);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"0", "0.00", "0.0", "000.00", "0.001"})
    void belowOneFen(String text) {
        // 0.001 has a third decimal: malformed before it is small
        assertThat(Yuan.problem(text)).isEqualTo(text.equals("0.001") ? Problem.MALFORMED : Problem.TOO_SMALL);
        assertThat(Yuan.parse(text)).isNull();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(
            strings = {
                "100000000.01",
                "100000001",
                "999999999.99",
                "1000000000",
                "0001000000000.00",
                "99999999999999999999999999999999.99"
            })
    void aboveOneHundredMillion(String text) {
        assertThat(Yuan.problem(text)).isEqualTo(Problem.TOO_LARGE);
        assertThat(Yuan.parse(text)).isNull();
    }

    @Test
    void aHugeNumberIsTooLargeWithoutBeingBuilt() {
        assertThat(Yuan.problem("1" + "0".repeat(100_000))).isEqualTo(Problem.TOO_LARGE);
        assertThat(Yuan.problem("0".repeat(100_000) + "1.00")).isNull();
    }

    @Test
    void aLongRunOfDigitsBeforeABadCharacterFailsFast() {
        String hostile = "0".repeat(200_000) + "x";
        long started = System.nanoTime();
        assertThat(Yuan.problem(hostile)).isEqualTo(Problem.MALFORMED);
        // linear: a backtracking pattern would take minutes here
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(
            strings = {
                "",
                " ",
                "1.001",
                "9.900",
                "1.",
                ".5",
                "-1",
                "-0.01",
                "+1",
                "1e2",
                "1E+2",
                "9.9e1",
                "NaN",
                "Infinity",
                " 9.90",
                "9.90 ",
                "9 .90",
                "\t1",
                "9,90",
                "1,000.00",
                "9..90",
                "1.0.0",
                "0x10",
                "\uff11.\uff10\uff10",
                "\u0661",
                "九点九",
                "9.90x"
            })
    void notAnAmount(String text) {
        assertThat(Yuan.problem(text)).isEqualTo(Problem.MALFORMED);
        assertThat(Yuan.parse(text)).isNull();
    }

    @Test
    void nullIsNotAnAmount() {
        assertThat(Yuan.problem((String) null)).isEqualTo(Problem.MALFORMED);
        assertThat(Yuan.parse(null)).isNull();
        assertThat(Yuan.problem((BigDecimal) null)).isEqualTo(Problem.MALFORMED);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "0.01         |",
                "100000000.00 |",
                "1E+8         |",
                "9.900        |",
                "0.00         | TOO_SMALL",
                "-5           | TOO_SMALL",
                "100000000.01 | TOO_LARGE",
                "1E+9         | TOO_LARGE",
                "1.001        | MALFORMED",
                "0.005        | MALFORMED"
            })
    void numbers(String number, Problem expected) {
        assertThat(Yuan.problem(new BigDecimal(number))).isEqualTo(expected);
    }

    @Test
    void formatWritesTwoDecimalsAndNoExponent() {
        assertThat(Yuan.format(new BigDecimal("9.9"))).isEqualTo("9.90");
        assertThat(Yuan.format(new BigDecimal("1E+8"))).isEqualTo("100000000.00");
        assertThat(Yuan.format(new BigDecimal("0.010"))).isEqualTo("0.01");
        assertThatThrownBy(() -> Yuan.format(new BigDecimal("1.001"))).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void theClientRefusesToSendWhatTheRuleRefuses() {
        PrecreateRequest largest = PrecreateRequest.of("o-1", new BigDecimal("1E+8"), "x");
        largest.validate();
        assertThat(largest.bizContent()).containsEntry("total_amount", "100000000.00");
        assertThatThrownBy(() -> PrecreateRequest.of("o-1", new BigDecimal("100000000.01"), "x")
                        .validate())
                .hasMessage("total_amount: must be 0.01 to 100000000.00, got 100000000.01");
        assertThatThrownBy(
                        () -> PrecreateRequest.of("o-1", BigDecimal.ZERO, "x").validate())
                .hasMessage("total_amount: must be 0.01 to 100000000.00, got 0");
        assertThatThrownBy(() ->
                        PrecreateRequest.of("o-1", new BigDecimal("1.001"), "x").validate())
                .hasMessage("total_amount: at most 2 decimals, got 1.001");
    }
}
