package dev.zhifu.payments.notifications;

import dev.zhifu.alipay.AlipaySignatureException;
import dev.zhifu.alipay.notify.NotificationVerifier;
import dev.zhifu.alipay.notify.TradeNotification;
import dev.zhifu.payments.alipay.AlipayGateway;
import dev.zhifu.payments.payments.Money;
import dev.zhifu.payments.payments.Payment;
import dev.zhifu.payments.payments.PaymentQueries;
import dev.zhifu.payments.payments.PaymentSyncJob;
import dev.zhifu.payments.web.HtmlPage;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * {@code GET /return/alipay}: where the buyer's browser lands after page / wap pay (docs/alipay-protocol.md#s10). The parameters
 * are verified, but the page shows the payment's state as stored here: the redirect is no proof of payment.
 */
@RestController
@Hidden
public class ReturnPageController {

    private static final Logger log = LoggerFactory.getLogger(ReturnPageController.class);

    private final AlipayGateway alipay;
    private final PaymentQueries payments;
    private final PaymentSyncJob sync;

    public ReturnPageController(AlipayGateway alipay, PaymentQueries payments, PaymentSyncJob sync) {
        this.alipay = alipay;
        this.payments = payments;
        this.sync = sync;
    }

    @GetMapping("/return/alipay")
    public ResponseEntity<String> landing(HttpServletRequest request) {
        String query = request.getQueryString() == null ? "" : request.getQueryString();
        TradeNotification verified;
        try {
            Map<String, String> params = NotificationVerifier.decodeForm(query.getBytes(StandardCharsets.ISO_8859_1));
            verified = alipay.verifier().verifyReturn(params, alipay.returnUrl());
        } catch (AlipaySignatureException | IllegalArgumentException e) {
            log.warn("Return redirect refused: {}", e.getMessage());
            return page(
                    400,
                    "Payment status unavailable",
                    "<p>This link does not carry a valid Alipay signature, so it cannot be trusted.</p>");
        }
        Payment p = payments.findByOutTradeNo(verified.outTradeNo()).orElse(null);
        if (p == null || !alipay.appId().equals(verified.appId())) {
            return page(
                    404,
                    "Unknown payment",
                    "<p>No payment for order <code>" + HtmlUtils.htmlEscape(String.valueOf(verified.outTradeNo()))
                            + "</code>.</p>");
        }
        String headline = switch (p.status()) {
            case PAID -> "Payment received";
            case REFUNDED -> "Payment refunded";
            case CLOSED -> "Payment closed";
            case PENDING -> "Waiting for Alipay's confirmation";
        };
        StringBuilder html = new StringBuilder()
                .append("<p id=\"status\" data-status=\"")
                .append(p.status())
                .append("\">Status: <strong>")
                .append(p.status())
                .append("</strong></p>")
                .append("<dl><dt>Order</dt><dd>")
                .append(HtmlUtils.htmlEscape(p.outTradeNo()))
                .append("</dd>")
                .append("<dt>Subject</dt><dd>")
                .append(HtmlUtils.htmlEscape(p.subject()))
                .append("</dd>")
                .append("<dt>Amount</dt><dd>¥")
                .append(Money.format(p.amount()))
                .append("</dd></dl>");
        if (p.status() == dev.zhifu.payments.payments.PaymentStatus.PENDING) {
            sync.buyerReturned(p.id()); // the buyer says they paid: ask Alipay soon rather than at the next turn
            html.append("<p>Alipay has not confirmed the payment to us yet; this page refreshes itself.</p>")
                    .append("<script>setTimeout(function(){location.reload()},3000)</script>");
        }
        if (p.returnUrl() != null) {
            String next = p.returnUrl() + (p.returnUrl().contains("?") ? "&" : "?") + "out_trade_no="
                    + URLEncoder.encode(p.outTradeNo(), StandardCharsets.UTF_8) + "&payment_id=" + p.id();
            html.append("<p><a id=\"continue\" href=\"")
                    .append(HtmlUtils.htmlEscape(next))
                    .append("\">Continue</a></p>");
        }
        return page(200, headline, html.toString());
    }

    private static ResponseEntity<String> page(int status, String title, String body) {
        return HtmlPage.of(status, title, "<h1>" + HtmlUtils.htmlEscape(title) + "</h1>" + body);
    }
}
