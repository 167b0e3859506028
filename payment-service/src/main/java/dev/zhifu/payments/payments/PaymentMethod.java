package dev.zhifu.payments.payments;

import java.util.Locale;

/** How the buyer pays, with the Alipay API behind it (docs/alipay-protocol.md#s11). */
public enum PaymentMethod {
    /** PC website cashier, {@code alipay.trade.page.pay}. */
    PAGE,
    /** Mobile website cashier, {@code alipay.trade.wap.pay}. */
    WAP,
    /** Native app order string, {@code alipay.trade.app.pay}. */
    APP,
    /** QR code the buyer scans, {@code alipay.trade.precreate}. */
    QR,
    /** The buyer's payment code scanned by the merchant, {@code alipay.trade.pay}. */
    BARCODE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PaymentMethod fromWire(String value) {
        for (PaymentMethod m : values()) {
            if (m.wire().equals(value)) {
                return m;
            }
        }
        return null;
    }

    public boolean isBrowser() {
        return this == PAGE || this == WAP;
    }
}
