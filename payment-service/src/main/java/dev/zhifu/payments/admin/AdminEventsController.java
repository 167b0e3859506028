package dev.zhifu.payments.admin;

import dev.zhifu.payments.events.EventOutbox;
import dev.zhifu.payments.web.PageException;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.List;
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

/** Webhook events with their delivery, and redelivery. */
@Controller
@Hidden
public class AdminEventsController {

    private static final Logger log = LoggerFactory.getLogger(AdminEventsController.class);
    private static final List<String> DELIVERY = List.of("PENDING", "DELIVERED", "DEAD", "FAILING");

    private final AdminQueries queries;
    private final EventOutbox outbox;
    private final AdminProperties settings;
    private final boolean webhookConfigured;

    private final dev.zhifu.payments.payments.PaymentQueries paymentQueries;

    public AdminEventsController(
            AdminQueries queries,
            EventOutbox outbox,
            AdminProperties settings,
            dev.zhifu.payments.config.PaymentsProperties payments,
            dev.zhifu.payments.payments.PaymentQueries paymentQueries) {
        this.paymentQueries = paymentQueries;
        this.queries = queries;
        this.outbox = outbox;
        this.settings = settings;
        this.webhookConfigured =
                payments.webhookUrl() != null && !payments.webhookUrl().isBlank();
    }

    @GetMapping("/admin/events")
    public String events(
            @RequestParam(required = false) String delivery, @RequestParam(defaultValue = "1") int page, Model model) {
        String filter = delivery != null && DELIVERY.contains(delivery) ? delivery : null;
        var result = queries.events(filter, null, page, settings.pageSize());
        UriComponentsBuilder link = UriComponentsBuilder.fromPath("/admin/events");
        if (filter != null) {
            link.queryParam("delivery", filter);
        }
        model.addAttribute("section", "events");
        model.addAttribute("webhookConfigured", webhookConfigured);
        model.addAttribute("result", result);
        model.addAttribute(
                "channels",
                paymentQueries.channelsOf(result.rows().stream()
                        .map(dev.zhifu.payments.events.EventQueries.Delivery::paymentId)
                        .toList()));
        model.addAttribute("deliveries", DELIVERY);
        model.addAttribute("delivery", filter);
        model.addAttribute(
                "previousUrl",
                link.cloneBuilder()
                        .queryParam("page", result.page() - 1)
                        .build()
                        .toUriString());
        model.addAttribute(
                "nextUrl",
                link.cloneBuilder()
                        .queryParam("page", result.page() + 1)
                        .build()
                        .toUriString());
        return "admin/events";
    }

    /** Queues the event again; back to the page it was asked from (the list or the payment). */
    @PostMapping("/admin/events/{id}/redeliver")
    public String redeliver(
            @PathVariable String id, @RequestParam(required = false) String back, RedirectAttributes redirect) {
        outbox.find(id).orElseThrow(() -> new PageException(404, "error.event_not_found"));
        outbox.redeliver(id);
        log.info("Admin queued event {} for redelivery", id);
        redirect.addFlashAttribute("noticeKey", "events.redelivered");
        redirect.addFlashAttribute("noticeArg", id);
        return "redirect:" + SafeNext.of(back == null ? "/admin/events" : back);
    }
}
