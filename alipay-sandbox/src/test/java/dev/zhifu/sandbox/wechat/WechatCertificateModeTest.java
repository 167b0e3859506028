package dev.zhifu.sandbox.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import com.wechat.pay.java.core.RSAAutoCertificateConfig;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.core.http.HttpClient;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.service.payments.model.Transaction;
import com.wechat.pay.java.service.payments.nativepay.NativePayService;
import com.wechat.pay.java.service.payments.nativepay.model.Amount;
import com.wechat.pay.java.service.payments.nativepay.model.PrepayRequest;
import com.wechat.pay.java.service.payments.nativepay.model.QueryOrderByOutTradeNoRequest;
import dev.zhifu.sandbox.AlipaySandbox;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Platform certificate mode: the SDK's auto-updating config downloads {@code /v3/certificates}, decrypts them with
 * the APIv3 key, names the certificate in {@code Wechatpay-Serial}, and verifies answers and notifications with it.
 */
class WechatCertificateModeTest {

    // a merchant id of its own: the SDK keeps downloaded certificates in a JVM-wide map keyed by merchant id
    private static final String MCHID = "1900000077";

    private static AlipaySandbox sandbox;
    private static WechatNotifyReceiver receiver;
    private static RSAAutoCertificateConfig config;
    private static HttpClient http;
    private static final List<String> answerSerials = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        sandbox = AlipaySandbox.builder().wechatMchid(MCHID).build().start();
        receiver = new WechatNotifyReceiver();
        OkHttpClient recording = WechatSdkClients.redirectedTo(sandbox)
                .newBuilder()
                .addNetworkInterceptor(chain -> {
                    okhttp3.Response response = chain.proceed(chain.request());
                    answerSerials.add(response.header("Wechatpay-Serial"));
                    return response;
                })
                .build();
        WechatPaySettings s = sandbox.wechatPay();
        config = new RSAAutoCertificateConfig.Builder()
                .merchantId(s.mchid())
                .privateKey(s.merchantPrivateKey())
                .merchantSerialNumber(s.merchantSerial())
                .apiV3Key(s.apiV3Key())
                .httpClientBuilder(new DefaultHttpClientBuilder().okHttpClient(recording))
                .build();
        http = new DefaultHttpClientBuilder()
                .config(config)
                .okHttpClient(recording)
                .build();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        receiver.close();
    }

    private static String order(String no) {
        PrepayRequest request = new PrepayRequest();
        request.setAppid(sandbox.wechatPay().appid());
        request.setMchid(MCHID);
        request.setDescription("证书模式");
        request.setOutTradeNo(no);
        request.setNotifyUrl(receiver.url());
        Amount amount = new Amount();
        amount.setTotal(42);
        request.setAmount(amount);
        return new NativePayService.Builder()
                .httpClient(http)
                .build()
                .prepay(request)
                .getCodeUrl();
    }

    @Test
    void answersAreSignedUnderThePlatformCertificateTheSdkDownloaded() {
        answerSerials.clear();

        order("CERTMODE_1");
        QueryOrderByOutTradeNoRequest query = new QueryOrderByOutTradeNoRequest();
        query.setMchid(MCHID);
        query.setOutTradeNo("CERTMODE_1");
        Transaction t = new NativePayService.Builder().httpClient(http).build().queryOrderByOutTradeNo(query);

        assertThat(t.getTradeState()).isEqualTo(Transaction.TradeStateEnum.NOTPAY);
        assertThat(answerSerials).containsOnly(sandbox.wechatPayCertificateSerial());
    }

    @Test
    void notificationsAreSignedUnderThePlatformCertificateToo() throws Exception {
        order("CERTMODE_2");
        sandbox.control().pay("CERTMODE_2");

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (receiver.received().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        WechatNotifyReceiver.Received r = receiver.received().get(0);
        assertThat(r.param().getSerialNumber()).isEqualTo(sandbox.wechatPayCertificateSerial());
        Transaction t = new NotificationParser(config).parse(r.param(), Transaction.class);
        assertThat(t.getOutTradeNo()).isEqualTo("CERTMODE_2");
        assertThat(t.getTradeState()).isEqualTo(Transaction.TradeStateEnum.SUCCESS);
    }
}
