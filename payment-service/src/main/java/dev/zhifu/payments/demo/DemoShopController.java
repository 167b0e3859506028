package dev.zhifu.payments.demo;

import dev.zhifu.payments.alipay.DemoMode;
import dev.zhifu.payments.payments.CreatePaymentRequest;
import dev.zhifu.payments.payments.PaymentService;
import dev.zhifu.payments.payments.PaymentValidator;
import dev.zhifu.payments.payments.PaymentView;
import dev.zhifu.payments.web.ApiException;
import dev.zhifu.payments.web.HtmlPage;
import io.swagger.v3.oas.annotations.Hidden;
import java.net.URI;
import java.util.Map;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The demo shop at {@code /} (demo mode only): buy something and pay it on the sandbox's cashier, the way a
 * merchant's own checkout would use the API. Server-side, so no API key is needed in the browser.
 */
@RestController
@Hidden
@Conditional(DemoMode.class)
public class DemoShopController {

    private final PaymentService payments;
    private final PaymentValidator validator;

    public DemoShopController(PaymentService payments, PaymentValidator validator) {
        this.payments = payments;
        this.validator = validator;
    }

    @GetMapping("/")
    public ResponseEntity<String> shop() {
        String body = """
                <h1>Demo shop</h1>
                <p class="small">Payments go to the Alipay sandbox running inside this service; no real money moves.</p>
                <form method="post" action="/demo/checkout">
                  <label>Item <input name="subject" value="Pour-over coffee" maxlength="256" required></label>
                  <label>Price (yuan) <input name="amount" value="9.90" required></label>
                  <label>Pay with
                    <select name="method">
                      <option value="page">Alipay on a PC (page)</option>
                      <option value="wap">Alipay on a phone browser (wap)</option>
                      <option value="qr">QR code (qr)</option>
                      <option value="barcode">Buyer's payment code (barcode)</option>
                    </select></label>
                  <label>Payment code, barcode only <input name="auth_code" value="281234567890123456"></label>
                  <button type="submit">Pay with Alipay</button>
                </form>
                <p class="small">API: <a href="/swagger-ui.html">Swagger UI</a> · the API key is in data/demo-keys/demo_api_key.txt</p>
                """;
        return html(200, "Demo shop", body);
    }

    @PostMapping("/demo/checkout")
    public ResponseEntity<String> checkout(@RequestParam String subject, @RequestParam String amount,
                                           @RequestParam String method,
                                           @RequestParam(value = "auth_code", required = false) String authCode) {
        PaymentView payment;
        try {
            payment = payments.create(validator.check(new CreatePaymentRequest(null, amount, subject, method,
                    "barcode".equals(method) ? authCode : null, null, 15, Map.of("shop", "demo")))).payment();
        } catch (ApiException e) {
            return html(e.status().value(), "Cannot pay", "<h1>Cannot pay</h1><p>" + HtmlUtils.htmlEscape(e.getMessage())
                    + "</p><p><a href=\"/\">Back to the shop</a></p>");
        }
        if (payment.action() != null && "redirect".equals(payment.action().type())) {
            return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create(payment.action().url())).build();
        }
        return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create("/demo/orders/" + payment.id())).build();
    }

    @GetMapping("/demo/orders/{id}")
    public ResponseEntity<String> order(@PathVariable String id) {
        PaymentView p = payments.get(id);
        StringBuilder body = new StringBuilder("<h1>Order ").append(HtmlUtils.htmlEscape(p.outTradeNo())).append("</h1>")
                .append("<p>").append(HtmlUtils.htmlEscape(p.subject())).append(" · ¥").append(p.amount()).append("</p>")
                .append("<p id=\"status\" data-status=\"").append(p.status()).append("\">Status: <strong>")
                .append(p.status()).append("</strong></p>");
        if (p.action() != null && "qr_code".equals(p.action().type())) {
            String qr = HtmlUtils.htmlEscape(p.action().qrCode());
            body.append("<p>Show this QR code to the buyer. In the demo, open it as the buyer's phone would: ")
                    .append("<a id=\"qr\" href=\"").append(qr).append("\" target=\"_blank\">").append(qr).append("</a></p>");
        }
        if (p.failure() != null) {
            body.append("<p>Alipay: ").append(HtmlUtils.htmlEscape(p.failure().code())).append(" ")
                    .append(HtmlUtils.htmlEscape(String.valueOf(p.failure().message()))).append("</p>");
        }
        if ("PENDING".equals(p.status())) {
            body.append("<script>setTimeout(function(){location.reload()},2000)</script>");
        }
        body.append("<p><a href=\"/\">Back to the shop</a></p>");
        return html(200, "Order " + p.outTradeNo(), body.toString());
    }

    private static ResponseEntity<String> html(int status, String title, String body) {
        return HtmlPage.of(status, title, body);
    }
}
