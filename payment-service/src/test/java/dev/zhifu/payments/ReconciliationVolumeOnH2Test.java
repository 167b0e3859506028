package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.payments.alipay.AlipayTimes;
import dev.zhifu.payments.reconciliation.ReconciliationDay;
import dev.zhifu.payments.reconciliation.Reconciliations;
import dev.zhifu.payments.storage.Ids;
import dev.zhifu.payments.testing.BillFixtures;
import dev.zhifu.payments.testing.OnH2;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A large bill reconciles streamed: the zip is generated to a file, kept in the database chunk by chunk, parsed
 * line by line and matched in batches against payments looked up by key. 2,000 lines by default; the 100,000-line
 * figure of BENCHMARKS.md comes from
 * {@code mvn -B -o -pl payment-service test -Dtest=ReconciliationVolumeOnH2Test -Dreconciliation.volume.lines=100000}.
 * It prints the time and the peak heap in use (sampled); it asserts results, never timings.
 */
@OnH2
class ReconciliationVolumeOnH2Test {

    private static final int UNKNOWN = 5;
    private static final int NOT_IN_BILL = 5;

    @Autowired
    Reconciliations reconciliations;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aLargeBillReconcilesStreamedAgainstPaymentsLookedUpByKey(@TempDir Path dir) throws Exception {
        int lines = Integer.getInteger("reconciliation.volume.lines", 2000);
        LocalDate day = LocalDate.of(2020, 1, 1).plusDays((long) (Math.random() * 300));
        String run = Ids.random(6);
        insertPaidPayments(day, run, lines + NOT_IN_BILL);
        Path zip = BillFixtures.write(dir, day, rows(day, run, lines), BigDecimal.ZERO);

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long baseline = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(baseline);
        // live data: what the heap pools held right after their last collection (garbage excluded)
        AtomicLong livePeak = new AtomicLong(afterGc());
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                livePeak.accumulateAndGet(afterGc(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        long started = System.nanoTime();
        ReconciliationDay result;
        try (InputStream in = Files.newInputStream(zip)) {
            result = reconciliations.runWithBill(day, in);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        sampling.set(false);
        sampler.join();

        System.out.printf(
                "RECONCILIATION-VOLUME lines=%d zip_kib=%d millis=%d lines_per_s=%d heap_baseline_mib=%d "
                        + "heap_peak_mib=%d live_after_gc_peak_mib=%d max_heap_mib=%d%n",
                lines + UNKNOWN,
                Files.size(zip) / 1024,
                millis,
                (lines + UNKNOWN) * 1000L / Math.max(1, millis),
                baseline >> 20,
                peak.get() >> 20,
                livePeak.get() >> 20,
                Runtime.getRuntime().maxMemory() >> 20);
        assertThat(result.status()).as(String.valueOf(result.lastError())).isEqualTo(ReconciliationDay.RECONCILED);
        assertThat(result.lineCount()).isEqualTo(lines + UNKNOWN);
        assertThat(result.matchedCount()).isEqualTo(lines);
        assertThat(result.billSize()).isEqualTo(Files.size(zip));
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM reconciliation_discrepancies WHERE bill_date = ? AND kind = "
                                + "'MISSING_LOCALLY'",
                        Integer.class,
                        day))
                .isEqualTo(UNKNOWN);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM reconciliation_discrepancies WHERE bill_date = ? AND kind = "
                                + "'MISSING_AT_ALIPAY'",
                        Integer.class,
                        day))
                .isEqualTo(NOT_IN_BILL);
    }

    private static long afterGc() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                sum += pool.getCollectionUsage().getUsed();
            }
        }
        return sum;
    }

    /** Payments paid during the day (the last {@code NOT_IN_BILL} of them Alipay never saw). */
    private void insertPaidPayments(LocalDate day, String run, int count) {
        LocalDateTime start = day.atTime(LocalTime.of(1, 0))
                .atZone(AlipayTimes.ZONE)
                .withZoneSameInstant(ZoneOffset.UTC)
                .toLocalDateTime();
        List<Object[]> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            LocalDateTime paid = start.plusNanos(i * 600_000_000L); // spread over the day
            batch.add(new Object[] {
                "pay_vol" + run + i,
                "vol-" + run + "-" + i,
                "T" + run + i,
                amount(i),
                paid,
                paid,
                paid,
                paid.plusMinutes(30)
            });
            if (batch.size() == 1000 || i == count - 1) {
                jdbc.batchUpdate(
                        "INSERT INTO payments (id, out_trade_no, trade_no, method, status, amount, refunded_amount, "
                                + "subject, request_hash, version, paid_at, created_at, updated_at, expires_at) "
                                + "VALUES (?, ?, ?, 'QR', 'PAID', ?, 0, 'Volume', 'x', 2, ?, ?, ?, ?)",
                        batch);
                batch.clear();
            }
        }
    }

    private static BigDecimal amount(int i) {
        return BigDecimal.valueOf(100 + i % 9900, 2);
    }

    /** One payment line per payment (but the last few), then a few lines of orders nobody here knows. */
    private static Iterator<BillFixtures.Row> rows(LocalDate day, String run, int lines) {
        return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < lines + UNKNOWN;
            }

            @Override
            public BillFixtures.Row next() {
                int n = i++;
                LocalDateTime at = day.atTime(1, 0).plusNanos(n * 600_000_000L);
                return n < lines
                        ? new BillFixtures.Row("T" + run + n, "vol-" + run + "-" + n, null, amount(n), at)
                        : new BillFixtures.Row("U" + run + n, "unknown-" + run + "-" + n, null, BigDecimal.ONE, at);
            }
        };
    }
}
