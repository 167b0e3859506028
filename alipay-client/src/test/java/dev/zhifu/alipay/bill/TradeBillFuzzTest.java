package dev.zhifu.alipay.bill;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zhifu.fixtures.FuzzInput;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The trade bill is downloaded from a URL the gateway names, so its bytes are outside input: the parser gives a
 * summary that agrees with the lines it handed over, or refuses with {@link IllegalArgumentException} (and,
 * for the zip, {@link IOException}); nothing else, and no hang. Cells quoted as CSV split back to themselves.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/zhifu/alipay/bill/TradeBillFuzzTestInputs/}.
 */
class TradeBillFuzzTest {

    @FuzzTest
    void detail(byte[] input) throws IOException {
        List<TradeBillLine> lines = new ArrayList<>();
        TradeBillSummary summary;
        try {
            summary = TradeBillParser.parseDetail(new StringReader(FuzzInput.text(input)), lines::add);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(summary.lines()).isEqualTo(lines.size());
        assertThat(summary.paymentLines() + summary.refundLines()).isEqualTo(summary.lines());
        for (TradeBillLine line : lines) {
            assertThat(line.type()).isNotNull();
            assertThat(line.merchantReceived()).isNotNull();
        }
    }

    @FuzzTest
    void zip(byte[] input) {
        List<TradeBillLine> lines = new ArrayList<>();
        try {
            TradeBillSummary summary = TradeBillParser.parseZip(new ByteArrayInputStream(input), lines::add);
            assertThat(summary.lines()).isEqualTo(lines.size());
        } catch (IOException | IllegalArgumentException refused) {
            // a broken zip, or a detail file that is not a bill
        }
    }

    /** Input: cells separated by NUL bytes (a line holds no line break, so none in a cell). */
    @FuzzTest
    void quotedCellsSplitBack(byte[] input) {
        List<String> cells = Arrays.stream(FuzzInput.text(input).split("\u0000", -1))
                .map(c -> c.replace('\r', ' ').replace('\n', ' '))
                .toList();
        String quoted =
                cells.stream().map(c -> "\"" + c.replace("\"", "\"\"") + "\"").collect(Collectors.joining(","));
        assertThat(TradeBillParser.split(quoted)).isEqualTo(cells);
        if (cells.stream().noneMatch(c -> c.indexOf('"') >= 0 || c.indexOf(',') >= 0)) {
            assertThat(TradeBillParser.split(String.join(",", cells))).isEqualTo(cells);
        }
    }
}
