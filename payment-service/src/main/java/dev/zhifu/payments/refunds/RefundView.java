package dev.zhifu.payments.refunds;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.zhifu.payments.payments.Money;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** A refund as the API and the webhooks show it. */
@Schema(name = "Refund")
public record RefundView(
        String id,
        @JsonProperty("payment_id") String paymentId,
        @Schema(example = "1.00") String amount,
        String reason,

        @Schema(allowableValues = {"PENDING", "SUCCEEDED", "FAILED"})
        String status,

        @JsonProperty("out_request_no") @Schema(description = "The refund's request number at Alipay")
        String outRequestNo,

        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("succeeded_at") Instant succeededAt,
        Failure failure) {

    public record Failure(String code, String message) {}

    public static RefundView of(Refund r) {
        return new RefundView(
                r.id(),
                r.paymentId(),
                Money.format(r.amount()),
                r.reason(),
                r.status().name(),
                r.outRequestNo(),
                r.createdAt(),
                r.succeededAt(),
                r.failureCode() == null ? null : new Failure(r.failureCode(), r.failureMessage()));
    }
}
