package dev.zhifu.payments.payments;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/** {@code POST /api/v1/payments}. */
@Schema(name = "CreatePaymentRequest", example = "{\"amount\":\"9.90\",\"subject\":\"Coffee\",\"method\":\"qr\"}")
public record CreatePaymentRequest(
        @JsonProperty("out_trade_no")
        @Schema(description = "Your order number, 1-64 of [A-Za-z0-9_-]; generated when absent", example = "order-1001")
        String outTradeNo,

        @Schema(
                description = "Yuan as a decimal string, 0.01-100000000.00",
                example = "9.90",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String amount,

        @Schema(
                description = "Order title, 1-256 characters",
                example = "Coffee",
                requiredMode = Schema.RequiredMode.REQUIRED)
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
                },
                example = "qr",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String method,

        @JsonProperty("auth_code")
        @Schema(description = "barcode only: the buyer's payment code, 16-24 digits", example = "286012345678901234")
        String authCode,

        @JsonProperty("return_url")
        @Schema(
                description = "page, wap and wechat_h5 only: where the buyer continues after paying",
                example = "https://shop.example.com/orders/1001")
        String returnUrl,

        @JsonProperty("expire_minutes") @Schema(description = "1-1440, default 30", example = "30")
        Integer expireMinutes,

        @Schema(
                description = "Your data, returned with the payment and passed to Alipay as passback_params",
                example = "{\"order_id\":\"1001\"}")
        Map<String, Object> metadata,

        @Schema(
                description = "wechat_jsapi only: the payer's openid for the configured appid",
                example = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")
        String openid,

        @JsonProperty("client_ip")
        @Schema(
                description = "wechat_h5 only: the buyer's IP address, as WeChat Pay checks it",
                example = "203.0.113.7")
        String clientIp) {}
