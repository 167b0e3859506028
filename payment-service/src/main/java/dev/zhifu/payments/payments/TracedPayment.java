package dev.zhifu.payments.payments;

/** A payment with the trace of the request that created it ({@code null} when none was sampled). */
public record TracedPayment(Payment payment, String traceParent) {}
