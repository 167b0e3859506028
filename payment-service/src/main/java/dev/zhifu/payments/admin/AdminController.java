package dev.zhifu.payments.admin;

import dev.zhifu.payments.payments.Channel;
import dev.zhifu.payments.payments.Money;
import dev.zhifu.payments.payments.Payment;
import dev.zhifu.payments.payments.PaymentMethod;
import dev.zhifu.payments.payments.PaymentQueries;
import dev.zhifu.payments.payments.PaymentService;
import dev.zhifu.payments.payments.PaymentStatus;
import dev.zhifu.payments.refunds.RefundBody;
import dev.zhifu.payments.refunds.RefundQueries;
import dev.zhifu.payments.refunds.RefundService;
import dev.zhifu.payments.refunds.RefundView;
import dev.zhifu.payments.web.ApiException;
import dev.zhifu.payments.web.PageException;
import dev.zhifu.payments.web.PageFormat;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/** The console's dashboard, payment list and payment page, with refund, close and sync. */
@Controller
@Hidden
public class AdminController {

    private static final Logger log = LoggerFactory.getLogger(AdminController.class);

    private final AdminQueries queries;
    private final PaymentQueries payments;
    private final PaymentService paymentService;
    private final RefundService refundService;
    private final RefundQueries refunds;
    private final PaymentTimeline timeline;
    private final AdminProperties settings;
    private final PageFormat format;
    private final Clock clock;

    public AdminController(
            AdminQueries queries,
            PaymentQueries payments,
            PaymentService paymentService,
            RefundService refundService,
            RefundQueries refunds,
            PaymentTimeline timeline,
            AdminProperties settings,
            PageFormat format,
            Clock clock) {
        this.queries = queries;
        this.payments = payments;
        this.paymentService = paymentService;
        this.refundService = refundService;
        this.refunds = refunds;
        this.timeline = timeline;
        this.settings = settings;
        this.format = format;
        this.clock = clock;
    }

    @GetMapping("/admin")
    public String dashboard(Model model) {
        Instant now = clock.instant();
        Instant startOfDay = LocalDate.ofInstant(now, format.zone())
                .atStartOfDay(format.zone())
                .toInstant();
        AdminQueries.Dashboard d = queries.dashboard(startOfDay, now);
        model.addAttribute("section", "dashboard");
        model.addAttribute("d", d);
        model.addAttribute(
                "pendingAge",
                d.oldestPendingSince() == null ? null : PageFormat.age(Duration.between(d.oldestPendingSince(), now)));
        model.addAttribute("today", LocalDate.ofInstant(now, format.zone()));
        model.addAttribute("recent", queries.recentPayments(10));
        return "admin/dashboard";
    }

    @GetMapping("/admin/payments")
    public String list(
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String method,
            @RequestParam(required = false) String channel,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(value = "q", required = false) String search,
            @RequestParam(defaultValue = "1") int page,
            Model model) {
        String statusFilter = pick(status, AdminQueries.statuses());
        String methodFilter = pick(
                method,
                Arrays.stream(PaymentMethod.values()).map(PaymentMethod::wire).toList());
        String channelFilter = pick(channel, channels());
        LocalDate fromDate = date(from);
        LocalDate toDate = date(to);
        String q = search == null || search.isBlank() ? null : search.strip();
        var filter = new PaymentQueries.Filter(
                statusFilter,
                methodFilter == null ? null : methodFilter.toUpperCase(Locale.ROOT),
                fromDate == null ? null : fromDate.atStartOfDay(format.zone()).toInstant(),
                toDate == null
                        ? null
                        : toDate.plusDays(1).atStartOfDay(format.zone()).toInstant(),
                q,
                channelFilter);
        AdminQueries.Page<PaymentQueries.Summary> result = queries.payments(filter, page, settings.pageSize());
        UriComponentsBuilder link = UriComponentsBuilder.fromPath("/admin/payments");
        if (statusFilter != null) {
            link.queryParam("status", statusFilter);
        }
        if (methodFilter != null) {
            link.queryParam("method", methodFilter);
        }
        if (channelFilter != null) {
            link.queryParam("channel", channelFilter);
        }
        if (fromDate != null) {
            link.queryParam("from", fromDate);
        }
        if (toDate != null) {
            link.queryParam("to", toDate);
        }
        if (q != null) {
            link.queryParam("q", q);
        }
        model.addAttribute("section", "payments");
        model.addAttribute("result", result);
        model.addAttribute("statuses", AdminQueries.statuses());
        model.addAttribute(
                "methods",
                Arrays.stream(PaymentMethod.values()).map(PaymentMethod::wire).toList());
        model.addAttribute("channels", channels());
        model.addAttribute("channel", channelFilter);
        model.addAttribute("status", statusFilter);
        model.addAttribute("method", methodFilter);
        model.addAttribute("from", fromDate);
        model.addAttribute("to", toDate);
        model.addAttribute("q", q);
        model.addAttribute(
                "previousUrl",
                link.cloneBuilder()
                        .queryParam("page", result.page() - 1)
                        .encode()
                        .build()
                        .toUriString());
        model.addAttribute(
                "nextUrl",
                link.cloneBuilder()
                        .queryParam("page", result.page() + 1)
                        .encode()
                        .build()
                        .toUriString());
        return "admin/payments";
    }

    @GetMapping("/admin/payments/{id}")
    public String payment(@PathVariable String id, Model model) {
        Payment p = find(id);
        model.addAttribute("section", "payments");
        model.addAttribute("p", p);
        model.addAttribute("view", paymentService.get(id));
        model.addAttribute(
                "refunds", refunds.forPayment(id).stream().map(RefundView::of).toList());
        model.addAttribute("timeline", timeline.of(p));
        model.addAttribute("refundable", p.status() == PaymentStatus.PAID ? Money.format(p.refundable()) : null);
        model.addAttribute(
                "half",
                p.status() == PaymentStatus.PAID
                        ? Money.format(
                                p.refundable().divide(java.math.BigDecimal.valueOf(2), 2, java.math.RoundingMode.DOWN))
                        : null);
        model.addAttribute("closable", p.status() == PaymentStatus.PENDING);
        return "admin/payment";
    }

    /** First step of a refund: checks the amount and asks for confirmation. */
    @PostMapping("/admin/payments/{id}/refund")
    public String askRefund(
            @PathVariable String id,
            @RequestParam(required = false) String amount,
            @RequestParam(required = false) String reason,
            HttpServletRequest request,
            Model model,
            RedirectAttributes redirect) {
        Payment p = find(id);
        RefundService.Checked checked;
        try {
            checked = RefundService.validate(new RefundBody(amount == null ? null : amount.strip(), reason));
        } catch (ApiException invalid) {
            redirect.addFlashAttribute("errorKey", "refund.invalid");
            return "redirect:/admin/payments/" + p.id();
        }
        // said before the confirmation page, not after it (the refund itself checks again, under its lock)
        java.math.BigDecimal left = p.status() == PaymentStatus.PAID ? p.refundable() : java.math.BigDecimal.ZERO;
        if (checked.amount().compareTo(left) > 0) {
            redirect.addFlashAttribute("errorKey", "refund.too_much");
            redirect.addFlashAttribute("errorDetail", "¥" + Money.format(left));
            return "redirect:/admin/payments/" + p.id();
        }
        model.addAttribute("section", "payments");
        model.addAttribute("p", p);
        model.addAttribute("action", "refund");
        model.addAttribute("amount", Money.format(checked.amount()));
        model.addAttribute("reason", checked.reason());
        model.addAttribute("ticket", Confirmations.issue(request, "refund:" + p.id()));
        return "admin/confirm";
    }

    @PostMapping("/admin/payments/{id}/refund/confirm")
    public String refund(
            @PathVariable String id,
            @RequestParam String amount,
            @RequestParam(required = false) String reason,
            @RequestParam(required = false) String ticket,
            HttpServletRequest request,
            RedirectAttributes redirect) {
        Payment p = find(id);
        if (!spend(request, "refund:", p, ticket, redirect)) {
            return "redirect:/admin/payments/" + p.id();
        }
        try {
            var refund = refundService.refund(p.id(), RefundService.validate(new RefundBody(amount, reason)));
            log.info("Admin refunded {} of payment {}: {} {}", amount, p.id(), refund.id(), refund.status());
            redirect.addFlashAttribute(
                    "noticeKey", "refund.done." + refund.status().name());
            redirect.addFlashAttribute("noticeArg", Money.format(refund.amount()));
        } catch (ApiException refused) {
            redirect.addFlashAttribute("errorKey", "refund.refused");
            redirect.addFlashAttribute("errorDetail", refused.getMessage());
        }
        return "redirect:/admin/payments/" + p.id();
    }

    @PostMapping("/admin/payments/{id}/close")
    public String askClose(@PathVariable String id, HttpServletRequest request, Model model) {
        Payment p = find(id);
        model.addAttribute("section", "payments");
        model.addAttribute("p", p);
        model.addAttribute("action", "close");
        model.addAttribute("ticket", Confirmations.issue(request, "close:" + p.id()));
        return "admin/confirm";
    }

    @PostMapping("/admin/payments/{id}/close/confirm")
    public String close(
            @PathVariable String id,
            @RequestParam(required = false) String ticket,
            HttpServletRequest request,
            RedirectAttributes redirect) {
        Payment p = find(id);
        if (!spend(request, "close:", p, ticket, redirect)) {
            return "redirect:/admin/payments/" + p.id();
        }
        try {
            paymentService.close(p.id());
            log.info("Admin closed payment {}", p.id());
            redirect.addFlashAttribute("noticeKey", "close.done");
        } catch (ApiException refused) {
            redirect.addFlashAttribute("errorKey", "close.refused");
            redirect.addFlashAttribute("errorDetail", refused.getMessage());
        }
        return "redirect:/admin/payments/" + p.id();
    }

    /** Asks Alipay now; harmless to repeat, so no confirmation. */
    @PostMapping("/admin/payments/{id}/sync")
    public String sync(@PathVariable String id, RedirectAttributes redirect) {
        Payment p = find(id);
        try {
            paymentService.syncNow(p.id());
            redirect.addFlashAttribute("noticeKey", "sync.done");
        } catch (ApiException failed) {
            redirect.addFlashAttribute("errorKey", "sync.failed");
            redirect.addFlashAttribute("errorDetail", failed.getMessage());
        }
        return "redirect:/admin/payments/" + p.id();
    }

    /** Spends the confirmation ticket; says on the next page when it was spent already (nothing is done twice). */
    private static boolean spend(
            HttpServletRequest request, String action, Payment p, String ticket, RedirectAttributes redirect) {
        if (Confirmations.spend(request, action + p.id(), ticket)) {
            return true;
        }
        redirect.addFlashAttribute("errorKey", "confirm.spent");
        return false;
    }

    private Payment find(String id) {
        return payments.find(id).orElseThrow(() -> new PageException(404, "error.payment_not_found"));
    }

    /** The channel filter's choices: each channel, and {@code none} (an {@code any_qr} payment no wallet paid). */
    static List<String> channels() {
        List<String> all = new java.util.ArrayList<>(
                Arrays.stream(Channel.values()).map(Channel::wire).toList());
        all.add(PaymentQueries.Filter.NO_CHANNEL);
        return all;
    }

    private static String pick(String value, List<String> allowed) {
        if (value == null) {
            return null;
        }
        for (String a : allowed) {
            if (a.equalsIgnoreCase(value.strip())) {
                return a;
            }
        }
        return null;
    }

    private static LocalDate date(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
