package dev.zhifu.payments.wechatpay;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.crypto.KeyMaterialException;
import dev.zhifu.alipay.spring.KeyText;
import dev.zhifu.payments.alipay.ConfigurationProblems;
import dev.zhifu.payments.alipay.DemoKeys;
import dev.zhifu.payments.alipay.Urls;
import dev.zhifu.payments.config.PaymentsProperties;
import dev.zhifu.wechatpay.WechatPayConfig;
import dev.zhifu.wechatpay.crypto.PemKeys;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Production's {@code wechatpay.*} (docs/payment-channels.md#settings): every setting the chosen verification mode
 * needs, read and checked, every problem reported at once, each naming its setting (and its file) and never quoting
 * a key. Beyond the shape of each setting: which key belongs where (the merchant's private key, WeChat Pay's public
 * key, platform certificates, the merchant certificate), the merchant certificate against the serial number and the
 * private key when it is given, and never the demo's keys. {@code doctor} runs the same checks.
 */
public final class WechatPayProductionSettings {

    /** Where each file comes from, for the messages (docs/payment-channels.md#settings). */
    static final String PRIVATE_KEY_FROM =
            "apiclient_key.pem, written by WeChat Pay's certificate tool when the merchant API certificate was applied for";

    static final String CERTIFICATE_FROM = "apiclient_cert.pem, next to apiclient_key.pem";
    static final String SERIAL_FROM = "`openssl x509 -noout -serial -in apiclient_cert.pem` prints it after serial=";
    static final String PUBLIC_KEY_FROM =
            "pub_key.pem, downloaded from the merchant platform with its id PUB_KEY_ID_… (API安全, 微信支付公钥)";
    static final String APIV3_KEY_FROM = "the APIv3 key set in the merchant platform (API安全, APIv3密钥)";

    private static final String PUBLIC_KEY_ID = "PUB_KEY_ID_[0-9A-Za-z_]{1,64}";

    /** How WeChat Pay's answers are verified. */
    public enum Mode {
        /** {@code wechatpay.public-key} and its id. */
        PUBLIC_KEY,
        /** {@code wechatpay.platform-certificates}. */
        PLATFORM_CERTIFICATES,
        /** Both: the switch-over from platform certificates to the public key. */
        BOTH,
        /** Neither: platform certificates downloaded with the APIv3 key. */
        DOWNLOADED_CERTIFICATES
    }

    private WechatPayProductionSettings() {}

    /** The checked client configuration; throws {@link ConfigurationProblems} listing everything that is wrong. */
    public static WechatPayConfig check(WechatPayProperties wechat, PaymentsProperties payments) {
        List<String> problems = new ArrayList<>();
        WechatPayConfig.Builder builder = builder(wechat, payments, problems);
        if (!problems.isEmpty()) {
            throw new ConfigurationProblems(problems);
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) { // the client's messages name no key material
            throw new ConfigurationProblems(List.of("wechatpay: " + e.getMessage()));
        }
    }

    /**
     * Production without {@code wechatpay.mchid}: WeChat Pay is off, which is fine unless other {@code wechatpay.*}
     * settings say it was meant to be on. Null when nothing is wrong.
     */
    public static String offButConfigured(WechatPayProperties w) {
        if (w.configured()) {
            return null;
        }
        List<String> set = new ArrayList<>();
        addIfSet(set, "wechatpay.appid", w.appid());
        addIfSet(set, "wechatpay.merchant-serial-number", w.merchantSerialNumber());
        addIfSet(set, "wechatpay.private-key", w.privateKey());
        addIfSet(set, "wechatpay.apiv3-key", w.apiv3Key());
        addIfSet(set, "wechatpay.public-key", w.publicKey());
        addIfSet(set, "wechatpay.notify-url", w.notifyUrl());
        return set.isEmpty()
                ? null
                : "wechatpay.mchid is not set, so WeChat Pay is off, yet " + String.join(", ", set)
                        + (set.size() == 1 ? " is" : " are") + " set: set wechatpay.mchid (the merchant number) to "
                        + "turn WeChat Pay on, or remove the other wechatpay.* settings";
    }

    private static void addIfSet(List<String> into, String setting, String value) {
        if (!blank(value)) {
            into.add(setting);
        }
    }

    /** Which verification mode the settings choose. */
    public static Mode mode(WechatPayProperties w) {
        boolean publicKey = !blank(w.publicKey()) || !blank(w.publicKeyId());
        boolean certificates = !blank(w.platformCertificates());
        return publicKey && certificates
                ? Mode.BOTH
                : publicKey
                        ? Mode.PUBLIC_KEY
                        : certificates ? Mode.PLATFORM_CERTIFICATES : Mode.DOWNLOADED_CERTIFICATES;
    }

    /** The verification mode explained, for {@code doctor}. */
    public static String modeNote(WechatPayProperties w) {
        return switch (mode(w)) {
            case PUBLIC_KEY ->
                "wechatpay: WeChat Pay public key mode: answers and notifications are verified with "
                        + "wechatpay.public-key (" + PUBLIC_KEY_FROM + "); no platform certificate is used";
            case PLATFORM_CERTIFICATES ->
                "wechatpay: platform certificate mode: answers are verified with the certificates of "
                        + "wechatpay.platform-certificates, and none is downloaded; when WeChat Pay rotates them, "
                        + "configure the new ones (or unset the setting to download them with the APIv3 key)";
            case BOTH ->
                "wechatpay: both wechatpay.public-key and wechatpay.platform-certificates are set: each answer is "
                        + "verified with the one its Wechatpay-Serial header names (PUB_KEY_ID_… or a certificate "
                        + "serial), as during the switch-over from certificates to the public key; once WeChat Pay "
                        + "signs with the public key only, wechatpay.platform-certificates can go";
            case DOWNLOADED_CERTIFICATES ->
                "wechatpay: neither wechatpay.public-key nor wechatpay.platform-certificates is set: platform "
                        + "certificates are downloaded from WeChat Pay and decrypted with wechatpay.apiv3-key (valid "
                        + "for a merchant that has platform certificates); a merchant given a WeChat Pay public key "
                        + "sets wechatpay.public-key and wechatpay.public-key-id instead (" + PUBLIC_KEY_FROM + ")";
        };
    }

    /** Reads every {@code wechatpay.*} setting into a builder, adding one line to {@code problems} per fault. */
    public static WechatPayConfig.Builder builder(
            WechatPayProperties w, PaymentsProperties payments, List<String> problems) {
        WechatPayConfig.Builder b = WechatPayConfig.builder();
        DemoKeys demo =
                payments == null || payments.dataDir() == null ? null : DemoKeys.findExisting(payments.dataDir());
        String gateway = blank(w.gatewayUrl())
                ? WechatPayConfig.PRODUCTION_URL
                : w.gatewayUrl().strip();
        if (!Urls.isHttp(gateway)) {
            problems.add("wechatpay.gateway-url must be an http(s) URL, got " + shown(gateway));
        } else if (Urls.isPlainHttpOffThisMachine(gateway)) {
            problems.add("wechatpay.gateway-url must be https, got " + shown(gateway)
                    + ": plain http is accepted only for a sandbox on this machine (localhost, 127.x.x.x or [::1])");
        } else {
            b.baseUrl(gateway);
        }
        set("wechatpay.mchid", w.mchid(), "the merchant number (商户号), 1 to 32 digits", "\\d{1,32}", b::mchid, problems);
        if (!blank(w.appid())) {
            set(
                    "wechatpay.appid",
                    w.appid(),
                    "the appid payments are made for, wx followed by letters and digits",
                    "wx[0-9A-Za-z]{1,30}",
                    b::appId,
                    problems);
        } else {
            problems.add("wechatpay.appid is required (the appid payments are made for)");
        }
        String serial = serial(w.merchantSerialNumber(), b, problems);
        PublicKey merchantPublicKey = merchantPrivateKey(w.privateKey(), b, demo, problems);
        merchantCertificate(w.merchantCertificate(), serial, merchantPublicKey, demo, problems);
        apiV3Key(w.apiv3Key(), b, demo, problems);
        if (!blank(w.publicKey()) || !blank(w.publicKeyId())) {
            publicKey(w, b, merchantPublicKey, demo, problems);
        }
        if (!blank(w.platformCertificates())) {
            for (String one : w.platformCertificates().split(",")) {
                if (!one.isBlank()) {
                    platformCertificate(one, b, serial, merchantPublicKey, demo, problems);
                }
            }
        }
        if (blank(w.notifyUrl())) {
            problems.add(
                    "wechatpay.notify-url is required (the https address at which WeChat Pay reaches /notify/wechatpay)");
        } else if (!Urls.isHttp(w.notifyUrl()) || w.notifyUrl().contains("?")) {
            problems.add("wechatpay.notify-url must be an https URL without a query, got " + shown(w.notifyUrl()));
        } else if (Urls.isPlainHttpOffThisMachine(w.notifyUrl())) {
            problems.add("wechatpay.notify-url must be https, got " + shown(w.notifyUrl())
                    + ": WeChat Pay calls https notify URLs only (plain http is accepted only on this machine, "
                    + "for a sandbox)");
        }
        if (w.readTimeout() != null) {
            if (w.readTimeout().isNegative() || w.readTimeout().isZero()) {
                problems.add("wechatpay.read-timeout must be positive, got " + w.readTimeout());
            } else {
                b.readTimeout(w.readTimeout());
            }
        }
        return b;
    }

    /** The serial, as WeChat Pay writes it (upper case, no leading zeros), or null when it is wrong. */
    private static String serial(String value, WechatPayConfig.Builder b, List<String> problems) {
        String setting = "wechatpay.merchant-serial-number";
        if (blank(value)) {
            problems.add(setting + " is required (the merchant API certificate's serial number: " + SERIAL_FROM + ")");
            return null;
        }
        String v = value.strip();
        if (v.toLowerCase(Locale.ROOT).startsWith("serial=")) {
            problems.add(setting + " must be the hex digits alone, without openssl's \"serial=\" before them");
            return null;
        }
        if (v.contains(":")) {
            problems.add(setting + " must be the hex digits alone, without colons (" + SERIAL_FROM + ")");
            return null;
        }
        if (!v.matches("[0-9A-Fa-f]{8,64}")) {
            problems.add(setting + " must be the merchant API certificate's serial number in hex digits, got "
                    + shown(v) + " (" + SERIAL_FROM + ")");
            return null;
        }
        b.merchantSerialNumber(v);
        return normalSerial(v);
    }

    /** Reads {@code wechatpay.private-key}; the public half of the key, or null when it is wrong. */
    private static PublicKey merchantPrivateKey(
            String value, WechatPayConfig.Builder b, DemoKeys demo, List<String> problems) {
        String setting = "wechatpay.private-key";
        if (blank(value)) {
            problems.add(setting + " is required: the merchant API private key, " + PRIVATE_KEY_FROM);
            return null;
        }
        KeyText key = read(setting, value, problems);
        if (key == null) {
            return null;
        }
        switch (kind(key.text())) {
            case PUBLIC -> {
                problems.add(key.source() + " holds a public key: give the merchant's PRIVATE key, " + PRIVATE_KEY_FROM
                        + " (WeChat Pay's public key pub_key.pem belongs in wechatpay.public-key)");
                return null;
            }
            case CERTIFICATE -> {
                problems.add(key.source() + " holds a certificate: that is " + CERTIFICATE_FROM
                        + ", which belongs in wechatpay.merchant-certificate; wechatpay.private-key is "
                        + PRIVATE_KEY_FROM);
                return null;
            }
            default -> {}
        }
        PrivateKey privateKey;
        try {
            privateKey = key.privateKey();
        } catch (KeyMaterialException e) {
            problems.add(e.getMessage() + " (expected " + PRIVATE_KEY_FROM + ")"); // names setting and file only
            return null;
        }
        if (tooShort(key, privateKey, problems)) {
            return null;
        }
        if (demo != null && (demo.wechatMerchantPrivateKey().equals(privateKey) || inDemoDir(key, demo))) {
            problems.add(key.source() + " is the demo's generated merchant key; production needs the merchant's "
                    + "real key, " + PRIVATE_KEY_FROM);
            return null;
        }
        b.merchantPrivateKey(AlipayKeys.toPem(privateKey));
        return AlipayKeys.publicKeyOf(privateKey);
    }

    /** Optional {@code wechatpay.merchant-certificate}: the certificate of the serial and the private key. */
    private static void merchantCertificate(
            String value, String serial, PublicKey merchantPublicKey, DemoKeys demo, List<String> problems) {
        String setting = "wechatpay.merchant-certificate";
        if (blank(value)) {
            return;
        }
        KeyText text = read(setting, value, problems);
        if (text == null) {
            return;
        }
        switch (kind(text.text())) {
            case PRIVATE -> {
                problems.add(text.source() + " holds a private key: wechatpay.merchant-certificate is "
                        + CERTIFICATE_FROM + "; the key (" + PRIVATE_KEY_FROM + ") belongs in wechatpay.private-key");
                return;
            }
            case PUBLIC -> {
                problems.add(text.source() + " holds a public key, not a certificate: give " + CERTIFICATE_FROM);
                return;
            }
            default -> {}
        }
        X509Certificate certificate = certificate(text, problems);
        if (certificate == null) {
            return;
        }
        if (demo != null && inDemoDir(text, demo)) {
            problems.add(text.source() + " is in the demo's key directory; production needs " + CERTIFICATE_FROM);
            return;
        }
        String itsSerial = PemKeys.serialNumber(certificate);
        if (serial != null && !serial.equals(itsSerial)) {
            problems.add("wechatpay.merchant-serial-number is " + serial + " but " + text.source() + " has serial "
                    + itsSerial + ": requests would name a certificate other than the key's; set the serial of "
                    + "apiclient_cert.pem (" + SERIAL_FROM + "), or configure the certificate of this serial");
        }
        if (merchantPublicKey != null && !merchantPublicKey.equals(certificate.getPublicKey())) {
            problems.add("wechatpay.private-key and " + text.source() + " are not a pair: the certificate holds "
                    + "another public key, so WeChat Pay would refuse every signed request; configure apiclient_key.pem "
                    + "and apiclient_cert.pem of the same merchant API certificate");
        }
    }

    private static void apiV3Key(String value, WechatPayConfig.Builder b, DemoKeys demo, List<String> problems) {
        String setting = "wechatpay.apiv3-key";
        if (blank(value)) {
            problems.add(setting + " is required: it decrypts notifications; it is " + APIV3_KEY_FROM);
            return;
        }
        String v = value.strip();
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(v)) {
            problems.add(setting + " must be 32 ASCII characters (" + APIV3_KEY_FROM
                    + "); the value has characters outside ASCII");
        } else if (v.length() != 32) {
            problems.add(setting + " must be exactly 32 ASCII characters (" + APIV3_KEY_FROM + "); the value has "
                    + v.length() + (v.contains("-----") ? " and looks like a key file's text" : ""));
        } else if (demo != null && v.equals(demo.wechatApiV3Key())) {
            problems.add(setting + " is the demo's generated APIv3 key; production needs " + APIV3_KEY_FROM);
        } else {
            b.apiV3Key(v);
        }
    }

    /** WeChat Pay public key mode: {@code wechatpay.public-key} and {@code wechatpay.public-key-id}. */
    private static void publicKey(
            WechatPayProperties w,
            WechatPayConfig.Builder b,
            PublicKey merchantPublicKey,
            DemoKeys demo,
            List<String> problems) {
        String setting = "wechatpay.public-key";
        boolean idOk = false;
        if (blank(w.publicKeyId())) {
            problems.add("wechatpay.public-key-id is required with wechatpay.public-key (WeChat Pay public key mode): "
                    + "the PUB_KEY_ID_… shown next to the key in the merchant platform");
        } else if (!w.publicKeyId().strip().matches(PUBLIC_KEY_ID)) {
            problems.add("wechatpay.public-key-id must be the id PUB_KEY_ID_… shown next to WeChat Pay's public key "
                    + "in the merchant platform, got " + shown(w.publicKeyId()));
        } else {
            idOk = true;
        }
        if (blank(w.publicKey())) {
            problems.add(setting + " is required with wechatpay.public-key-id (WeChat Pay public key mode): "
                    + PUBLIC_KEY_FROM);
            return;
        }
        KeyText key = read(setting, w.publicKey(), problems);
        if (key == null) {
            return;
        }
        switch (kind(key.text())) {
            case PRIVATE -> {
                problems.add(key.source() + " holds a private key: wechatpay.public-key is WeChat Pay's public key, "
                        + PUBLIC_KEY_FROM + "; the merchant's private key (" + PRIVATE_KEY_FROM
                        + ") belongs in wechatpay.private-key and nowhere else");
                return;
            }
            case CERTIFICATE -> {
                problems.add(key.source() + " holds a certificate: platform certificates belong in "
                        + "wechatpay.platform-certificates (platform certificate mode), the merchant's own in "
                        + "wechatpay.merchant-certificate; wechatpay.public-key is " + PUBLIC_KEY_FROM);
                return;
            }
            default -> {}
        }
        PublicKey publicKey;
        try {
            publicKey = key.publicKey();
        } catch (KeyMaterialException e) {
            problems.add(e.getMessage() + " (expected " + PUBLIC_KEY_FROM + ")");
            return;
        }
        if (tooShort(key, publicKey, problems)) {
            return;
        }
        if (publicKey.equals(merchantPublicKey)) {
            problems.add(key.source() + " is the public key of your own merchant key (wechatpay.private-key), not "
                    + "WeChat Pay's: WeChat Pay's answers would never verify; give " + PUBLIC_KEY_FROM);
            return;
        }
        if (demo != null
                && (publicKey.equals(AlipayKeys.publicKeyOf(demo.wechatPlatformPrivateKey()))
                        || inDemoDir(key, demo))) {
            problems.add(key.source() + " is the demo sandbox's WeChat Pay key; production needs " + PUBLIC_KEY_FROM);
            return;
        }
        if (idOk) {
            b.wechatPayPublicKey(AlipayKeys.toPem(publicKey), w.publicKeyId().strip());
        }
    }

    /** One file of {@code wechatpay.platform-certificates}. */
    private static void platformCertificate(
            String value,
            WechatPayConfig.Builder b,
            String merchantSerial,
            PublicKey merchantPublicKey,
            DemoKeys demo,
            List<String> problems) {
        String setting = "wechatpay.platform-certificates";
        KeyText text = read(setting, value, problems);
        if (text == null) {
            return;
        }
        switch (kind(text.text())) {
            case PRIVATE -> {
                problems.add(text.source() + " holds a private key: wechatpay.platform-certificates are WeChat Pay's "
                        + "platform certificates (wechatpay_*.pem); the merchant's private key belongs in "
                        + "wechatpay.private-key and nowhere else");
                return;
            }
            case PUBLIC -> {
                problems.add(text.source() + " holds a public key, not a certificate: WeChat Pay's public key ("
                        + PUBLIC_KEY_FROM + ") belongs in wechatpay.public-key, with wechatpay.public-key-id "
                        + "(public key mode)");
                return;
            }
            default -> {}
        }
        X509Certificate certificate = certificate(text, problems);
        if (certificate == null) {
            return;
        }
        if (certificate.getPublicKey().equals(merchantPublicKey)
                || PemKeys.serialNumber(certificate).equals(merchantSerial)) {
            problems.add(text.source() + " is your merchant certificate (apiclient_cert.pem), not a WeChat Pay "
                    + "platform certificate: it belongs in wechatpay.merchant-certificate");
            return;
        }
        if (demo != null
                && (certificate.getPublicKey().equals(AlipayKeys.publicKeyOf(demo.wechatPlatformPrivateKey()))
                        || inDemoDir(text, demo))) {
            problems.add(text.source() + " is the demo sandbox's WeChat Pay certificate; production needs WeChat "
                    + "Pay's platform certificates");
            return;
        }
        b.platformCertificate(text.text());
    }

    private static X509Certificate certificate(KeyText text, List<String> problems) {
        X509Certificate certificate;
        try {
            certificate = text.certificate();
        } catch (RuntimeException notPem) { // KeyMaterialException among them; bare base64 is read below
            try {
                certificate = PemKeys.certificate(text.text());
            } catch (RuntimeException notCertificate) {
                problems.add(text.source() + " is not an X.509 certificate (PEM, BEGIN CERTIFICATE)");
                return null;
            }
        }
        return tooShort(text, certificate.getPublicKey(), problems) ? null : certificate;
    }

    /** WeChat Pay's keys are RSA 2048 (docs/wechatpay-protocol.md#s2); said here with the setting's name. */
    private static boolean tooShort(KeyText key, java.security.Key k, List<String> problems) {
        if (!(k instanceof java.security.interfaces.RSAKey rsa)) {
            problems.add(key.source() + " holds a " + k.getAlgorithm() + " key; WeChat Pay's keys are RSA");
            return true;
        }
        int bits = rsa.getModulus().bitLength();
        if (bits < 2048) {
            problems.add(key.source() + " holds an RSA-" + bits + " key; WeChat Pay's keys are RSA 2048 bits");
            return true;
        }
        return false;
    }

    enum Kind {
        PRIVATE,
        PUBLIC,
        CERTIFICATE,
        UNKNOWN
    }

    /** What a key setting's text holds, by its PEM armour, or for bare base64 by what it parses as. */
    static Kind kind(String text) {
        if (text.contains("BEGIN CERTIFICATE")) {
            return Kind.CERTIFICATE;
        }
        if (text.contains("PRIVATE KEY")) {
            return Kind.PRIVATE;
        }
        if (text.contains("PUBLIC KEY")) {
            return Kind.PUBLIC;
        }
        if (text.contains("-----BEGIN")) {
            return Kind.UNKNOWN;
        }
        try {
            AlipayKeys.privateKey(text, "probe");
            return Kind.PRIVATE;
        } catch (RuntimeException notPrivate) {
            // next
        }
        try {
            AlipayKeys.publicKey(text, "probe");
            return Kind.PUBLIC;
        } catch (RuntimeException notPublic) {
            // next
        }
        try {
            PemKeys.certificate(text);
            return Kind.CERTIFICATE;
        } catch (RuntimeException notCertificate) {
            return Kind.UNKNOWN;
        }
    }

    private static KeyText read(String setting, String value, List<String> problems) {
        try {
            return KeyText.read(setting, value);
        } catch (KeyMaterialException e) {
            problems.add(e.getMessage()); // names the setting and the file, never the key
            return null;
        }
    }

    private static boolean inDemoDir(KeyText key, DemoKeys demo) {
        return key.file() != null
                && key.file()
                        .toAbsolutePath()
                        .normalize()
                        .startsWith(demo.dir().toAbsolutePath().normalize());
    }

    /** Upper case without leading zeros, as {@link PemKeys#serialNumber} writes a certificate's. */
    static String normalSerial(String hex) {
        String s = hex.strip().toUpperCase(Locale.ROOT).replaceFirst("^0+(?=.)", "");
        return s;
    }

    private static void set(
            String setting, String value, String what, String pattern, Consumer<String> into, List<String> problems) {
        if (blank(value)) {
            problems.add(setting + " is required (" + what + ")");
        } else if (!value.strip().matches(pattern)) {
            problems.add(setting + " must be " + what + ", got " + shown(value));
        } else {
            into.accept(value.strip());
        }
    }

    /** A setting's value for a message: short identifiers as they are, anything that might be key text not. */
    static String shown(String value) {
        String v = value.strip();
        return v.length() <= 100 && !v.contains("-----") && !v.matches("(?s).*[A-Za-z0-9+/=]{60,}.*")
                ? v
                : "a value of " + v.length() + " characters (not shown)";
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
