package dev.zhifu.payments;

import dev.zhifu.payments.testing.OnMariaDb;

@OnMariaDb
class ApiContractOnMariaDbTest extends ApiContractSuite {}
