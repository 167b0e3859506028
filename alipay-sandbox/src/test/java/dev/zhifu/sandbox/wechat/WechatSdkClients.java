package dev.zhifu.sandbox.wechat;

import com.wechat.pay.java.core.Config;
import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.core.http.HttpClient;
import dev.zhifu.fixtures.WechatSdkRedirect;
import dev.zhifu.sandbox.AlipaySandbox;
import okhttp3.OkHttpClient;

/**
 * The official SDK pointed at the sandbox (through {@link WechatSdkRedirect}), in public key mode.
 */
final class WechatSdkClients {

    private WechatSdkClients() {}

    static OkHttpClient redirectedTo(AlipaySandbox sandbox) {
        return redirectedTo(sandbox.wechatPayBaseUrl());
    }

    static OkHttpClient redirectedTo(String baseUrl) {
        return WechatSdkRedirect.to(baseUrl);
    }

    /** Public key mode: the way WeChat Pay sets up new merchants. */
    static RSAPublicKeyConfig publicKeyConfig(AlipaySandbox sandbox) {
        WechatPaySettings s = sandbox.wechatPay();
        return new RSAPublicKeyConfig.Builder()
                .merchantId(s.mchid())
                .privateKey(s.merchantPrivateKey())
                .merchantSerialNumber(s.merchantSerial())
                .apiV3Key(s.apiV3Key())
                .publicKey(sandbox.wechatPayPublicKey())
                .publicKeyId(s.publicKeyId())
                .build();
    }

    static HttpClient httpClient(AlipaySandbox sandbox, Config config) {
        return new DefaultHttpClientBuilder()
                .config(config)
                .okHttpClient(redirectedTo(sandbox))
                .build();
    }
}
