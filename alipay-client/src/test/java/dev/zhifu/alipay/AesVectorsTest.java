package dev.zhifu.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.alipay.crypto.AesContent;
import dev.zhifu.alipay.trade.QueryRequest;
import java.nio.charset.Charset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** 07_aes.json: content encryption, encrypted requests and answers. */
class AesVectorsTest {

    private static final Map<String, Object> V = Fixtures.vectors("07_aes.json");
    private static final String KEY = (String) V.get("aes_key_base64");

    @Test
    void ciphertextsAreTheSdks() {
        AesContent aes = new AesContent(KEY, "aes key");
        for (Map<String, Object> c : Fixtures.list(V, "raw_cases")) {
            Charset charset = Charset.forName((String) c.get("charset"));
            assertThat(aes.encrypt((String) c.get("plaintext"), charset))
                    .as((String) c.get("id"))
                    .isEqualTo(c.get("ciphertext_base64"));
            assertThat(aes.decrypt((String) c.get("ciphertext_base64"), charset))
                    .isEqualTo(c.get("plaintext"));
        }
    }

    @Test
    void encryptedRequestIsTheSdksAndEncryptedAnswersAreHandledLikeIt() {
        Map<String, Object> expected = Fixtures.map(Fixtures.map(V, "encrypted_execute_http_request"), "request");
        for (Map<String, Object> c : Fixtures.list(V, "encrypted_execute_cases")) {
            ScriptedTransport transport = new ScriptedTransport().answer((String) c.get("response_body"));
            AlipayClient client = new AlipayClient(
                    Fixtures.vectorConfig().encryptKey(KEY).transport(transport).build());
            QueryRequest query = QueryRequest.byOutTradeNo("AES20240601001");
            String id = (String) c.get("id");
            switch (id) {
                case "encrypted_signed_over_quoted_ciphertext" -> {
                    assertThat(client.execute(query).totalAmount()).isEqualByComparingTo("1.00");
                    assertThat(transport.sent.get(0).requestTarget()).isEqualTo(expected.get("request_target"));
                    assertThat(transport.sent.get(0).body()).isEqualTo(expected.get("body"));
                }
                case "encrypted_signed_over_bare_ciphertext", "encrypted_signed_over_plaintext" ->
                    assertThatThrownBy(() -> client.execute(query)).as(id).isInstanceOf(AlipaySignatureException.class);
                // the SDK crashes with an IllegalArgumentException; a plain error answer is just an error to us
                case "plain_error_to_encrypted_request" ->
                    assertThatThrownBy(() -> client.execute(query)).isInstanceOf(AlipayGatewayException.class);
                default -> throw new AssertionError("unexpected case " + id);
            }
        }
    }

    @Test
    void aKeyOfTheWrongSizeIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> new AesContent("c2hvcnQ=", "alipay.encrypt-key"))
                .hasMessageContaining("alipay.encrypt-key")
                .hasMessageNotContaining("c2hvcnQ=");
    }
}
