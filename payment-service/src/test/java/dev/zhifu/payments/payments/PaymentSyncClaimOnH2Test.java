package dev.zhifu.payments.payments;

import dev.zhifu.payments.jobs.Leases;
import dev.zhifu.payments.testing.ClaimPlans;
import dev.zhifu.payments.testing.OnH2;
import dev.zhifu.payments.testing.ServiceSuite;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@OnH2
class PaymentSyncClaimOnH2Test extends ServiceSuite {

    @Autowired
    Leases leases;

    @Test
    void thePaymentSyncClaimReadsItsIndexInOrder() {
        ClaimPlans.assertReadsItsIndexInOrder(jdbc, leases.claimSql(PaymentJobs.SYNC_DUE, 5), "now", "leaseNow");
    }
}
