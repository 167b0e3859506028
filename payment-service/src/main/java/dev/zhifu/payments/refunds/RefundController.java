package dev.zhifu.payments.refunds;

import dev.zhifu.payments.idempotency.IdempotencyService;
import dev.zhifu.payments.secrets.Hashing;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/payments/{id}/refunds")
@Tag(name = "Refunds")
public class RefundController {

    private final RefundService service;
    private final IdempotencyService idempotency;

    public RefundController(RefundService service, IdempotencyService idempotency) {
        this.service = service;
        this.idempotency = idempotency;
    }

    @ApiResponse(responseCode = "400", description = "validation_failed, malformed_request, idempotency_key_invalid")
    @ApiResponse(responseCode = "404", description = "payment_not_found")
    @ApiResponse(responseCode = "409", description = "payment_not_refundable, idempotency_request_in_progress")
    @ApiResponse(responseCode = "422", description = "refund_exceeds_remaining, idempotency_key_reused")
    @ApiResponse(responseCode = "503", description = "alipay_unavailable")
    @PostMapping
    @Operation(
            summary = "Refund part or all of a paid payment",
            description = "201 with the refund (SUCCEEDED, or PENDING while Alipay's answer is unknown). "
                    + "422 refund_exceeds_remaining when more than what is left (anything, once fully refunded); "
                    + "409 payment_not_refundable when the payment was never paid.",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            schema = @Schema(implementation = RefundBody.class),
                                            examples =
                                                    @ExampleObject(
                                                            value =
                                                                    "{\"amount\":\"1.00\",\"reason\":\"Customer request\"}"))))
    public ResponseEntity<?> refund(
            @PathVariable String id,
            @RequestBody(required = false) RefundBody body,
            @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey) {
        RefundService.Checked checked = RefundService.validate(body);
        String hash = Hashing.sha256Hex(checked.amount().toPlainString() + "\n" + checked.reason());
        return idempotency.run(
                idempotencyKey,
                "POST /api/v1/payments/" + id + "/refunds",
                hash,
                () -> ResponseEntity.status(HttpStatus.CREATED).body(RefundView.of(service.refund(id, checked))));
    }

    @ApiResponse(responseCode = "404", description = "payment_not_found")
    @GetMapping
    @Operation(summary = "The payment's refunds, as a data list")
    public Map<String, List<RefundView>> list(@PathVariable String id) {
        return Map.of("data", service.list(id).stream().map(RefundView::of).toList());
    }
}
