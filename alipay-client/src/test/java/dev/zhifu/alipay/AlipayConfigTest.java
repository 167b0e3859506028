package dev.zhifu.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.alipay.crypto.AlipaySigner;
import dev.zhifu.alipay.crypto.RsaProvider;
import dev.zhifu.alipay.crypto.SignType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Configuration is validated once, names what is wrong, and never shows keys. */
class AlipayConfigTest {

    @Test
    void eachWrongSettingIsNamed() {
        assertThatThrownBy(() -> Fixtures.vectorConfig().appId(null).build()).hasMessageStartingWith("appId");
        assertThatThrownBy(() -> Fixtures.vectorConfig().appId("has space").build())
                .hasMessageStartingWith("appId");
        assertThatThrownBy(() ->
                        Fixtures.vectorConfig().gatewayUrl("ftp://x/gateway.do").build())
                .hasMessageStartingWith("gatewayUrl");
        assertThatThrownBy(() -> Fixtures.vectorConfig()
                        .gatewayUrl("https://x/gateway.do?a=b")
                        .build())
                .hasMessageStartingWith("gatewayUrl");
        assertThatThrownBy(() -> Fixtures.vectorConfig().charset("ISO-8859-1").build())
                .hasMessageStartingWith("charset");
        assertThatThrownBy(() -> Fixtures.vectorConfig().charset("no-such").build())
                .hasMessageStartingWith("charset");
        assertThatThrownBy(
                        () -> Fixtures.vectorConfig().readTimeout(Duration.ZERO).build())
                .hasMessageStartingWith("readTimeout");
        assertThatThrownBy(() -> Fixtures.vectorConfig().connectTimeout(null).build())
                .hasMessageStartingWith("connectTimeout");
        assertThatThrownBy(() -> Fixtures.vectorConfig()
                        .appCert(Fixtures.resource("certs/appCertPublicKey.crt"))
                        .build())
                .hasMessageContaining("choose public-key mode or certificate mode");
    }

    @Test
    void defaultsAreSaneAndFinite() {
        AlipayConfig config = AlipayConfig.builder()
                .appId(Fixtures.APP_ID)
                .appPrivateKey(Fixtures.appPrivateKeyText())
                .alipayPublicKey(Fixtures.alipayPublicKeyText())
                .build();
        assertThat(config.gatewayUrl().toString()).isEqualTo(AlipayConfig.PRODUCTION_GATEWAY);
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.readTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.charsetName()).isEqualTo("UTF-8");
        assertThat(config.toString()).doesNotContain("MII").contains("public-key");
    }

    @Test
    void gbkIsAccepted() {
        assertThat(Fixtures.vectorConfig().charset("GBK").build().charset().name())
                .isEqualTo("GBK");
    }

    @Test
    void oneSignerIsSafeToShareBetweenThreads() throws Exception {
        AlipaySigner signer = new AlipaySigner(Fixtures.appPrivateKey(), SignType.RSA2, RsaProvider.preferNative());
        String expected = signer.sign("content", StandardCharsets.UTF_8);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                results.add(pool.submit(() -> signer.sign("content", StandardCharsets.UTF_8)));
            }
            for (Future<String> r : results) {
                assertThat(r.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void genericRequestsCheckTheirInput() {
        assertThatThrownBy(() -> new GenericRequest("not a method", "{}", false))
                .hasMessageStartingWith("method");
        assertThatThrownBy(() -> new GenericRequest("alipay.trade.query", "[1]", false))
                .hasMessageContaining("JSON object");
        assertThatThrownBy(() -> new GenericRequest("alipay.trade.query", "{oops", false))
                .hasMessageContaining("malformed JSON");
    }
}
