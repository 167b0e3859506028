package dev.zhifu.payments.payments;

import java.util.Locale;

/** The wallet a payment goes through: its gateway, its notifications, its bill (docs/payment-channels.md). */
public enum Channel {
    ALIPAY,
    WECHATPAY;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return null for null or an unknown name */
    public static Channel fromWire(String value) {
        for (Channel c : values()) {
            if (c.wire().equals(value)) {
                return c;
            }
        }
        return null;
    }
}
