package dev.zhifu.payments.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.alipay.crypto.AlipayKeys;
import java.security.KeyPair;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LogRedactionTest {

    private static final String SIGN = "Kx9".repeat(114) + "w==";

    /** What {@link LogRedaction#redactLongBase64} replaces, as a regular expression: the oracle for short lines. */
    private static final Pattern LONG_BASE64 =
            Pattern.compile("(?:[A-Za-z0-9+/_-]|%2[BbFf]|%3[Dd]){100,}(?:=|%3[Dd]){0,2}");

    @Test
    void longBase64RunsAreRedactedExactlyAsThePatternDescribesThem() {
        assertThat(LogRedaction.redactLongBase64("a".repeat(99))).isEqualTo("a".repeat(99));
        assertThat(LogRedaction.redactLongBase64("x " + "a".repeat(100) + "=== y"))
                .isEqualTo("x [REDACTED]= y");
        String[] inRun = {"A", "z", "0", "9", "+", "/", "_", "-", "%2B", "%2f", "%3D", "%3d"};
        String[] breaking = {"%", "%41", "%2", "=", "==", "%3D%3D", "&", ",", " ", ".", ":", "\"", "\n", "\u00e9"};
        java.util.Random random = new java.util.Random(20261126);
        int redacted = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder line = new StringBuilder();
            int length = random.nextInt(400);
            double breakChance = new double[] {0.003, 0.01, 0.03, 0.1}[random.nextInt(4)];
            while (line.length() < length) {
                String[] from = random.nextDouble() < breakChance ? breaking : inRun;
                line.append(from[random.nextInt(from.length)]);
            }
            String s = line.toString();
            String expected = LONG_BASE64.matcher(s).replaceAll(LogRedaction.MARK);
            redacted += expected.equals(s) ? 0 : 1;
            assertThat(LogRedaction.redactLongBase64(s)).as(s).isEqualTo(expected);
        }
        assertThat(redacted).as("lines the pattern redacts").isGreaterThan(1_000);
    }

    /** A thread with a small stack (as a pool's may be) and a long key: the pattern overflowed there. */
    @Test
    void aLongKeyOnAThreadWithASmallStackIsRedacted() throws Exception {
        String key = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" + "Kx9/".repeat(5_000) + "==";
        AtomicReference<Object> result = new AtomicReference<>();
        Thread small = new Thread(
                null,
                () -> {
                    try {
                        result.set(LogRedaction.redact("inline key " + key + " end") + " | "
                                + LogRedaction.redact("{\"sign\":\"" + "a.b\\n".repeat(20_000) + "\"}"));
                    } catch (Throwable t) {
                        result.set(t);
                    }
                },
                "small-stack",
                256 * 1024);
        small.start();
        small.join();
        assertThat(result.get()).isEqualTo("inline key [REDACTED] end | {\"sign\":\"[REDACTED]\"}");
    }

    @Test
    void signaturesInFormsQueriesAndJsonAreRedacted() {
        assertThat(LogRedaction.redact("POST body: charset=utf-8&sign=" + SIGN + "&sign_type=RSA2&notify_id=n1"))
                .isEqualTo("POST body: charset=utf-8&sign=[REDACTED]&sign_type=RSA2&notify_id=n1");
        assertThat(LogRedaction.redact("gateway.do?sign=abc%2Bdef%3D&method=x"))
                .isEqualTo("gateway.do?sign=[REDACTED]&method=x");
        assertThat(LogRedaction.redact("{\"sign\":\"abc+def=\",\"code\":\"10000\"}"))
                .isEqualTo("{\"sign\":\"[REDACTED]\",\"code\":\"10000\"}");
        assertThat(LogRedaction.redact("Payment-Signature: t=1700000000,v1=9f86d081884c7d65"))
                .endsWith("v1=[REDACTED]");
    }

    @Test
    void buyerIdentifiersAreRedactedButTheirColumnsInSqlAreNot() {
        assertThat(LogRedaction.redact(
                        "buyer_id=2088102177846880&buyer_logon_id=158****1562&seller_id=2088000000000001"))
                .isEqualTo("buyer_id=[REDACTED]&buyer_logon_id=[REDACTED]&seller_id=2088000000000001");
        assertThat(LogRedaction.redact("{\"buyer_logon_id\":\"a***@b.com\"}"))
                .isEqualTo("{\"buyer_logon_id\":\"[REDACTED]\"}");
        assertThat(LogRedaction.redact("SET buyer_logon_id = COALESCE(?, buyer_logon_id)"))
                .isEqualTo("SET buyer_logon_id = COALESCE(?, buyer_logon_id)");
    }

    @Test
    void keysBearerTokensAndConfiguredSecretsAreRedacted() {
        KeyPair pair = AlipayKeys.generateRsa2048();
        String pem = AlipayKeys.toPem(pair.getPrivate());
        assertThat(LogRedaction.redact("key:\n" + pem))
                .isEqualTo("key:\n[REDACTED PEM]\n".stripTrailing() + (pem.endsWith("\n") ? "\n" : ""));
        assertThat(LogRedaction.redact("inline " + AlipayKeys.toBase64(pair.getPrivate())))
                .isEqualTo("inline [REDACTED]");
        assertThat(LogRedaction.redact("Authorization: Bearer sk_live_abc123"))
                .isEqualTo("Authorization: Bearer [REDACTED]");
        assertThat(LogRedaction.redact("authorization: bearer abcdefghijklmnopqrstu"))
                .isEqualTo("authorization: bearer [REDACTED]");
        assertThat(LogRedaction.redact("bearer Tokenlike")).isEqualTo("bearer [REDACTED]");
        assertThat(LogRedaction.redact("bearer ab1")).isEqualTo("bearer [REDACTED]");
        LogRedaction.secret("whsec_configured_42");
        assertThat(LogRedaction.redact("secret is whsec_configured_42.")).isEqualTo("secret is [REDACTED].");
        assertThat(LogRedaction.redact("design: sign_type=RSA2, /api/v1/payments"))
                .isEqualTo("design: sign_type=RSA2, /api/v1/payments");
    }

    @Test
    void proseAfterTheWordBearerAndTheShownDemoKeyStayReadable() {
        assertThat(LogRedaction.redact("payments.api-keys is required (comma-separated bearer keys for /api/**)"))
                .isEqualTo("payments.api-keys is required (comma-separated bearer keys for /api/**)");
        assertThat(LogRedaction.redact("-H 'Authorization: Bearer sk_demo_shown42'"))
                .isEqualTo("-H 'Authorization: Bearer [REDACTED]'");
        LogRedaction.shown("sk_demo_shown42");
        assertThat(LogRedaction.redact("-H 'Authorization: Bearer sk_demo_shown42'"))
                .isEqualTo("-H 'Authorization: Bearer sk_demo_shown42'");
        assertThat(LogRedaction.redact("Bearer sk_demo_shown42x")).isEqualTo("Bearer [REDACTED]");
    }
}
