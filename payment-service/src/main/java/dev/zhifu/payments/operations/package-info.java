/**
 * Operations: the meters behind {@code /actuator/prometheus} (names listed in README's Operations section and
 * used by {@code deploy/}), spans for Alipay calls, notifications and job items, the Alipay readiness check, and
 * the redaction every log line passes through.
 */
package dev.zhifu.payments.operations;
