package dev.zhifu.payments.reconciliation;

import dev.zhifu.payments.testing.OnMariaDb;

@OnMariaDb
class WechatFeeCheckOnMariaDbTest extends WechatFeeCheckSuite {}
