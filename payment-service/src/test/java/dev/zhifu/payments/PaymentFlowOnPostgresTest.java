package dev.zhifu.payments;

import dev.zhifu.payments.testing.OnPostgres;

@OnPostgres
class PaymentFlowOnPostgresTest extends PaymentFlowSuite {}
