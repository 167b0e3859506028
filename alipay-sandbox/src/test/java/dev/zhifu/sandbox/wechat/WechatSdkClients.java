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
 * The official SDK pointed at the sandbox: its services build {@code https://api.mch.weixin.qq.com/...} URLs, and
 * an OkHttp interceptor sends them to the sandbox's port instead. The path and query, which the signature covers,
 * stay as the SDK wrote them.
 */
final class WechatSdkClients {

    private WechatSdkClients() {}

    static OkHttpClient redirectedTo(AlipaySandbox sandbox) {
        return redirectedTo(sandbox.wechatPayBaseUrl());
    }

    static OkHttpClient redirectedTo(String baseUrl) {
        URI base = URI.create(baseUrl);
        return new OkHttpClient.Builder()
                .addInterceptor(chain -> {
                    HttpUrl url = chain.request().url();
                    if (!url.host().equals("api.mch.weixin.qq.com")) {
                        return chain.proceed(chain.request());
                    }
                    HttpUrl local = url.newBuilder()
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
