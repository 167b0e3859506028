package dev.zhifu.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.alipay.notify.NotificationVerifier;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Form bodies are decoded exactly once, in the charset they name. */
class FormDecodingTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void decodesPlusEscapesEmptyAndBareNames() {
        Map<String, String> p = NotificationVerifier.decodeForm(ascii("a=1+2&b=%E4%B8%AD&c=&d&a=second&&e=x%3Dy%26z"));
        assertThat(p)
                .containsExactly(
                        Map.entry("a", "1 2"),
                        Map.entry("b", "中"),
                        Map.entry("c", ""),
                        Map.entry("d", ""),
                        Map.entry("e", "x=y&z"));
    }

    @Test
    void usesTheCharsetTheBodyNamesWhereverItStands() {
        String gbk = "%D6%D0%CE%C4"; // 中文 in GBK
        assertThat(NotificationVerifier.decodeForm(ascii("subject=" + gbk + "&charset=gbk"))
                        .get("subject"))
                .isEqualTo("中文");
        byte[] raw = ("subject=中文&charset=GBK").getBytes(Charset.forName("GBK"));
        assertThat(NotificationVerifier.decodeForm(raw).get("subject"))
                .as("unencoded bytes survive")
                .isEqualTo("中文");
    }

    @Test
    void brokenEscapesAreRefused() {
        assertThatThrownBy(() -> NotificationVerifier.decodeForm(ascii("a=%E4%B")))
                .isInstanceOf(AlipaySignatureException.class)
                .hasMessageContaining("parameter a");
        assertThatThrownBy(() -> NotificationVerifier.decodeForm(ascii("a=%ZZ")))
                .isInstanceOf(AlipaySignatureException.class);
        assertThatThrownBy(() -> NotificationVerifier.decodeForm(ascii("charset=no-such-charset")))
                .isInstanceOf(AlipaySignatureException.class)
                .hasMessageContaining("unknown charset");
    }

    @Test
    void anEmptyBodyIsNoParameters() {
        assertThat(NotificationVerifier.decodeForm(new byte[0])).isEmpty();
    }
}
