package dev.zhifu.payments.payments;

import dev.zhifu.payments.idempotency.IdempotencyService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/payments")
@Tag(name = "Payments")
public class PaymentController {

    private final PaymentService service;
    private final PaymentValidator validator;
    private final IdempotencyService idempotency;

    public PaymentController(PaymentService service, PaymentValidator validator, IdempotencyService idempotency) {
        this.service = service;
        this.validator = validator;
        this.idempotency = idempotency;
    }

    @PostMapping
    @Operation(
            summary = "Create a payment",
            description = "Creates the trade at Alipay (qr, barcode) or signs what the buyer opens (page, wap, app). "
                    + "201 with the payment; 200 with the existing payment when the same request was made before "
                    + "with this out_trade_no.",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            schema = @Schema(implementation = CreatePaymentRequest.class),
                                            examples = {
                                                @ExampleObject(
                                                        name = "qr",
                                                        value =
                                                                "{\"amount\":\"9.90\",\"subject\":\"Coffee\",\"method\":\"qr\"}"),
                                                @ExampleObject(
                                                        name = "page",
                                                        value =
                                                                "{\"amount\":\"88.00\",\"subject\":\"Headphones\",\"method\":\"page\",\"metadata\":{\"order_id\":\"1001\"}}"),
                                                @ExampleObject(
                                                        name = "wap",
                                                        value =
                                                                "{\"amount\":\"12.50\",\"subject\":\"Lunch\",\"method\":\"wap\",\"expire_minutes\":15}"),
                                                @ExampleObject(
                                                        name = "app",
                                                        value =
                                                                "{\"amount\":\"30.00\",\"subject\":\"Membership\",\"method\":\"app\"}"),
                                                @ExampleObject(
                                                        name = "barcode",
                                                        value =
                                                                "{\"amount\":\"5.00\",\"subject\":\"Tea\",\"method\":\"barcode\",\"auth_code\":\"286012345678901234\"}")
                                            })))
    @ApiResponse(
            responseCode = "201",
            description = "Created",
            content = @Content(schema = @Schema(implementation = PaymentView.class)))
    @ApiResponse(responseCode = "400", description = "validation_failed, malformed_request, idempotency_key_invalid")
    @ApiResponse(responseCode = "409", description = "out_trade_no_reused, idempotency_request_in_progress")
    @ApiResponse(responseCode = "422", description = "idempotency_key_reused, alipay_rejected")
    @ApiResponse(responseCode = "503", description = "alipay_unavailable")
    public ResponseEntity<?> create(
            @RequestBody(required = false) CreatePaymentRequest body,
            @Parameter(description = "Makes retries safe: the same key and body get the first answer")
                    @RequestHeader(value = "Idempotency-Key", required = false)
                    String idempotencyKey) {
        CheckedPayment checked = validator.check(body);
        return idempotency.run(idempotencyKey, "POST /api/v1/payments", checked.hash(), () -> {
            PaymentService.Created created = service.create(checked);
            return ResponseEntity.status(created.created() ? HttpStatus.CREATED : HttpStatus.OK)
                    .location(java.net.URI.create(
                            "/api/v1/payments/" + created.payment().id()))
                    .body(created.payment());
        });
    }

    @ApiResponse(responseCode = "404", description = "payment_not_found")
    @GetMapping("/{id}")
    @Operation(summary = "One payment")
    public PaymentView get(@PathVariable String id) {
        return service.get(id);
    }

    @ApiResponse(responseCode = "400", description = "validation_failed")
    @ApiResponse(responseCode = "404", description = "payment_not_found")
    @GetMapping
    @Operation(summary = "The payment with a merchant order number, as a one-element data list")
    public Map<String, List<PaymentView>> byOutTradeNo(@RequestParam("out_trade_no") String outTradeNo) {
        return Map.of("data", List.of(service.byOutTradeNo(outTradeNo)));
    }

    @ApiResponse(responseCode = "404", description = "payment_not_found")
    @ApiResponse(responseCode = "409", description = "payment_already_paid")
    @ApiResponse(responseCode = "502", description = "alipay_rejected")
    @ApiResponse(responseCode = "503", description = "alipay_unavailable")
    @PostMapping("/{id}/close")
    @Operation(summary = "Close an unpaid payment, at Alipay too", description = "409 payment_already_paid when paid")
    public PaymentView close(@PathVariable String id) {
        return service.close(id);
    }

    @ApiResponse(responseCode = "404", description = "payment_not_found")
    @ApiResponse(responseCode = "503", description = "alipay_unavailable")
    @PostMapping("/{id}/sync")
    @Operation(summary = "Ask Alipay now and apply what it says")
    public PaymentView sync(@PathVariable String id) {
        return service.syncNow(id);
    }
}
