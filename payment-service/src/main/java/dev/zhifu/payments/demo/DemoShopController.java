package dev.zhifu.payments.demo;

import dev.zhifu.payments.alipay.AlipayGateway;
import dev.zhifu.payments.alipay.DemoMode;
import dev.zhifu.payments.notifications.ReceivedNotifications;
import dev.zhifu.payments.payments.CreatePaymentRequest;
import dev.zhifu.payments.payments.PaymentService;
import dev.zhifu.payments.payments.PaymentValidator;
import dev.zhifu.payments.payments.PaymentView;
import dev.zhifu.payments.storage.Ids;
import dev.zhifu.payments.web.ApiException;
import dev.zhifu.payments.web.PageException;
import dev.zhifu.payments.web.PageFormat;
import dev.zhifu.payments.web.QrCodeSvg;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The demo shop at {@code /} (demo mode only): pick a product, choose how to pay (Alipay: PC page, phone page, QR
 * code, the Alipay app, the buyer's payment code; WeChat Pay: QR code, phone browser; or one QR code for either
 * wallet), pay on the in-process sandbox, and watch the order's page turn paid when the wallet's notification
 * arrives (or the service's sync finds it paid; docs/payment-channels.md#console). It uses the service the way a merchant's checkout would,
 * server-side, so no API key reaches the browser.
 */
@Controller
@Hidden
@Conditional(DemoMode.class)
public class DemoShopController {

    /** The methods offered at checkout, in this order. */
    static final List<String> METHODS =
            List.of("page", "wap", "qr", "app", "barcode", "wechat_native", "wechat_h5", "any_qr");

    /** A heading of the checkout's methods: a wallet ({@code alipay}, {@code wechatpay}) or {@code any}. */
    public record Wallet(String key, List<String> methods) {}

    /** The methods under each heading at checkout, in the order of {@link #METHODS}. */
    static final List<Wallet> BY_WALLET = List.of(
            new Wallet("alipay", List.of("page", "wap", "qr", "app", "barcode")),
            new Wallet("wechatpay", List.of("wechat_native", "wechat_h5")),
            new Wallet("any", List.of("any_qr")));

    private static final String CUSTOM = "custom";

    private final PaymentService payments;
    private final PaymentValidator validator;
    private final AlipayGateway alipay;
    private final ReceivedNotifications notifications;
    private final MessageSource messages;
    private final PageFormat format;

    public DemoShopController(
            PaymentService payments,
            PaymentValidator validator,
            AlipayGateway alipay,
            ReceivedNotifications notifications,
            MessageSource messages,
            PageFormat format) {
        this.payments = payments;
        this.validator = validator;
        this.alipay = alipay;
        this.notifications = notifications;
        this.messages = messages;
        this.format = format;
    }

    @GetMapping("/")
    public String shop(Model model) {
        model.addAttribute("products", DemoProduct.CATALOGUE);
        return "demo/shop";
    }

    @GetMapping("/demo/checkout")
    public String checkout(@RequestParam(defaultValue = "coffee") String product, Model model) {
        return checkoutPage(model, product, null, null, "page", null);
    }

    @PostMapping("/demo/checkout")
    public Object pay(
            @RequestParam(defaultValue = "coffee") String product,
            @RequestParam(required = false) String subject,
            @RequestParam(required = false) String amount,
            @RequestParam(defaultValue = "page") String method,
            @RequestParam(value = "auth_code", required = false) String authCode,
            Locale locale,
            jakarta.servlet.http.HttpServletRequest request,
            Model model) {
        String chosenSubject;
        String chosenAmount;
        if (CUSTOM.equals(product)) {
            chosenSubject = subject;
            chosenAmount = amount == null ? null : amount.strip();
        } else {
            DemoProduct p = DemoProduct.find(product).orElseThrow(() -> new PageException(404, "error.not_found"));
            chosenSubject = messages.getMessage(p.nameKey(), null, locale);
            chosenAmount = p.price();
        }
        String m = METHODS.contains(method) ? method : "page";
        String outTradeNo = "demo-" + Ids.random(16);
        String returnUrl = m.equals("page") || m.equals("wap") || m.equals("wechat_h5")
                ? alipay.publicUrl() + "/demo/orders/" + outTradeNo
                : null;
        PaymentView payment;
        try {
            payment = payments.create(validator.check(new CreatePaymentRequest(
                            outTradeNo,
                            chosenAmount,
                            chosenSubject,
                            m,
                            m.equals("barcode") ? (authCode == null ? null : authCode.strip()) : null,
                            returnUrl,
                            15,
                            Map.of("shop", "demo", "product", product),
                            null,
                            m.equals("wechat_h5") ? clientIp(request) : null)))
                    .payment();
        } catch (ApiException refused) {
            model.addAttribute("error", refused.getMessage());
            model.addAttribute("errors", refused.extra().get("errors"));
            return checkoutPage(model, product, subject, amount, m, authCode);
        }
        if (payment.action() != null && "redirect".equals(payment.action().type())) {
            return seeOther(payment.action().url()); // to the (sandbox) cashier
        }
        return seeOther("/demo/orders/" + payment.outTradeNo());
    }

    @GetMapping("/demo/orders/{outTradeNo}")
    public String order(@PathVariable String outTradeNo, Model model) {
        PaymentView p = demoPayment(outTradeNo);
        var received = notifications.forTrade(outTradeNo);
        model.addAttribute("p", p);
        model.addAttribute("notifications", received);
        model.addAttribute("waiting", "PENDING".equals(p.status()) || received.isEmpty());
        String qr = switch (p.method()) {
            case "wechat_native" -> "order.qr.wechat";
            case "any_qr" -> "order.qr.any";
            default -> "order.qr";
        };
        model.addAttribute("qrHint", qr + ".hint");
        model.addAttribute("qrScan", qr + ".scan");
        return "demo/order";
    }

    /** What the order page polls until Alipay's notification has arrived. */
    @GetMapping(value = "/demo/orders/{outTradeNo}/status", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    public ResponseEntity<Map<String, Object>> status(@PathVariable String outTradeNo, Locale locale) {
        PaymentView p = demoPayment(outTradeNo);
        var received = notifications.forTrade(outTradeNo);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", p.status());
        body.put("channel", p.channel());
        body.put("status_label", messages.getMessage("status." + p.status(), null, locale));
        body.put("refunded_amount", p.refundedAmount());
        body.put("trade_no", p.tradeNo());
        body.put("paid_at", format.time(p.paidAt()));
        body.put("notifications", received.size());
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
    }

    @GetMapping(value = "/demo/orders/{outTradeNo}/qr.svg")
    public ResponseEntity<String> qr(@PathVariable String outTradeNo) {
        PaymentView p = demoPayment(outTradeNo);
        if (p.action() == null || p.action().qrCode() == null) {
            throw new PageException(404, "error.not_found");
        }
        return ResponseEntity.ok()
                .contentType(MediaType.valueOf("image/svg+xml"))
                .cacheControl(CacheControl.noStore())
                .body(QrCodeSvg.of(p.action().qrCode()));
    }

    /** The buyer's address, which WeChat Pay's H5 payments are made for: here, the connection's own. */
    private static String clientIp(jakarta.servlet.http.HttpServletRequest request) {
        return request.getRemoteAddr();
    }

    /** 303: the browser GETs the next page, and a reload never posts the order again. */
    private static RedirectView seeOther(String url) {
        RedirectView view = new RedirectView(url, true);
        view.setStatusCode(HttpStatus.SEE_OTHER);
        view.setExposeModelAttributes(false); // never the CSRF token in a URL
        return view;
    }

    /** Only the shop's own orders: the page is public, other payments are not its business. */
    private PaymentView demoPayment(String outTradeNo) {
        PaymentView p;
        try {
            p = payments.byOutTradeNo(outTradeNo);
        } catch (ApiException notFound) {
            throw new PageException(404, "error.payment_not_found");
        }
        if (p.metadata() == null || !"demo".equals(p.metadata().get("shop"))) {
            throw new PageException(404, "error.payment_not_found");
        }
        return p;
    }

    private String checkoutPage(
            Model model, String product, String subject, String amount, String method, String authCode) {
        boolean custom = CUSTOM.equals(product);
        DemoProduct p =
                custom ? null : DemoProduct.find(product).orElseThrow(() -> new PageException(404, "error.not_found"));
        model.addAttribute("product", p);
        model.addAttribute("productId", custom ? CUSTOM : p.id());
        model.addAttribute("custom", custom);
        model.addAttribute("subject", subject);
        model.addAttribute("amount", amount);
        model.addAttribute("methods", METHODS);
        model.addAttribute("wallets", BY_WALLET);
        model.addAttribute("method", method);
        model.addAttribute("authCode", authCode == null ? "281234567890123456" : authCode);
        return "demo/checkout";
    }
}
