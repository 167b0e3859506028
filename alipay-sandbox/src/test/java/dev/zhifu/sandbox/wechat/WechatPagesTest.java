package dev.zhifu.sandbox.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import com.wechat.pay.java.core.http.HttpClient;
import com.wechat.pay.java.service.payments.h5.H5Service;
import com.wechat.pay.java.service.payments.h5.model.SceneInfo;
import com.wechat.pay.java.service.payments.jsapi.JsapiService;
import com.wechat.pay.java.service.payments.jsapi.JsapiServiceExtension;
import com.wechat.pay.java.service.payments.jsapi.model.Payer;
import com.wechat.pay.java.service.payments.jsapi.model.PrepayWithRequestPaymentResponse;
import com.wechat.pay.java.service.payments.nativepay.NativePayService;
import com.wechat.pay.java.service.payments.nativepay.model.Amount;
import com.wechat.pay.java.service.payments.nativepay.model.PrepayRequest;
import dev.zhifu.sandbox.AlipaySandbox;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The buyer's pages, driven like a browser: open the link the merchant got, press the pay button. */
class WechatPagesTest {

    private static final Pattern FORM_ACTION = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\"");

    private static AlipaySandbox sandbox;
    private static HttpClient http;
    private static final java.net.http.HttpClient browser = java.net.http.HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        sandbox = AlipaySandbox.builder().build().start();
        http = WechatSdkClients.httpClient(sandbox, WechatSdkClients.publicKeyConfig(sandbox));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Presses the page's pay button (the form's action, HTML-unescaped). */
    private static HttpResponse<String> pressPay(String page) throws Exception {
        Matcher m = FORM_ACTION.matcher(page);
        assertThat(m.find()).as("a pay button on the page").isTrue();
        String action = m.group(1).replace("&amp;", "&");
        return browser.send(
                HttpRequest.newBuilder(URI.create(action))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String tradeState(String no) {
        return sandbox.control().trade(no).get("trade_state").asText();
    }

    @Test
    void scanningTheNativeCodeOpensTheOrderAndPayingSucceeds() throws Exception {
        PrepayRequest request = new PrepayRequest();
        request.setAppid(sandbox.wechatPay().appid());
        request.setMchid(sandbox.wechatPay().mchid());
        request.setDescription("扫码 <商品>");
        request.setOutTradeNo("PAGE_NATIVE_1");
        request.setNotifyUrl("http://127.0.0.1:9/notify");
        Amount amount = new Amount();
        amount.setTotal(1999);
        request.setAmount(amount);
        String codeUrl = new NativePayService.Builder()
                .httpClient(http)
                .build()
                .prepay(request)
                .getCodeUrl();

        HttpResponse<String> scanPage = get(codeUrl);

        assertThat(scanPage.statusCode()).isEqualTo(200);
        assertThat(scanPage.body()).contains("19.99").contains("扫码 &lt;商品&gt;").contains("立即支付");
        assertThat(sandbox.control().trade("PAGE_NATIVE_1").get("scanned").asBoolean())
                .isTrue();
        HttpResponse<String> paid = pressPay(scanPage.body());
        assertThat(paid.body()).contains("id=\"status\"").contains("SUCCESS");
        assertThat(tradeState("PAGE_NATIVE_1")).isEqualTo("SUCCESS");
    }

    @Test
    void h5CashierPaysAndLeadsBackToTheMerchant() throws Exception {
        var request = new com.wechat.pay.java.service.payments.h5.model.PrepayRequest();
        request.setAppid(sandbox.wechatPay().appid());
        request.setMchid(sandbox.wechatPay().mchid());
        request.setDescription("H5");
        request.setOutTradeNo("PAGE_H5_1");
        request.setNotifyUrl("http://127.0.0.1:9/notify");
        var amount = new com.wechat.pay.java.service.payments.h5.model.Amount();
        amount.setTotal(5);
        request.setAmount(amount);
        SceneInfo scene = new SceneInfo();
        scene.setPayerClientIp("127.0.0.1");
        request.setSceneInfo(scene);
        String h5Url =
                new H5Service.Builder().httpClient(http).build().prepay(request).getH5Url();

        // merchants append redirect_url to h5_url, as WeChat Pay's H5 guide tells them
        HttpResponse<String> cashier = get(h5Url + "&redirect_url=https%3A%2F%2Fshop.example%2Fdone%3Fid%3D1");
        HttpResponse<String> paid = pressPay(cashier.body());

        assertThat(paid.body()).contains("href=\"https://shop.example/done?id=1\"");
        assertThat(tradeState("PAGE_H5_1")).isEqualTo("SUCCESS");
    }

    @Test
    void jsapiPageStandsInForTheWechatBrowserInEnglishToo() throws Exception {
        var request = new com.wechat.pay.java.service.payments.jsapi.model.PrepayRequest();
        request.setAppid(sandbox.wechatPay().appid());
        request.setMchid(sandbox.wechatPay().mchid());
        request.setDescription("JSAPI");
        request.setOutTradeNo("PAGE_JSAPI_1");
        request.setNotifyUrl("http://127.0.0.1:9/notify");
        var amount = new com.wechat.pay.java.service.payments.jsapi.model.Amount();
        amount.setTotal(100);
        request.setAmount(amount);
        Payer payer = new Payer();
        payer.setOpenid("oSandboxBuyer");
        request.setPayer(payer);
        String prepayId = new JsapiService.Builder()
                .httpClient(http)
                .build()
                .prepay(request)
                .getPrepayId();

        HttpResponse<String> page = get(sandbox.baseUrl() + "/sandbox/wechat/jsapi?lang=en&prepay_id=" + prepayId);
        assertThat(page.body()).contains("Pay now").contains("1.00");
        pressPay(page.body());

        assertThat(tradeState("PAGE_JSAPI_1")).isEqualTo("SUCCESS");
        assertThat(sandbox.control().trade("PAGE_JSAPI_1").at("/payer/openid").asText())
                .isEqualTo("oSandboxBuyer");
    }

    private static String requestPaymentUrl(PrepayWithRequestPaymentResponse p, String timeStamp) {
        java.util.function.Function<String, String> enc = v -> URLEncoder.encode(v, StandardCharsets.UTF_8);
        return sandbox.baseUrl() + "/sandbox/wechat/jsapi?appId=" + enc.apply(p.getAppId()) + "&timeStamp="
                + enc.apply(timeStamp) + "&nonceStr=" + enc.apply(p.getNonceStr()) + "&package="
                + enc.apply(p.getPackageVal()) + "&signType=" + enc.apply(p.getSignType()) + "&paySign="
                + enc.apply(p.getPaySign());
    }

    @Test
    void jsapiPageChecksThePaySignTheSdkMadeForTheWechatBrowser() throws Exception {
        var request = new com.wechat.pay.java.service.payments.jsapi.model.PrepayRequest();
        request.setAppid(sandbox.wechatPay().appid());
        request.setMchid(sandbox.wechatPay().mchid());
        request.setDescription("JSAPI paySign");
        request.setOutTradeNo("PAGE_JSAPI_2");
        request.setNotifyUrl("http://127.0.0.1:9/notify");
        var amount = new com.wechat.pay.java.service.payments.jsapi.model.Amount();
        amount.setTotal(3);
        request.setAmount(amount);
        Payer payer = new Payer();
        payer.setOpenid("oSandboxBuyer");
        request.setPayer(payer);
        PrepayWithRequestPaymentResponse params = new JsapiServiceExtension.Builder()
                .config(WechatSdkClients.publicKeyConfig(sandbox))
                .httpClient(http)
                .build()
                .prepayWithRequestPayment(request);

        HttpResponse<String> forged =
                get(requestPaymentUrl(params, Long.toString(Long.parseLong(params.getTimeStamp()) + 1)));
        HttpResponse<String> page = get(requestPaymentUrl(params, params.getTimeStamp()));

        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).doesNotContain("<form");
        assertThat(page.statusCode()).isEqualTo(200);
        pressPay(page.body());
        assertThat(tradeState("PAGE_JSAPI_2")).isEqualTo("SUCCESS");
    }

    @Test
    void unknownPrepayIdIsNotFound() throws Exception {
        assertThat(get(sandbox.baseUrl() + "/sandbox/wechat/h5?prepay_id=wx000").statusCode())
                .isEqualTo(404);
    }
}
