package dev.zhifu.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.alipay.trade.AppPayRequest;
import dev.zhifu.alipay.trade.Order;
import dev.zhifu.alipay.trade.PagePayRequest;
import dev.zhifu.alipay.trade.WapPayRequest;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** 02_page_wap_pay.json and 03_app_pay.json: forms, URLs and order strings byte for byte. */
class BrowserAndAppPaymentVectorsTest {

    static Stream<Map<String, Object>> pageCases() {
        return Fixtures.list(Fixtures.vectors("02_page_wap_pay.json"), "cases").stream();
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("pageCases")
    void pageAndWapPayFormAndUrlAreTheSdksBytes(Map<String, Object> c) {
        Map<String, String> p = Fixtures.params(c, "get_url_params_decoded");
        AlipayClient client = new AlipayClient(Fixtures.vectorConfig()
                .charset((String) c.get("client_charset"))
                .build());
        RequestOptions options = p.containsKey("app_auth_token")
                // the SDK case also passed a whitespace-only extra parameter, which must vanish
                ? new RequestOptions(p.get("app_auth_token"), Map.of("blank_udf", "   "))
                : RequestOptions.NONE;

        BrowserPayment payment = client.browserPayment(
                new VectorRequest(
                        (String) c.get("method"), p.get("biz_content"), p.get("notify_url"), p.get("return_url")),
                options);

        assertThat(payment.form()).isEqualTo(c.get("post_form_html"));
        assertThat(payment.url()).isEqualTo(c.get("get_url"));
    }

    @Test
    void typedPagePayWritesTheSameBizContentAsTheSdksModel() {
        Map<String, Object> c = caseById("page_pay_biz_model");
        PagePayRequest request = new PagePayRequest(
                Order.of("PC20240601120000002", new BigDecimal("0.01"), "Model/序列化")
                        .withBody("a/b \"c\" \\ d")
                        .withTimeExpire("2024-06-01 12:30:00")
                        .with("qrcode_width", 200),
                "https://merchant.example.com/return",
                null,
                "2");

        BrowserPayment payment = new AlipayClient(Fixtures.vectorConfig().build()).browserPayment(request);

        assertThat(payment.form()).isEqualTo(c.get("post_form_html"));
        assertThat(payment.url()).isEqualTo(c.get("get_url"));
    }

    @Test
    void typedWapPayWritesTheSameBizContentAsTheSdksModel() {
        Map<String, Object> c = caseById("wap_pay_biz_model");
        WapPayRequest request = WapPayRequest.of("WAP20240601120000001", new BigDecimal("9.90"), "手机网站支付测试")
                .withQuitUrl("https://merchant.example.com/cart")
                .withReturnUrl("https://merchant.example.com/alipay/return")
                .withNotifyUrl("https://merchant.example.com/alipay/notify");
        request = new WapPayRequest(
                request.order().withTimeoutExpress("15m"), request.returnUrl(), request.notifyUrl(), request.quitUrl());

        assertThat(new AlipayClient(Fixtures.vectorConfig().build())
                        .browserPayment(request)
                        .form())
                .isEqualTo(c.get("post_form_html"));
    }

    @Test
    void appOrderStringsAreTheSdksBytes() {
        List<Map<String, Object>> cases = Fixtures.list(Fixtures.vectors("03_app_pay.json"), "sdk_execute_cases");
        AlipayClient client = new AlipayClient(Fixtures.vectorConfig().build());
        for (Map<String, Object> c : cases) {
            Map<String, String> p = Fixtures.params(c, "order_string_params_decoded");
            String orderString = client.appOrderString(
                    new VectorRequest("alipay.trade.app.pay", p.get("biz_content"), p.get("notify_url"), null));
            assertThat(orderString).as((String) c.get("id")).isEqualTo(c.get("order_string"));
        }
        AppPayRequest typed = new AppPayRequest(
                Order.of("APP20240601120000001", new BigDecimal("0.01"), "大乐透 App/支付")
                        .withBody("我是测试数据 a+b=c&d")
                        .withTimeoutExpress("30m")
                        .withPassbackParams("merchantBizType%3d3C%26merchantBizNo%3d2016010101111"),
                "https://merchant.example.com/alipay/notify");
        assertThat(client.appOrderString(typed)).isEqualTo(cases.get(0).get("order_string"));
    }

    @Test
    void appSyncResultsAreVerifiedLikeTheSdk() {
        AlipayClient client = new AlipayClient(Fixtures.vectorConfig().build());
        for (Map<String, Object> c :
                Fixtures.list(Fixtures.vectors("03_app_pay.json"), "parse_app_sync_result_cases")) {
            String result = (String) Fixtures.map(c, "input_map").get("result");
            boolean sdkThrew = Fixtures.sdkThrew(c);
            switch ((String) c.get("id")) {
                case "sync_result_valid" ->
                    assertThat(client.verifyAppPayResult(result).isSuccess()).isTrue();
                case "sync_result_tampered" -> {
                    assertThat(sdkThrew).isTrue();
                    assertThatThrownBy(() -> client.verifyAppPayResult(result))
                            .isInstanceOf(AlipaySignatureException.class);
                }
                // the SDK invents a 20000 answer; we say plainly that there is nothing to verify
                case "sync_result_empty" ->
                    assertThatThrownBy(() -> client.verifyAppPayResult(result))
                            .isInstanceOf(AlipayMalformedResponseException.class);
                default -> throw new AssertionError("unexpected case " + c.get("id"));
            }
        }
    }

    private static Map<String, Object> caseById(String id) {
        return pageCases().filter(c -> id.equals(c.get("id"))).findFirst().orElseThrow();
    }
}
