package dev.zhifu.alipay.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zhifu.alipay.AlipayClient;
import dev.zhifu.alipay.AlipaySignatureException;
import dev.zhifu.alipay.Fixtures;
import dev.zhifu.alipay.crypto.RsaProvider;
import dev.zhifu.fixtures.FuzzInput;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The notification body is the first thing an outsider controls: {@link NotificationVerifier#decodeForm} and
 * the verification after it either give a result or refuse with {@link AlipaySignatureException}, whatever the
 * bytes (anything else would be a 500 instead of {@code failure}). A body Alipay signed decodes back to the
 * parameters it was made from, in every charset a form can carry.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/zhifu/alipay/notify/NotificationFormFuzzTestInputs/}.
 */
class NotificationFormFuzzTest {

    private static final NotificationVerifier VERIFIER =
            new AlipayClient(Fixtures.vectorConfig().build()).notifications();
    private static final NotificationSigner ALIPAY =
            new NotificationSigner(Fixtures.alipayPrivateKey(), RsaProvider.jdk());

    /**
     * Against a plain reading of its documentation (a reference decoder written for this test): pairs split at
     * {@code &}, name and value at the first {@code =}, {@code +} a space, {@code %XX} a byte and anything else
     * after {@code %} malformed, the bytes read in the charset named by the first {@code charset} pair, the
     * first value of a name kept. Same map, or both refuse.
     */
    @FuzzTest
    @DictionaryFile(resourcePath = "/dev/zhifu/alipay/fuzz/form.dict")
    void decodeForm(byte[] body) {
        Map<String, String> expected;
        try {
            expected = referenceDecode(body);
        } catch (RuntimeException malformed) {
            expected = null;
        }
        Map<String, String> params;
        try {
            params = NotificationVerifier.decodeForm(body);
        } catch (AlipaySignatureException refused) {
            assertThat(expected)
                    .as("refused (%s) what the reference decodes", refused.getMessage())
                    .isNull();
            return;
        }
        assertThat(expected).as("decoded what the reference refuses").isNotNull();
        assertThat(params).isEqualTo(expected);
    }

    private static Map<String, String> referenceDecode(byte[] body) {
        List<byte[]> pairs = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '&') {
                if (i > from) {
                    pairs.add(Arrays.copyOfRange(body, from, i));
                }
                from = i + 1;
            }
        }
        Charset charset = StandardCharsets.UTF_8;
        for (byte[] pair : pairs) {
            String raw = new String(pair, StandardCharsets.ISO_8859_1);
            if (raw.startsWith("charset=") || raw.equals("charset")) {
                String name = new String(
                        percentDecode(Arrays.copyOfRange(pair, Math.min(8, pair.length), pair.length)),
                        StandardCharsets.ISO_8859_1);
                charset = NotificationVerifier.charsetOf(name);
                break;
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (byte[] pair : pairs) {
            int eq = 0;
            while (eq < pair.length && pair[eq] != '=') {
                eq++;
            }
            String name = new String(percentDecode(Arrays.copyOfRange(pair, 0, eq)), charset);
            String value = new String(
                    percentDecode(Arrays.copyOfRange(pair, Math.min(eq + 1, pair.length), pair.length)), charset);
            params.putIfAbsent(name, value);
        }
        return params;
    }

    private static byte[] percentDecode(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '+') {
                out.write(' ');
            } else if (in[i] == '%') {
                if (i + 2 >= in.length || HEX.indexOf(in[i + 1]) < 0 || HEX.indexOf(in[i + 2]) < 0) {
                    throw new IllegalArgumentException("malformed escape");
                }
                out.write(Integer.parseInt(new String(in, i + 1, 2, StandardCharsets.US_ASCII), 16));
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        return out.toByteArray();
    }

    private static final String HEX = "0123456789abcdefABCDEF";

    @FuzzTest
    @DictionaryFile(resourcePath = "/dev/zhifu/alipay/fuzz/form.dict")
    void verifyForm(byte[] body) {
        try {
            TradeNotification n = VERIFIER.verifyForm(body);
            // only Alipay's key can sign; the fuzzer cannot, so reaching here means a forgery was accepted
            throw new AssertionError("an unsigned body verified: " + n);
        } catch (AlipaySignatureException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    /**
     * The input is the parameters Alipay means ({@code name=value} lines, taken literally); signed and
     * form-encoded as Alipay does, the body must verify and give back exactly those parameters, or be refused
     * with {@link AlipaySignatureException} (a charset we do not support, a signed field we cannot read).
     */
    @FuzzTest
    @DictionaryFile(resourcePath = "/dev/zhifu/alipay/fuzz/form.dict")
    void signedNotificationRoundTrip(byte[] input) {
        Map<String, String> params = FuzzInput.params(FuzzInput.text(input));
        Map<String, String> signed;
        byte[] body;
        try {
            signed = ALIPAY.sign(params);
            body = ALIPAY.formBody(params);
        } catch (AlipaySignatureException unsupportedCharset) {
            assertThat(unsupportedCharset.getMessage()).contains("charset");
            return;
        }
        Charset charset = NotificationVerifier.charsetOf(signed.get("charset"));
        // a form carries what its charset can write, and only in a charset that writes ASCII as ASCII
        boolean carried = asciiTransparent(charset)
                && signed.entrySet().stream()
                        .allMatch(e -> encodable(e.getKey(), charset) && encodable(e.getValue(), charset));
        TradeNotification n;
        try {
            n = VERIFIER.verifyForm(body);
        } catch (AlipaySignatureException refused) {
            if (carried) {
                // the signature is Alipay's own: only a signed field we cannot read may stop it
                assertThat(refused.getMessage()).contains("a verified field cannot be read");
            }
            return;
        }
        if (carried) {
            assertThat(n.params()).isEqualTo(signed);
        }
    }

    private static boolean encodable(String s, Charset charset) {
        return charset.newEncoder().canEncode(s);
    }

    /** Whether the charset writes ASCII as ASCII (UTF-8, GBK, Latin-1; not UTF-16): what form encoding assumes. */
    static boolean asciiTransparent(Charset charset) {
        byte[] ascii = new byte[128];
        for (int i = 0; i < 128; i++) {
            ascii[i] = (byte) i;
        }
        String text = new String(ascii, StandardCharsets.ISO_8859_1);
        return charset.canEncode()
                && Arrays.equals(text.getBytes(charset), ascii)
                && new String(ascii, charset).equals(text);
    }
}
