package dev.zhifu.payments;

import dev.zhifu.payments.testing.OnMariaDb;

@OnMariaDb
class WechatFlowOnMariaDbTest extends WechatFlowSuite {}
