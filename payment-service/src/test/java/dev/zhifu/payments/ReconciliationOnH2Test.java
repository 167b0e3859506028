package dev.zhifu.payments;

import dev.zhifu.payments.testing.OnH2;

@OnH2
class ReconciliationOnH2Test extends ReconciliationSuite {}
