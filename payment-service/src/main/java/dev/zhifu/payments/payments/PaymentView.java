package dev.zhifu.payments.payments;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A payment as the API and the webhooks show it. */
@Schema(name = "Payment")
public record PaymentView(
        @Schema(example = "pay_4q8m2x7kcdv0b1n9p3r5s6t8") String id,

        @JsonProperty("out_trade_no") @Schema(example = "order-20250101-0001")
        String outTradeNo,

        @JsonProperty("trade_no") @Schema(description = "Alipay's trade_no or WeChat Pay's transaction_id, once known")
        String tradeNo,

        @Schema(
                description = "The wallet: alipay or wechatpay; null while an any_qr payment waits for one",
                allowableValues = {"alipay", "wechatpay"})
        String channel,

        @Schema(allowableValues = {"PENDING", "PAID", "REFUNDED", "CLOSED"})
        String status,

        @Schema(example = "9.90") String amount,

        @JsonProperty("refunded_amount") @Schema(example = "0.00")
        String refundedAmount,

        String subject,

        @Schema(
                allowableValues = {
                    "page",
                    "wap",
                    "app",
                    "qr",
                    "barcode",
                    "wechat_native",
                    "wechat_jsapi",
                    "wechat_h5",
                    "wechat_app",
                    "any_qr"
                })
        String method,

        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("paid_at") Instant paidAt,
        @JsonProperty("expires_at") Instant expiresAt,
        @JsonProperty("closed_at") Instant closedAt,
        Map<String, Object> metadata,

        @Schema(description = "What the caller does next; null for barcode and once the payment is no longer pending")
        Action action,

        @Schema(description = "Why Alipay refused the payment, when it did")
        Failure failure,

        @Schema(description = "Money that arrived after the payment was closed: needs a refund")
        List<AnomalyView> anomalies) {

    /**
     * {@code redirect} (page, wap, wechat_h5), {@code qr_code} (qr, wechat_native, any_qr), {@code app} (app with
     * its {@code order_string}; wechat_app with its {@code parameters}) or {@code jsapi} (wechat_jsapi).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "PaymentAction")
    public record Action(
            @Schema(allowableValues = {"redirect", "qr_code", "app", "jsapi"})
            String type,

            String url,
            @JsonProperty("qr_code") String qrCode,
            @JsonProperty("order_string") String orderString,

            @Schema(
                    description = "wechat_jsapi: appId, timeStamp, nonceStr, package, signType, paySign for "
                            + "WeixinJSBridge / wx.requestPayment; wechat_app: appid, partnerid, prepayid, package, "
                            + "noncestr, timestamp, sign for WeChat's app SDK")
            Map<String, String> parameters) {}

    public record Failure(String code, String message) {}

    public record AnomalyView(
            String kind,
            @JsonProperty("trade_no") String tradeNo,
            String amount,
            @JsonProperty("detected_at") Instant detectedAt,
            @JsonProperty("resolved_at") Instant resolvedAt,
            String detail) {}
}
