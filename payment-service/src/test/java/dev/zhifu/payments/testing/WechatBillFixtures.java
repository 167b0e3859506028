package dev.zhifu.payments.testing;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes WeChat Pay trade bills ({@code bill_type=ALL}) in the layout the sandbox serves (docs/sandbox.md#wechatpay-bills:
 * UTF-8, CRLF, a header, every cell of a line behind a backtick, amounts in yuan, then the summary header and its
 * line), for what the sandbox cannot produce: fees, refunds made elsewhere, summaries that disagree.
 */
public final class WechatBillFixtures {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String HEADER = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,"
            + "应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,"
            + "订单金额,申请退款金额,费率备注";
    private static final String SUMMARY_HEADER = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";

    /**
     * A payment line ({@code outRefundNo} null) or a refund line of {@code amount}, with its fee (手续费, yuan to
     * five decimals as WeChat Pay writes it).
     */
    public record Row(
            String transactionId,
            String outTradeNo,
            String outRefundNo,
            BigDecimal amount,
            BigDecimal fee,
            LocalDateTime at) {
        public boolean refund() {
            return outRefundNo != null;
        }
    }

    private WechatBillFixtures() {}

    /** The bill's text; {@code summaryPaymentDelta} tampers with 应结订单总金额, to see the totals check. */
    public static String text(List<Row> rows, BigDecimal summaryPaymentDelta) {
        StringBuilder sb = new StringBuilder(HEADER).append("\r\n");
        BigDecimal paid = BigDecimal.ZERO.setScale(2);
        BigDecimal refunded = BigDecimal.ZERO.setScale(2);
        BigDecimal fees = BigDecimal.ZERO.setScale(5);
        for (Row r : rows) {
            String amount = r.amount().setScale(2).toPlainString();
            String fee = r.fee().setScale(5).toPlainString();
            sb.append(line(
                            TIME.format(r.at()),
                            "wxd678efh567hg6787",
                            "1230000109",
                            "0",
                            "",
                            r.transactionId(),
                            r.outTradeNo(),
                            "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
                            "NATIVE",
                            r.refund() ? "REFUND" : "SUCCESS",
                            "OTHERS",
                            "CNY",
                            r.refund() ? "0.00" : amount,
                            "0.00",
                            r.refund() ? "5030" + r.outRefundNo() : "0",
                            r.refund() ? r.outRefundNo() : "0",
                            r.refund() ? amount : "0.00",
                            "0.00",
                            r.refund() ? "ORIGINAL" : "",
                            r.refund() ? "SUCCESS" : "",
                            "Coffee",
                            "",
                            fee,
                            "0.60%",
                            amount,
                            r.refund() ? amount : "0.00",
                            ""))
                    .append("\r\n");
            if (r.refund()) {
                refunded = refunded.add(r.amount());
            } else {
                paid = paid.add(r.amount());
            }
            fees = fees.add(r.fee());
        }
        sb.append(SUMMARY_HEADER).append("\r\n");
        sb.append(line(
                        Integer.toString(rows.size()),
                        paid.add(summaryPaymentDelta).toPlainString(),
                        refunded.toPlainString(),
                        "0.00",
                        fees.setScale(5).toPlainString(),
                        paid.toPlainString(),
                        refunded.toPlainString()))
                .append("\r\n");
        return sb.toString();
    }

    private static String line(String... cells) {
        StringBuilder sb = new StringBuilder();
        for (String c : cells) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append('`').append(c);
        }
        return sb.toString();
    }
}
