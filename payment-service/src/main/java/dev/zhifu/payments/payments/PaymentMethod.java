package dev.zhifu.payments.payments;

import java.util.Locale;

/**
 * How the buyer pays, with the API behind it: Alipay's (docs/alipay-protocol.md#s11) or WeChat Pay's
 * (docs/payment-channels.md#methods); the one QR code for either wallet is the last of them.
 */
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
    BARCODE,
    /** WeChat Pay QR code ({@code code_url}), {@code /v3/pay/transactions/native}. */
    WECHAT_NATIVE,
    /** WeChat Pay inside WeChat (official account page or mini program) for the payer's {@code openid}. */
    WECHAT_JSAPI,
    /** WeChat Pay from a mobile browser outside WeChat: the {@code h5_url}, for the buyer's IP. */
    WECHAT_H5,
    /** WeChat Pay in the merchant's own app: the parameters for WeChat's app SDK. */
    WECHAT_APP,
    /** One QR code for either wallet: opened by the Alipay app or by WeChat, it starts that wallet's payment. */
    ANY_QR;

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

    /** The channel this method always uses; null for {@link #ANY_QR}, whose channel is the wallet that pays. */
    public Channel channel() {
        return switch (this) {
            case PAGE, WAP, APP, QR, BARCODE -> Channel.ALIPAY;
            case WECHAT_NATIVE, WECHAT_JSAPI, WECHAT_H5, WECHAT_APP -> Channel.WECHATPAY;
            case ANY_QR -> null;
        };
    }

    /** May use WeChat Pay (WeChat's limits on order numbers and descriptions apply). */
    public boolean mayUseWechatPay() {
        return channel() != Channel.ALIPAY;
    }

    public boolean isBrowser() {
        return this == PAGE || this == WAP;
    }
}
