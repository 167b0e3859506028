package dev.zhifu.payments.refunds;

import dev.zhifu.payments.jobs.Leases;
import dev.zhifu.payments.testing.ClaimPlans;
import dev.zhifu.payments.testing.OnH2;
import dev.zhifu.payments.testing.ServiceSuite;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@OnH2
class RefundClaimOnH2Test extends ServiceSuite {

    @Autowired
    Leases leases;

    @Test
    void theRefundSyncClaimReadsItsIndexInOrder() {
        ClaimPlans.assertReadsItsIndexInOrder(jdbc, leases.claimSql(RefundSyncJob.DUE, 5), "now", "leaseNow");
    }
}
