package dev.zhifu.alipay;

import java.time.Duration;

/** Tells the configured listener about each attempt of a call, and waits between attempts. */
final class CallEvents {

    private final AlipayCallListener listener;

    CallEvents(AlipayCallListener listener) {
        this.listener = listener;
    }

    /** @param httpStatus -1 when unknown: then 200 when Alipay answered ({@code response} is set) */
    void report(
            String method,
            int attempt,
            long startedNanos,
            AlipayCallListener.Outcome outcome,
            AlipayResponse response,
            int httpStatus,
            boolean willRetry,
            String traceId) {
        try {
            listener.onCall(new AlipayCallListener.Event(
                    method,
                    attempt,
                    Duration.ofNanos(System.nanoTime() - startedNanos),
                    outcome,
                    response == null ? null : response.code(),
                    response == null ? null : response.subCode(),
                    httpStatus == -1 && response != null ? 200 : httpStatus,
                    willRetry,
                    traceId));
        } catch (RuntimeException ignored) {
            // a broken listener must not break payments
        }
    }

    /** Sleeps before the next attempt; interrupted, it gives up with {@code cause}. */
    static void pause(Duration delay, AlipayException cause) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cause;
        }
    }
}
