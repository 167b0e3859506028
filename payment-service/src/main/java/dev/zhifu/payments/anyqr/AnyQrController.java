package dev.zhifu.payments.anyqr;

import dev.zhifu.alipay.spring.AlipayProperties;
import dev.zhifu.payments.alipay.DemoMode;
import dev.zhifu.payments.payments.Channel;
import dev.zhifu.payments.payments.Money;
import dev.zhifu.payments.payments.Payment;
import dev.zhifu.payments.payments.PaymentMethod;
import dev.zhifu.payments.payments.PaymentQueries;
import dev.zhifu.payments.payments.PaymentService;
import dev.zhifu.payments.payments.PaymentStatus;
import dev.zhifu.payments.web.ApiException;
import dev.zhifu.payments.web.PageException;
import dev.zhifu.payments.web.QrCodeSvg;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The page behind an {@code any_qr} code ({@code GET /pay/{id}}, public; docs/payment-channels.md#any-qr): the
 * Alipay app (its user agent names {@code AlipayClient}) is sent on to Alipay's mobile cashier for the order,
 * WeChat ({@code MicroMessenger}) gets WeChat Pay's code for the same order to long-press, and any other browser
 * is told to scan the code with one of them. In demo mode a browser may play either wallet ({@code ?wallet=}).
 * A payment no longer waiting shows its state. Nothing here changes a payment: {@link PaymentService#openAnyQr}
 * starts the wallet's order, and only a wallet's payment marks it paid.
 */
@Controller
@Hidden
public class AnyQrController {

    /** A payment id ({@code storage.Ids}): checked before the database is asked anything. */
    static final Pattern PAYMENT_ID = Pattern.compile("pay_[0-9a-z]{24}");

    private final PaymentQueries queries;
    private final PaymentService payments;
    private final Clock clock;
    private final boolean demo;

    public AnyQrController(PaymentQueries queries, PaymentService payments, Clock clock, AlipayProperties alipay) {
        this.queries = queries;
        this.payments = payments;
        this.clock = clock;
        this.demo = DemoMode.isDemo(alipay);
    }

    /** The wallet whose app opened the page, from its user agent; null for any other browser. */
    static Channel walletOf(String userAgent) {
        if (userAgent == null) {
            return null;
        }
        if (userAgent.contains("AlipayClient")) {
            return Channel.ALIPAY;
        }
        if (userAgent.contains("MicroMessenger")) {
            return Channel.WECHATPAY;
        }
        return null;
    }

    /** {@code ?wallet=alipay|wechat}: a browser playing a wallet, honoured in demo mode only. */
    private Channel simulated(String wallet) {
        if (!demo || wallet == null) {
            return null;
        }
        return switch (wallet) {
            case "alipay" -> Channel.ALIPAY;
            case "wechat", "wechatpay" -> Channel.WECHATPAY;
            default -> null;
        };
    }

    @GetMapping("/pay/{id}")
    public Object open(
            @PathVariable String id,
            @RequestParam(required = false) String wallet,
            @RequestHeader(value = HttpHeaders.USER_AGENT, required = false) String userAgent,
            HttpServletResponse response,
            Model model) {
        if (!PAYMENT_ID.matcher(id).matches()) {
            throw new PageException(404, "error.payment_not_found");
        }
        Payment p = queries.find(id)
                .filter(found -> found.method() == PaymentMethod.ANY_QR)
                .orElseThrow(() -> new PageException(404, "error.payment_not_found"));
        model.addAttribute("p", p);
        model.addAttribute("amount", Money.format(p.amount()));
        model.addAttribute("demo", demo);
        if (!waiting(p)) {
            return state(p, model);
        }
        Channel opener = walletOf(userAgent);
        Channel chosen = opener != null ? opener : simulated(wallet);
        if (chosen == null) {
            String self = p.actionValue() == null ? "/pay/" + p.id() : p.actionValue();
            model.addAttribute("qr", QrCodeSvg.dataUrl(self));
            model.addAttribute("self", self);
            return "anyqr/choose";
        }
        PaymentService.WalletStart start;
        try {
            start = payments.openAnyQr(p.id(), chosen);
        } catch (ApiException refused) {
            if (refused.status() == HttpStatus.CONFLICT) { // paid or closed meanwhile
                return state(queries.find(id).orElse(p), model);
            }
            response.setStatus(refused.status().value()); // 422 not configured, 503 unreachable
            model.addAttribute("errorKey", "anyqr.error." + chosen.wire());
            model.addAttribute("errorDetail", refused.getMessage());
            model.addAttribute("wallet", chosen.wire());
            return "anyqr/unavailable";
        }
        if ("redirect".equals(start.type())) {
            RedirectView view = new RedirectView(start.value());
            view.setStatusCode(HttpStatus.SEE_OTHER);
            view.setExposeModelAttributes(false);
            return view;
        }
        model.addAttribute("codeUrl", start.value());
        model.addAttribute("qr", QrCodeSvg.dataUrl(start.value()));
        // a browser playing WeChat may follow the code; the real WeChat app reads it from the picture
        model.addAttribute("followable", demo && opener == null);
        return "anyqr/wechat";
    }

    private boolean waiting(Payment p) {
        return p.status() == PaymentStatus.PENDING && clock.instant().isBefore(p.expiresAt());
    }

    private String state(Payment p, Model model) {
        model.addAttribute("p", p);
        String state =
                p.status() == PaymentStatus.PENDING ? "EXPIRED" : p.status().name();
        model.addAttribute("state", state);
        model.addAttribute("channel", p.channel() == null ? null : p.channel().wire());
        return "anyqr/state";
    }
}
