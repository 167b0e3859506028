/**
 * The WeChat Pay API v3 client. Exported: the client, its configuration and errors ({@code dev.zhifu.wechatpay}),
 * the typed payment and refund data ({@code payments}), the notifications ({@code notify}), the trade bill
 * ({@code bill}) and the signing toolkit the offline sandbox and the tests share ({@code crypto}). The client's
 * machinery in {@code dev.zhifu.wechatpay} is package-private.
 *
 * <p>Amazon Corretto Crypto Provider needs no {@code requires}: it is looked up by reflection.
 */
module dev.zhifu.wechatpay {
    requires com.fasterxml.jackson.core;
    requires java.net.http;

    exports dev.zhifu.wechatpay;
    exports dev.zhifu.wechatpay.bill;
    exports dev.zhifu.wechatpay.crypto;
    exports dev.zhifu.wechatpay.notify;
    exports dev.zhifu.wechatpay.payments;
}
