package dev.zhifu.alipay;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.AlipayApiException;
import com.alipay.api.internal.util.AlipaySignature;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zhifu.alipay.crypto.AlipaySigner;
import dev.zhifu.alipay.crypto.RsaProvider;
import dev.zhifu.alipay.crypto.SignType;
import dev.zhifu.fixtures.FuzzInput;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * What the gateway (or whoever answers in its place) sends back is outside input: {@code AnswerReader} finds
 * the signed node in the body and the client verifies it. Whatever the body and its Content-Type, a call
 * returns a response or throws an {@link AlipayException} (signature, malformed answer, gateway error), never
 * anything else, and what it takes as verified the official SDK verifies too; the app pay result the mobile
 * SDK hands over is held to the same. An answer Alipay really signed, whatever its node, verifies and gives
 * back exactly that node's fields.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/zhifu/alipay/GatewayAnswerFuzzTestInputs/}.
 */
class GatewayAnswerFuzzTest {

    private static final String METHOD = "alipay.trade.query";
    private static volatile HttpTransport.Answer next;
    private static final AlipayClient CLIENT = new AlipayClient(Fixtures.vectorConfig()
            .transport(new HttpTransport() {
                @Override
                public Answer post(URI uri, String contentType, byte[] body, Duration timeout) {
                    return next;
                }

                @Override
                public StreamedAnswer get(URI uri, Duration timeout) throws IOException {
                    throw new IOException("no GET in this test");
                }
            })
            .build());
    private static final String ALIPAY_PUBLIC =
            Fixtures.resource("keys/alipay_public_key.txt").strip();
    private static final AlipaySigner ALIPAY =
            new AlipaySigner(Fixtures.alipayPrivateKey(), SignType.RSA2, RsaProvider.jdk());

    /** Input: the answer's Content-Type, a NUL, then its body. */
    @FuzzTest
    void answer(byte[] input) {
        byte[][] parts = FuzzInput.split(input, 2);
        next = new HttpTransport.Answer(200, new String(parts[0], StandardCharsets.ISO_8859_1), parts[1]);
        try {
            AlipayResponse response = CLIENT.call(METHOD, "{\"out_trade_no\":\"x\"}");
            if (response.verified()) {
                assertSdkAgrees(response, parts[1]);
            } else {
                // Alipay may leave an error unsigned, never a success
                assertThat(response.code()).isNotNull().isNotEqualTo("10000");
            }
        } catch (AlipayException refused) {
            assertThat(refused.method()).isEqualTo(METHOD);
        }
    }

    @FuzzTest
    void appPayResult(byte[] input) {
        try {
            AlipayResponse response = CLIENT.verifyAppPayResult(FuzzInput.text(input));
            assertThat(response.verified()).isTrue();
            assertSdkAgrees(response, input);
        } catch (AlipayException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    /**
     * What the client took as verified, the official SDK verifies too: the node text it found carries the body's
     * {@code sign} by Alipay's key (as sent, or with {@code \\/} unescaped, the one variant the client allows).
     */
    private static void assertSdkAgrees(AlipayResponse response, byte[] body) {
        Object sign = Json.parseObject(new String(body, StandardCharsets.UTF_8)).get("sign");
        assertThat(sign).isInstanceOf(String.class);
        String text = response.nodeText();
        try {
            boolean sdk = AlipaySignature.rsaCheck(text, (String) sign, ALIPAY_PUBLIC, "UTF-8", "RSA2")
                    || AlipaySignature.rsaCheck(
                            text.replace("\\/", "/"), (String) sign, ALIPAY_PUBLIC, "UTF-8", "RSA2");
            assertThat(sdk)
                    .as("the SDK verifies what the client accepted: %s", text)
                    .isTrue();
        } catch (AlipayApiException e) {
            throw new AssertionError("the SDK refused what the client accepted: " + text, e);
        }
    }

    /** Input: the node (a JSON object, as text); Alipay signs it and wraps it as the gateway does. */
    @FuzzTest
    void signedAnswerRoundTrip(byte[] input) {
        String node = FuzzInput.text(input);
        Map<String, Object> fields;
        try {
            fields = Json.parseObject(node);
        } catch (IllegalArgumentException notAnObject) {
            return;
        }
        if (!node.startsWith("{") || !node.endsWith("}")) {
            return; // Alipay's node is the object's own text, nothing around it
        }
        String body = "{\"" + METHOD.replace('.', '_') + "_response\":" + node + ",\"sign\":\""
                + ALIPAY.sign(node, StandardCharsets.UTF_8) + "\"}";
        next = new HttpTransport.Answer(200, "text/html;charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
        AlipayResponse response;
        try {
            response = CLIENT.call(METHOD, "{\"out_trade_no\":\"x\"}");
        } catch (AlipayGatewayException error) {
            return; // a signed error answer: the node was read and verified, then reported as the error it is
        }
        assertThat(response.verified()).isTrue();
        assertThat(response.fields()).isEqualTo(fields);
    }
}
