package dev.zhifu.wechatpay.bill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** WeChat Pay's bill layout (docs/wechatpay-protocol.md#s11). */
class TradeBillTest {

    private static final String BILL = "交易时间,商户订单号,商品名称,应结订单金额\r\n"
            + "`2026-12-06 10:00:00,`order-1,`咖啡, 大杯,`1.00\r\n"
            + "`2026-12-06 11:00:00,`order-2,`茶,`2.00\r\n"
            + "总交易单数,应结订单总金额\r\n"
            + "`2,`3.00\r\n";

    @Test
    void rowsAndSummaryAreReadByColumnName() {
        TradeBill bill = TradeBill.parse(BILL);

        assertThat(bill.columns()).containsExactly("交易时间", "商户订单号", "商品名称", "应结订单金额");
        assertThat(bill.rows()).hasSize(2);
        assertThat(bill.rows().get(0)).containsEntry("商品名称", "咖啡, 大杯").containsEntry("应结订单金额", "1.00");
        assertThat(bill.summary()).containsEntry("总交易单数", "2").containsEntry("应结订单总金额", "3.00");
    }

    @Test
    void aBillWithoutTrades() {
        TradeBill bill = TradeBill.parse("交易时间,商户订单号\n总交易单数\n`0\n");

        assertThat(bill.rows()).isEmpty();
        assertThat(bill.summary()).containsEntry("总交易单数", "0");
    }

    @Test
    void aFundFlowBillWhoseSummaryHeaderStartsWithItsNameIsReadToo() {
        TradeBill bill = TradeBill.parse("记账时间,资金流水单号,收支类型,收支金额（元）\r\n"
                + "`2026-12-06 10:00:00,`1000,`收入,`1.00\r\n"
                + "资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额\r\n"
                + "`1,`1,`1.00,`0,`0.00\r\n");

        assertThat(bill.rows()).singleElement().satisfies(r -> assertThat(r).containsEntry("收支类型", "收入"));
        assertThat(bill.summary()).containsEntry("资金流水总笔数", "1").containsEntry("支出金额", "0.00");
    }

    @Test
    void aRowWithTooFewCellsIsRefusedWithItsLine() {
        assertThatThrownBy(() -> TradeBill.parse(BILL.replace(",`茶", "")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 3");
    }

    @Test
    void aBillWithoutItsSummaryIsRefused() {
        assertThatThrownBy(() -> TradeBill.parse("交易时间,商户订单号\n`a,`b\n`c,`d\n")).hasMessageContaining("summary");
    }
}
