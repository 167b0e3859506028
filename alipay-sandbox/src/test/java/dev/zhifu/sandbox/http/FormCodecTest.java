package dev.zhifu.sandbox.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FormCodecTest {

    private static final List<Charset> CHARSETS = List.of(
            StandardCharsets.UTF_8,
            Charset.forName("GBK"),
            Charset.forName("GB18030"),
            StandardCharsets.ISO_8859_1,
            StandardCharsets.UTF_16);

    @Test
    void roundTripsWhatTheSdkEncodes() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("app_id", "2021000000000001");
        params.put("biz_content", "{\"subject\":\"苹果 iPhone+壳 100%\",\"total_amount\":\"88.88\"}");
        params.put("timestamp", "2026-11-26 12:00:00");
        for (Charset charset : List.of(StandardCharsets.UTF_8, Charset.forName("GBK"))) {
            assertThat(FormCodec.decode(FormCodec.encode(params, charset), charset))
                    .isEqualTo(params);
        }
    }

    @Test
    void plainAsciiComesBackAsItIs() {
        String text = "2021000000000001";
        assertThat(FormCodec.decodeComponent(text, StandardCharsets.UTF_8)).isSameAs(text);
    }

    @Test
    void malformedEscapesAndRawCharactersAreKeptAsText() {
        assertThat(FormCodec.decodeComponent("100%", StandardCharsets.UTF_8)).isEqualTo("100%");
        assertThat(FormCodec.decodeComponent("%zz%4", StandardCharsets.UTF_8)).isEqualTo("%zz%4");
        assertThat(FormCodec.decodeComponent("a+b%20c", StandardCharsets.UTF_8)).isEqualTo("a b c");
        assertThat(FormCodec.decodeComponent("苹果%E5%A3%B3", StandardCharsets.UTF_8))
                .isEqualTo("苹果壳");
        assertThat(FormCodec.decodeComponent("%C6%BB%B9%FB", Charset.forName("GBK")))
                .isEqualTo("苹果");
    }

    /** The decoder must give exactly what decoding byte by byte gives, for any text in any charset. */
    @Test
    void agreesWithByteByByteDecodingOnRandomText() {
        Random random = new Random(20261126);
        String alphabet = "abcXYZ019-_.*%+&=苹果é\u00ff~ ";
        for (int round = 0; round < 20_000; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(24);
            for (int i = 0; i < length; i++) {
                switch (random.nextInt(4)) {
                    case 0 -> text.append('%').append(Integer.toHexString(random.nextInt(256)));
                    case 1 ->
                        text.append(URLEncoder.encode(
                                String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))),
                                StandardCharsets.UTF_8));
                    default -> text.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            Charset charset = CHARSETS.get(random.nextInt(CHARSETS.size()));
            assertThat(FormCodec.decodeComponent(text.toString(), charset))
                    .as("%s in %s", text, charset)
                    .isEqualTo(byteByByte(text.toString(), charset));
        }
    }

    private static String byteByByte(String text, Charset charset) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%'
                    && i + 2 < text.length()
                    && Character.digit(text.charAt(i + 1), 16) >= 0
                    && Character.digit(text.charAt(i + 2), 16) >= 0) {
                bytes.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] raw = String.valueOf(c).getBytes(charset);
                bytes.write(raw, 0, raw.length);
            }
        }
        return bytes.toString(charset);
    }
}
