package dev.zhifu.payments.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LeasedJobTest {

    @Test
    void aJobNamesATableWithLeasesAndOrdersByColumns() {
        LeasedJob job = LeasedJob.of("sync", "payments", "status = 'PENDING'", "next_sync_at, id DESC");
        assertThat(job.params().apply(java.time.Instant.EPOCH)).isEmpty();
    }

    @Test
    void aTableWithoutLeasesIsRefused() {
        assertThatThrownBy(() -> LeasedJob.of("x", "idempotency_keys", "1 = 1", "id"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no leases on idempotency_keys");
        assertThatThrownBy(() -> LeasedJob.of("x", "payments; DROP TABLE payments", "1 = 1", "id"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anOrderThatIsNotColumnsIsRefused() {
        assertThatThrownBy(() -> LeasedJob.of("x", "payments", "1 = 1", "id; DELETE FROM payments"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("order by columns only");
    }
}
