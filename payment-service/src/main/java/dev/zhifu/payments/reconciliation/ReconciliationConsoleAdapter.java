package dev.zhifu.payments.reconciliation;

import dev.zhifu.payments.admin.ReconciliationConsole;
import dev.zhifu.payments.payments.Channel;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The admin console's view of reconciliation, over the same repository and service the API uses. Inside this
 * class the simple name {@code Discrepancy} is the console's view; the stored record is written out in full.
 */
@Component
public final class ReconciliationConsoleAdapter implements ReconciliationConsole {

    private final Reconciliations reconciliations;
    private final ReconciliationRepository repository;
    private final Clock clock;

    ReconciliationConsoleAdapter(Reconciliations reconciliations, ReconciliationRepository repository, Clock clock) {
        this.reconciliations = reconciliations;
        this.repository = repository;
        this.clock = clock;
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public List<Day> days(int limit) {
        Map<LocalDate, List<ReconciliationDay>> days = repository.list(limit);
        Map<LocalDate, Map<Channel, Map<String, Integer>>> counts = repository.countsByChannel(days.keySet());
        return days.entrySet().stream()
                .map(d -> day(d.getValue(), counts.getOrDefault(d.getKey(), Map.of())))
                .toList();
    }

    @Override
    public Optional<DayDetail> day(LocalDate date) {
        List<ReconciliationDay> channels = repository.channels(date);
        if (channels.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DayDetail(
                day(channels, repository.countsByChannel(List.of(date)).getOrDefault(date, Map.of())),
                repository.discrepancies(date, null, null, null, 500).stream()
                        .map(ReconciliationConsoleAdapter::view)
                        .toList()));
    }

    @Override
    public LocalDate today() {
        return reconciliations.today();
    }

    @Override
    public void run(LocalDate date) {
        if (date.isAfter(reconciliations.today())) {
            throw new IllegalArgumentException(date + " has not happened yet (Alipay's days are GMT+8)");
        }
        reconciliations.run(date);
    }

    @Override
    public void resolve(LocalDate date, String discrepancyId, String note) {
        if (!repository.resolve(discrepancyId, date, note, clock.instant())) {
            throw new IllegalStateException("discrepancy " + discrepancyId + " is not open on " + date);
        }
    }

    private static Day day(List<ReconciliationDay> channels, Map<Channel, Map<String, Integer>> counts) {
        ReconciliationDay d = ReconciliationDay.combine(channels);
        int open = 0;
        int total = 0;
        for (Map<String, Integer> byStatus : counts.values()) {
            open += byStatus.getOrDefault(dev.zhifu.payments.reconciliation.Discrepancy.OPEN, 0);
            total += byStatus.values().stream().mapToInt(Integer::intValue).sum();
        }
        return new Day(
                d.billDate(),
                d.status(),
                d.lineCount() == null ? 0 : d.lineCount(),
                ReconciliationViews.money(d.paymentTotal()),
                ReconciliationViews.money(abs(d.refundTotal())),
                d.matchedCount() == null ? 0 : d.matchedCount(),
                total,
                open,
                d.finishedAt(),
                channels.stream()
                        .map(c -> channelDay(c, counts.getOrDefault(c.channel(), Map.of())))
                        .toList());
    }

    private static ChannelDay channelDay(ReconciliationDay c, Map<String, Integer> counts) {
        return new ChannelDay(
                c.channel().wire(),
                c.status(),
                c.lineCount() == null ? 0 : c.lineCount(),
                ReconciliationViews.money(c.paymentTotal()),
                ReconciliationViews.money(abs(c.refundTotal())),
                ReconciliationViews.money(c.serviceFeeTotal()),
                c.matchedCount() == null ? 0 : c.matchedCount(),
                counts.values().stream().mapToInt(Integer::intValue).sum(),
                counts.getOrDefault(dev.zhifu.payments.reconciliation.Discrepancy.OPEN, 0),
                c.lastError());
    }

    private static Discrepancy view(dev.zhifu.payments.reconciliation.Discrepancy d) {
        return new Discrepancy(
                d.id(),
                d.kind().name().toLowerCase(Locale.ROOT),
                d.outTradeNo(),
                d.tradeNo(),
                d.outRequestNo(),
                side(d.localAmount(), d.localStatus()),
                side(d.alipayAmount(), d.alipayStatus()),
                d.status(),
                d.resolutionNote() != null ? d.resolutionNote() : d.repair() != null ? d.repair() : d.detail(),
                d.resolvedAt() != null ? d.resolvedAt() : d.repairedAt(),
                d.channel().wire());
    }

    /** One side as a person reads it: "9.90 PAID"; "—" when that side has nothing. */
    private static String side(BigDecimal amount, String status) {
        String money = ReconciliationViews.money(amount);
        if (money == null && status == null) {
            return "—";
        }
        return money == null ? status : status == null ? money : money + " " + status;
    }

    private static BigDecimal abs(BigDecimal amount) {
        return amount == null ? null : amount.abs();
    }
}
