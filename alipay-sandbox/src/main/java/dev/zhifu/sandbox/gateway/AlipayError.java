package dev.zhifu.sandbox.gateway;

/** Ends a call early with an Alipay error answer (validation, state conflicts). */
public final class AlipayError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ApiResult result;

    public AlipayError(ApiResult result) {
        super(result.subCode() + ": " + result.fields().get("sub_msg"), null, false, false);
        this.result = result;
    }

    public static AlipayError business(String subCode, String subMsg) {
        return new AlipayError(ApiResult.business(subCode, subMsg));
    }

    public static AlipayError of(String code, String subCode, String subMsg) {
        return new AlipayError(ApiResult.failure(code, subCode, subMsg));
    }

    public static AlipayError invalidParameter(String subMsg) {
        return business("ACQ.INVALID_PARAMETER", subMsg);
    }

    public ApiResult result() {
        return result;
    }
}
