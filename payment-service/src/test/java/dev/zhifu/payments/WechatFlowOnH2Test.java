package dev.zhifu.payments;

import dev.zhifu.payments.testing.OnH2;

@OnH2
class WechatFlowOnH2Test extends WechatFlowSuite {}
