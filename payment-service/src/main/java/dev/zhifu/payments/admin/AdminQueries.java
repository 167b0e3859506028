package dev.zhifu.payments.admin;

import dev.zhifu.payments.events.EventQueries;
import dev.zhifu.payments.operations.BacklogGauges;
import dev.zhifu.payments.payments.Money;
import dev.zhifu.payments.payments.PaymentQueries;
import dev.zhifu.payments.refunds.RefundQueries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.springframework.stereotype.Component;

/**
 * The console's read model: lists, counts and today's figures, each read by the feature that owns its table
 * ({@link PaymentQueries}, {@link RefundQueries}, {@link EventQueries}), paged and put together here. Nothing
 * here writes.
 */
@Component
public class AdminQueries {

    private final PaymentQueries payments;
    private final RefundQueries refunds;
    private final EventQueries events;

    public AdminQueries(PaymentQueries payments, RefundQueries refunds, EventQueries events) {
        this.payments = payments;
        this.refunds = refunds;
        this.events = events;
    }

    public record Page<T>(List<T> rows, long total, int page, int size) {
        public int pages() {
            return (int) Math.max(1, (total + size - 1) / size);
        }

        public boolean hasPrevious() {
            return page > 1;
        }

        public boolean hasNext() {
            return page < pages();
        }
    }

    public Page<PaymentQueries.Summary> payments(PaymentQueries.Filter filter, int page, int size) {
        return page(payments.count(filter), page, size, (limit, offset) -> payments.list(filter, limit, offset));
    }

    public List<PaymentQueries.Summary> recentPayments(int limit) {
        return payments.list(PaymentQueries.Filter.ANY, limit, 0);
    }

    /**
     * @param deliveryStatus {@code PENDING}, {@code DELIVERED}, {@code DEAD}, {@code FAILING} (dead or retrying),
     *                       or null
     */
    public Page<EventQueries.Delivery> events(String deliveryStatus, String paymentId, int page, int size) {
        return page(
                events.count(deliveryStatus, paymentId),
                page,
                size,
                (limit, offset) -> events.list(deliveryStatus, paymentId, limit, offset));
    }

    public List<EventQueries.Delivery> eventsOf(String paymentId) {
        return events.ofPayment(paymentId);
    }

    /**
     * Today at a glance. {@code successRate} counts today's payments that are settled (paid or closed), so
     * payments still waiting for their buyer do not lower it.
     */
    public record Dashboard(
            String volume,
            long paidCount,
            long createdCount,
            long settledCount,
            Integer successRatePercent,
            String refundedToday,
            long pendingCount,
            Instant oldestPendingSince,
            long failedWebhooks,
            long openAnomalies,
            List<ChannelFigures> channels) {}

    /**
     * Today's figures of one channel.
     *
     * @param channel {@code alipay}, {@code wechatpay}, or null for {@code any_qr} payments no wallet has paid yet
     */
    public record ChannelFigures(String channel, long created, long paid, String volume) {}

    public Dashboard dashboard(Instant startOfDay, Instant now) {
        PaymentQueries.Created day = payments.created(startOfDay, now.plusSeconds(1));
        PaymentQueries.Paid paid = payments.paidSince(startOfDay);
        BacklogGauges.Backlog pending = payments.pendingPayments();
        long settled = day.paid() + day.closed();
        Integer rate = settled == 0 ? null : (int) Math.round(100.0 * day.paid() / settled);
        return new Dashboard(
                Money.format(paid.volume()),
                paid.count(),
                day.count(),
                settled,
                rate,
                Money.format(refunds.refundedSince(startOfDay)),
                pending.count(),
                pending.oldest(),
                events.failing(),
                payments.openAnomalies(),
                payments.byChannel(startOfDay, now.plusSeconds(1)).stream()
                        .map(c -> new ChannelFigures(c.channel(), c.created(), c.paid(), Money.format(c.volume())))
                        .toList());
    }

    /** Page {@code page} (clamped to 1..last) of {@code total} rows, {@code size} a page. */
    private static <T> Page<T> page(long total, int page, int size, BiFunction<Integer, Long, List<T>> rows) {
        int last = (int) Math.max(1, (total + size - 1) / size);
        int current = Math.min(Math.max(1, page), last);
        return new Page<>(rows.apply(size, (long) (current - 1) * size), total, current, size);
    }

    static List<String> statuses() {
        return new ArrayList<>(List.of("PENDING", "PAID", "REFUNDED", "CLOSED"));
    }
}
