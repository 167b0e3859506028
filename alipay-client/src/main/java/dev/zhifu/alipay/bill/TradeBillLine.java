package dev.zhifu.alipay.bill;

import java.math.BigDecimal;
import java.time.LocalDateTime;

/**
 * One line of the trade bill's detail file (业务明细, docs/alipay-protocol.md#s12). Refund lines repeat the trade's numbers,
 * carry negative amounts and the refund's request number.
 *
 * @param tradeNo          支付宝交易号
 * @param outTradeNo       商户订单号
 * @param type             业务类型: payment (交易) or refund (退款)
 * @param subject          商品名称
 * @param createdAt        创建时间 (GMT+8)
 * @param finishedAt       完成时间 (GMT+8)
 * @param storeId          门店编号
 * @param counterparty     对方账户 (masked)
 * @param orderAmount      订单金额（元）
 * @param merchantReceived 商家实收（元）
 * @param refundRequestNo  退款批次号/请求号 (refund lines)
 * @param serviceFee       服务费（元）
 * @param remark           备注
 */
public record TradeBillLine(
        String tradeNo,
        String outTradeNo,
        Type type,
        String subject,
        LocalDateTime createdAt,
        LocalDateTime finishedAt,
        String storeId,
        String counterparty,
        BigDecimal orderAmount,
        BigDecimal merchantReceived,
        String refundRequestNo,
        BigDecimal serviceFee,
        String remark) {

    public enum Type {
        PAYMENT("交易"),
        REFUND("退款");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        /** The bill's own word for it. */
        public String label() {
            return label;
        }

        static Type of(String label) {
            for (Type t : values()) {
                if (t.label.equals(label)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown 业务类型 '" + label + "'");
        }
    }
}
