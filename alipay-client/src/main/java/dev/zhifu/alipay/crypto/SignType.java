package dev.zhifu.alipay.crypto;

/** Alipay's {@code sign_type} values and the JCA algorithms behind them (docs/alipay-protocol.md#s4). */
public enum SignType {
    /** SHA256withRSA: the one to sign with. */
    RSA2("SHA256withRSA"),
    /** SHA1withRSA: legacy, kept for verifying old keys only. */
    RSA("SHA1withRSA");

    private final String jcaAlgorithm;

    SignType(String jcaAlgorithm) {
        this.jcaAlgorithm = jcaAlgorithm;
    }

    public String jcaAlgorithm() {
        return jcaAlgorithm;
    }

    /** Parses a {@code sign_type} value; {@code null} when it is none of ours. */
    public static SignType fromWire(String value) {
        if ("RSA2".equals(value)) {
            return RSA2;
        }
        if ("RSA".equals(value)) {
            return RSA;
        }
        return null;
    }
}
