package dev.zhifu.sandbox.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.service.payments.model.Transaction;
import com.wechat.pay.java.service.payments.nativepay.NativePayService;
import com.wechat.pay.java.service.payments.nativepay.model.Amount;
import com.wechat.pay.java.service.payments.nativepay.model.PrepayRequest;
import com.wechat.pay.java.service.payments.nativepay.model.QueryOrderByOutTradeNoRequest;
import dev.zhifu.sandbox.control.SandboxControlClient;
import dev.zhifu.sandbox.junit.AlipaySandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The JUnit extension hands a test everything a WeChat Pay client needs, and nothing else is required. */
@ExtendWith(AlipaySandboxExtension.class)
class WechatExtensionTest {

    @Test
    void accountAloneConfiguresTheOfficialSdk(WechatPayAccount account, SandboxControlClient control) {
        RSAPublicKeyConfig config = new RSAPublicKeyConfig.Builder()
                .merchantId(account.mchid())
                .privateKey(account.merchantPrivateKey())
                .merchantSerialNumber(account.merchantSerial())
                .apiV3Key(account.apiV3Key())
                .publicKey(account.publicKey())
                .publicKeyId(account.publicKeyId())
                .build();
        NativePayService service = new NativePayService.Builder()
                .httpClient(new DefaultHttpClientBuilder()
                        .config(config)
                        .okHttpClient(WechatSdkClients.redirectedTo(account.baseUrl()))
                        .build())
                .build();
        PrepayRequest request = new PrepayRequest();
        request.setAppid(account.appid());
        request.setMchid(account.mchid());
        request.setDescription("extension");
        request.setOutTradeNo("EXTENSION_1");
        request.setNotifyUrl("http://127.0.0.1:9/notify");
        Amount amount = new Amount();
        amount.setTotal(7);
        request.setAmount(amount);
        service.prepay(request);
        control.pay("EXTENSION_1");

        QueryOrderByOutTradeNoRequest query = new QueryOrderByOutTradeNoRequest();
        query.setMchid(account.mchid());
        query.setOutTradeNo("EXTENSION_1");
        assertThat(service.queryOrderByOutTradeNo(query).getTradeState()).isEqualTo(Transaction.TradeStateEnum.SUCCESS);
        assertThat(account.certificateSerial()).hasSize(40);
    }
}
