package dev.zhifu.sandbox;

import dev.zhifu.alipay.crypto.AesContent;
import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.sandbox.bill.TradeBills;
import dev.zhifu.sandbox.cashier.Cashier;
import dev.zhifu.sandbox.cert.SandboxCertificates;
import dev.zhifu.sandbox.control.ControlApi;
import dev.zhifu.sandbox.control.SandboxControlClient;
import dev.zhifu.sandbox.faults.FaultPlan;
import dev.zhifu.sandbox.gateway.AlipaySigning;
import dev.zhifu.sandbox.gateway.ApiResult;
import dev.zhifu.sandbox.gateway.BizContent;
import dev.zhifu.sandbox.gateway.Gateway;
import dev.zhifu.sandbox.gateway.GatewayCall;
import dev.zhifu.sandbox.http.JdkHttpServerAdapter;
import dev.zhifu.sandbox.http.SandboxHandler;
import dev.zhifu.sandbox.http.SandboxRequest;
import dev.zhifu.sandbox.http.SandboxResponse;
import dev.zhifu.sandbox.notify.NotificationCenter;
import dev.zhifu.sandbox.notify.ReorderHold;
import dev.zhifu.sandbox.state.StateFile;
import dev.zhifu.sandbox.time.ExecutorScheduler;
import dev.zhifu.sandbox.time.Scheduler;
import dev.zhifu.sandbox.trade.TradeDesk;
import dev.zhifu.sandbox.trade.TradeJournal;
import dev.zhifu.sandbox.wechat.WechatControl;
import dev.zhifu.sandbox.wechat.WechatPay;
import dev.zhifu.sandbox.wechat.WechatPayAccount;
import dev.zhifu.sandbox.wechat.WechatPaySettings;
import dev.zhifu.sandbox.wechat.pay.WechatJournal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An offline Alipay gateway: {@code /gateway.do} with Alipay's signatures, codes and trade rules, a cashier
 * page, notifications, bills and a control API for tests.
 *
 * <pre>{@code
 * try (AlipaySandbox sandbox = AlipaySandbox.builder().build().start()) {
 *     AlipayClient client = new DefaultAlipayClient(sandbox.gatewayUrl(), sandbox.appId(),
 *             sandbox.appPrivateKeyBase64(), "json", "UTF-8", sandbox.alipayPublicKeyBase64(), "RSA2");
 * }
 * }</pre>
 *
 * Without {@link #start()} the sandbox serves nothing by itself; hand {@link #handler()} to a
 * {@link dev.zhifu.sandbox.http.SandboxServlet} to mount it in a servlet container.
 */
public final class AlipaySandbox implements AutoCloseable {

    public static final String DEFAULT_APP_ID = "2021000000000001";
    public static final String DEFAULT_SELLER_ID = "2088000000000001";

    private final Settings settings;
    private final PrivateKey appPrivateKey;
    private final PublicKey appPublicKey;
    private final String aesKey;
    private final Scheduler scheduler;
    private final boolean ownScheduler;
    private final FaultPlan faults = new FaultPlan();
    private final AlipaySigning signing;
    private final SandboxCertificates certificates;
    private final TradeDesk desk;
    /** Where the trades outlive this process; null: in memory only. */
    private final TradeJournal journal;
    /** Where WeChat Pay's orders outlive this process, in the same file; null: in memory only. */
    private final WechatJournal wechatJournal;

    private final NotificationCenter notifications;
    private final Gateway gateway;
    private final Cashier cashier;
    private final TradeBills bills;
    private final ControlApi control;
    private final WechatPay wechat;
    private final WechatControl wechatControl;
    private JdkHttpServerAdapter server;

    private record Settings(
            String host,
            int port,
            String appId,
            String sellerId,
            String sellerName,
            double timeScale,
            Clock clock,
            String basePath,
            Duration userPayingDelay) {}

    private AlipaySandbox(Builder b) {
        this.settings = new Settings(
                b.host,
                b.port,
                b.appId,
                b.sellerId,
                b.sellerName == null ? "沙箱商户 " + b.sellerId : b.sellerName,
                b.timeScale,
                b.clock,
                b.basePath,
                b.userPayingDelay);
        if (b.appPublicKey == null) { // a ready-made app key pair so a test can sign without any set-up
            KeyPair pair = AlipayKeys.generateRsa2048();
            this.appPrivateKey = pair.getPrivate();
            this.appPublicKey = pair.getPublic();
        } else {
            this.appPrivateKey = null;
            this.appPublicKey = b.appPublicKey;
        }
        PrivateKey alipayKey = b.alipayPrivateKey != null
                ? b.alipayPrivateKey
                : AlipayKeys.generateRsa2048().getPrivate();
        this.aesKey = b.aesKey != null ? b.aesKey : randomAesKey();
        this.scheduler = b.scheduler != null ? b.scheduler : new ExecutorScheduler(2);
        this.ownScheduler = b.scheduler == null;
        this.signing = new AlipaySigning(alipayKey, faults);
        this.certificates =
                new SandboxCertificates(signing.publicKey(), appPublicKey, b.appId, b.sellerId, b.appCertificate);
        // one reorder hold for both gateways: a reorder_notifications group may mix their notifications
        ReorderHold reorder = new ReorderHold(faults, scheduler);
        this.notifications = new NotificationCenter(
                b.clock, scheduler, signing, faults, b.timeScale, "sandbox-" + b.sellerId + "@example.com", reorder);
        this.desk = new TradeDesk(b.clock, scheduler, notifications, b.sellerId, b.userPayingDelay);
        StateFile state = b.stateFile == null ? null : new StateFile(b.stateFile);
        this.journal = state == null ? null : new TradeJournal(state);
        this.wechatJournal = state == null ? null : new WechatJournal(state);
        if (journal != null) {
            desk.restore(journal.load());
        }
        this.cashier = new Cashier(desk, signing, b.clock, settings.sellerName());
        this.bills = new TradeBills(desk, b.clock, b.sellerId);
        this.gateway = new Gateway(
                b.appId,
                appPublicKey,
                certificates,
                signing,
                new AesContent(aesKey, "sandbox AES key"),
                faults,
                b.basePath,
                new Apis());
        cashier.attach(gateway);
        this.wechat = new WechatPay(
                WechatPaySettings.resolve(
                        b.wechatMchid,
                        b.wechatAppid,
                        b.wechatMerchantPublicKey,
                        b.wechatMerchantSerial,
                        b.wechatApiV3Key,
                        b.wechatPublicKeyId,
                        b.wechatPrivateKey),
                b.clock,
                scheduler,
                faults,
                b.timeScale,
                b.basePath,
                reorder);
        if (wechatJournal != null) {
            wechat.book().restore(wechatJournal.load());
        }
        this.wechatControl = new WechatControl(wechat);
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("app_id", b.appId);
        keys.put("seller_id", b.sellerId);
        keys.put("alipay_public_key", AlipayKeys.toBase64(signing.publicKey()));
        keys.put("app_public_key", AlipayKeys.toBase64(appPublicKey));
        if (appPrivateKey != null) { // generated here, so handing it out leaks nothing real
            keys.put("app_private_key", AlipayKeys.toBase64(appPrivateKey));
        }
        keys.put("aes_key", aesKey);
        putWechatKeys(keys);
        this.control = new ControlApi(desk, notifications, faults, certificates, keys);
    }

    /** The WeChat Pay side's ids and keys for {@code GET /sandbox/keys}, for clients that are not in Java. */
    private void putWechatKeys(Map<String, String> keys) {
        WechatPaySettings s = wechat.settings();
        keys.put("wechat_mchid", s.mchid());
        keys.put("wechat_appid", s.appid());
        keys.put("wechat_merchant_serial", s.merchantSerial());
        if (s.merchantPrivateKey() != null) { // generated here, so handing it out leaks nothing real
            keys.put("wechat_merchant_private_key", AlipayKeys.toBase64(s.merchantPrivateKey()));
        }
        keys.put("wechat_apiv3_key", s.apiV3Key());
        keys.put("wechat_public_key_id", s.publicKeyId());
        keys.put("wechat_public_key", AlipayKeys.toBase64(wechat.signer().publicKey()));
        keys.put("wechat_certificate_serial", wechat.signer().certificateSerial());
    }

    private static String randomAesKey() {
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    public static Builder builder() {
        return new Builder();
    }

    private boolean backgroundStarted;

    /** Binds the JDK HTTP server on the configured host and port (0 = any free port). */
    public synchronized AlipaySandbox start() {
        if (server == null) {
            try {
                server = JdkHttpServerAdapter.start(settings.host(), settings.port(), handler());
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "alipay-sandbox cannot listen on " + settings.host() + ":" + settings.port(), e);
            }
            startBackgroundWork();
        }
        return this;
    }

    /**
     * Starts what Alipay does on its own (closing expired trades on time, with their notifications) without
     * binding a port: for a sandbox mounted in another server through {@link #handler()}. {@link #start()}
     * calls it too; calling it twice does nothing more.
     */
    public synchronized AlipaySandbox startBackgroundWork() {
        if (ownScheduler && !backgroundStarted) {
            backgroundStarted = true;
            scheduleExpirySweep();
        }
        return this;
    }

    private void scheduleExpirySweep() {
        scheduler.schedule(Duration.ofSeconds(1), () -> {
            try {
                desk.expireDue(); // Alipay closes unpaid trades on time and notifies, whether or not anyone asks
                recordState();
            } finally {
                scheduleExpirySweep(); // a failed round (a full disk) must not end the sweeps
            }
        });
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (journal != null) { // after the last request, so the file has every change
            try {
                recordState();
            } catch (RuntimeException e) {
                System.err.println("alipay-sandbox: trades not kept at close: " + e.getMessage());
            }
        }
        if (ownScheduler) {
            scheduler.close();
        }
    }

    /** Appends to the state file what either gateway created or changed since the last time. */
    private void recordState() {
        if (journal != null) {
            try {
                desk.record(journal);
            } finally { // a failed Alipay write must not keep WeChat Pay's orders out
                wechat.book().record(wechatJournal);
            }
        }
    }

    /** The transport-agnostic core, for the servlet adapter or any other server. */
    public SandboxHandler handler() {
        return this::route;
    }

    public int port() {
        if (server == null) {
            throw new IllegalStateException("the sandbox is not started");
        }
        return server.port();
    }

    /** {@code http://127.0.0.1:<port>} of the started server. */
    public String baseUrl() {
        return "http://" + settings.host() + ":" + port();
    }

    /** {@code http://127.0.0.1:<port>/gateway.do} (with the base path when one is set). */
    public String gatewayUrl() {
        return baseUrl() + settings.basePath() + "/gateway.do";
    }

    /** Where the control API lives: {@code http://127.0.0.1:<port>/sandbox}. */
    public String controlUrl() {
        return baseUrl() + area();
    }

    public SandboxControlClient control() {
        return new SandboxControlClient(controlUrl());
    }

    public String appId() {
        return settings.appId();
    }

    public String sellerId() {
        return settings.sellerId();
    }

    public PublicKey alipayPublicKey() {
        return signing.publicKey();
    }

    /** The "支付宝公钥" as Alipay's console shows it (X.509, base64, one line). */
    public String alipayPublicKeyBase64() {
        return AlipayKeys.toBase64(signing.publicKey());
    }

    public PublicKey appPublicKey() {
        return appPublicKey;
    }

    /** The app private key, when the sandbox generated the app key pair (no app public key configured). */
    public Optional<PrivateKey> appPrivateKey() {
        return Optional.ofNullable(appPrivateKey);
    }

    /** PKCS#8 base64 of the generated app private key, the form {@code DefaultAlipayClient} takes. */
    public String appPrivateKeyBase64() {
        return AlipayKeys.toBase64(appPrivateKey()
                .orElseThrow(() -> new IllegalStateException(
                        "the app key pair was configured, not generated: use your own private key")));
    }

    /** Base64 AES key for {@code encrypt_type=AES} (docs/alipay-protocol.md#s8). */
    public String aesKey() {
        return aesKey;
    }

    public String alipayCertSn() {
        return certificates.alipayCertSn();
    }

    /** {@code alipayCertPublicKey_RSA2.crt}: the current Alipay certificate and its issuing CA. */
    public String alipayCertPem() {
        return certificates.alipayCertPem();
    }

    /** {@code alipayRootCert.crt}: the TEST root bundle that the sandbox's certificates chain to. */
    public String alipayRootCertPem() {
        return certificates.rootCertPem();
    }

    /** {@code appCertPublicKey_<app_id>.crt}: a certificate the sandbox issued for the app public key. */
    public String appCertPem() {
        return certificates.appCertPem();
    }

    /** Rotates the Alipay certificate (same key, new serial); answers the new {@code alipay_cert_sn}. */
    public String rotateAlipayCertificate() {
        return certificates.rotate();
    }

    /** The WeChat Pay side: merchant id, keys and the APIv3 key a test configures its client with. */
    public WechatPaySettings wechatPay() {
        return wechat.settings();
    }

    /** The sandbox's WeChat Pay public key (verifies answers and notifications in public key mode). */
    public PublicKey wechatPayPublicKey() {
        return wechat.signer().publicKey();
    }

    /** Serial number of the platform certificate that {@code /v3/certificates} hands out. */
    public String wechatPayCertificateSerial() {
        return wechat.signer().certificateSerial();
    }

    /** What a test configures its WeChat Pay client with; the sandbox must be started. */
    public WechatPayAccount wechatPayAccount() {
        WechatPaySettings s = wechat.settings();
        return new WechatPayAccount(
                wechatPayBaseUrl(),
                s.mchid(),
                s.appid(),
                s.merchantPrivateKey(),
                s.merchantSerial(),
                s.apiV3Key(),
                s.publicKeyId(),
                wechatPayPublicKey(),
                wechatPayCertificateSerial());
    }

    /** Where {@code https://api.mch.weixin.qq.com} is: the base URL plus any base path. */
    public String wechatPayBaseUrl() {
        return baseUrl() + settings.basePath();
    }

    private String area() {
        return settings.basePath().isEmpty() ? "/sandbox" : settings.basePath();
    }

    private SandboxResponse route(SandboxRequest request) {
        String path = request.path();
        String gatewayPath = settings.basePath() + "/gateway.do";
        if (path.equals(gatewayPath)) {
            if (!request.method().equals("GET") && !request.method().equals("POST")) {
                return SandboxResponse.text(405, "gateway.do takes GET and POST");
            }
            desk.expireDue();
            return gateway.handle(request);
        }
        if (path.startsWith(settings.basePath() + "/v3/")) {
            return wechat.handle(request, path.substring(settings.basePath().length()));
        }
        String area = area();
        if (path.startsWith(area + "/")) {
            String sub = path.substring(area.length());
            String areaUrl = request.origin() + area;
            if (sub.equals("/bills/download") && request.method().equals("GET")) {
                return bills.download(request.rawQuery());
            }
            SandboxResponse response = wechatControl.handle(request, sub);
            if (response == null) {
                response = wechat.handlePage(request, sub, areaUrl);
            }
            if (response == null) {
                response = control.handle(request, sub);
            }
            if (response == null) {
                response = cashier.handle(request, sub, areaUrl);
            }
            if (response != null) {
                return response;
            }
        }
        return SandboxResponse.text(
                404,
                "alipay-sandbox: no such endpoint " + request.method() + " " + path + " (gateway: " + gatewayPath
                        + ", control API: " + area + "/...)");
    }

    private final class Apis implements Gateway.Apis {

        @Override
        public ApiResult call(GatewayCall call, BizContent biz) {
            return switch (call.method()) {
                case "alipay.trade.precreate" -> desk.precreate(biz, call);
                case "alipay.trade.pay" -> desk.pay(biz, call);
                case "alipay.trade.create" -> desk.create(biz, call);
                case "alipay.trade.query" -> desk.query(biz);
                case "alipay.trade.close" -> desk.close(biz);
                case "alipay.trade.cancel" -> desk.cancel(biz);
                case "alipay.trade.refund" -> desk.refund(biz);
                case "alipay.trade.fastpay.refund.query" -> desk.refundQuery(biz);
                case "alipay.data.dataservice.bill.downloadurl.query" -> bills.query(biz, call);
                case Gateway.CERT_DOWNLOAD -> gateway.downloadCertificate(biz);
                default -> throw new IllegalStateException("unrouted method " + call.method());
            };
        }

        @Override
        public SandboxResponse browserPay(GatewayCall call, BizContent biz) {
            return cashier.browserPay(call, biz);
        }

        @Override
        public SandboxResponse browserError(GatewayCall call, ApiResult error) {
            return cashier.browserError(call, error);
        }
    }

    /** Immutable configuration; every setting has a default that works for a local test. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private String appId = DEFAULT_APP_ID;
        private String sellerId = DEFAULT_SELLER_ID;
        private String sellerName;
        private PublicKey appPublicKey;
        private PrivateKey alipayPrivateKey;
        private X509Certificate appCertificate;
        private String aesKey;
        private double timeScale = 1;
        private Clock clock = Clock.systemUTC();
        private Scheduler scheduler;
        private String basePath = "";
        private Duration userPayingDelay = Duration.ofSeconds(5);
        private Path stateFile;
        private String wechatMchid;
        private String wechatAppid;
        private PublicKey wechatMerchantPublicKey;
        private String wechatMerchantSerial;
        private String wechatApiV3Key;
        private String wechatPublicKeyId;
        private PrivateKey wechatPrivateKey;

        private Builder() {}

        /** The WeChat Pay merchant id requests must carry; default {@value WechatPaySettings#DEFAULT_MCHID}. */
        public Builder wechatMchid(String mchid) {
            this.wechatMchid = mchid;
            return this;
        }

        /** The appid orders must name; default {@value WechatPaySettings#DEFAULT_APPID}. */
        public Builder wechatAppid(String appid) {
            this.wechatAppid = appid;
            return this;
        }

        /** The merchant's API public key WeChat Pay requests must verify with; absent: a key pair is generated. */
        public Builder wechatMerchantPublicKey(PublicKey key) {
            this.wechatMerchantPublicKey = key;
            return this;
        }

        /** The merchant certificate serial requests must name; absent: derived from the merchant key. */
        public Builder wechatMerchantSerial(String serial) {
            this.wechatMerchantSerial = serial;
            return this;
        }

        /** 32 ASCII characters encrypting notifications and certificates; absent: generated. */
        public Builder wechatApiV3Key(String key) {
            this.wechatApiV3Key = key;
            return this;
        }

        /** The id answers name in public key mode; default {@value WechatPaySettings#DEFAULT_PUBLIC_KEY_ID}. */
        public Builder wechatPublicKeyId(String id) {
            this.wechatPublicKeyId = id;
            return this;
        }

        /** The sandbox's own WeChat Pay signing key; absent: generated. */
        public Builder wechatPrivateKey(PrivateKey key) {
            this.wechatPrivateKey = key;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** 0 (the default) = any free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535: " + port);
            }
            this.port = port;
            return this;
        }

        public Builder appId(String appId) {
            this.appId = appId;
            return this;
        }

        public Builder sellerId(String sellerId) {
            this.sellerId = sellerId;
            return this;
        }

        /** Shown as the merchant on the cashier page. */
        public Builder sellerName(String sellerName) {
            this.sellerName = sellerName;
            return this;
        }

        /** The app public key requests must verify with; absent: a key pair is generated. */
        public Builder appPublicKey(PublicKey appPublicKey) {
            this.appPublicKey = appPublicKey;
            return this;
        }

        /** The sandbox's own "Alipay" signing key; absent: generated. */
        public Builder alipayPrivateKey(PrivateKey alipayPrivateKey) {
            this.alipayPrivateKey = alipayPrivateKey;
            return this;
        }

        /** An extra app certificate whose {@code app_cert_sn} requests may name (one is always issued). */
        public Builder appCertificate(X509Certificate appCertificate) {
            this.appCertificate = appCertificate;
            return this;
        }

        /** Base64 AES key for {@code encrypt_type=AES}; absent: random. */
        public Builder aesKey(String base64Key) {
            this.aesKey = base64Key;
            return this;
        }

        /** Greater than 1 runs the notification retry schedule that many times faster. */
        public Builder timeScale(double timeScale) {
            if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
                throw new IllegalArgumentException("time scale must be a positive number: " + timeScale);
            }
            this.timeScale = timeScale;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Runs retries and delayed payments; pass a {@link dev.zhifu.sandbox.time.ManualTime} for deterministic tests. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /** Mount point, e.g. {@code /sandbox} inside the payment service: gateway at {@code /sandbox/gateway.do}. */
        public Builder basePath(String basePath) {
            String p = basePath == null ? "" : basePath.strip();
            while (p.endsWith("/")) {
                p = p.substring(0, p.length() - 1);
            }
            if (!p.isEmpty() && !p.startsWith("/")) {
                p = "/" + p;
            }
            this.basePath = p;
            return this;
        }

        /**
         * Keeps the trades in this file (JSON lines) and takes them back at the next start: without it they are
         * in memory only. Written once a second while background work runs, and at {@link #close()}.
         */
        public Builder stateFile(Path file) {
            this.stateFile = file;
            return this;
        }

        /** How long a buyer takes to confirm a barcode payment answered with {@code 10003}. */
        public Builder userPayingDelay(Duration delay) {
            this.userPayingDelay = delay;
            return this;
        }

        public AlipaySandbox build() {
            return new AlipaySandbox(this);
        }
    }
}
