package dev.zhifu.sandbox.wechat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.zhifu.sandbox.faults.FaultPlan;
import dev.zhifu.sandbox.http.SandboxRequest;
import dev.zhifu.sandbox.http.SandboxResponse;
import dev.zhifu.sandbox.notify.ReorderHold;
import dev.zhifu.sandbox.time.Scheduler;
import dev.zhifu.sandbox.wechat.auth.ApiV3Cipher;
import dev.zhifu.sandbox.wechat.auth.CertificatesApi;
import dev.zhifu.sandbox.wechat.auth.MerchantAuthorization;
import dev.zhifu.sandbox.wechat.auth.PlatformSigner;
import dev.zhifu.sandbox.wechat.auth.RequestPaymentCheck;
import dev.zhifu.sandbox.wechat.bill.TradeBillApi;
import dev.zhifu.sandbox.wechat.notify.WechatNotifier;
import dev.zhifu.sandbox.wechat.page.WechatPages;
import dev.zhifu.sandbox.wechat.pay.PayApi;
import dev.zhifu.sandbox.wechat.pay.TradeBook;
import dev.zhifu.sandbox.wechat.pay.WechatTrade;
import dev.zhifu.wechatpay.crypto.RsaProvider;
import dev.zhifu.wechatpay.crypto.Sha256WithRsa;
import java.time.Clock;
import java.util.function.Function;

/** The WeChat Pay side of the sandbox, put together: gateway, order book, notifications and platform keys. */
public final class WechatPay {

    private final WechatPaySettings settings;
    private final PlatformSigner signer;
    private final TradeBook book;
    private final WechatNotifier notifier;
    private final WechatPayGateway gateway;
    private final WechatPages pages;

    public WechatPay(
            WechatPaySettings settings,
            Clock clock,
            Scheduler scheduler,
            FaultPlan faults,
            double timeScale,
            String basePath,
            ReorderHold reorder) {
        this.settings = settings;
        // the merchant's side signs and verifies with the same class (dev.zhifu.wechatpay.crypto)
        Sha256WithRsa rsa = new Sha256WithRsa(RsaProvider.preferNative());
        this.signer = new PlatformSigner(settings.platformPrivateKey(), settings.publicKeyId(), clock, faults, rsa);
        ApiV3Cipher cipher = new ApiV3Cipher(settings.apiV3Key());
        this.notifier = new WechatNotifier(clock, scheduler, signer, cipher, faults, timeScale, reorder);
        this.book = new TradeBook(clock, scheduler, notifier);
        MerchantAuthorization authorization = new MerchantAuthorization(
                settings.mchid(), settings.merchantSerial(), settings.merchantPublicKey(), clock, rsa);
        this.gateway = new WechatPayGateway(
                authorization,
                signer,
                new PayApi(settings.mchid(), settings.appid(), book, new PageLinks(basePath)),
                new CertificatesApi(signer, cipher),
                new TradeBillApi(book, basePath),
                faults);
        this.pages = new WechatPages(
                book, settings.mchid(), settings.appid(), new RequestPaymentCheck(settings.merchantPublicKey(), rsa));
    }

    /** The buyer's pages below the sandbox area, or {@code null} when {@code subPath} is not one. */
    public SandboxResponse handlePage(SandboxRequest request, String subPath, String areaUrl) {
        return pages.handle(request, subPath, areaUrl);
    }

    public SandboxResponse handle(SandboxRequest request, String v3Path) {
        return gateway.handle(request, v3Path);
    }

    public WechatPaySettings settings() {
        return settings;
    }

    public PlatformSigner signer() {
        return signer;
    }

    public TradeBook book() {
        return book;
    }

    /** The order with this {@code out_trade_no} (or prepay id), rendered; null when WeChat Pay has none. */
    public <T> T find(String outTradeNo, Function<WechatTrade, T> render) {
        return book.find(outTradeNo, render);
    }

    public ObjectNode scan(String outTradeNo) {
        return book.scan(outTradeNo);
    }

    public ObjectNode buyerPays(String outTradeNo) {
        return book.buyerPays(outTradeNo);
    }

    public boolean hasNotifications(String outTradeNo) {
        return notifier.knows(outTradeNo);
    }

    public ArrayNode notifications(String outTradeNo) {
        return notifier.describe(outTradeNo);
    }
}
