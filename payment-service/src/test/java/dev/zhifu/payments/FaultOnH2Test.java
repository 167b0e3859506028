package dev.zhifu.payments;

import dev.zhifu.payments.testing.OnH2;

@OnH2
class FaultOnH2Test extends FaultSuite {}
