package dev.zhifu.payments.refunds;

import io.swagger.v3.oas.annotations.media.Schema;

/** {@code POST /api/v1/payments/{id}/refunds}. */
@Schema(name = "RefundRequest")
public record RefundBody(
        @Schema(
                description = "Yuan, at most what is left to refund",
                example = "1.00",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String amount,

        @Schema(description = "Shown to the buyer, at most 256 characters", example = "Customer request")
        String reason) {}
