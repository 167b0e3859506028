package dev.zhifu.sandbox.wechat.bill;

import dev.zhifu.sandbox.wechat.pay.WechatRefund;
import dev.zhifu.sandbox.wechat.pay.WechatTime;
import dev.zhifu.sandbox.wechat.pay.WechatTrade;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A trade bill in WeChat Pay's CSV layout: a header line, one line per payment or refund with every field behind a
 * backtick (so spreadsheets keep long numbers as text), then a summary header and its one line of totals. Amounts
 * are yuan with two decimals; times are Beijing time.
 */
final class TradeBillCsv {

    static final String HEADER = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,"
            + "应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,"
            + "订单金额,申请退款金额,费率备注";
    static final String SUMMARY_HEADER = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** Which lines a bill holds: {@code ALL}, {@code SUCCESS} (payments) or {@code REFUND}. */
    enum Kind {
        ALL,
        SUCCESS,
        REFUND
    }

    private final List<String> lines = new ArrayList<>();
    private int count;
    private long paidFen;
    private long refundedFen;

    /** Adds the lines of one order that fall on {@code day}; called under the book's lock. */
    void add(WechatTrade t, LocalDate day, Kind kind) {
        if (kind != Kind.REFUND && onDay(t.successTime(), day)) {
            lines.add(line(
                    time(t.successTime()),
                    t.appid(),
                    t.mchid(),
                    "0",
                    "",
                    t.transactionId(),
                    t.outTradeNo(),
                    t.payerOpenid(),
                    t.type().name(),
                    "SUCCESS",
                    "OTHERS",
                    t.currency(),
                    yuan(t.totalFen()),
                    "0.00",
                    "0",
                    "0",
                    "0.00",
                    "0.00",
                    "",
                    "",
                    t.description(),
                    nullToEmpty(t.attach()),
                    "0.00000",
                    "0.60%",
                    yuan(t.totalFen()),
                    "0.00",
                    ""));
            count++;
            paidFen += t.totalFen();
        }
        if (kind == Kind.SUCCESS) {
            return;
        }
        for (WechatRefund r : t.refunds()) {
            if (!onDay(r.succeededAt(), day)) {
                continue;
            }
            lines.add(line(
                    time(r.succeededAt()),
                    t.appid(),
                    t.mchid(),
                    "0",
                    "",
                    t.transactionId(),
                    t.outTradeNo(),
                    t.payerOpenid(),
                    t.type().name(),
                    "REFUND",
                    "OTHERS",
                    t.currency(),
                    "0.00",
                    "0.00",
                    r.refundId(),
                    r.outRefundNo(),
                    yuan(r.refundFen()),
                    "0.00",
                    "ORIGINAL",
                    "SUCCESS",
                    t.description(),
                    nullToEmpty(t.attach()),
                    "0.00000",
                    "0.60%",
                    yuan(t.totalFen()),
                    yuan(r.refundFen()),
                    ""));
            count++;
            refundedFen += r.refundFen();
        }
    }

    boolean isEmpty() {
        return count == 0;
    }

    String render() {
        StringBuilder sb = new StringBuilder(HEADER).append("\r\n");
        lines.forEach(l -> sb.append(l).append("\r\n"));
        sb.append(SUMMARY_HEADER).append("\r\n");
        sb.append(line(
                        Integer.toString(count),
                        yuan(paidFen),
                        yuan(refundedFen),
                        "0.00",
                        "0.00000",
                        yuan(paidFen),
                        yuan(refundedFen)))
                .append("\r\n");
        return sb.toString();
    }

    static boolean onDay(Instant at, LocalDate day) {
        return at != null && at.atOffset(WechatTime.BEIJING).toLocalDate().equals(day);
    }

    static String time(Instant at) {
        return TIME.format(at.atOffset(WechatTime.BEIJING));
    }

    static String yuan(long fen) {
        return BigDecimal.valueOf(fen, 2).toPlainString();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    static String line(String... fields) {
        StringBuilder sb = new StringBuilder();
        for (String f : fields) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            // a comma inside a field would shift the columns; WeChat Pay's bills never carry one
            sb.append('`').append(f.replace(',', '，'));
        }
        return sb.toString();
    }
}
