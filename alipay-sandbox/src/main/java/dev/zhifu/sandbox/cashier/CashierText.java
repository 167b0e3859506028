package dev.zhifu.sandbox.cashier;

import dev.zhifu.sandbox.http.FormCodec;
import dev.zhifu.sandbox.http.SandboxRequest;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The words of the buyer's pages in the buyer's language: Simplified Chinese as at Alipay, English when the
 * browser prefers it (Accept-Language) or the page is asked for with {@code ?lang=en}. The texts are in
 * {@code cashier.properties} and {@code cashier_en.properties} beside this class.
 */
final class CashierText {

    static final List<Locale> SUPPORTED = List.of(Locale.SIMPLIFIED_CHINESE, Locale.ENGLISH);
    private static final String BUNDLE = "dev.zhifu.sandbox.cashier.cashier";

    private final Locale locale;
    private final ResourceBundle bundle;

    private CashierText(Locale locale) {
        this.locale = locale;
        // no fallback to the JVM's default locale: a Chinese page stays Chinese on an English machine
        this.bundle = ResourceBundle.getBundle(
                BUNDLE, locale, ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    static CashierText of(SandboxRequest request) {
        String lang =
                FormCodec.decode(request.rawQuery(), StandardCharsets.UTF_8).get("lang");
        return new CashierText(choose(lang != null && !lang.isBlank() ? lang : request.header("accept-language")));
    }

    static CashierText of(String acceptLanguage) {
        return new CashierText(choose(acceptLanguage));
    }

    /** The supported language the header (or a single tag) ranks first; Chinese when it names neither. */
    static Locale choose(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return Locale.SIMPLIFIED_CHINESE;
        }
        List<Locale.LanguageRange> ranges;
        try {
            ranges = Locale.LanguageRange.parse(acceptLanguage);
        } catch (IllegalArgumentException e) {
            return Locale.SIMPLIFIED_CHINESE;
        }
        for (Locale.LanguageRange range : ranges) {
            if (range.getWeight() == 0) {
                continue;
            }
            String language = range.getRange().split("-")[0];
            for (Locale supported : SUPPORTED) {
                if (supported.getLanguage().equals(language)) {
                    return supported;
                }
            }
        }
        return Locale.SIMPLIFIED_CHINESE;
    }

    String get(String key, Object... args) {
        String text = bundle.getString(key);
        return args.length == 0 ? text : new MessageFormat(text, locale).format(args);
    }

    /** The value of {@code lang=} that keeps this language on the next page. */
    String lang() {
        return locale.getLanguage();
    }

    /** The value of the page's {@code lang} attribute. */
    String htmlLang() {
        return locale.equals(Locale.SIMPLIFIED_CHINESE) ? "zh-CN" : locale.getLanguage();
    }
}
