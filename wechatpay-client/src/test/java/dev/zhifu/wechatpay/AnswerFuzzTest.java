package dev.zhifu.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zhifu.fixtures.FuzzInput;
import dev.zhifu.wechatpay.payments.Order;
import dev.zhifu.wechatpay.payments.Transaction;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What comes back from WeChat Pay (or whoever answers in its place) is outside input: whatever the status,
 * headers and body, a query returns a verified transaction or throws a {@link WechatPayException}, never anything
 * else; an answer nobody signed is never believed. A body WeChat Pay really signed is read or refused as malformed.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/zhifu/wechatpay/AnswerFuzzTestInputs/}.
 */
class AnswerFuzzTest {

    private static final Order ORDER =
            new Order("order-fuzz-1", "Fuzz", java.math.BigDecimal.ONE, "https://merchant.example/notify");
    private static volatile HttpTransport.Answer next;
    private static final WechatPayClient CLIENT = new WechatPayClient(Fixtures.publicKeyMode("http://127.0.0.1:9")
            .transport((method, uri, headers, body, timeout) -> next)
            .build());

    /** Input: the status as digits, a NUL, header lines ({@code Name: value}), a NUL, then the body. */
    @FuzzTest
    void answer(byte[] input) {
        byte[][] parts = FuzzInput.split(input, 3);
        int status;
        try {
            status = Integer.parseInt(FuzzInput.text(parts[0]).strip());
        } catch (NumberFormatException e) {
            status = 200;
        }
        Map<String, String> headers = new HashMap<>();
        for (String line : FuzzInput.text(parts[1]).split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(
                        line.substring(0, colon).strip(),
                        line.substring(colon + 1).strip());
            }
        }
        next = new HttpTransport.Answer(status, headers, parts[2]);
        try {
            CLIENT.queryByOutTradeNo("order-fuzz-1");
            throw new AssertionError("an answer nobody signed was believed");
        } catch (WechatPayException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            if (status >= 200 && status < 300) {
                assertThat(refused.isOutcomeUnknown()).isTrue();
            }
        }
    }

    /** Input: the body; WeChat Pay signs it now and answers 200. */
    @FuzzTest
    void signedAnswerRoundTrip(byte[] input) {
        String body = FuzzInput.text(input);
        next = new HttpTransport.Answer(200, WechatPaySide.publicKeyMode().sign(body, Instant.now()), input);
        try {
            Transaction transaction = CLIENT.queryByOutTradeNo("order-fuzz-1");
            assertThat(transaction.outTradeNo())
                    .isEqualTo(Json.parseObject(body).get("out_trade_no"));
        } catch (WechatPayMalformedException unreadable) {
            assertThat(unreadable.isOutcomeUnknown()).isTrue();
        }
    }

    /** Input: the body of a prepay answer; WeChat Pay signs it now and answers 200. */
    @FuzzTest
    void signedPrepayAnswer(byte[] input) {
        String body = FuzzInput.text(input);
        next = new HttpTransport.Answer(200, WechatPaySide.publicKeyMode().sign(body, Instant.now()), input);
        try {
            String codeUrl = CLIENT.nativePrepay(ORDER);
            assertThat(codeUrl).isEqualTo(Json.parseObject(body).get("code_url"));
        } catch (WechatPayMalformedException unreadable) {
            assertThat(unreadable.isOutcomeUnknown()).isTrue();
        }
    }
}
