package dev.zhifu.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Yuan in the API, fen on the wire (docs/wechatpay-protocol.md#s9). */
class FenTest {

    @ParameterizedTest
    @CsvSource({"0.01,1", "1,100", "12.3,1230", "12.30,1230", "99999999.99,9999999999", "1.000,100"})
    void yuanBecomeFen(String yuan, long fen) {
        assertThat(Fen.fromYuan(new BigDecimal(yuan))).isEqualTo(fen);
        assertThat(Fen.toYuan(fen)).isEqualByComparingTo(yuan);
        assertThat(Fen.toYuan(fen).scale()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0.00", "-1", "0.001", "1.005", "1E+30"})
    void amountsThatAreNotFenAreRefused(String yuan) {
        assertThatThrownBy(() -> Fen.fromYuan(new BigDecimal(yuan))).isInstanceOf(IllegalArgumentException.class);
    }
}
