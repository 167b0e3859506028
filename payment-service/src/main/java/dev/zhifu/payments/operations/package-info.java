/**
 * Operations: the meters behind {@code /actuator/prometheus} (names listed in README's Operations section and
 * used by {@code deploy/}), spans for Alipay calls, notifications and job items, and the redaction every log line
 * passes through. It sits below every feature: a feature names its own series (payment methods, discrepancy
 * kinds) at start-up, and the Alipay readiness check is the starter's health indicator over alipay.AlipayGateway.
 */
package dev.zhifu.payments.operations;
