package dev.zhifu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.crypto.AlipayVerifier;
import dev.zhifu.alipay.crypto.PemCertificates;
import dev.zhifu.alipay.crypto.RsaProvider;
import dev.zhifu.alipay.crypto.SignType;
import dev.zhifu.fixtures.Vectors;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP requests the official SDK made (captured in the protocol vectors, fixed clock 2024-06-01 12:00:00),
 * replayed byte for byte against a sandbox holding the vector keys: they must verify and be answered.
 */
class VectorReplayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static AlipaySandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = AlipaySandbox.builder()
                .appPublicKey(AlipayKeys.publicKey(Vectors.text("keys/app_public_key.txt"), "vector app key"))
                .alipayPrivateKey(
                        AlipayKeys.privateKey(Vectors.text("keys/alipay_private_key_pkcs8.txt"), "vector alipay key"))
                .appCertificate(PemCertificates.first(Vectors.text("certs/appCertPublicKey.crt"), "vector app cert"))
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static JsonNode vector(String file) throws Exception {
        try (InputStream in = Vectors.open(file)) {
            return JSON.readTree(in);
        }
    }

    private static String replay(JsonNode request) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(
                        sandbox.baseUrl() + request.get("request_target").asText()))
                .header("Content-Type", request.at("/headers/Content-Type").asText())
                .POST(HttpRequest.BodyPublishers.ofString(request.get("body").asText(), StandardCharsets.US_ASCII));
        return new String(Sdk.send(b.build()).body(), StandardCharsets.UTF_8);
    }

    private static void assertSignedByVectorAlipayKey(String body, String node) throws Exception {
        JsonNode parsed = JSON.readTree(body);
        String nodeText = body.substring(body.indexOf(':') + 1, body.lastIndexOf(",\"sign\""))
                .replaceAll(",\"alipay_cert_sn\":\"[0-9a-f]+\"$", "");
        AlipayVerifier verifier = new AlipayVerifier(
                AlipayKeys.publicKey(Vectors.text("keys/alipay_public_key.txt"), "k"),
                SignType.RSA2,
                RsaProvider.jdk());
        assertThat(parsed.has(node)).isTrue();
        assertThat(verifier.verify(
                        nodeText, StandardCharsets.UTF_8, parsed.get("sign").asText()))
                .isTrue();
    }

    @Test
    void capturedPublicKeyModePrecreateIsAccepted() throws Exception {
        String body = replay(vector("04_gateway_responses.json").at("/execute_http_request/request"));
        JsonNode node = JSON.readTree(body).get("alipay_trade_precreate_response");
        assertThat(node.get("code").asText()).isEqualTo("10000");
        assertThat(node.get("out_trade_no").asText()).isEqualTo("F2F20240601120000001");
        assertSignedByVectorAlipayKey(body, "alipay_trade_precreate_response");
    }

    @Test
    void capturedCertModeQueryIsVerifiedWithTheAppCertificate() throws Exception {
        String body = replay(vector("06_cert_mode.json").at("/certificate_execute_http_request/request"));
        JsonNode parsed = JSON.readTree(body);
        assertThat(parsed.at("/alipay_trade_query_response/sub_code").asText()).isEqualTo("ACQ.TRADE_NOT_EXIST");
        assertThat(parsed.get("alipay_cert_sn").asText()).isEqualTo(sandbox.alipayCertSn());
        assertSignedByVectorAlipayKey(body, "alipay_trade_query_response");
    }
}
