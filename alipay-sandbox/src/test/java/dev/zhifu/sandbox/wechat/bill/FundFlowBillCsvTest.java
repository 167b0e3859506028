package dev.zhifu.sandbox.wechat.bill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.sandbox.time.ManualTime;
import dev.zhifu.sandbox.wechat.pay.OrderRequest;
import dev.zhifu.sandbox.wechat.pay.TradeBook;
import dev.zhifu.sandbox.wechat.pay.TradeType;
import dev.zhifu.sandbox.wechat.pay.WechatRefund;
import dev.zhifu.sandbox.wechat.pay.WechatTrade;
import dev.zhifu.sandbox.wechat.pay.WechatTradeEvents;
import dev.zhifu.wechatpay.bill.TradeBill;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The basic account's fund flow over two days: money in per payment, out per refund, the balance carried over. */
class FundFlowBillCsvTest {

    private static final WechatTradeEvents SILENT = new WechatTradeEvents() {
        @Override
        public void paid(WechatTrade trade) {}

        @Override
        public void refunded(WechatTrade trade, WechatRefund refund) {}
    };

    // 2026-12-06 09:00 in Beijing
    private final ManualTime time = new ManualTime(Instant.parse("2026-12-06T01:00:00Z"));
    private final TradeBook book = new TradeBook(time, time, SILENT);

    private void paid(String no, long fen) {
        book.place(
                new OrderRequest("1900000001", "wx1", no, TradeType.NATIVE, "流水", fen, "CNY", null, null, null, null),
                t -> t);
        book.buyerPays(no);
    }

    private void refunded(String no, String refundNo, long fen, long total) {
        book.refund(new TradeBook.RefundRequest("1900000001", no, null, refundNo, fen, total, "不要了", null));
        time.advance(Duration.ZERO); // the refund completes right after it was accepted
    }

    private String bill(LocalDate day, FundFlowBillCsv.Account account) {
        FundFlowBillCsv csv = new FundFlowBillCsv();
        book.all(t -> {
            csv.add(t);
            return t;
        });
        return csv.render(day, account);
    }

    @Test
    void paymentsAreIncomeRefundsExpensesAndTheBalanceRunsAcrossDays() {
        paid("ORDER_A", 1000);
        time.advance(Duration.ofMinutes(1));
        refunded("ORDER_A", "REFUND_A", 300, 1000);
        time.advance(Duration.ofDays(1));
        paid("ORDER_B", 250);
        time.advance(Duration.ofMinutes(1));
        refunded("ORDER_A", "REFUND_A2", 100, 1000);

        String text = bill(LocalDate.parse("2026-12-07"), FundFlowBillCsv.Account.BASIC);
        TradeBill parsed = TradeBill.parse(text);

        assertThat(text).startsWith(FundFlowBillCsv.HEADER + "\r\n");
        assertThat(parsed.rows())
                .extracting(r -> List.of(
                        r.get("记账时间"),
                        r.get("业务名称"),
                        r.get("收支类型"),
                        r.get("收支金额（元）"),
                        r.get("账户结余（元）"),
                        r.get("业务凭证号")))
                .containsExactly(
                        List.of("2026-12-07 09:01:00", "交易", "收入", "2.50", "9.50", "ORDER_B"),
                        List.of("2026-12-07 09:02:00", "退款", "支出", "1.00", "8.50", "REFUND_A2"));
        assertThat(parsed.rows().get(0).get("微信支付业务单号")).startsWith("4200");
        assertThat(parsed.rows().get(1).get("微信支付业务单号")).startsWith("50");
        assertThat(parsed.rows().get(1).get("备注")).isEqualTo("不要了");
        assertThat(parsed.rows()).extracting(r -> r.get("资金流水单号")).doesNotHaveDuplicates();
        assertThat(parsed.summary().keySet()).containsExactly(FundFlowBillCsv.SUMMARY_HEADER.split(","));
        assertThat(parsed.summary().values()).containsExactly("2", "1", "2.50", "1", "1.00");

        TradeBill first = TradeBill.parse(bill(LocalDate.parse("2026-12-06"), FundFlowBillCsv.Account.BASIC));
        assertThat(first.rows()).extracting(r -> r.get("账户结余（元）")).containsExactly("10.00", "7.00");
        assertThat(bill(LocalDate.parse("2026-12-07"), FundFlowBillCsv.Account.BASIC))
                .as("the same lines, with the same numbers, on every download")
                .isEqualTo(text);
    }

    @Test
    void noMoneyMovesInTheOperationAndFeesAccountsNorOnADayWithoutPayments() {
        paid("ORDER_C", 100);

        assertThat(bill(LocalDate.parse("2026-12-06"), FundFlowBillCsv.Account.BASIC))
                .isNotNull();
        assertThat(bill(LocalDate.parse("2026-12-06"), FundFlowBillCsv.Account.OPERATION))
                .isNull();
        assertThat(bill(LocalDate.parse("2026-12-06"), FundFlowBillCsv.Account.FEES))
                .isNull();
        assertThat(bill(LocalDate.parse("2026-12-05"), FundFlowBillCsv.Account.BASIC))
                .isNull();
    }
}
