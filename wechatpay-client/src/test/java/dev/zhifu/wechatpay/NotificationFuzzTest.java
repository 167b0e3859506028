package dev.zhifu.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zhifu.fixtures.FuzzInput;
import dev.zhifu.wechatpay.notify.RefundNotification;
import dev.zhifu.wechatpay.notify.TransactionNotification;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A notification is whatever anyone can POST to the merchant: whatever its headers and body, reading it gives a
 * verified, decrypted notification or a {@link WechatPayException}, never anything else. A resource WeChat Pay
 * really encrypted and signed is read back field for field, or refused as malformed.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/zhifu/wechatpay/NotificationFuzzTestInputs/}.
 */
class NotificationFuzzTest {

    private static final WechatPayClient CLIENT =
            new WechatPayClient(Fixtures.publicKeyMode("http://127.0.0.1:9").build());

    /** Input: header lines ({@code Name: value}), a NUL, then the body. */
    @FuzzTest
    void notification(byte[] input) {
        byte[][] parts = FuzzInput.split(input, 2);
        Map<String, String> headers = new HashMap<>();
        for (String line : FuzzInput.text(parts[0]).split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(
                        line.substring(0, colon).strip(),
                        line.substring(colon + 1).strip());
            }
        }
        try {
            CLIENT.transactionNotification(headers, FuzzInput.text(parts[1]));
            throw new AssertionError("a notification nobody signed was accepted");
        } catch (WechatPayException refused) {
            assertThat(refused.isOutcomeUnknown()).isFalse();
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    /** Input: the decrypted resource; WeChat Pay encrypts and signs it as it would. */
    @FuzzTest
    void signedNotificationRoundTrip(byte[] input) {
        String resource = FuzzInput.text(input);
        String body = WechatPaySide.notificationBody("EV-FUZZ", "TRANSACTION.SUCCESS", "transaction", resource);
        Map<String, String> headers = WechatPaySide.publicKeyMode().sign(body, Instant.now());
        try {
            TransactionNotification read = CLIENT.transactionNotification(headers, body);
            Map<String, Object> fields = Json.parseObject(resource);
            assertThat(read.transaction().outTradeNo()).isEqualTo(fields.get("out_trade_no"));
            assertThat(read.transaction().tradeState()).isEqualTo(fields.get("trade_state"));
        } catch (WechatPayMalformedException unreadable) {
            assertThat(unreadable.getMessage()).containsAnyOf("notification unusable", "verified but unreadable");
        }
    }

    /** Input: the decrypted refund; WeChat Pay encrypts and signs it as it would. */
    @FuzzTest
    void signedRefundNotificationRoundTrip(byte[] input) {
        String resource = FuzzInput.text(input);
        String body = WechatPaySide.notificationBody("EV-FUZZ", "REFUND.SUCCESS", "refund", resource);
        Map<String, String> headers = WechatPaySide.publicKeyMode().sign(body, Instant.now());
        try {
            RefundNotification read = CLIENT.refundNotification(headers, body);
            Map<String, Object> fields = Json.parseObject(resource);
            assertThat(read.refund().outRefundNo()).isEqualTo(fields.get("out_refund_no"));
            assertThat(read.refund().refund().signum()).isNotNegative();
        } catch (WechatPayMalformedException unreadable) {
            assertThat(unreadable.isOutcomeUnknown()).isFalse();
        }
    }
}
