package dev.zhifu.payments;

import dev.zhifu.payments.testing.OnH2;

@OnH2
class ApiContractOnH2Test extends ApiContractSuite {}
