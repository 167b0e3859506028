package dev.zhifu.sandbox.wechat;

import com.wechat.pay.java.core.Config;
import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.core.http.HttpClient;
import dev.zhifu.sandbox.AlipaySandbox;
import java.net.URI;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The official SDK pointed at the sandbox (through {@link #redirectedTo}), in public key mode.
 */
final class WechatSdkClients {

    private WechatSdkClients() {}

    static OkHttpClient redirectedTo(AlipaySandbox sandbox) {
        return redirectedTo(sandbox.wechatPayBaseUrl());
    }

    /**
     * The SDK builds {@code https://api.mch.weixin.qq.com/...} URLs; this OkHttp client sends them to the sandbox.
     * The path and query, which the signature covers, stay as the SDK wrote them.
     */
    static OkHttpClient redirectedTo(String baseUrl) {
        URI base = URI.create(baseUrl);
        return new OkHttpClient.Builder()
                .addInterceptor(chain -> {
                    HttpUrl local = chain.request()
                            .url()
                            .newBuilder()
                            .scheme("http")
                            .host(base.getHost())
                            .port(base.getPort())
                            .build();
                    return chain.proceed(chain.request().newBuilder().url(local).build());
                })
                .build();
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
