package dev.zhifu.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.alipay.crypto.AlipayVerifier;
import dev.zhifu.alipay.crypto.RsaProvider;
import dev.zhifu.alipay.crypto.SignContent;
import dev.zhifu.alipay.crypto.SignType;
import dev.zhifu.alipay.notify.NotificationSigner;
import dev.zhifu.alipay.notify.NotificationVerifier;
import dev.zhifu.alipay.notify.TradeNotification;
import dev.zhifu.alipay.trade.TradeStatus;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** 05_notifications.json: notifications and return_url parameters, genuine and tampered. */
class NotificationVectorsTest {

    private final NotificationVerifier verifier =
            new AlipayClient(Fixtures.vectorConfig().build()).notifications();

    static Stream<Map<String, Object>> v1Cases() {
        return Fixtures.list(Fixtures.vectors("05_notifications.json"), "cases").stream()
                .filter(c -> !"v2_gateway_message".equals(c.get("id")));
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("v1Cases")
    void verifiesWhatTheSdkVerifies(Map<String, Object> c) {
        Map<String, String> params = Fixtures.params(c, "params");
        Map<String, String> untouched = new HashMap<>(params);

        assertThat(SignContent.ofNotification(params)).isEqualTo(c.get("string_to_verify"));
        TradeNotification n = verifier.verify(params);

        assertThat(params).as("the caller's map is never changed").isEqualTo(untouched);
        assertThat(n.outTradeNo()).isEqualTo(params.get("out_trade_no"));
        assertThat(n.params()).isEqualTo(params);
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("v1Cases")
    void verifiesTheRawFormBodyDecodedInItsOwnCharset(Map<String, Object> c) {
        String raw = (String) c.get("raw_http_body_form_urlencoded");
        if (raw == null) {
            return; // return_url case: a GET query, covered above
        }
        TradeNotification n = verifier.verifyForm(raw.getBytes(StandardCharsets.US_ASCII));
        assertThat(n.params()).isEqualTo(Fixtures.params(c, "params"));
    }

    @Test
    void typedFieldsOfAPaymentAndOfRefunds() {
        Map<String, Map<String, Object>> byId = new HashMap<>();
        Fixtures.list(Fixtures.vectors("05_notifications.json"), "cases")
                .forEach(c -> byId.put((String) c.get("id"), c));

        TradeNotification paid = verifier.verify(Fixtures.params(byId.get("trade_success_page_pay"), "params"));
        assertThat(paid.tradeStatus()).isEqualTo(TradeStatus.TRADE_SUCCESS);
        assertThat(paid.totalAmount()).isEqualByComparingTo("88.88");
        assertThat(paid.isRefund()).isFalse();
        assertThat(paid.passbackParams()).isEqualTo("merchantBizType%3d3C%26merchantBizNo%3d2016010101111");

        TradeNotification partial = verifier.verify(Fixtures.params(byId.get("partial_refund"), "params"));
        assertThat(partial.isRefund()).isTrue();
        assertThat(partial.tradeStatus()).isEqualTo(TradeStatus.TRADE_SUCCESS);
        assertThat(partial.refundFee()).isNotNull();

        TradeNotification full = verifier.verify(Fixtures.params(byId.get("full_refund_closed"), "params"));
        assertThat(full.tradeStatus()).isEqualTo(TradeStatus.TRADE_CLOSED);
        assertThat(full.isRefund()).isTrue();
    }

    @Test
    void returnUrlDropsTheMerchantsOwnQueryParameters() {
        Map<String, Object> c = v1Cases()
                .filter(x -> "return_url_redirect".equals(x.get("id")))
                .findFirst()
                .orElseThrow();
        Map<String, String> params = new HashMap<>(Fixtures.params(c, "params"));
        params.put("from", "pc");
        assertThatThrownBy(() -> verifier.verify(params)).isInstanceOf(AlipaySignatureException.class);
        assertThat(verifier.verifyReturn(params, "https://merchant.example.com/alipay/return?from=pc")
                        .outTradeNo())
                .isEqualTo(params.get("out_trade_no"));
    }

    @Test
    void tamperedVariantsGetTheSdksVerdict() {
        List<Map<String, Object>> variants =
                Fixtures.list(Fixtures.vectors("05_notifications.json"), "tampered_variants");
        assertThat(variants).hasSize(10);
        for (Map<String, Object> v : variants) {
            Map<String, String> params = Fixtures.params(v, "params");
            Map<String, Object> check = Fixtures.map(
                    Fixtures.map(v, "sdk_checks"), "rsaCheckV1(params, alipayPublicKey, \"UTF-8\", \"RSA2\")");
            boolean sdkAccepted = "true".equals(check.get("result"));
            if ("gbk_verified_as_utf8".equals(v.get("id"))) {
                // the message names its own charset (gbk), so reading it correctly is our job, not the caller's
                params.put("charset", "utf-8");
            }
            if (sdkAccepted) {
                assertThat(verifier.verify(params)).as((String) v.get("id")).isNotNull();
            } else {
                assertThatThrownBy(() -> verifier.verify(params))
                        .as((String) v.get("id"))
                        .isInstanceOf(AlipaySignatureException.class);
            }
        }
    }

    @Test
    void v2MessagesAreNotTradeNotifications() {
        Map<String, Object> c = Fixtures.list(Fixtures.vectors("05_notifications.json"), "cases").stream()
                .filter(x -> "v2_gateway_message".equals(x.get("id")))
                .findFirst()
                .orElseThrow();
        Map<String, String> params = Fixtures.params(c, "params");
        assertThat(SignContent.ofV2Message(params)).isEqualTo(c.get("string_to_verify"));
        assertThat(new AlipayVerifier(Fixtures.alipayPublicKey(), SignType.RSA2, RsaProvider.jdk())
                        .verify(SignContent.ofV2Message(params), StandardCharsets.UTF_8, params.get("sign")))
                .isTrue();
        assertThatThrownBy(() -> verifier.verify(params)).isInstanceOf(AlipaySignatureException.class);
    }

    @Test
    void theWrongKeyAndTheSha1AlgorithmAreRefused() {
        Map<String, String> params = Fixtures.params(v1Cases().findFirst().orElseThrow(), "params");
        NotificationVerifier withAppKey = new NotificationVerifier(
                List.of(new AlipayVerifier(Fixtures.appPublicKey(), SignType.RSA2, RsaProvider.jdk())));
        NotificationVerifier sha1 = new NotificationVerifier(
                List.of(new AlipayVerifier(Fixtures.alipayPublicKey(), SignType.RSA, RsaProvider.jdk())));
        assertThatThrownBy(() -> withAppKey.verify(params)).isInstanceOf(AlipaySignatureException.class);
        assertThatThrownBy(() -> sha1.verify(params)).isInstanceOf(AlipaySignatureException.class);
    }

    @Test
    void aPlusTurnedIntoASpaceBreaksTheSignature() {
        Map<String, String> params =
                new HashMap<>(Fixtures.params(v1Cases().findFirst().orElseThrow(), "params"));
        String sign = params.get("sign");
        if (sign.contains("+")) {
            params.put("sign", sign.replace('+', ' '));
            assertThatThrownBy(() -> verifier.verify(params)).isInstanceOf(AlipaySignatureException.class);
        }
    }

    @Test
    void theSigningHelperMakesNotificationsThatVerify() {
        NotificationSigner alipay = new NotificationSigner(Fixtures.alipayPrivateKey());
        Map<String, String> params = Map.of(
                "notify_id",
                "n1",
                "charset",
                "GBK",
                "out_trade_no",
                "o-1",
                "trade_status",
                "TRADE_SUCCESS",
                "total_amount",
                "12.30",
                "subject",
                "中文 & = 符号",
                "app_id",
                Fixtures.APP_ID);
        TradeNotification n = verifier.verifyForm(alipay.formBody(params));
        assertThat(n.subject()).isEqualTo("中文 & = 符号");
        assertThat(n.totalAmount()).isEqualTo(new BigDecimal("12.30"));
        assertThat(verifier.verify(alipay.sign(params)).notifyId()).isEqualTo("n1");
    }

    @Test
    void aMissingSignatureIsRefused() {
        assertThatThrownBy(() -> verifier.verify(Map.of("out_trade_no", "x")))
                .isInstanceOf(AlipaySignatureException.class)
                .hasMessageContaining("no sign");
    }
}
