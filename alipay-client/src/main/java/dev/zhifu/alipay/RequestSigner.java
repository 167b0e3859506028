package dev.zhifu.alipay;

import dev.zhifu.alipay.crypto.AlipaySigner;
import dev.zhifu.alipay.crypto.SignType;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Turns a request into its signed parameters exactly as the official SDK does (docs/alipay-protocol.md#s2.2, #s4):
 * the protocol parameters, {@code biz_content} (AES-encrypted when configured), then {@code sign} over all of them.
 */
final class RequestSigner {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.ofHours(8));

    private final AlipayConfig config;
    private final ClientKeys keys;
    private final AlipaySigner signer;

    RequestSigner(AlipayConfig config) {
        this.config = config;
        this.keys = config.keys();
        this.signer = keys.appSigner();
    }

    WireRequest sign(AlipayRequest<?> request, RequestOptions options) {
        String bizContent = request.bizContentJson();
        boolean encrypt = keys.encryption() != null && bizContent != null && !bizContent.isBlank();
        if (encrypt) {
            bizContent = keys.encryption().encrypt(bizContent, config.charset());
        }
        ClientKeys.CertificateMode certs = keys.certificateMode();
        String notifyUrl = request.notifyUrl() != null ? request.notifyUrl() : config.notifyUrl();
        WireRequest.Builder wire = new WireRequest.Builder()
                // insertion sequence of the SDK's protocol-must map (docs/alipay-protocol.md#s2.2)
                .must("method", request.method())
                .must("version", "1.0")
                .must("app_id", config.appId())
                .must("sign_type", SignType.RSA2.name())
                .must("notify_url", notifyUrl)
                .must("return_url", request.returnUrl())
                .must("charset", config.charsetName())
                .must("encrypt_type", encrypt ? "AES" : null)
                .must("app_cert_sn", certs == null ? null : certs.appCertSn())
                .must("alipay_root_cert_sn", certs == null ? null : certs.rootCertSn())
                .must("timestamp", TIMESTAMP.format(config.clock().instant()))
                .optional("format", "json")
                .optional("alipay_sdk", config.sdkTag())
                .application("biz_content", bizContent)
                .appAuthToken(options.appAuthToken());
        options.extraParams().forEach(wire::application);
        WireRequest built = wire.build(config.charset());
        built.sign(signer.sign(built.signContent(), config.charset()));
        return built;
    }
}
