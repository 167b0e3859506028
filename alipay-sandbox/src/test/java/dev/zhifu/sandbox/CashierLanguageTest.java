package dev.zhifu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.request.AlipayTradePagePayRequest;
import dev.zhifu.sandbox.junit.AlipaySandboxExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The cashier's words follow the browser's Accept-Language, or ?lang=; Alipay's own error codes stay as they are. */
@ExtendWith(AlipaySandboxExtension.class)
class CashierLanguageTest {

    private static String get(String url, String acceptLanguage) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (acceptLanguage != null) {
            request.header("Accept-Language", acceptLanguage);
        }
        HttpResponse<String> response =
                Sdk.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() == 302) {
            return get(response.headers().firstValue("Location").orElseThrow(), acceptLanguage);
        }
        return response.body();
    }

    private static String payUrl(AlipaySandbox sandbox, String amount) throws Exception {
        AlipayTradePagePayRequest request = new AlipayTradePagePayRequest();
        request.setBizContent("{\"out_trade_no\":\"" + Sdk.orderNo("LANG") + "\",\"total_amount\":\"" + amount
                + "\",\"subject\":\"Tea\",\"product_code\":\"FAST_INSTANT_TRADE_PAY\"}");
        return Sdk.publicKeyClient(sandbox, "UTF-8").pageExecute(request, "GET").getBody();
    }

    @Test
    void theCashierSpeaksTheBrowsersLanguage(AlipaySandbox sandbox) throws Exception {
        String url = payUrl(sandbox, "9.90");
        assertThat(get(url, "en-GB,en;q=0.9"))
                .contains("<html lang=\"en\">", "Payee", "Pay ¥9.90", "Sandbox: no real money moves")
                .doesNotContain("确认付款");
        assertThat(get(url, "zh-CN,zh;q=0.9,en;q=0.8")).contains("<html lang=\"zh-CN\">", "收款方", "确认付款 ¥9.90");
        assertThat(get(url, null)).contains("确认付款 ¥9.90");
    }

    @Test
    void aRefusedPagePayIsExplainedInTheBrowsersLanguage(AlipaySandbox sandbox) throws Exception {
        String url = payUrl(sandbox, "0.001"); // more than two decimals: Alipay refuses it
        assertThat(get(url, "en-US")).contains("Sorry, this cannot be paid", "Error code", "id=\"sub-code\"");
        assertThat(get(url, "zh-CN")).contains("抱歉，无法付款", "错误代码");
    }
}
