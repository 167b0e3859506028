package dev.zhifu.payments.wechatpay;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.crypto.KeyMaterialException;
import dev.zhifu.alipay.spring.KeyText;
import dev.zhifu.payments.alipay.ConfigurationProblems;
import dev.zhifu.payments.alipay.Urls;
import dev.zhifu.payments.config.PaymentsProperties;
import dev.zhifu.wechatpay.WechatPayConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Production's {@code wechatpay.*} (docs/payment-channels.md#settings): every setting the chosen verification mode
 * needs, read and checked, every problem reported at once, each naming its setting and never quoting a key.
 */
public final class WechatPayProductionSettings {

    private WechatPayProductionSettings() {}

    /** The checked client configuration; throws {@link ConfigurationProblems} listing everything that is wrong. */
    public static WechatPayConfig check(WechatPayProperties wechat, PaymentsProperties payments) {
        List<String> problems = new ArrayList<>();
        WechatPayConfig.Builder builder = builder(wechat, problems);
        if (!problems.isEmpty()) {
            throw new ConfigurationProblems(problems);
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationProblems(List.of("wechatpay: " + e.getMessage()));
        }
    }

    /** Reads every {@code wechatpay.*} setting into a builder, adding one line to {@code problems} per fault. */
    public static WechatPayConfig.Builder builder(WechatPayProperties w, List<String> problems) {
        WechatPayConfig.Builder b = WechatPayConfig.builder();
        String gateway = blank(w.gatewayUrl())
                ? WechatPayConfig.PRODUCTION_URL
                : w.gatewayUrl().strip();
        if (!Urls.isHttp(gateway)) {
            problems.add("wechatpay.gateway-url must be an http(s) URL, got " + gateway);
        } else if (Urls.isPlainHttpOffThisMachine(gateway)) {
            problems.add("wechatpay.gateway-url must be https, got " + gateway
                    + ": plain http is accepted only for a sandbox on this machine");
        } else {
            b.baseUrl(gateway);
        }
        set("wechatpay.mchid", w.mchid(), "1 to 32 digits", "\\d{1,32}", b::mchid, problems);
        if (!blank(w.appid())) {
            set(
                    "wechatpay.appid",
                    w.appid(),
                    "wx followed by letters and digits",
                    "wx[0-9A-Za-z]{1,30}",
                    b::appId,
                    problems);
        } else {
            problems.add("wechatpay.appid is required (the appid payments are made for)");
        }
        set(
                "wechatpay.merchant-serial-number",
                w.merchantSerialNumber(),
                "the merchant API certificate's serial number, hex digits",
                "[0-9A-Fa-f]{8,64}",
                b::merchantSerialNumber,
                problems);
        key(
                "wechatpay.private-key",
                w.privateKey(),
                t -> b.merchantPrivateKey(AlipayKeys.toPem(t.privateKey())),
                problems);
        if (!blank(w.apiv3Key())) {
            if (w.apiv3Key().strip().getBytes(StandardCharsets.UTF_8).length != 32
                    || !StandardCharsets.US_ASCII
                            .newEncoder()
                            .canEncode(w.apiv3Key().strip())) {
                problems.add("wechatpay.apiv3-key must be 32 ASCII characters (the APIv3 key set in the merchant "
                        + "platform), got " + w.apiv3Key().strip().length());
            } else {
                b.apiV3Key(w.apiv3Key().strip());
            }
        } else {
            problems.add("wechatpay.apiv3-key is required: it decrypts notifications");
        }
        boolean publicKeyMode = !blank(w.publicKey()) || !blank(w.publicKeyId());
        if (publicKeyMode) {
            if (blank(w.publicKey()) || blank(w.publicKeyId())) {
                problems.add("wechatpay.public-key and wechatpay.public-key-id go together (WeChat Pay public key "
                        + "mode): set both");
            } else if (!w.publicKeyId().strip().startsWith("PUB_KEY_ID_")) {
                problems.add("wechatpay.public-key-id must start with PUB_KEY_ID_, got "
                        + w.publicKeyId().strip());
            } else {
                key(
                        "wechatpay.public-key",
                        w.publicKey(),
                        t -> b.wechatPayPublicKey(
                                AlipayKeys.toPem(t.publicKey()), w.publicKeyId().strip()),
                        problems);
            }
        }
        if (!blank(w.platformCertificates())) {
            for (String one : w.platformCertificates().split(",")) {
                if (!one.isBlank()) {
                    key(
                            "wechatpay.platform-certificates",
                            one,
                            t -> {
                                t.certificate(); // read here, so that a bad file is named
                                b.platformCertificate(t.text());
                            },
                            problems);
                }
            }
        }
        if (blank(w.notifyUrl())) {
            problems.add(
                    "wechatpay.notify-url is required (the address at which WeChat Pay reaches /notify/wechatpay)");
        } else if (!Urls.isHttp(w.notifyUrl()) || w.notifyUrl().contains("?")) {
            problems.add("wechatpay.notify-url must be an http(s) URL without a query, got " + w.notifyUrl());
        }
        if (w.readTimeout() != null) {
            b.readTimeout(w.readTimeout());
        }
        return b;
    }

    private static void set(
            String setting, String value, String what, String pattern, Consumer<String> into, List<String> problems) {
        if (blank(value)) {
            problems.add(setting + " is required (" + what + ")");
        } else if (!value.strip().matches(pattern)) {
            problems.add(setting + " must be " + what + ", got " + value.strip());
        } else {
            into.accept(value.strip());
        }
    }

    /** Reads a key or certificate setting (file or inline; PKCS#1 and bare base64 too) and hands it on as PEM. */
    private static void key(String setting, String value, Consumer<KeyText> into, List<String> problems) {
        if (blank(value)) {
            problems.add(setting + " is required (a file path or the PEM text)");
            return;
        }
        try {
            into.accept(KeyText.read(setting, value));
        } catch (KeyMaterialException | dev.zhifu.wechatpay.crypto.KeyMaterialException e) {
            problems.add(e.getMessage()); // names the setting and the file, never the key
        }
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
