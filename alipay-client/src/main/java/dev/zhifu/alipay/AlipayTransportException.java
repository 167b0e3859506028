package dev.zhifu.alipay;

/**
 * The call did not get a usable HTTP answer: connection refused, time-out, or a non-2xx status
 * ({@link #httpStatus()}, -1 when there was no answer at all).
 */
public final class AlipayTransportException extends AlipayException {

    private final int httpStatus;
    private final boolean mayHaveReachedAlipay;

    public AlipayTransportException(
            String method, String message, int httpStatus, boolean mayHaveReachedAlipay, Throwable cause) {
        super(method, message, cause);
        this.httpStatus = httpStatus;
        this.mayHaveReachedAlipay = mayHaveReachedAlipay;
    }

    public int httpStatus() {
        return httpStatus;
    }

    @Override
    public boolean isResultUnknown() {
        return mayHaveReachedAlipay;
    }
}
