package dev.zhifu.sandbox.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.sandbox.AlipaySandbox;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests that are not the merchant's, or not fresh, get WeChat Pay's 401 SIGN_ERROR; answers read off the wire. */
class WechatRequestVerificationTest {

    private static AlipaySandbox sandbox;
    private static MerchantSignature merchant;

    @BeforeAll
    static void start() {
        sandbox = AlipaySandbox.builder().build().start();
        WechatPaySettings s = sandbox.wechatPay();
        merchant = new MerchantSignature(s.mchid(), s.merchantSerial(), s.merchantPrivateKey());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static String query(String orderNo) {
        return "/v3/pay/transactions/out-trade-no/" + orderNo + "?mchid="
                + sandbox.wechatPay().mchid();
    }

    /** Sends a GET over a plain socket and answers the raw response, headers spelled as they came. */
    private static String rawGet(String pathAndQuery, String authorization) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", sandbox.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
                            + "Authorization: " + authorization + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonNode body(String raw) throws Exception {
        return new ObjectMapper().readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4));
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    @Test
    void answerHeadersReachTheWireSpelledAsWechatPaySpellsThem() throws Exception {
        String raw = rawGet(query("NO_SUCH_1"), merchant.authorization("GET", query("NO_SUCH_1"), now(), ""));

        assertThat(raw)
                .contains("\r\nWechatpay-Signature: ")
                .contains("\r\nWechatpay-Timestamp: ")
                .contains("\r\nWechatpay-Nonce: ")
                .contains("\r\nWechatpay-Serial: " + sandbox.wechatPay().publicKeyId() + "\r\n");
    }

    @Test
    void unknownOrderIs404OrderNotExist() throws Exception {
        String raw = rawGet(query("NO_SUCH_2"), merchant.authorization("GET", query("NO_SUCH_2"), now(), ""));

        assertThat(raw).startsWith("HTTP/1.1 404 ");
        assertThat(body(raw).get("code").asText()).isEqualTo("ORDER_NOT_EXIST");
    }

    @Test
    void signatureByAnotherKeyIs401SignError() throws Exception {
        MerchantSignature impostor = new MerchantSignature(
                merchant.mchid(),
                merchant.serialNo(),
                AlipayKeys.generateRsa2048().getPrivate());

        String raw = rawGet(query("ANY_ORDER_1"), impostor.authorization("GET", query("ANY_ORDER_1"), now(), ""));

        assertThat(raw).startsWith("HTTP/1.1 401 ");
        assertThat(body(raw).get("code").asText()).isEqualTo("SIGN_ERROR");
    }

    @Test
    void signatureOverAnotherPathIs401SignError() throws Exception {
        String raw = rawGet(query("ANY_ORDER_2"), merchant.authorization("GET", query("ANY_ORDER_3"), now(), ""));

        assertThat(raw).startsWith("HTTP/1.1 401 ");
        assertThat(body(raw).get("code").asText()).isEqualTo("SIGN_ERROR");
    }

    @Test
    void otherMerchantIdIs401SignError() throws Exception {
        MerchantSignature other = new MerchantSignature("1900000002", merchant.serialNo(), merchant.key());

        String raw = rawGet(query("ANY_ORDER_4"), other.authorization("GET", query("ANY_ORDER_4"), now(), ""));

        assertThat(raw).startsWith("HTTP/1.1 401 ");
        assertThat(body(raw).get("code").asText()).isEqualTo("SIGN_ERROR");
    }

    @Test
    void otherSerialNumberIs401SignError() throws Exception {
        MerchantSignature other = new MerchantSignature(merchant.mchid(), "0123456789ABCDEF", merchant.key());

        String raw = rawGet(query("ANY_ORDER_5"), other.authorization("GET", query("ANY_ORDER_5"), now(), ""));

        assertThat(raw).startsWith("HTTP/1.1 401 ");
        assertThat(body(raw).get("message").asText()).contains("0123456789ABCDEF");
    }

    @Test
    void timestampSixMinutesOldIs401SignError() throws Exception {
        String raw = rawGet(query("ANY_ORDER_6"), merchant.authorization("GET", query("ANY_ORDER_6"), now() - 360, ""));

        assertThat(raw).startsWith("HTTP/1.1 401 ");
        assertThat(body(raw).get("message").asText()).contains("过期");
    }

    @Test
    void missingAuthorizationIs401SignError() throws Exception {
        String raw = rawGet(query("ANY_ORDER_7"), "Basic abc");

        assertThat(raw).startsWith("HTTP/1.1 401 ");
        assertThat(body(raw).get("code").asText()).isEqualTo("SIGN_ERROR");
    }
}
