package dev.zhifu.sandbox.cashier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class CashierTextTest {

    @Test
    void theBrowsersFirstSupportedLanguageWinsAndChineseIsTheDefault() {
        assertThat(CashierText.choose("en-US,en;q=0.9")).isEqualTo(Locale.ENGLISH);
        assertThat(CashierText.choose("de-DE,de;q=0.9,en;q=0.8,zh;q=0.5")).isEqualTo(Locale.ENGLISH);
        assertThat(CashierText.choose("zh-CN,zh;q=0.9,en;q=0.8")).isEqualTo(Locale.SIMPLIFIED_CHINESE);
        assertThat(CashierText.choose("zh-TW")).isEqualTo(Locale.SIMPLIFIED_CHINESE);
        assertThat(CashierText.choose("fr-FR")).isEqualTo(Locale.SIMPLIFIED_CHINESE);
        assertThat(CashierText.choose("en;q=0, zh")).isEqualTo(Locale.SIMPLIFIED_CHINESE);
        assertThat(CashierText.choose(null)).isEqualTo(Locale.SIMPLIFIED_CHINESE);
        assertThat(CashierText.choose("not a header ;;;")).isEqualTo(Locale.SIMPLIFIED_CHINESE);
        assertThat(CashierText.choose("en")).isEqualTo(Locale.ENGLISH);
    }

    @Test
    void bothLanguagesHaveEveryText() throws Exception {
        Properties zh = load("cashier.properties");
        Properties en = load("cashier_en.properties");
        assertThat(en.stringPropertyNames()).isEqualTo(zh.stringPropertyNames());
        // a Chinese page stays Chinese whatever the JVM's own locale
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.US);
            assertThat(CashierText.of("zh-CN").get("cashier.pay", "1.00")).isEqualTo("确认付款 ¥1.00");
            assertThat(CashierText.of("en").get("cashier.pay", "1.00")).isEqualTo("Pay ¥1.00");
        } finally {
            Locale.setDefault(before);
        }
    }

    private static Properties load(String name) throws Exception {
        Properties p = new Properties();
        try (InputStream in = CashierText.class.getResourceAsStream(name)) {
            p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        return p;
    }
}
