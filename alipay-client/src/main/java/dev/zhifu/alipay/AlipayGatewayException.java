package dev.zhifu.alipay;

/**
 * Alipay answered with something other than success: {@code code}, {@code msg}, {@code sub_code},
 * {@code sub_msg} as sent. {@link #isResultUnknown()} tells a definite failure (e.g. 40004
 * {@code ACQ.TRADE_NOT_EXIST}) from an unknown outcome (10003 waiting for the buyer, 20000,
 * {@code ACQ.SYSTEM_ERROR}) that must be resolved by querying.
 */
public final class AlipayGatewayException extends AlipayException {

    private final AlipayResponse response;

    public AlipayGatewayException(AlipayResponse response) {
        super(response.method(), describe(response), null);
        this.response = response;
    }

    private static String describe(AlipayResponse r) {
        StringBuilder s = new StringBuilder(r.method()).append(" answered ").append(r.code());
        if (r.msg() != null) {
            s.append(' ').append(r.msg());
        }
        if (r.subCode() != null) {
            s.append(" [").append(r.subCode());
            if (r.subMsg() != null) {
                s.append(": ").append(r.subMsg());
            }
            s.append(']');
        }
        return s.toString();
    }

    public String code() {
        return response.code();
    }

    public String msg() {
        return response.msg();
    }

    public String subCode() {
        return response.subCode();
    }

    public String subMsg() {
        return response.subMsg();
    }

    /** The whole answer, for fields beyond the codes. */
    public AlipayResponse response() {
        return response;
    }

    @Override
    public boolean isResultUnknown() {
        return response.isResultUnknown();
    }
}
