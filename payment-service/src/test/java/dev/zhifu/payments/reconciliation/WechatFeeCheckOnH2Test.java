package dev.zhifu.payments.reconciliation;

import dev.zhifu.payments.testing.OnH2;

@OnH2
class WechatFeeCheckOnH2Test extends WechatFeeCheckSuite {}
