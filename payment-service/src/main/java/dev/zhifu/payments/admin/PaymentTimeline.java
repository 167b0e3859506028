package dev.zhifu.payments.admin;

import dev.zhifu.alipay.AlipaySignatureException;
import dev.zhifu.alipay.notify.NotificationVerifier;
import dev.zhifu.payments.events.EventQueries;
import dev.zhifu.payments.notifications.ReceivedNotification;
import dev.zhifu.payments.notifications.ReceivedNotifications;
import dev.zhifu.payments.payments.Anomaly;
import dev.zhifu.payments.payments.Money;
import dev.zhifu.payments.payments.Payment;
import dev.zhifu.payments.payments.PaymentQueries;
import dev.zhifu.payments.refunds.Refund;
import dev.zhifu.payments.refunds.RefundQueries;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * A payment's history in time order, from what the service keeps: the payment row (created, paid, closed),
 * every notification as received (raw body, decoded parameters, verification outcome), refunds, anomalies,
 * and the events with their webhook delivery. Alipay calls are not stored, so they show only through their
 * effects (the action handed out, the trade number).
 */
@Component
public class PaymentTimeline {

    /**
     * One line of the timeline.
     *
     * @param kind     css class and icon: {@code created}, {@code paid}, {@code closed}, {@code notification},
     *                 {@code refund}, {@code refunded}, {@code event}, {@code anomaly}
     * @param titleKey message key of the headline; {@code arg} is its parameter
     * @param state    a status word shown as a badge (outcome, refund status, delivery status)
     * @param good     whether the badge is good news (green) or not (amber/red)
     * @param detail   a line of plain text, may be null
     * @param raw      a raw message shown verbatim (notification body), may be null
     * @param params   decoded parameters of {@code raw}, may be empty
     */
    public record Entry(Instant at, String kind, String titleKey, String arg, String state, boolean good, String detail,
                        String raw, Map<String, String> params, String eventId) {
    }

    private static final List<String> KIND_ORDER =
            List.of("created", "paid", "closed", "refund", "refunded", "notification", "anomaly", "event");

    private final ReceivedNotifications notifications;
    private final RefundQueries refunds;
    private final PaymentQueries payments;
    private final AdminQueries queries;

    public PaymentTimeline(ReceivedNotifications notifications, RefundQueries refunds, PaymentQueries payments,
                           AdminQueries queries) {
        this.notifications = notifications;
        this.refunds = refunds;
        this.payments = payments;
        this.queries = queries;
    }

    public List<Entry> of(Payment p) {
        List<Entry> entries = new ArrayList<>();
        String action = p.actionType() == null ? null : switch (p.actionType()) {
            case "redirect" -> "redirect: " + p.actionValue();
            case "qr_code" -> "qr_code: " + p.actionValue();
            case "app" -> "app order_string (" + p.actionValue().length() + " chars)";
            default -> p.actionType();
        };
        entries.add(new Entry(p.createdAt(), "created", "timeline.created", p.method().wire(), "PENDING", true,
                action, null, Map.of(), null));
        if (p.paidAt() != null) {
            entries.add(new Entry(p.paidAt(), "paid", "timeline.paid", p.tradeNo(), "PAID", true,
                    p.buyerLogonId() == null ? null : "buyer " + p.buyerLogonId(), null, Map.of(), null));
        }
        if (p.closedAt() != null) {
            String why = p.failureCode() == null ? null : p.failureCode() + (p.failureMessage() == null ? "" : ": " + p.failureMessage());
            entries.add(new Entry(p.closedAt(), "closed", "timeline.closed", null, "CLOSED", false, why, null, Map.of(), null));
        }
        for (ReceivedNotification n : notifications.forTrade(p.outTradeNo())) {
            boolean good = !"REFUSED".equals(n.outcome()) && !"ANOMALY".equals(n.outcome());
            String detail = (n.reason() == null ? "" : n.reason() + " · ") + "notify_id " + n.notifyId()
                    + (n.remoteAddr() == null ? "" : " · from " + n.remoteAddr());
            entries.add(new Entry(n.receivedAt(), "notification", "timeline.notification",
                    n.tradeStatus() == null ? n.notifyType() : n.tradeStatus(), n.outcome(), good, detail,
                    readable(n), decoded(n), null));
        }
        for (Refund r : refunds.forPayment(p.id())) {
            String detail = r.outRequestNo() + (r.reason() == null ? "" : " · " + r.reason())
                    + ("alipay".equals(r.origin()) ? " · made at Alipay" : "")
                    + (r.failureCode() == null ? "" : " · " + r.failureCode() + ": " + r.failureMessage());
            entries.add(new Entry(r.createdAt(), "refund", "timeline.refund", Money.format(r.amount()), r.status().name(),
                    !"FAILED".equals(r.status().name()), detail, null, Map.of(), null));
            if (r.succeededAt() != null) {
                entries.add(new Entry(r.succeededAt(), "refunded", "timeline.refunded", Money.format(r.amount()), "SUCCEEDED",
                        true, r.outRequestNo(), null, Map.of(), null));
            }
        }
        for (Anomaly a : payments.anomalies(p.id())) {
            entries.add(new Entry(a.detectedAt(), "anomaly", "timeline.anomaly", a.kind(),
                    a.resolvedAt() == null ? "OPEN" : "RESOLVED", a.resolvedAt() != null,
                    Money.format(a.amount()) + " · " + a.tradeNo() + (a.detail() == null ? "" : " · " + a.detail()),
                    null, Map.of(), null));
        }
        for (EventQueries.Delivery e : queries.eventsOf(p.id())) {
            StringBuilder detail = new StringBuilder(e.id()).append(" · attempts ").append(e.attempts());
            if (e.lastError() != null) {
                detail.append(" · ").append(e.lastError());
            }
            entries.add(new Entry(e.createdAt(), "event", "timeline.event", e.type(), e.deliveryStatus(),
                    !e.failing(), detail.toString(), null, Map.of(), e.id()));
        }
        // by the second, then in causal order: Alipay's times (gmt_payment) have whole seconds only, and a
        // notification is stored after the change and event it causes, in the same transaction
        entries.sort(Comparator.comparing((Entry e) -> e.at() == null ? Instant.MAX : e.at().truncatedTo(ChronoUnit.SECONDS))
                .thenComparing(e -> KIND_ORDER.indexOf(e.kind()))
                .thenComparing(Entry::at, Comparator.nullsLast(Comparator.naturalOrder())));
        return entries;
    }

    /** The body as Alipay sent it: URL-encoded text (ASCII), decoded from the stored bytes in its charset. */
    private static String readable(ReceivedNotification n) {
        byte[] bytes = n.rawBody().getBytes(StandardCharsets.ISO_8859_1);
        Charset charset;
        try {
            charset = n.charset() == null ? StandardCharsets.UTF_8 : Charset.forName(n.charset());
        } catch (IllegalArgumentException unknown) {
            charset = StandardCharsets.ISO_8859_1;
        }
        return new String(bytes, charset);
    }

    private static Map<String, String> decoded(ReceivedNotification n) {
        try {
            return NotificationVerifier.decodeForm(n.rawBody().getBytes(StandardCharsets.ISO_8859_1));
        } catch (AlipaySignatureException | IllegalArgumentException malformed) {
            return Map.of();
        }
    }
}
