package dev.zhifu.alipay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.alipay.crypto.AlipaySigner;
import dev.zhifu.alipay.crypto.AlipayVerifier;
import dev.zhifu.alipay.crypto.RsaProvider;
import dev.zhifu.alipay.crypto.SignContent;
import dev.zhifu.alipay.crypto.SignType;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** 01_sign_cases.json: the SDK's string-to-sign and signatures, with the JDK and with ACCP. */
class SignVectorsTest {

    static Stream<Arguments> cases() {
        List<Map<String, Object>> cases = Fixtures.list(Fixtures.vectors("01_sign_cases.json"), "cases");
        return cases.stream()
                .flatMap(c -> Stream.of(
                        Arguments.of(c.get("id"), c, RsaProvider.jdk()),
                        Arguments.of(c.get("id"), c, RsaProvider.preferNative())));
    }

    @ParameterizedTest(name = "{0} with {2}")
    @MethodSource("cases")
    void reproducesTheSdksStringToSignAndSignature(String id, Map<String, Object> c, RsaProvider provider) {
        Map<String, String> params = Fixtures.params(c, "params");
        Charset charset = Charset.forName((String) c.get("charset"));
        SignType type = SignType.valueOf((String) c.get("sign_type"));

        String content = SignContent.ofRequest(params);
        assertThat(content).isEqualTo(c.get("string_to_sign"));

        String signature = new AlipaySigner(Fixtures.appPrivateKey(), type, provider).sign(content, charset);
        assertThat(signature).isEqualTo(c.get("signature"));
        assertThat(new AlipayVerifier(Fixtures.appPublicKey(), type, provider).verify(content, charset, signature))
                .isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gbkSignatureDiffersFromUtf8(String id, Map<String, Object> c, RsaProvider provider) {
        if (!c.containsKey("signature_if_encoded_as_utf8_instead")) {
            return;
        }
        String content = SignContent.ofRequest(Fixtures.params(c, "params"));
        String utf8 = new AlipaySigner(Fixtures.appPrivateKey(), SignType.RSA2, provider)
                .sign(content, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(utf8)
                .isEqualTo(c.get("signature_if_encoded_as_utf8_instead"))
                .isNotEqualTo(c.get("signature"));
    }
}
