package dev.zhifu.payments.reconciliation;

import dev.zhifu.payments.testing.OnPostgres;

@OnPostgres
class WechatFeeCheckOnPostgresTest extends WechatFeeCheckSuite {}
