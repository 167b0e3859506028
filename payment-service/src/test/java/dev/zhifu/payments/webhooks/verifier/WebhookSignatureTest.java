package dev.zhifu.payments.webhooks.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    static final String SECRET = "whsec_test";
    static final String BODY = "{\"id\":\"evt_1\",\"type\":\"payment.succeeded\"}";
    static final long T = 1_767_225_600L;
    static final Clock AT_T = Clock.fixed(Instant.ofEpochSecond(T + 30), ZoneOffset.UTC);
    static final Duration TOLERANCE = Duration.ofMinutes(5);

    @Test
    void aHeaderItBuiltVerifies() throws Exception {
        String header = WebhookSignature.header(SECRET, T, BODY);
        assertThat(header).startsWith("t=" + T + ",v1=");
        assertThat(WebhookSignature.verify(SECRET, header, BODY, TOLERANCE, AT_T))
                .isEqualTo(T);
    }

    @Test
    void theSignatureIsTheHexHmacOfTimestampDotBody() throws Exception {
        // the contract of docs/rest-api.md#webhook-signature, recomputed with the JDK directly
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(
                SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = java.util.HexFormat.of()
                .formatHex(mac.doFinal((T + "." + BODY).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(WebhookSignature.sign(SECRET, T, BODY)).isEqualTo(expected);
    }

    @Test
    void aChangedBodyOrAnotherSecretIsRefused() {
        String header = WebhookSignature.header(SECRET, T, BODY);
        assertThatThrownBy(() -> WebhookSignature.verify(SECRET, header, BODY + " ", TOLERANCE, AT_T))
                .isInstanceOf(WebhookSignature.InvalidSignature.class)
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> WebhookSignature.verify("whsec_other", header, BODY, TOLERANCE, AT_T))
                .isInstanceOf(WebhookSignature.InvalidSignature.class);
    }

    @Test
    void aTimestampOutsideTheToleranceIsRefusedEvenWhenSignedCorrectly() {
        String old = WebhookSignature.header(SECRET, T - 3600, BODY);
        assertThatThrownBy(() -> WebhookSignature.verify(SECRET, old, BODY, TOLERANCE, AT_T))
                .isInstanceOf(WebhookSignature.InvalidSignature.class)
                .hasMessageContaining("tolerance");
        String future = WebhookSignature.header(SECRET, T + 3600, BODY);
        assertThatThrownBy(() -> WebhookSignature.verify(SECRET, future, BODY, TOLERANCE, AT_T))
                .isInstanceOf(WebhookSignature.InvalidSignature.class);
    }

    @Test
    void anyOfSeveralSignaturesMayMatchDuringASecretChange() throws Exception {
        String header = "t=" + T + ",v1=" + WebhookSignature.sign("whsec_old", T, BODY) + ",v1="
                + WebhookSignature.sign(SECRET, T, BODY);
        assertThat(WebhookSignature.verify(SECRET, header, BODY, TOLERANCE, AT_T))
                .isEqualTo(T);
    }

    @Test
    void missingOrMalformedHeadersAreRefused() {
        for (String header : new String[] {null, "", "v1=abc", "t=" + T, "t=soon,v1=abc", "garbage"}) {
            assertThatThrownBy(() -> WebhookSignature.verify(SECRET, header, BODY, TOLERANCE, AT_T))
                    .as(String.valueOf(header))
                    .isInstanceOf(WebhookSignature.InvalidSignature.class);
        }
    }
}
