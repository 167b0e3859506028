package dev.zhifu.alipay;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.crypto.RsaProvider;
import dev.zhifu.alipay.crypto.SignType;
import java.net.URI;
import java.nio.charset.Charset;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything a client needs, validated once when built; immutable and safe to share between threads.
 * Keys and certificates are given as text and parsed here, never per call; no key leaves the client (the parsed
 * keys are held by the client's package alone).
 *
 * <p>A configuration without a way to verify Alipay's answers (an Alipay public key, or the certificate
 * trio) cannot be built: the client fails closed.
 */
public final class AlipayConfig {

    /** Alipay's production gateway. */
    public static final String PRODUCTION_GATEWAY = "https://openapi.alipay.com/gateway.do";
    /** Alipay's online sandbox gateway (the current host; the old {@code openapi.alipaydev.com} is retired). */
    public static final String SANDBOX_GATEWAY = "https://openapi-sandbox.dl.alipaydev.com/gateway.do";

    private final String appId;
    private final URI gatewayUrl;
    private final String charsetName;
    private final Charset charset;
    private final SignType verifySignType;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final ClientKeys keys;
    private final String notifyUrl;
    private final RetryPolicy retryPolicy;
    private final AlipayCallListener listener;
    private final Clock clock;
    private final HttpTransport transport;
    private final String sdkTag;

    private AlipayConfig(Builder b) {
        this.appId = require(b.appId, "appId");
        if (!b.appId.matches("[0-9A-Za-z_]{1,32}")) {
            throw new IllegalArgumentException("appId: expected up to 32 letters or digits, got '" + b.appId + "'");
        }
        this.gatewayUrl = parseGateway(require(b.gatewayUrl, "gatewayUrl"));
        this.charsetName = b.charset;
        try {
            this.charset = Charset.forName(b.charset);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("charset: unknown charset '" + b.charset + "'");
        }
        String canonical = charset.name();
        if (!canonical.equals("UTF-8") && !canonical.equals("GBK") && !canonical.equals("GB2312")) {
            throw new IllegalArgumentException("charset: Alipay takes UTF-8 or GBK, got '" + b.charset + "'");
        }
        this.verifySignType = b.verifySignType;
        this.connectTimeout = positive(b.connectTimeout, "connectTimeout");
        this.readTimeout = positive(b.readTimeout, "readTimeout");
        this.keys = new ClientKeys(
                b.appPrivateKey,
                b.alipayPublicKeys,
                b.appCertPem,
                b.alipayCertPems,
                b.alipayRootCertPem,
                b.encryptKey,
                b.nativeRsa ? RsaProvider.preferNative() : RsaProvider.jdk(),
                verifySignType);
        this.notifyUrl = b.notifyUrl;
        this.retryPolicy = Objects.requireNonNull(b.retryPolicy, "retryPolicy");
        this.listener = Objects.requireNonNull(b.listener, "listener");
        this.clock = Objects.requireNonNull(b.clock, "clock");
        this.transport = b.transport != null ? b.transport : new JdkHttpTransport(connectTimeout);
        this.sdkTag = b.sdkTag;
    }

    private static URI parseGateway(String url) {
        try {
            URI uri = URI.create(url);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            if (uri.getRawQuery() != null) {
                throw new IllegalArgumentException("gatewayUrl: must not carry a query, got " + url);
            }
            return uri;
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("gatewayUrl")) {
                throw e;
            }
            throw new IllegalArgumentException("gatewayUrl: not an http(s) URL: " + url);
        }
    }

    private static <T> T require(T value, String name) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new IllegalArgumentException(name + ": required");
        }
        return value;
    }

    private static Duration positive(Duration d, String name) {
        if (d == null || d.isZero() || d.isNegative() || d.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException(name + ": must be between 1 ms and 10 minutes, got " + d);
        }
        return d;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String appId() {
        return appId;
    }

    public URI gatewayUrl() {
        return gatewayUrl;
    }

    /** The charset name exactly as sent in the {@code charset} parameter (and signed). */
    public String charsetName() {
        return charsetName;
    }

    public Charset charset() {
        return charset;
    }

    /** Algorithm of Alipay's signatures: RSA2, or RSA for legacy apps. Requests are always signed RSA2. */
    public SignType verifySignType() {
        return verifySignType;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    /** Whether answers are verified with Alipay's certificates (else with Alipay public keys). */
    public boolean isCertificateMode() {
        return keys.certificateMode() != null;
    }

    public String notifyUrl() {
        return notifyUrl;
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    public AlipayCallListener listener() {
        return listener;
    }

    /** The JCA provider that signs and verifies, by name (for logs and {@code doctor}). */
    public String rsaProviderName() {
        return keys.rsaProvider().name();
    }

    public Clock clock() {
        return clock;
    }

    public HttpTransport transport() {
        return transport;
    }

    /** Value of the {@code alipay_sdk} parameter, or null to send none. */
    public String sdkTag() {
        return sdkTag;
    }

    /** The parsed keys, for the client's signer and verifiers only. */
    ClientKeys keys() {
        return keys;
    }

    @Override
    public String toString() {
        // never keys
        return "AlipayConfig[appId=" + appId + ", gateway=" + gatewayUrl + ", charset=" + charsetName
                + ", mode=" + (isCertificateMode() ? "certificate" : "public-key")
                + ", provider=" + rsaProviderName() + "]";
    }

    /** Builder; every key or certificate setter takes its text in any format Alipay users meet. */
    public static final class Builder {
        private String appId;
        private String gatewayUrl = PRODUCTION_GATEWAY;
        private String charset = "UTF-8";
        private SignType verifySignType = SignType.RSA2;
        private Duration connectTimeout = Duration.ofSeconds(3);
        private Duration readTimeout = Duration.ofSeconds(15);
        private PrivateKey appPrivateKey;
        private final List<PublicKey> alipayPublicKeys = new ArrayList<>();
        private String appCertPem;
        private final List<String> alipayCertPems = new ArrayList<>();
        private String alipayRootCertPem;
        private String encryptKey;
        private String notifyUrl;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private AlipayCallListener listener = AlipayCallListener.NONE;
        private boolean nativeRsa = true;
        private Clock clock = Clock.systemUTC();
        private HttpTransport transport;
        private String sdkTag;

        private Builder() {}

        public Builder appId(String appId) {
            this.appId = appId;
            return this;
        }

        /** Gateway URL, e.g. {@link #PRODUCTION_GATEWAY}, {@link #SANDBOX_GATEWAY} or an offline sandbox. */
        public Builder gatewayUrl(String gatewayUrl) {
            this.gatewayUrl = gatewayUrl;
            return this;
        }

        /** {@code UTF-8} (default) or {@code GBK}; sent and signed exactly as written. */
        public Builder charset(String charset) {
            this.charset = charset;
            return this;
        }

        /** RSA2 (default); RSA only for legacy apps whose Alipay key still signs with SHA1. */
        public Builder verifySignType(SignType type) {
            this.verifySignType = Objects.requireNonNull(type);
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        /**
         * The app private key: PEM (PKCS#8 or PKCS#1) or the bare base64 Alipay's tool prints.
         *
         * @throws IllegalArgumentException ({@code KeyMaterialException}) when it is no RSA private key
         */
        public Builder appPrivateKey(String text) {
            this.appPrivateKey = AlipayKeys.privateKey(text, "appPrivateKey");
            return this;
        }

        /**
         * An Alipay public key (支付宝公钥): PEM or the console's one-line base64; call again to accept several
         * during a key change.
         */
        public Builder alipayPublicKey(String text) {
            this.alipayPublicKeys.add(AlipayKeys.publicKey(text, "alipayPublicKey"));
            return this;
        }

        /** Certificate mode: the app's public-key certificate (appCertPublicKey_*.crt) as PEM text. */
        public Builder appCert(String pem) {
            this.appCertPem = pem;
            return this;
        }

        /** Certificate mode: an Alipay public-key certificate (alipayCertPublicKey_RSA2.crt); repeatable. */
        public Builder alipayCert(String pem) {
            this.alipayCertPems.add(pem);
            return this;
        }

        /** Certificate mode: Alipay's root bundle (alipayRootCert.crt), several PEM blocks. */
        public Builder alipayRootCert(String pem) {
            this.alipayRootCertPem = pem;
            return this;
        }

        /** Enables {@code encrypt_type=AES} for every call, with the console's base64 content key. */
        public Builder encryptKey(String base64Key) {
            this.encryptKey = base64Key;
            return this;
        }

        /** Default {@code notify_url} for calls that do not name one. */
        public Builder notifyUrl(String notifyUrl) {
            this.notifyUrl = notifyUrl;
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = policy;
            return this;
        }

        public Builder listener(AlipayCallListener listener) {
            this.listener = listener;
            return this;
        }

        /**
         * {@code true} (default): RSA through Amazon Corretto Crypto Provider when it is on the class path and healthy
         * (same signatures, about 4x the JDK's speed); {@code false}: the JDK's provider, whatever is present.
         */
        public Builder nativeRsa(boolean nativeRsa) {
            this.nativeRsa = nativeRsa;
            return this;
        }

        /** Clock for the {@code timestamp} parameter and certificate checks. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder transport(HttpTransport transport) {
            this.transport = transport;
            return this;
        }

        /**
         * Sends {@code alipay_sdk=<tag>} like the official SDK does (it is signed like any parameter).
         * Off by default; set {@code "alipay-sdk-java-4.38.192.ALL"} to reproduce the SDK's bytes exactly.
         */
        public Builder sdkTag(String tag) {
            this.sdkTag = tag;
            return this;
        }

        /** @throws IllegalArgumentException naming the first setting that is missing or wrong */
        public AlipayConfig build() {
            return new AlipayConfig(this);
        }
    }
}
