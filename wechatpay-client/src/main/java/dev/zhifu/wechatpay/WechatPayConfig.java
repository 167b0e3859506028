package dev.zhifu.wechatpay;

import dev.zhifu.wechatpay.crypto.AeadAes256Gcm;
import dev.zhifu.wechatpay.crypto.PemKeys;
import dev.zhifu.wechatpay.crypto.RsaProvider;
import java.net.URI;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything a {@link WechatPayClient} needs, checked once when built: the merchant's id, its API certificate's
 * serial number and private key (text), and at least one way to verify WeChat Pay's answers: its public key with
 * the {@code PUB_KEY_ID_…} id, platform certificates given as text, or the APIv3 key to download them
 * (docs/wechatpay-protocol.md#s4). Immutable and thread-safe; keys are parsed here, once.
 */
public final class WechatPayConfig {

    public static final String PRODUCTION_URL = "https://api.mch.weixin.qq.com";

    private static final Pattern MCHID = Pattern.compile("[0-9]{1,32}");
    private static final Pattern SERIAL = Pattern.compile("[0-9A-Fa-f]{1,64}");
    private static final Pattern PUBLIC_KEY_ID = Pattern.compile("PUB_KEY_ID_[0-9A-Za-z_]{1,64}");

    private final String mchid;
    private final String appId;
    private final String merchantSerialNumber;
    private final PrivateKey merchantPrivateKey;
    private final AeadAes256Gcm apiV3Cipher;
    private final String publicKeyId;
    private final PublicKey wechatPayPublicKey;
    private final List<X509Certificate> platformCertificates;
    private final boolean downloadCertificates;
    private final URI baseUrl;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final HttpTransport transport;
    private final Clock clock;
    private final RsaProvider rsaProvider;

    private WechatPayConfig(Builder b) {
        this.mchid = required(b.mchid, "mchid", MCHID);
        this.appId = b.appId;
        this.merchantSerialNumber =
                required(b.merchantSerialNumber, "merchantSerialNumber", SERIAL).toUpperCase(java.util.Locale.ROOT);
        this.merchantPrivateKey = PemKeys.privateKey(b.merchantPrivateKey);
        this.apiV3Cipher = b.apiV3Key == null ? null : new AeadAes256Gcm(b.apiV3Key);
        if ((b.publicKey == null) != (b.publicKeyId == null)) {
            throw new IllegalArgumentException("the WeChat Pay public key and its PUB_KEY_ID_ id go together");
        }
        this.publicKeyId = b.publicKeyId == null ? null : required(b.publicKeyId, "publicKeyId", PUBLIC_KEY_ID);
        this.wechatPayPublicKey = b.publicKey == null ? null : PemKeys.publicKey(b.publicKey);
        List<X509Certificate> certificates = new ArrayList<>();
        for (String text : b.platformCertificates) {
            certificates.add(PemKeys.certificate(text));
        }
        this.platformCertificates = List.copyOf(certificates);
        // platform certificates are downloaded when the APIv3 key is there and no public key says otherwise
        this.downloadCertificates = apiV3Cipher != null && wechatPayPublicKey == null;
        if (wechatPayPublicKey == null && platformCertificates.isEmpty() && !downloadCertificates) {
            throw new IllegalArgumentException("no way to verify WeChat Pay's answers: configure its public key and"
                    + " PUB_KEY_ID_ id, platform certificates, or the APIv3 key to download them");
        }
        this.baseUrl = baseUrl(b.baseUrl);
        this.connectTimeout = positive(b.connectTimeout, "connectTimeout");
        this.readTimeout = positive(b.readTimeout, "readTimeout");
        this.transport = b.transport == null ? new JdkHttpTransport(connectTimeout) : b.transport;
        this.clock = Objects.requireNonNull(b.clock, "clock");
        this.rsaProvider = b.nativeRsa ? RsaProvider.preferNative() : RsaProvider.jdk();
    }

    public static Builder builder() {
        return new Builder();
    }

    public String mchid() {
        return mchid;
    }

    /** The appid prepay requests name; null when the client only queries, refunds and reads notifications. */
    public String appId() {
        return appId;
    }

    public String merchantSerialNumber() {
        return merchantSerialNumber;
    }

    public String publicKeyId() {
        return publicKeyId;
    }

    public boolean downloadsPlatformCertificates() {
        return downloadCertificates;
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    public HttpTransport transport() {
        return transport;
    }

    public Clock clock() {
        return clock;
    }

    /** Name of the RSA provider in use, for logs. */
    public String rsaProviderName() {
        return rsaProvider.name();
    }

    PrivateKey merchantPrivateKey() {
        return merchantPrivateKey;
    }

    AeadAes256Gcm apiV3Cipher() {
        return apiV3Cipher;
    }

    PublicKey wechatPayPublicKey() {
        return wechatPayPublicKey;
    }

    List<X509Certificate> platformCertificates() {
        return platformCertificates;
    }

    RsaProvider rsaProvider() {
        return rsaProvider;
    }

    private static String required(String value, String name, Pattern shape) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        if (!shape.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " is malformed: " + value);
        }
        return value;
    }

    private static Duration positive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return value;
    }

    private static URI baseUrl(String text) {
        URI uri;
        try {
            uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("baseUrl is not a URL: " + text, e);
        }
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an http(s) URL with a host: " + text);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("baseUrl must not have a query or fragment: " + text);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.equals("/v3") || path.endsWith("/v3") || path.contains("/v3/")) {
            throw new IllegalArgumentException(
                    "baseUrl must not have the /v3 path: each API path starts with it (" + text + ")");
        }
        return uri;
    }

    @Override
    public String toString() {
        return "WechatPayConfig[mchid=" + mchid + ", serial=" + merchantSerialNumber + ", publicKeyId=" + publicKeyId
                + ", platformCertificates=" + platformCertificates.size() + ", download=" + downloadCertificates
                + ", baseUrl=" + baseUrl + "]";
    }

    /** Builds a {@link WechatPayConfig}; keys are given as text (PEM or Base64), never as key objects. */
    public static final class Builder {
        private String mchid;
        private String appId;
        private String merchantSerialNumber;
        private String merchantPrivateKey;
        private String apiV3Key;
        private String publicKey;
        private String publicKeyId;
        private final List<String> platformCertificates = new ArrayList<>();
        private String baseUrl = PRODUCTION_URL;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(15);
        private HttpTransport transport;
        private Clock clock = Clock.systemUTC();
        private boolean nativeRsa = true;

        private Builder() {}

        public Builder mchid(String mchid) {
            this.mchid = mchid;
            return this;
        }

        public Builder appId(String appId) {
            this.appId = appId;
            return this;
        }

        /** The serial number of the merchant API certificate, which {@code Authorization} names. */
        public Builder merchantSerialNumber(String serial) {
            this.merchantSerialNumber = serial;
            return this;
        }

        /** {@code apiclient_key.pem}: PKCS#8, PEM or Base64. */
        public Builder merchantPrivateKey(String text) {
            this.merchantPrivateKey = text;
            return this;
        }

        /** The APIv3 key: 32 ASCII characters, for notifications and the certificate download. */
        public Builder apiV3Key(String apiV3Key) {
            this.apiV3Key = apiV3Key;
            return this;
        }

        /** WeChat Pay public key mode: the key ({@code pub_key.pem}) and its id {@code PUB_KEY_ID_…}. */
        public Builder wechatPayPublicKey(String publicKeyText, String publicKeyId) {
            this.publicKey = publicKeyText;
            this.publicKeyId = publicKeyId;
            return this;
        }

        /** A platform certificate (PEM) to trust without downloading; call once per certificate. */
        public Builder platformCertificate(String certificateText) {
            this.platformCertificates.add(Objects.requireNonNull(certificateText, "certificate"));
            return this;
        }

        /**
         * Scheme, host and port, and a path only for a gateway mounted below one (the sandbox inside payment-service's
         * demo answers under {@code /sandbox}): requests are signed with the whole path they are sent to. The default
         * is production.
         */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
            return this;
        }

        public Builder transport(HttpTransport transport) {
            this.transport = transport;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** False keeps RSA on the JDK even where Amazon Corretto Crypto Provider is present. */
        public Builder nativeRsa(boolean nativeRsa) {
            this.nativeRsa = nativeRsa;
            return this;
        }

        /** @throws IllegalArgumentException naming the first setting that is missing or malformed */
        public WechatPayConfig build() {
            return new WechatPayConfig(this);
        }
    }
}
