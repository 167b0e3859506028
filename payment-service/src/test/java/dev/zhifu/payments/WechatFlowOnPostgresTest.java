package dev.zhifu.payments;

import dev.zhifu.payments.testing.OnPostgres;

@OnPostgres
class WechatFlowOnPostgresTest extends WechatFlowSuite {}
