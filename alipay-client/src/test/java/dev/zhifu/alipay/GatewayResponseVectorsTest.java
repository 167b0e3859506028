package dev.zhifu.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.alipay.trade.QueryRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** 04_gateway_responses.json: the HTTP request the SDK sends, and which answers it accepts. */
class GatewayResponseVectorsTest {

    @Test
    void executeSendsTheSdksExactRequest() {
        Map<String, Object> v = Fixtures.map(Fixtures.vectors("04_gateway_responses.json"), "execute_http_request");
        Map<String, Object> expected = Fixtures.map(v, "request");
        Map<String, String> body = Fixtures.params(expected, "body_params_decoded_in_order");
        ScriptedTransport transport = new ScriptedTransport().answer((String) v.get("response_body"));
        AlipayClient client =
                new AlipayClient(Fixtures.vectorConfig().transport(transport).build());

        AlipayResponse response = client.execute(
                new VectorRequest(
                        "alipay.trade.precreate",
                        body.get("biz_content"),
                        "https://merchant.example.com/alipay/notify",
                        null),
                new RequestOptions(body.get("app_auth_token"), Map.of("custom_param", body.get("custom_param"))));

        ScriptedTransport.Sent sent = transport.sent.get(0);
        assertThat(sent.requestTarget()).isEqualTo(expected.get("request_target"));
        assertThat(sent.body()).isEqualTo(expected.get("body"));
        assertThat(sent.contentType())
                .isEqualTo(Fixtures.map(expected, "headers").get("Content-Type"));
        assertThat(response.isSuccess()).isTrue();
    }

    static Stream<Map<String, Object>> queryCases() {
        return Fixtures.list(
                Fixtures.map(Fixtures.vectors("04_gateway_responses.json"), "query_response_cases"), "cases")
                .stream();
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("queryCases")
    void acceptsWhatTheSdkAcceptsAndRefusesWhatItRefuses(Map<String, Object> c) {
        String id = (String) c.get("id");
        AlipayClient client = new AlipayClient(Fixtures.vectorConfig()
                .transport(new ScriptedTransport().answer((String) c.get("response_body")))
                .build());
        QueryRequest query = QueryRequest.byOutTradeNo("PC20240601120000001");
        Map<String, Object> outcome = Fixtures.map(c, "sdk_outcome");

        if (!Fixtures.sdkThrew(c)) {
            Map<String, Object> result = Fixtures.map(outcome, "result");
            if ("true".equals(result.get("is_success"))) {
                QueryRequest.Response r = client.execute(query);
                assertThat(r.tradeStatus().name()).as(id).isEqualTo(result.get("trade_status"));
                assertThat(r.totalAmount().toPlainString()).as(id).isEqualTo(result.get("total_amount"));
            } else {
                assertThatThrownBy(() -> client.execute(query))
                        .as(id)
                        .isInstanceOfSatisfying(AlipayGatewayException.class, e -> {
                            assertThat(e.code()).isEqualTo(result.get("code"));
                            assertThat(e.subCode()).isEqualTo(result.get("sub_code"));
                            assertThat(e.subMsg()).isEqualTo(result.get("sub_msg"));
                            assertThat(e.isResultUnknown()).isFalse();
                        });
            }
        } else {
            Class<? extends AlipayException> expected = id.equals("node_for_another_method")
                    ? AlipayMalformedResponseException.class
                    : AlipaySignatureException.class;
            assertThatThrownBy(() -> client.execute(query)).as(id).isInstanceOf(expected);
        }
    }

    @Test
    void aClientCannotBeBuiltWithoutAWayToVerify() {
        // the SDK silently accepts tampered answers without an Alipay key (client_without_alipay_public_key)
        assertThatThrownBy(() -> AlipayConfig.builder()
                        .appId(Fixtures.APP_ID)
                        .appPrivateKey(Fixtures.appPrivateKeyText())
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alipayPublicKey");
    }

    @Test
    void theAppsOwnPublicKeyIsRefusedAsTheAlipayKey() {
        assertThatThrownBy(() -> AlipayConfig.builder()
                        .appId(Fixtures.APP_ID)
                        .appPrivateKey(Fixtures.appPrivateKeyText())
                        .alipayPublicKey(Fixtures.appPublicKeyText())
                        .build())
                .hasMessageContaining("应用公钥");
    }

    static Map<String, String> decodeQuery(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
