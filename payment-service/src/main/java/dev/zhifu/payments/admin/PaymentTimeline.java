package dev.zhifu.payments.admin;

import dev.zhifu.alipay.AlipaySignatureException;
import dev.zhifu.alipay.notify.NotificationVerifier;
import dev.zhifu.payments.config.PaymentsProperties;
import dev.zhifu.payments.events.EventQueries;
import dev.zhifu.payments.notifications.ReceivedNotification;
import dev.zhifu.payments.notifications.ReceivedNotifications;
import dev.zhifu.payments.payments.Anomaly;
import dev.zhifu.payments.payments.Channel;
import dev.zhifu.payments.payments.Money;
import dev.zhifu.payments.payments.Payment;
import dev.zhifu.payments.payments.PaymentQueries;
import dev.zhifu.payments.refunds.Refund;
import dev.zhifu.payments.refunds.RefundQueries;
import java.net.URI;
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
     * @param titleKey message key of the headline; {@code arg} is its parameter, itself a message key when
     *                 {@code argTranslated} (the payment method's name)
     * @param state    a status word (outcome, refund status, delivery status): the badge's css class, and shown
     *                 through the message {@code stateKey}
     * @param good     whether the badge is good news (green) or not (amber/red)
     * @param detail   a line of plain text, may be null
     * @param raw      a raw message shown verbatim when asked for (notification body, redirect URL), may be null;
     *                 {@code rawKey} names it
     * @param params   decoded parameters of {@code raw}, may be empty
     */
    public record Entry(
            Instant at,
            String kind,
            String titleKey,
            String arg,
            boolean argTranslated,
            String state,
            String stateKey,
            boolean good,
            String detail,
            String raw,
            String rawKey,
            Map<String, String> params,
            String eventId) {

        Entry(
                Instant at,
                String kind,
                String titleKey,
                String arg,
                String state,
                String stateKey,
                boolean good,
                String detail) {
            this(at, kind, titleKey, arg, false, state, stateKey, good, detail, null, null, Map.of(), null);
        }
    }

    private static final List<String> KIND_ORDER =
            List.of("created", "paid", "closed", "refund", "refunded", "notification", "anomaly", "event");

    private final ReceivedNotifications notifications;
    private final RefundQueries refunds;
    private final PaymentQueries payments;
    private final AdminQueries queries;
    private final boolean webhookConfigured;

    public PaymentTimeline(
            ReceivedNotifications notifications,
            RefundQueries refunds,
            PaymentQueries payments,
            AdminQueries queries,
            PaymentsProperties settings) {
        this.notifications = notifications;
        this.refunds = refunds;
        this.payments = payments;
        this.queries = queries;
        this.webhookConfigured =
                settings.webhookUrl() != null && !settings.webhookUrl().isBlank();
    }

    public List<Entry> of(Payment p) {
        List<Entry> entries = new ArrayList<>();
        entries.add(created(p));
        if (p.paidAt() != null) {
            entries.add(new Entry(
                    p.paidAt(),
                    "paid",
                    p.channel() == Channel.WECHATPAY ? "timeline.paid.wechatpay" : "timeline.paid",
                    p.tradeNo(),
                    "PAID",
                    "status.PAID",
                    true,
                    p.buyerLogonId() == null ? null : "buyer " + p.buyerLogonId()));
        }
        if (p.closedAt() != null) {
            String why = p.failureCode() == null
                    ? null
                    : p.failureCode() + (p.failureMessage() == null ? "" : ": " + p.failureMessage());
            entries.add(
                    new Entry(p.closedAt(), "closed", "timeline.closed", null, "CLOSED", "status.CLOSED", false, why));
        }
        for (ReceivedNotification n : notifications.forTrade(p.outTradeNo())) {
            boolean good = !"REFUSED".equals(n.outcome()) && !"ANOMALY".equals(n.outcome());
            String detail = (n.reason() == null ? "" : n.reason() + " · ") + "notify_id " + n.notifyId()
                    + (n.remoteAddr() == null ? "" : " · from " + n.remoteAddr());
            entries.add(new Entry(
                    n.receivedAt(),
                    "notification",
                    "wechatpay".equalsIgnoreCase(n.channel())
                            ? "timeline.notification.wechatpay"
                            : "timeline.notification",
                    n.tradeStatus() == null ? n.notifyType() : n.tradeStatus(),
                    false,
                    n.outcome(),
                    "outcome." + n.outcome(),
                    good,
                    detail,
                    readable(n),
                    "timeline.raw",
                    decoded(n),
                    null));
        }
        for (Refund r : refunds.forPayment(p.id())) {
            String detail = r.outRequestNo()
                    + (r.reason() == null ? "" : " · " + r.reason())
                    + ("alipay".equals(r.origin()) ? " · made at Alipay" : "")
                    + (r.failureCode() == null ? "" : " · " + r.failureCode() + ": " + r.failureMessage());
            String status = r.status().name();
            entries.add(new Entry(
                    r.createdAt(),
                    "refund",
                    "timeline.refund",
                    Money.format(r.amount()),
                    status,
                    "refund.status." + status,
                    !"FAILED".equals(status),
                    detail));
            if (r.succeededAt() != null) {
                entries.add(new Entry(
                        r.succeededAt(),
                        "refunded",
                        "timeline.refunded",
                        Money.format(r.amount()),
                        "SUCCEEDED",
                        "refund.status.SUCCEEDED",
                        true,
                        r.outRequestNo()));
            }
        }
        for (Anomaly a : payments.anomalies(p.id())) {
            String state = a.resolvedAt() == null ? "OPEN" : "RESOLVED";
            entries.add(new Entry(
                    a.detectedAt(),
                    "anomaly",
                    "timeline.anomaly",
                    a.kind(),
                    state,
                    "anomaly." + state,
                    a.resolvedAt() != null,
                    Money.format(a.amount()) + " · " + a.tradeNo() + (a.detail() == null ? "" : " · " + a.detail())));
        }
        for (EventQueries.Delivery e : queries.eventsOf(p.id())) {
            String delivery = e.deliveryState(webhookConfigured);
            StringBuilder detail =
                    new StringBuilder(e.id()).append(" · attempts ").append(e.attempts());
            if (e.lastError() != null) {
                detail.append(" · ").append(e.lastError());
            }
            entries.add(new Entry(
                    e.createdAt(),
                    "event",
                    "timeline.event",
                    e.type(),
                    false,
                    delivery,
                    "delivery." + delivery,
                    !e.failing(),
                    detail.toString(),
                    null,
                    null,
                    Map.of(),
                    e.id()));
        }
        // by the second, then in causal order: Alipay's times (gmt_payment) have whole seconds only, and a
        // notification is stored after the change and event it causes, in the same transaction
        entries.sort(
                Comparator.comparing((Entry e) -> e.at() == null ? Instant.MAX : e.at().truncatedTo(ChronoUnit.SECONDS))
                        .thenComparing(e -> KIND_ORDER.indexOf(e.kind()))
                        .thenComparing(Entry::at, Comparator.nullsLast(Comparator.naturalOrder())));
        return entries;
    }

    /**
     * The payment as created. A redirect's URL is signed and holds every parameter (about 20 wrapped lines): the
     * line shows where it leads ({@code GET host/path} and Alipay's method), the whole URL and its decoded
     * parameters are there when asked for.
     */
    private static Entry created(Payment p) {
        String arg = "method." + p.method().wire();
        if ("redirect".equals(p.actionType())) {
            Map<String, String> params = queryOf(p.actionValue());
            String method = params.get("method");
            return new Entry(
                    p.createdAt(),
                    "created",
                    "timeline.created",
                    arg,
                    true,
                    "PENDING",
                    "status.PENDING",
                    true,
                    "redirect: GET " + hostAndPath(p.actionValue()) + (method == null ? "" : " · " + method),
                    p.actionValue(),
                    "timeline.url",
                    params,
                    null);
        }
        String action = p.actionType() == null
                ? null
                : switch (p.actionType()) {
                    case "qr_code" -> "qr_code: " + p.actionValue();
                    case "app" -> "app order_string (" + p.actionValue().length() + " chars)";
                    default -> p.actionType();
                };
        return new Entry(
                p.createdAt(),
                "created",
                "timeline.created",
                arg,
                true,
                "PENDING",
                "status.PENDING",
                true,
                action,
                null,
                null,
                Map.of(),
                null);
    }

    static String hostAndPath(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
        } catch (IllegalArgumentException malformed) {
            int query = url.indexOf('?');
            return query < 0 ? url : url.substring(0, query);
        }
    }

    private static Map<String, String> queryOf(String url) {
        int query = url.indexOf('?');
        if (query < 0) {
            return Map.of();
        }
        try {
            return NotificationVerifier.decodeForm(url.substring(query + 1).getBytes(StandardCharsets.ISO_8859_1));
        } catch (AlipaySignatureException | IllegalArgumentException malformed) {
            return Map.of();
        }
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
