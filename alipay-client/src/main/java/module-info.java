/**
 * The Alipay Open Platform client. Exported: the client and its configuration ({@code dev.zhifu.alipay}), the
 * typed trade requests, notification verification, the bill parser, and the signing toolkit the offline sandbox
 * and {@code doctor} share ({@code crypto}). Everything else in {@code dev.zhifu.alipay} is package-private.
 *
 * <p>Amazon Corretto Crypto Provider needs no {@code requires}: it is looked up by reflection, and on the module
 * path it is resolved as a {@link java.security.Provider} service whenever it is present.
 */
module dev.zhifu.alipay {
    requires com.fasterxml.jackson.core;
    requires java.net.http;

    exports dev.zhifu.alipay;
    exports dev.zhifu.alipay.bill;
    exports dev.zhifu.alipay.crypto;
    exports dev.zhifu.alipay.notify;
    exports dev.zhifu.alipay.trade;
}
