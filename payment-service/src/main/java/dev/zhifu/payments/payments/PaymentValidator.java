package dev.zhifu.payments.payments;

import dev.zhifu.payments.alipay.Urls;
import dev.zhifu.payments.secrets.Hashing;
import dev.zhifu.payments.web.FieldErrors;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Checks a create request against docs/rest-api.md#create and reports every problem at once. */
@Component
public class PaymentValidator {

    private static final Pattern OUT_TRADE_NO = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern AUTH_CODE = Pattern.compile("\\d{16,24}");
    /** WeChat Pay's own rule for merchant order numbers is 6-32 characters; ours is its subset without | * @. */
    private static final Pattern WECHAT_OUT_TRADE_NO = Pattern.compile("[A-Za-z0-9_-]{6,32}");

    private static final Pattern OPENID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    /** "page, wap, …, wechat_app or any_qr": every method, in the enum's order. */
    static final String METHODS = methods();
    /** Alipay's limit on passback_params, which carries the metadata URL-encoded (docs/alipay-protocol.md#s11.4). */
    static final int PASSBACK_LIMIT = 512;

    private final JsonMapper json;

    public PaymentValidator(JsonMapper json) {
        this.json = json;
    }

    public CheckedPayment check(CreatePaymentRequest r) {
        FieldErrors errors = new FieldErrors();
        if (r == null) {
            errors.reject("body", "a JSON object is required").throwIfAny();
        }
        String outTradeNo = r.outTradeNo();
        if (outTradeNo != null && !OUT_TRADE_NO.matcher(outTradeNo).matches()) {
            errors.reject("out_trade_no", "1-64 letters, digits, '_' or '-'");
        }
        BigDecimal amount = null;
        if (r.amount() == null || r.amount().isBlank()) {
            errors.reject("amount", "required, a decimal string such as \"9.90\"");
        } else if ((amount = Money.parse(r.amount().strip())) == null) {
            errors.reject("amount", "must be 0.01 to 100000000.00 with at most 2 decimals");
        }
        String subject = r.subject() == null ? null : r.subject().strip();
        if (subject == null || subject.isEmpty()) {
            errors.reject("subject", "required, 1-256 characters");
        } else if (subject.codePointCount(0, subject.length()) > 256) {
            errors.reject("subject", "at most 256 characters");
        }
        PaymentMethod method = null;
        if (r.method() == null || r.method().isBlank()) {
            errors.reject("method", "required: " + METHODS);
        } else if ((method = PaymentMethod.fromWire(r.method().strip())) == null) {
            errors.reject("method", "one of " + METHODS);
        }
        if (method != null && method.mayUseWechatPay()) {
            if (outTradeNo != null && !WECHAT_OUT_TRADE_NO.matcher(outTradeNo).matches()) {
                errors.reject(
                        "out_trade_no", "6-32 letters, digits, '_' or '-' for WeChat Pay (" + method.wire() + ")");
            }
        }
        String openid = r.openid() == null ? null : r.openid().strip();
        if (method == PaymentMethod.WECHAT_JSAPI) {
            if (openid == null || openid.isEmpty()) {
                errors.reject("openid", "required for wechat_jsapi: the payer's openid for the configured appid");
            } else if (!OPENID.matcher(openid).matches()) {
                errors.reject("openid", "1-128 letters, digits, '_' or '-'");
            }
        } else if (openid != null && method != null) {
            errors.reject("openid", "only for method wechat_jsapi");
        }
        String clientIp = r.clientIp() == null ? null : r.clientIp().strip();
        if (method == PaymentMethod.WECHAT_H5) {
            if (clientIp == null || clientIp.isEmpty()) {
                errors.reject("client_ip", "required for wechat_h5: the buyer's IP address");
            } else if (!IpAddresses.isLiteral(clientIp)) {
                errors.reject("client_ip", "an IPv4 or IPv6 address");
            }
        } else if (clientIp != null && method != null) {
            errors.reject("client_ip", "only for method wechat_h5");
        }
        String authCode = r.authCode() == null ? null : r.authCode().strip();
        if (method == PaymentMethod.BARCODE) {
            if (authCode == null || authCode.isEmpty()) {
                errors.reject("auth_code", "required for barcode: the buyer's payment code");
            } else if (!AUTH_CODE.matcher(authCode).matches()) {
                errors.reject("auth_code", "16-24 digits");
            }
        } else if (authCode != null && method != null) {
            errors.reject("auth_code", "only for method barcode");
        }
        String returnUrl = r.returnUrl() == null ? null : r.returnUrl().strip();
        if (returnUrl != null) {
            if (method != null && !method.isBrowser() && method != PaymentMethod.WECHAT_H5) {
                errors.reject("return_url", "only for methods page, wap and wechat_h5");
            } else if (!Urls.isHttp(returnUrl) || returnUrl.length() > 512) {
                errors.reject("return_url", "an http(s) URL of at most 512 characters");
            }
        }
        int expire = r.expireMinutes() == null ? 30 : r.expireMinutes();
        if (expire < 1 || expire > 1440) {
            errors.reject("expire_minutes", "1 to 1440");
        }
        String metadataJson = null;
        if (r.metadata() != null) {
            metadataJson = json.writeValueAsString(sorted(r.metadata()));
            if (URLEncoder.encode(metadataJson, StandardCharsets.UTF_8).length() > PASSBACK_LIMIT) {
                errors.reject(
                        "metadata",
                        "at most " + PASSBACK_LIMIT + " characters once URL-encoded "
                                + "(Alipay's passback_params limit)");
            }
        }
        errors.throwIfAny();

        Map<String, Object> canonical = new LinkedHashMap<>();
        canonical.put("out_trade_no", outTradeNo);
        canonical.put("amount", Money.format(amount));
        canonical.put("subject", subject);
        canonical.put("method", method.wire());
        canonical.put("auth_code", authCode);
        canonical.put("return_url", returnUrl);
        canonical.put("expire_minutes", expire);
        canonical.put("metadata", metadataJson);
        // only when given, so that the hash of every request without them stays what it was
        if (openid != null) {
            canonical.put("openid", openid);
        }
        if (clientIp != null) {
            canonical.put("client_ip", clientIp);
        }
        String hash = Hashing.sha256Hex(json.writeValueAsString(canonical));
        return new CheckedPayment(
                outTradeNo, amount, subject, method, authCode, returnUrl, expire, metadataJson, openid, clientIp, hash);
    }

    @SuppressWarnings("unchecked")
    private static Object sorted(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new TreeMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), sorted(v)));
            return out;
        }
        if (value instanceof java.util.List<?> list) {
            return list.stream().map(PaymentValidator::sorted).toList();
        }
        return value;
    }

    private static String methods() {
        List<String> wires =
                Arrays.stream(PaymentMethod.values()).map(PaymentMethod::wire).toList();
        return String.join(", ", wires.subList(0, wires.size() - 1)) + " or " + wires.get(wires.size() - 1);
    }
}
