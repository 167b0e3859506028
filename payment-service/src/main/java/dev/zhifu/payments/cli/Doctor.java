package dev.zhifu.payments.cli;

import dev.zhifu.alipay.AlipayClient;
import dev.zhifu.alipay.AlipayConfig;
import dev.zhifu.alipay.AlipayException;
import dev.zhifu.alipay.AlipayGatewayException;
import dev.zhifu.alipay.AlipaySignatureException;
import dev.zhifu.alipay.AlipayTransportException;
import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.crypto.CertChain;
import dev.zhifu.alipay.crypto.CertSn;
import dev.zhifu.alipay.crypto.KeyMaterialException;
import dev.zhifu.alipay.crypto.PemCertificates;
import dev.zhifu.alipay.spring.AlipayProperties;
import dev.zhifu.alipay.spring.KeyText;
import dev.zhifu.alipay.trade.QueryRequest;
import dev.zhifu.payments.alipay.ConfigurationProblems;
import dev.zhifu.payments.alipay.ProductionSettings;
import dev.zhifu.payments.config.PaymentsProperties;
import dev.zhifu.payments.storage.Ids;
import dev.zhifu.payments.wechatpay.WechatPayProductionSettings;
import dev.zhifu.payments.wechatpay.WechatPayProperties;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code doctor}: checks a production configuration without starting the service, and says for each problem
 * what to do. Beyond what start-up checks (every required setting, readable keys): the kind of each key, that
 * the app's keys are a pair, that the Alipay public key is not the app's own (the top cause of 验签失败),
 * certificates (chain to the root, expiry, SNs), the clock against the gateway's, and a real signed call
 * ({@code alipay.trade.query} of an order that does not exist), which proves the gateway is reachable, accepts
 * our signature and answers with one our Alipay key verifies. {@code --offline} skips the network. With
 * {@code wechatpay.mchid} set, the {@code wechatpay.*} settings get start-up's checks (which key belongs where, the
 * merchant certificate against its serial and key, the APIv3 key), one line per problem, and a note on the
 * verification mode (docs/payment-channels.md#settings); WeChat Pay itself is not called.
 */
final class Doctor {

    /** Beyond this, Alipay refuses the request's {@code timestamp}; also what makes notification lag look wrong. */
    static final Duration MAX_SKEW = Duration.ofMinutes(5);

    static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    /** What the doctor found: lines to print (OK and notes) and problems (each one line a person can act on). */
    record Report(List<String> lines, List<String> problems) {
        Report() {
            this(new ArrayList<>(), new ArrayList<>());
        }

        void ok(String line) {
            lines.add("OK    " + line);
        }

        void note(String line) {
            lines.add("NOTE  " + line);
        }

        void problem(String setting, String message) {
            problems.add(setting == null ? message : setting + ": " + message);
        }

        boolean hasProblemFor(String setting) {
            return problems.stream().anyMatch(p -> p.startsWith(setting));
        }
    }

    private final AlipayProperties alipay;
    private final WechatPayProperties wechat;
    private final PaymentsProperties payments;
    private final Clock clock;
    private final boolean offline;
    private final Report report = new Report();
    private PrivateKey appPrivateKey;
    private PublicKey appPublicKey;

    Doctor(AlipayProperties alipay, PaymentsProperties payments, Clock clock, boolean offline) {
        this(alipay, WechatPayProperties.none(), payments, clock, offline);
    }

    Doctor(
            AlipayProperties alipay,
            WechatPayProperties wechat,
            PaymentsProperties payments,
            Clock clock,
            boolean offline) {
        this.alipay = alipay;
        this.wechat = wechat;
        this.payments = payments;
        this.clock = clock;
        this.offline = offline;
    }

    Report check() {
        AlipayConfig config = null;
        List<String> settings = new ArrayList<>();
        try {
            config = ProductionSettings.check(alipay, payments);
        } catch (ConfigurationProblems e) {
            settings.addAll(e.problems());
        }
        privateKey();
        appPublicKeyUploaded();
        if (alipay.certificateMode()) {
            certificates();
        } else {
            alipayPublicKeys();
        }
        // start-up's own findings, unless a finer one above already speaks of the same setting
        for (String p : settings) {
            String setting = p.split("[ :]", 2)[0];
            boolean mistaken = p.contains("应用公钥") && report.hasProblemFor("alipay.alipay-public-key");
            if (!mistaken && !report.hasProblemFor(setting)) {
                report.problems().add(p);
            }
        }
        boolean alipaySound = report.problems().isEmpty();
        wechatPay();
        if (!offline) {
            gatewayClock();
            if (config != null && alipaySound) {
                signedCall(config);
            }
        }
        return report;
    }

    /** {@code wechatpay.*}: start-up's checks when WeChat Pay is on, and the verification mode explained. */
    private void wechatPay() {
        if (!wechat.configured()) {
            String meantToBeOn = WechatPayProductionSettings.offButConfigured(wechat);
            if (meantToBeOn != null) {
                report.problems().add(meantToBeOn);
            }
            return;
        }
        List<String> problems = new ArrayList<>();
        try {
            WechatPayProductionSettings.check(wechat, payments);
        } catch (ConfigurationProblems e) {
            problems.addAll(e.problems());
        }
        report.problems().addAll(problems); // each names its setting already
        if (problems.isEmpty()) {
            report.ok("wechatpay: merchant " + wechat.mchid().strip() + ", appid "
                    + wechat.appid().strip() + ", merchant certificate serial "
                    + wechat.merchantSerialNumber().strip() + ": every setting read");
        }
        if (blank(wechat.merchantCertificate())) {
            report.note("wechatpay.merchant-certificate is not set, so wechatpay.merchant-serial-number and "
                    + "wechatpay.private-key are not checked against each other: set it to apiclient_cert.pem (next to "
                    + "apiclient_key.pem; `openssl x509 -noout -serial -in apiclient_cert.pem` prints its serial)");
        } else if (problems.stream()
                .noneMatch(p -> p.contains("wechatpay.merchant-certificate")
                        || p.startsWith("wechatpay.private-key")
                        || p.startsWith("wechatpay.merchant-serial-number"))) {
            report.ok("wechatpay.merchant-certificate has serial wechatpay.merchant-serial-number and the public key "
                    + "of wechatpay.private-key");
        }
        report.note(WechatPayProductionSettings.modeNote(wechat));
    }

    private void privateKey() {
        String setting = "alipay.app-private-key";
        if (blank(alipay.appPrivateKey())) {
            return; // start-up's message says it is required
        }
        KeyText key = read(setting, alipay.appPrivateKey());
        if (key == null) {
            return;
        }
        if (key.text().contains("PUBLIC KEY") || isPublicKey(key.text())) {
            report.problem(
                    setting,
                    "holds a public key (" + where(key) + "); give the app's PRIVATE key "
                            + "(app_private_key.pem); its public half is what you upload to Alipay's console");
            return;
        }
        if (key.text().contains("BEGIN CERTIFICATE")) {
            report.problem(
                    setting,
                    "holds a certificate (" + where(key) + "); give the app's private key, the "
                            + "certificate belongs in alipay.app-cert");
            return;
        }
        try {
            appPrivateKey = AlipayKeys.privateKey(key.text(), key.source());
            appPublicKey = AlipayKeys.publicKeyOf(appPrivateKey);
            int bits = ((RSAKey) appPrivateKey).getModulus().bitLength();
            if (bits < 2048) {
                report.problem(
                        setting,
                        "is an RSA-" + bits + " key; Alipay requires RSA2 (2048 bits): run "
                                + "`java -jar payment-service.jar keygen DIR` and upload the new public key");
            } else {
                report.ok(setting + ": RSA-" + bits + " private key (" + where(key) + ")");
            }
        } catch (KeyMaterialException e) {
            report.problem(
                    setting,
                    "cannot be read as an RSA private key (" + where(key) + "): expected PEM "
                            + "PKCS#8 (BEGIN PRIVATE KEY), PEM PKCS#1 (BEGIN RSA PRIVATE KEY) or the one-line base64 of "
                            + "Alipay's key tool");
        }
    }

    /** Optional {@code alipay.app-public-key}: the key uploaded to Alipay's console (doctor only). */
    private void appPublicKeyUploaded() {
        String setting = "alipay.app-public-key";
        String value = alipay.appPublicKey();
        if (blank(value) || appPrivateKey == null) {
            return;
        }
        KeyText key = read(setting, value);
        PublicKey uploaded = key == null ? null : publicKey(setting, key);
        if (uploaded == null) {
            return;
        }
        if (!uploaded.equals(appPublicKey)) {
            report.problem(
                    setting,
                    "is not the public half of alipay.app-private-key (" + where(key) + "): the "
                            + "two are not a pair, so Alipay will refuse every request (isv.invalid-signature). Upload the "
                            + "public key of this private key to Alipay's console, or configure the matching private key");
        } else {
            report.ok("alipay.app-private-key and alipay.app-public-key are a pair");
        }
    }

    private void alipayPublicKeys() {
        String setting = "alipay.alipay-public-key";
        for (String one : alipay.alipayPublicKey()) {
            KeyText key = read(setting, one);
            if (key == null) {
                continue;
            }
            if (key.text().contains("PRIVATE KEY")) {
                report.problem(
                        setting,
                        "holds a private key (" + where(key) + "); give the Alipay public key "
                                + "(支付宝公钥) shown in Alipay's console. Never put a private key where a public one goes");
                continue;
            }
            PublicKey parsed = publicKey(setting, key);
            if (parsed == null) {
                continue;
            }
            if (parsed.equals(appPublicKey)) {
                report.problem(
                        setting,
                        "is your APP public key (应用公钥), not the Alipay public key (支付宝公钥) "
                                + "(" + where(key) + "). This is the most common cause of 验签失败: in Alipay's console, "
                                + "copy the key labelled 支付宝公钥 (Alipay public key), not the one you uploaded");
            } else {
                report.ok(setting + ": RSA-" + ((RSAKey) parsed).getModulus().bitLength() + " public key, not the "
                        + "app's own (" + where(key) + ")");
            }
        }
    }

    private void certificates() {
        Instant now = clock.instant();
        X509Certificate appCert = cert("alipay.app-cert", alipay.appCert(), now);
        List<X509Certificate> alipayCerts = new ArrayList<>();
        for (String one : alipay.alipayCert()) {
            alipayCerts.add(cert("alipay.alipay-cert", one, now));
        }
        KeyText root = blank(alipay.alipayRootCert()) ? null : read("alipay.alipay-root-cert", alipay.alipayRootCert());
        if (appCert != null && appPublicKey != null) {
            if (!appCert.getPublicKey().equals(appPublicKey)) {
                report.problem(
                        "alipay.app-cert",
                        "does not hold the public key of alipay.app-private-key: the "
                                + "certificate and the key are not a pair. Download the app certificate (appCertPublicKey_*.crt) "
                                + "issued for this key, or configure the private key it was issued for");
            } else {
                report.ok("alipay.app-cert and alipay.app-private-key are a pair");
            }
        }
        for (X509Certificate alipayCert : alipayCerts) {
            if (alipayCert != null
                    && appPublicKey != null
                    && alipayCert.getPublicKey().equals(appPublicKey)) {
                report.problem(
                        "alipay.alipay-cert",
                        "is your APP certificate, not Alipay's: configure "
                                + "alipayCertPublicKey_RSA2.crt here and appCertPublicKey_*.crt as alipay.app-cert");
            }
        }
        if (root == null) {
            return;
        }
        String rootSn;
        CertChain chain;
        try {
            rootSn = CertSn.ofRootBundle(root.text(), root.source());
            chain = CertChain.ofRootBundle(root.text(), root.source());
        } catch (IllegalArgumentException e) { // KeyMaterialException among them
            report.problem(
                    "alipay.alipay-root-cert",
                    "holds no usable RSA root certificate (" + where(root)
                            + "): configure alipayRootCert.crt as downloaded from Alipay's console");
            return;
        }
        report.ok("alipay_root_cert_sn = " + rootSn);
        // only Alipay's certificate is ours to trust; the app certificate is Alipay's to check (its CA is not in the
        // file)
        for (int i = 0; i < alipayCerts.size(); i++) {
            chains("alipay.alipay-cert", alipay.alipayCert().get(i), alipayCerts.get(i), chain, now);
        }
    }

    private void chains(String setting, String value, X509Certificate leaf, CertChain chain, Instant now) {
        if (leaf == null) {
            return;
        }
        KeyText text = read(setting, value);
        List<X509Certificate> rest = new ArrayList<>(text == null ? List.of() : PemCertificates.all(text.text()));
        rest.removeIf(c -> c.equals(leaf)); // the file's other blocks may hold the intermediate CA
        try {
            chain.verify(leaf, rest, now);
            report.ok(setting + " chains to alipay.alipay-root-cert");
        } catch (GeneralSecurityException broken) {
            if (leaf.getNotAfter().toInstant().isBefore(now)) {
                return; // said already: expired
            }
            report.problem(
                    setting,
                    "does not chain to a root of alipay.alipay-root-cert (" + broken.getMessage()
                            + "): the certificate and the root bundle come from different apps or environments (sandbox vs "
                            + "production), or a file was mixed up; download all three from the same app in Alipay's console");
        }
    }

    private X509Certificate cert(String setting, String value, Instant now) {
        if (blank(value)) {
            return null;
        }
        KeyText text = read(setting, value);
        if (text == null) {
            return null;
        }
        X509Certificate cert;
        try {
            cert = PemCertificates.first(text.text(), text.source());
        } catch (RuntimeException e) {
            report.problem(setting, "is not a PEM certificate (" + where(text) + ")");
            return null;
        }
        String sn = CertSn.of(cert);
        report.ok(setting + ": SN " + sn + ", subject "
                + cert.getSubjectX500Principal().getName() + ", valid until "
                + cert.getNotAfter().toInstant());
        Instant notAfter = cert.getNotAfter().toInstant();
        if (notAfter.isBefore(now)) {
            report.problem(
                    setting,
                    "expired on " + notAfter + " (" + where(text) + "): download the renewed "
                            + "certificate from Alipay's console");
        } else if (cert.getNotBefore().toInstant().isAfter(now)) {
            report.problem(
                    setting,
                    "is not valid before " + cert.getNotBefore().toInstant() + ": check this " + "machine's clock");
        } else if (notAfter.isBefore(now.plus(EXPIRY_WARNING))) {
            report.note(setting + " expires on " + notAfter + ": renew it in Alipay's console soon");
        }
        return cert;
    }

    /** The gateway's HTTP Date header against our clock; any HTTP answer proves the gateway is reachable. */
    private void gatewayClock() {
        String setting = "alipay.gateway-url";
        if (report.hasProblemFor(setting)) {
            return; // refused already (plain http off this machine): nothing is sent to it
        }
        URI gateway;
        try {
            gateway = URI.create(alipay.gatewayUrl().strip());
        } catch (IllegalArgumentException e) {
            return; // start-up's message covers it
        }
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<Void> answer;
        try {
            answer = http.send(
                    HttpRequest.newBuilder(gateway)
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            report.problem(
                    setting,
                    "cannot reach " + gateway.getHost() + " (" + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage())
                            + "): check DNS, firewall and proxy "
                            + "settings of this machine");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        report.ok(setting + ": reachable (HTTP " + answer.statusCode() + ")");
        String date = answer.headers().firstValue("Date").orElse(null);
        if (date == null) {
            report.note("the gateway sent no Date header: clock skew not checked");
            return;
        }
        Instant theirs;
        try {
            theirs = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
        } catch (RuntimeException e) {
            report.note("the gateway's Date header is unreadable (" + date + "): clock skew not checked");
            return;
        }
        Duration skew = Duration.between(theirs, clock.instant());
        String says =
                Math.abs(skew.toSeconds()) + " s " + (skew.isNegative() ? "behind" : "ahead of") + " the gateway's";
        if (skew.abs().compareTo(MAX_SKEW) > 0) {
            report.problem(
                    "clock",
                    "this machine's clock is " + says + ": Alipay refuses requests whose timestamp is "
                            + "that far off; synchronise the clock (NTP) and run doctor again");
        } else {
            report.ok("clock: " + says + " (within " + MAX_SKEW.toMinutes() + " min)");
        }
    }

    /** A real, harmless signed call: the query of an order that cannot exist. */
    private void signedCall(AlipayConfig config) {
        String probe = "doctor-" + Ids.random(12);
        try {
            new AlipayClient(config).execute(QueryRequest.byOutTradeNo(probe));
            report.ok("Alipay accepted a signed request and its answer verified");
        } catch (AlipayGatewayException e) {
            String sub = e.subCode() == null ? "" : e.subCode();
            if ("ACQ.TRADE_NOT_EXIST".equals(sub)) {
                report.ok("Alipay accepted a signed request (query of " + probe + ": ACQ.TRADE_NOT_EXIST, as expected) "
                        + "and its answer verified with the configured Alipay key");
            } else if (sub.startsWith("isv.invalid-signature")) {
                report.problem(
                        "alipay.app-private-key",
                        "Alipay refused our signature (" + sub + "): the app public "
                                + "key uploaded to Alipay's console (应用公钥) is not the pair of this private key. Upload the "
                                + "public key of alipay.app-private-key (keygen writes it as app_public_key.txt)");
            } else if (sub.startsWith("isv.invalid-app-id") || sub.startsWith("isv.app-unbind")) {
                report.problem(
                        "alipay.app-id",
                        config.appId() + " is not known to "
                                + config.gatewayUrl().getHost() + " (" + sub
                                + "): check the app id, and that sandbox apps use the sandbox gateway");
            } else if (e.isResultUnknown()) {
                report.note("Alipay answered " + e.code() + " " + sub + " (a passing error): run doctor again later");
            } else {
                report.problem(
                        "alipay",
                        "Alipay refused the test query: " + e.code() + " " + sub
                                + (e.subMsg() == null ? "" : " (" + e.subMsg() + ")"));
            }
        } catch (AlipaySignatureException e) {
            report.problem(
                    "alipay.alipay-public-key",
                    "Alipay's answer does not verify with the configured Alipay "
                            + "key (" + e.getMessage() + "): configure the Alipay public key (支付宝公钥) of this app from "
                            + "Alipay's console (or, in certificate mode, its current alipayCertPublicKey_RSA2.crt)");
        } catch (AlipayTransportException e) {
            report.problem("alipay.gateway-url", "the signed test call failed: " + e.getMessage());
        } catch (AlipayException e) {
            report.problem("alipay", "the signed test call failed: " + e.getMessage());
        }
    }

    private KeyText read(String setting, String value) {
        try {
            return KeyText.read(setting, value);
        } catch (KeyMaterialException e) {
            report.problems().add(e.getMessage());
            return null;
        }
    }

    private PublicKey publicKey(String setting, KeyText key) {
        try {
            return AlipayKeys.publicKey(key.text(), key.source());
        } catch (IllegalArgumentException e) { // KeyMaterialException among them
            report.problem(
                    setting,
                    "cannot be read as an RSA public key (" + where(key) + "): expected PEM "
                            + "(BEGIN PUBLIC KEY) or the one-line base64 shown in Alipay's console");
            return null;
        }
    }

    private static boolean isPublicKey(String text) {
        if (text.contains("PRIVATE KEY")) {
            return false;
        }
        try {
            AlipayKeys.publicKey(text, "probe");
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String where(KeyText key) {
        return key.file() == null ? "inline" : "file " + key.file().toAbsolutePath();
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
