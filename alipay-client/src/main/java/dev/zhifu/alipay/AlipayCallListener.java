package dev.zhifu.alipay;

import java.time.Duration;

/**
 * Told about every attempt of every gateway call, for metrics and logs. Events carry no parameters, keys
 * or signatures, so a listener cannot leak them. Listeners must be fast and must not throw (a throwing
 * listener is ignored).
 */
@FunctionalInterface
public interface AlipayCallListener {

    void onCall(Event event);

    /** What happened to one attempt. */
    enum Outcome {
        SUCCESS,
        BUSINESS_ERROR,
        RESULT_UNKNOWN,
        TRANSPORT_ERROR,
        BAD_SIGNATURE,
        MALFORMED_RESPONSE
    }

    /**
     * @param method     API method
     * @param attempt    1-based attempt number
     * @param duration   time from sending to the verified answer or failure
     * @param outcome    outcome class
     * @param code       Alipay's {@code code}, when it answered
     * @param subCode    Alipay's {@code sub_code}, when present
     * @param httpStatus HTTP status, -1 when there was none
     * @param willRetry  whether the client will try again
     * @param traceId    Alipay's {@code trace_id} response header, when it sent one
     */
    record Event(
            String method,
            int attempt,
            Duration duration,
            Outcome outcome,
            String code,
            String subCode,
            int httpStatus,
            boolean willRetry,
            String traceId) {}

    AlipayCallListener NONE = event -> {};
}
