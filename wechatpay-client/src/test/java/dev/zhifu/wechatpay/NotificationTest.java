package dev.zhifu.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.fixtures.WechatPayTestKeys;
import dev.zhifu.wechatpay.notify.Notification;
import dev.zhifu.wechatpay.notify.OtherNotification;
import dev.zhifu.wechatpay.notify.RefundNotification;
import dev.zhifu.wechatpay.notify.TransactionNotification;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Notifications: the signature over the raw body first, then the resource decrypted (docs/wechatpay-protocol.md#s6). */
class NotificationTest {

    private final WechatPayClient client =
            new WechatPayClient(Fixtures.publicKeyMode("http://127.0.0.1:9").build());

    private static String paid() {
        return WechatPaySide.notificationBody(
                "EV-1",
                "TRANSACTION.SUCCESS",
                "transaction",
                WechatPaySide.transactionJson("order-notify-9", 1999, "SUCCESS"));
    }

    @Test
    void aPaymentNotificationIsVerifiedDecryptedAndTyped() {
        String body = paid();

        TransactionNotification notification =
                client.transactionNotification(WechatPaySide.publicKeyMode().sign(body, Instant.now()), body);

        assertThat(notification.eventType()).isEqualTo("TRANSACTION.SUCCESS");
        assertThat(notification.transaction().isPaid()).isTrue();
        assertThat(notification.transaction().total()).isEqualByComparingTo("19.99");
        assertThat(notification.transaction().mchid()).isEqualTo(WechatPayTestKeys.MCHID);
    }

    @Test
    void headerNamesAreMatchedWhateverTheirCase() {
        String body = paid();
        Map<String, String> lowerCase = new HashMap<>();
        WechatPaySide.publicKeyMode().sign(body, Instant.now()).forEach((k, v) -> lowerCase.put(k.toLowerCase(), v));

        assertThat(client.transactionNotification(lowerCase, body).id()).isEqualTo("EV-1");
    }

    @Test
    void aRefundNotificationIsTyped() {
        String body = WechatPaySide.notificationBody(
                "EV-2",
                "REFUND.SUCCESS",
                "refund",
                WechatPaySide.refundNotificationJson("order-notify-9", "refund-notify-9", 999, 1999));

        RefundNotification notification =
                client.refundNotification(WechatPaySide.publicKeyMode().sign(body, Instant.now()), body);

        assertThat(notification.refund().isSuccessful()).isTrue();
        assertThat(notification.refund().refund()).isEqualByComparingTo("9.99");
        assertThat(notification.refund().outRefundNo()).isEqualTo("refund-notify-9");
    }

    @Test
    void anyNotificationIsTypedByItsVerifiedEventType() {
        String refund = WechatPaySide.notificationBody(
                "EV-3",
                "REFUND.ABNORMAL",
                "refund",
                WechatPaySide.refundNotificationJson("order-notify-9", "refund-notify-9", 999, 1999));
        String other = WechatPaySide.notificationBody(
                "EV-4", "PROFITSHARING.SUCCESS", "profitsharing", "{\"sp_mchid\":\"1900000100\",\"note\":null}");

        Notification paid = client.notification(WechatPaySide.publicKeyMode().sign(paid(), Instant.now()), paid());
        Notification refunded =
                client.notification(WechatPaySide.publicKeyMode().sign(refund, Instant.now()), refund);
        Notification unknown = client.notification(WechatPaySide.publicKeyMode().sign(other, Instant.now()), other);

        assertThat(paid).isInstanceOf(TransactionNotification.class);
        assertThat(((TransactionNotification) paid).transaction().outTradeNo()).isEqualTo("order-notify-9");
        assertThat(refunded).isInstanceOf(RefundNotification.class);
        assertThat(refunded.id()).isEqualTo("EV-3");
        assertThat(unknown).isInstanceOf(OtherNotification.class);
        assertThat(unknown.eventType()).isEqualTo("PROFITSHARING.SUCCESS");
        assertThat(((OtherNotification) unknown).resource())
                .containsEntry("sp_mchid", "1900000100")
                .containsEntry("note", null);
    }

    @Test
    void aNotificationOfAnyKindIsRefusedUnsigned() {
        String other = WechatPaySide.notificationBody("EV-5", "PROFITSHARING.SUCCESS", "profitsharing", "{}");
        Map<String, String> headers = WechatPaySide.publicKeyMode().sign(other, Instant.now());

        assertThatThrownBy(() -> client.notification(headers, other.replace("EV-5", "EV-6")))
                .isInstanceOf(WechatPaySignatureException.class);
    }

    @Test
    void aBodyChangedAfterSigningIsRefusedBeforeAnythingIsDecrypted() {
        String body = paid();
        Map<String, String> headers = WechatPaySide.publicKeyMode().sign(body, Instant.now());

        assertThatThrownBy(() -> client.transactionNotification(headers, body.replace("EV-1", "EV-2")))
                .isInstanceOfSatisfying(
                        WechatPaySignatureException.class,
                        e -> assertThat(e.isOutcomeUnknown()).isFalse());
    }

    @Test
    void aNotificationSealedWithAnotherKeyIsMalformed() {
        String body = paid().replaceFirst("\"ciphertext\":\"(.)", "\"ciphertext\":\"A$1".substring(0, 14) + "B");

        assertThatThrownBy(() -> client.transactionNotification(
                        WechatPaySide.publicKeyMode().sign(body, Instant.now()), body))
                .isInstanceOf(WechatPayMalformedException.class);
    }

    @Test
    void aStaleNotificationIsRefused() {
        String body = paid();

        assertThatThrownBy(() -> client.transactionNotification(
                        WechatPaySide.publicKeyMode().sign(body, Instant.now().minusSeconds(600)), body))
                .isInstanceOf(WechatPaySignatureException.class);
    }

    @Test
    void withoutTheApiV3KeyNotificationsCannotBeRead() {
        WechatPayClient noKey = new WechatPayClient(Fixtures.merchant("http://127.0.0.1:9")
                .wechatPayPublicKey(Fixtures.WECHATPAY_PUBLIC_KEY, WechatPayTestKeys.PUBLIC_KEY_ID)
                .build());
        String body = paid();

        assertThatThrownBy(() -> noKey.transactionNotification(
                        WechatPaySide.publicKeyMode().sign(body, Instant.now()), body))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("APIv3");
    }
}
