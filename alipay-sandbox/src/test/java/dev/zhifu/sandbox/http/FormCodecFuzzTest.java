package dev.zhifu.sandbox.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zhifu.fixtures.FuzzInput;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sandbox reads merchants' forms and queries in whatever charset they name: {@link FormCodec#decode} and
 * {@link FormCodec#peek} take any text without throwing (a malformed escape is kept as text, as documented;
 * a decode-only charset is refused with {@link IllegalArgumentException}),
 * and what {@link FormCodec#encode} writes decodes back to the same parameters.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/zhifu/sandbox/http/FormCodecFuzzTestInputs/}.
 */
class FormCodecFuzzTest {

    /** Input: a charset name, a NUL, then the form as the gateway holds it (its bytes as ISO-8859-1 text). */
    @FuzzTest
    @DictionaryFile(resourcePath = "/dev/zhifu/sandbox/fuzz/form.dict")
    void decode(byte[] input) {
        byte[][] parts = FuzzInput.split(input, 2);
        String form = new String(parts[1], StandardCharsets.ISO_8859_1);
        String peeked = FormCodec.peek(form, "charset");
        Charset charset = charset(new String(parts[0], StandardCharsets.ISO_8859_1));
        if (charset == null) {
            return; // the gateway answers an unknown charset before decoding anything
        }
        if (!charset.canEncode()) {
            try {
                FormCodec.decode(form, charset);
                throw new AssertionError("decoded in the decode-only charset " + charset);
            } catch (IllegalArgumentException documented) {
                return; // as documented (and the gateway refuses such a charset before decoding)
            }
        }
        Map<String, String> params = FormCodec.decode(form, charset);
        params.forEach((k, v) -> {
            assertThat(k).isNotNull();
            assertThat(v).isNotNull();
        });
        if (peeked != null) {
            assertThat(form).contains("charset=");
        }
    }

    /**
     * Input: {@code name=value} lines (literal), and a charset in a {@code charset} line. Encoded, then decoded in
     * that charset: the same parameters, when the charset writes ASCII as ASCII and can write every value.
     * Names go raw, as the SDK sends them, so names with form syntax in them ({@code & = % +}) are left out.
     */
    @FuzzTest
    @DictionaryFile(resourcePath = "/dev/zhifu/sandbox/fuzz/form.dict")
    void roundTrip(byte[] input) {
        Map<String, String> params = new LinkedHashMap<>();
        FuzzInput.params(FuzzInput.text(input)).forEach((k, v) -> {
            if (k.chars().noneMatch(c -> c == '&' || c == '=' || c == '%' || c == '+')) {
                params.put(k, v);
            }
        });
        Charset charset = params.containsKey("charset") ? charset(params.get("charset")) : StandardCharsets.UTF_8;
        if (charset == null
                || !asciiTransparent(charset)
                || !params.entrySet().stream()
                        .allMatch(e -> charset.newEncoder().canEncode(e.getKey() + e.getValue()))) {
            return;
        }
        String encoded = FormCodec.encode(params, charset);
        assertThat(FormCodec.decode(encoded, charset)).isEqualTo(params);
        if (params.containsKey("charset")) {
            assertThat(FormCodec.peek(encoded, "charset")).isEqualTo(params.get("charset"));
        }
    }

    private static Charset charset(String name) {
        try {
            return Charset.forName(name.strip());
        } catch (RuntimeException unknown) {
            return null;
        }
    }

    private static boolean asciiTransparent(Charset charset) {
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
