package dev.zhifu.sandbox.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zhifu.alipay.crypto.AesContent;
import dev.zhifu.alipay.crypto.AlipayVerifier;
import dev.zhifu.alipay.crypto.RsaProvider;
import dev.zhifu.alipay.crypto.SignContent;
import dev.zhifu.alipay.crypto.SignType;
import dev.zhifu.sandbox.cert.SandboxCertificates;
import dev.zhifu.sandbox.faults.FaultPlan;
import dev.zhifu.sandbox.http.FormCodec;
import dev.zhifu.sandbox.http.SandboxRequest;
import dev.zhifu.sandbox.http.SandboxResponse;
import dev.zhifu.sandbox.time.AlipayTime;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /gateway.do}: parses and verifies a call like Alipay's gateway (docs/alipay-protocol.md#s2 to #s4, #s7, #s8), hands it to
 * the API, and answers with a node built once and signed exactly as sent (docs/alipay-protocol.md#s6, #s13).
 */
public final class Gateway {

    /** Business APIs behind the gateway. */
    public interface Apis {
        /** Answers a server-to-server call. */
        ApiResult call(GatewayCall call, BizContent biz);

        /** page / wap pay: what the browser gets (a redirect to the cashier). */
        SandboxResponse browserPay(GatewayCall call, BizContent biz);

        /** An HTML page for a page / wap pay request that failed validation. */
        SandboxResponse browserError(GatewayCall call, ApiResult error);
    }

    public static final Set<String> METHODS = Set.of(
            "alipay.trade.precreate",
            "alipay.trade.pay",
            "alipay.trade.create",
            "alipay.trade.page.pay",
            "alipay.trade.wap.pay",
            "alipay.trade.app.pay",
            "alipay.trade.query",
            "alipay.trade.close",
            "alipay.trade.cancel",
            "alipay.trade.refund",
            "alipay.trade.fastpay.refund.query",
            "alipay.data.dataservice.bill.downloadurl.query",
            "alipay.open.app.alipaycert.download");
    public static final String CERT_DOWNLOAD = "alipay.open.app.alipaycert.download";
    private static final Set<String> BROWSER_METHODS = Set.of("alipay.trade.page.pay", "alipay.trade.wap.pay");
    private static final Pattern CONTENT_TYPE_CHARSET = Pattern.compile("(?i)charset\\s*=\\s*\"?([A-Za-z0-9_\\-]+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String appId;
    private final PublicKey appPublicKey;
    private final SandboxCertificates certificates;
    private final AlipaySigning signing;
    private final AesContent aes;
    private final FaultPlan faults;
    private final String basePath;
    private final Apis apis;
    private final RsaProvider rsa = RsaProvider.preferNative();
    /** One pooled verifier per app key and sign type: the app's key, or each app certificate's in cert mode. */
    private final ConcurrentMap<VerifierKey, AlipayVerifier> verifiers = new ConcurrentHashMap<>();

    private record VerifierKey(PublicKey key, SignType type) {}

    public Gateway(
            String appId,
            PublicKey appPublicKey,
            SandboxCertificates certificates,
            AlipaySigning signing,
            AesContent aes,
            FaultPlan faults,
            String basePath,
            Apis apis) {
        this.appId = appId;
        this.appPublicKey = appPublicKey;
        this.certificates = certificates;
        this.signing = signing;
        this.aes = aes;
        this.faults = faults;
        this.basePath = basePath;
        this.apis = apis;
    }

    public SandboxResponse handle(SandboxRequest request) {
        String contentType = request.header("content-type");
        String charsetName = FormCodec.peek(request.rawQuery(), "charset");
        boolean formBody = contentType == null
                || contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
        String rawBody = formBody ? new String(request.body(), StandardCharsets.ISO_8859_1) : "";
        if (charsetName == null) {
            charsetName = FormCodec.peek(rawBody, "charset");
        }
        if (charsetName == null && contentType != null) {
            Matcher m = CONTENT_TYPE_CHARSET.matcher(contentType);
            charsetName = m.find() ? m.group(1) : null;
        }
        Charset charset;
        try {
            charset = charsetName == null || charsetName.isBlank()
                    ? StandardCharsets.UTF_8
                    : Charset.forName(charsetName);
            if (!charset.canEncode()) {
                // decode-only (ISO-2022-CN, x-JISAutoDetect): neither the form nor the signed answer can use it
                throw new IllegalArgumentException("decode-only charset " + charsetName);
            }
        } catch (IllegalArgumentException e) {
            charset = StandardCharsets.UTF_8;
            Map<String, String> params = FormCodec.decode(request.rawQuery(), charset);
            return answer(
                    prepare(request, params, charsetName, charset, false, false),
                    ApiResult.failure("40002", "isv.invalid-charset", "无效的字符集：" + charsetName),
                    SignType.RSA2);
        }
        Map<String, String> params = new LinkedHashMap<>(FormCodec.decode(rawBody, charset));
        params.putAll(FormCodec.decode(request.rawQuery(), charset));
        GatewayCall call = prepare(
                request,
                params,
                charsetName == null ? "UTF-8" : charsetName,
                charset,
                !SignContent.isBlank(params.get("app_cert_sn")),
                "AES".equals(params.get("encrypt_type")) && aes != null);
        SignType signType = SignType.fromWire(params.get("sign_type"));
        SignType answerType = signType == null ? SignType.RSA2 : signType;

        FaultPlan.GatewayFault fault = call.method() == null ? null : faults.takeGatewayFault(call.method());
        if (fault != null && fault.answer() != FaultPlan.GatewayAnswer.TIMEOUT) {
            if (fault.apply()) {
                // Alipay did the work but the merchant never learns it: the "unknown result" a client must query
                process(call, signType, answerType);
            }
            if (fault.answer() == FaultPlan.GatewayAnswer.HTTP_502) {
                return SandboxResponse.html(
                        502,
                        "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>");
            }
            return answer(call, ApiResult.failure("20000", "ACQ.SYSTEM_ERROR", "系统繁忙"), answerType);
        }
        if (fault == null) {
            return process(call, signType, answerType);
        }
        // TIMEOUT: hang past the client's read timeout (15 s in the SDK); the call is carried out first, or
        // (apply false) not at all
        SandboxResponse response = fault.apply() ? process(call, signType, answerType) : null;
        try {
            Thread.sleep(fault.hang().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return response != null
                ? response
                : SandboxResponse.html(504, "<html><body><h1>504 Gateway Time-out</h1></body></html>");
    }

    private GatewayCall prepare(
            SandboxRequest request,
            Map<String, String> params,
            String charsetName,
            Charset charset,
            boolean certMode,
            boolean encrypted) {
        String method = params.get("method");
        return new GatewayCall(
                SignContent.isBlank(method) ? null : method,
                Map.copyOf(params),
                charsetName,
                charset,
                certMode,
                encrypted,
                request.origin(),
                basePath,
                request.header("accept-language"));
    }

    private SandboxResponse process(GatewayCall call, SignType signType, SignType answerType) {
        boolean browser = call.method() != null && BROWSER_METHODS.contains(call.method());
        try {
            String bizJson = checkCommonParameters(call, signType);
            BizContent biz = bizContentOf(call, bizJson);
            if (browser) {
                return apis.browserPay(call, biz);
            }
            return answer(call, apis.call(call, biz), answerType);
        } catch (AlipayError error) {
            return browser ? apis.browserError(call, error.result()) : answer(call, error.result(), answerType);
        }
    }

    private static BizContent bizContentOf(GatewayCall call, String bizJson) {
        if (call.method().equals("alipay.trade.app.pay")) { // the Alipay app calls it, never the merchant
            // (docs/alipay-protocol.md#s5.2)
            throw AlipayError.of(
                    "40002",
                    "isv.invalid-method",
                    "alipay.trade.app.pay 由支付宝客户端发起，" + "沙箱中请把 order string POST 到 /sandbox/app/pay");
        }
        return BizContent.parse(bizJson);
    }

    /**
     * {@code notify_url}, when given, is an absolute http(s) URL of at most 256 characters (docs/alipay-protocol.md#s3): refused here
     * rather than accepted and then never reachable.
     */
    private static void checkNotifyUrl(String url) {
        if (SignContent.isBlank(url)) {
            return;
        }
        boolean valid = url.length() <= 256;
        if (valid) {
            try {
                java.net.URI uri = new java.net.URI(url);
                valid = ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                        && uri.getHost() != null;
            } catch (java.net.URISyntaxException e) {
                valid = false;
            }
        }
        if (!valid) {
            throw AlipayError.of("40002", "isv.invalid-parameter", "notify_url 无效：须为 http 或 https 地址，最长 256 个字符");
        }
    }

    /**
     * Checks the common parameters and the signature (docs/alipay-protocol.md#s3, #s4, #s7) and answers the plain {@code biz_content}
     * (decrypted when {@code encrypt_type=AES}). Used by the gateway and the app-pay endpoint.
     */
    public String checkCommonParameters(GatewayCall call, SignType signType) {
        Map<String, String> p = call.params();
        if (call.method() == null) {
            throw AlipayError.of("40001", "isv.missing-method", "缺少方法名参数");
        }
        if (SignContent.isBlank(p.get("app_id"))) {
            throw AlipayError.of("40001", "isv.missing-app-id", "缺少AppID参数");
        }
        if (!appId.equals(p.get("app_id"))) {
            throw AlipayError.of("40002", "isv.invalid-app-id", "无效的AppID参数：" + p.get("app_id"));
        }
        if (!METHODS.contains(call.method())) {
            throw AlipayError.of("40002", "isv.invalid-method", "不存在的方法名：" + call.method());
        }
        if (SignContent.isBlank(p.get("version"))) {
            throw AlipayError.of("40001", "isv.missing-version", "缺少版本参数");
        }
        String format = p.get("format");
        if (format != null && !format.equalsIgnoreCase("json")) {
            throw AlipayError.of("40002", "isv.invalid-format", "无效的数据格式参数：" + format);
        }
        if (SignContent.isBlank(p.get("timestamp"))) {
            throw AlipayError.of("40001", "isv.missing-timestamp", "缺少时间戳参数");
        }
        if (AlipayTime.parse(p.get("timestamp")) == null) {
            throw AlipayError.of(
                    "40002", "isv.invalid-timestamp", "非法的时间戳参数：" + p.get("timestamp") + "，格式应为 yyyy-MM-dd HH:mm:ss");
        }
        if (SignContent.isBlank(p.get("sign_type"))) {
            throw AlipayError.of("40001", "isv.missing-signature-type", "缺少签名类型参数");
        }
        if (signType == null) {
            throw AlipayError.of("40002", "isv.invalid-signature-type", "无效的签名类型参数：" + p.get("sign_type"));
        }
        if (SignContent.isBlank(p.get("sign"))) {
            throw AlipayError.of("40001", "isv.missing-signature", "缺少签名参数");
        }
        String encryptType = p.get("encrypt_type");
        if (encryptType != null && !encryptType.equals("AES")) {
            throw AlipayError.of("40002", "isv.invalid-encrypt-type", "无效的加密类型参数：" + encryptType);
        }
        PublicKey key = appPublicKey;
        if (call.certMode()) {
            String rootSn = p.get("alipay_root_cert_sn");
            if (SignContent.isBlank(rootSn)) {
                throw AlipayError.of("40001", "isv.missing-alipay-root-cert-sn", "缺少支付宝根证书序列号参数 alipay_root_cert_sn");
            }
            if (!rootSn.equals(certificates.rootCertSn())) {
                throw AlipayError.of(
                        "40002",
                        "isv.invalid-alipay-root-cert-sn",
                        "支付宝根证书序列号不匹配：沙箱的根证书 SN 为 " + certificates.rootCertSn());
            }
            key = certificates.appKey(p.get("app_cert_sn"));
            if (key == null) {
                throw AlipayError.of("40002", "isv.invalid-app-cert-sn", "应用公钥证书序列号不匹配：" + p.get("app_cert_sn"));
            }
        }
        String content = SignContent.ofRequest(p);
        boolean valid;
        try {
            valid = verifier(key, signType).verify(content, call.charset(), p.get("sign"));
        } catch (RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw AlipayError.of(
                    "40002", "isv.invalid-signature", "验签出错，建议检查签名字符串或签名私钥与应用公钥证书是否匹配，网关生成的验签字符串为：" + content);
        }
        checkNotifyUrl(p.get("notify_url"));
        String biz = p.get("biz_content");
        if (encryptType != null) {
            if (aes == null) {
                throw AlipayError.of("40002", "isv.decryption-error-not-valid-encrypt-key", "沙箱未配置接口内容加密密钥");
            }
            if (SignContent.isBlank(biz)) {
                throw AlipayError.of("40002", "isv.decryption-error-unknown", "加密请求缺少 biz_content");
            }
            try {
                biz = aes.decrypt(biz, call.charset());
            } catch (RuntimeException e) {
                throw AlipayError.of("40002", "isv.decryption-error-not-valid-encrypt-key", "解密出错，请检查接口内容加密密钥");
            }
        }
        return biz;
    }

    /** The signed answer of docs/alipay-protocol.md#s6: node text built once, signed over its bytes in the request charset. */
    public SandboxResponse answer(GatewayCall call, ApiResult result, SignType signType) {
        String nodeName = call.method() == null || !METHODS.contains(call.method())
                ? "error_response"
                : call.method().replace('.', '_') + "_response";
        String node;
        try {
            node = JSON.writeValueAsString(result.fields());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (call.encrypted()) { // docs/alipay-protocol.md#s8: the node is the quoted ciphertext, and the quotes are
            // signed too
            node = "\"" + aes.encrypt(node, call.charset()) + "\"";
        }
        StringBuilder body = new StringBuilder(node.length() + 500);
        body.append("{\"").append(nodeName).append("\":").append(node);
        if (call.certMode() && !CERT_DOWNLOAD.equals(call.method())) {
            body.append(",\"alipay_cert_sn\":\"")
                    .append(certificates.alipayCertSn())
                    .append('"');
        }
        body.append(",\"sign\":\"")
                .append(signing.sign(node, call.charset(), signType))
                .append("\"}");
        return SandboxResponse.of(
                200, "text/html;charset=utf-8", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code alipay.open.app.alipaycert.download}: any Alipay certificate this sandbox ever used, by SN. */
    public ApiResult downloadCertificate(BizContent biz) {
        String sn = biz.text("alipay_cert_sn");
        if (sn == null) {
            throw AlipayError.of("40002", "isv.invalid-parameter", "缺少必选参数 alipay_cert_sn");
        }
        String pem = certificates.alipayCertPem(sn);
        if (pem == null) {
            throw AlipayError.business("isv.alipay-cert-not-exist", "支付宝公钥证书不存在：" + sn);
        }
        return ApiResult.success()
                .with("alipay_cert_content", Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8)));
    }

    private AlipayVerifier verifier(PublicKey key, SignType type) {
        return verifiers.computeIfAbsent(new VerifierKey(key, type), k -> new AlipayVerifier(k.key(), k.type(), rsa));
    }
}
