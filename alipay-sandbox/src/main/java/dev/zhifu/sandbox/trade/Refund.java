package dev.zhifu.sandbox.trade;

import java.math.BigDecimal;
import java.time.Instant;

/** A successful refund of part or all of a trade; {@code outRequestNo} is its idempotency key (docs/alipay-protocol.md#s11.10). */
public record Refund(String outRequestNo, BigDecimal amount, String reason, Instant at, boolean explicitRequestNo) {}
