package dev.zhifu.sandbox.wechat.bill;

import dev.zhifu.sandbox.wechat.pay.WechatRefund;
import dev.zhifu.sandbox.wechat.pay.WechatTime;
import dev.zhifu.sandbox.wechat.pay.WechatTrade;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A fund flow bill of the merchant's basic account in WeChat Pay's CSV layout: every payment that succeeded is money
 * in, every refund that succeeded money out, each with the account's balance after it. The balance runs over every
 * day the sandbox knows, so a day's first line carries on from the day before. The operation and fees accounts see
 * no money move in the sandbox (no fees are charged), so their bills are always empty (docs/sandbox.md#wechatpay-fundflow).
 */
final class FundFlowBillCsv {

    static final String HEADER = "记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,账户结余（元）,资金变更提交申请人,备注,业务凭证号";
    static final String SUMMARY_HEADER = "资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    /** The accounts a fund flow bill is asked for ({@code account_type}). */
    enum Account {
        BASIC,
        OPERATION,
        FEES
    }

    /** One movement of money; {@code fen} is positive for income, negative for an expense. */
    private record Entry(
            Instant at, String businessNo, String name, long fen, String applicant, String note, String voucher) {}

    private final List<Entry> entries = new ArrayList<>();

    /** Adds the money one order moved: its payment and its completed refunds. Called under the book's lock. */
    void add(WechatTrade t) {
        if (t.successTime() != null) {
            entries.add(
                    new Entry(t.successTime(), t.transactionId(), "交易", t.totalFen(), "system", "", t.outTradeNo()));
        }
        for (WechatRefund r : t.refunds()) {
            if (r.succeededAt() != null) {
                entries.add(new Entry(
                        r.succeededAt(),
                        r.refundId(),
                        "退款",
                        -r.refundFen(),
                        t.mchid(),
                        r.reason() == null ? "" : r.reason(),
                        r.outRefundNo()));
            }
        }
    }

    /** The bill of {@code day}, or {@code null} when no money moved in that account on that day. */
    String render(LocalDate day, Account account) {
        if (account != Account.BASIC) {
            return null;
        }
        List<Entry> ordered = new ArrayList<>(entries);
        ordered.sort(Comparator.comparing(Entry::at).thenComparing(Entry::businessNo));
        StringBuilder sb = new StringBuilder(HEADER).append("\r\n");
        long balance = 0;
        int count = 0;
        int incomes = 0;
        int expenses = 0;
        long incomeFen = 0;
        long expenseFen = 0;
        for (Entry e : ordered) {
            balance += e.fen();
            if (!TradeBillCsv.onDay(e.at(), day)) {
                continue;
            }
            count++;
            boolean income = e.fen() > 0;
            if (income) {
                incomes++;
                incomeFen += e.fen();
            } else {
                expenses++;
                expenseFen -= e.fen();
            }
            sb.append(TradeBillCsv.line(
                            TradeBillCsv.time(e.at()),
                            e.businessNo(),
                            // the day and the entry's place on it: the same line keeps its number on every download
                            DAY.format(e.at().atOffset(WechatTime.BEIJING)) + String.format("%012d", count),
                            e.name(),
                            e.name(),
                            income ? "收入" : "支出",
                            TradeBillCsv.yuan(Math.abs(e.fen())),
                            TradeBillCsv.yuan(balance),
                            e.applicant(),
                            e.note(),
                            e.voucher()))
                    .append("\r\n");
        }
        if (count == 0) {
            return null;
        }
        sb.append(SUMMARY_HEADER).append("\r\n");
        sb.append(TradeBillCsv.line(
                        Integer.toString(count),
                        Integer.toString(incomes),
                        TradeBillCsv.yuan(incomeFen),
                        Integer.toString(expenses),
                        TradeBillCsv.yuan(expenseFen)))
                .append("\r\n");
        return sb.toString();
    }
}
