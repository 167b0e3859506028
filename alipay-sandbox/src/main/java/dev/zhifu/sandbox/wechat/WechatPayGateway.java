package dev.zhifu.sandbox.wechat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.zhifu.sandbox.faults.FaultPlan;
import dev.zhifu.sandbox.http.FormCodec;
import dev.zhifu.sandbox.http.SandboxRequest;
import dev.zhifu.sandbox.http.SandboxResponse;
import dev.zhifu.sandbox.wechat.auth.CertificatesApi;
import dev.zhifu.sandbox.wechat.auth.MerchantAuthorization;
import dev.zhifu.sandbox.wechat.auth.PlatformSigner;
import dev.zhifu.sandbox.wechat.bill.TradeBillApi;
import dev.zhifu.sandbox.wechat.pay.PayApi;
import dev.zhifu.sandbox.wechat.pay.TradeType;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * WeChat Pay API v3 on the sandbox's port: every {@code /v3/...} call is checked against the merchant's key, routed,
 * and answered signed with the sandbox's key. Errors are signed too, as WeChat Pay signs them.
 */
public final class WechatPayGateway {

    private final MerchantAuthorization authorization;
    private final PlatformSigner signer;
    private final PayApi pay;
    private final CertificatesApi certificates;
    private final TradeBillApi bills;
    private final FaultPlan faults;

    public WechatPayGateway(
            MerchantAuthorization authorization,
            PlatformSigner signer,
            PayApi pay,
            CertificatesApi certificates,
            TradeBillApi bills,
            FaultPlan faults) {
        this.authorization = authorization;
        this.signer = signer;
        this.pay = pay;
        this.certificates = certificates;
        this.bills = bills;
        this.faults = faults;
    }

    /** Answers {@code /v3/...}; {@code v3Path} starts with {@code /v3/}, below any base path. */
    public SandboxResponse handle(SandboxRequest request, String v3Path) {
        PlatformSigner.Mode mode = modeFor(request, v3Path);
        try {
            String pathAndQuery = request.path() + (request.rawQuery().isEmpty() ? "" : "?" + request.rawQuery());
            authorization.verify(request.method(), pathAndQuery, request.header("Authorization"), request.body());
            signer.rememberMerchantMode(mode);
            if (v3Path.equals("/v3/billdownload/file") && request.method().equals("GET")) {
                // the file comes bare, unsigned: its SHA-1 came in the signed tradebill or fundflowbill answer
                return bills.download(FormCodec.decode(request.rawQuery(), StandardCharsets.UTF_8));
            }
            String operation = operation(request.method(), v3Path);
            FaultPlan.GatewayFault fault = faults.takeGatewayFault(operation);
            if (fault != null) {
                return faulty(fault, () -> route(request, v3Path), mode);
            }
            return signed(route(request, v3Path), mode);
        } catch (WechatPayError e) {
            return signed(error(e), mode);
        }
    }

    private PlatformSigner.Mode modeFor(SandboxRequest request, String v3Path) {
        String serial = request.header(PlatformSigner.SERIAL_HEADER);
        boolean certificate = v3Path.equals("/v3/certificates")
                || (serial != null && serial.equalsIgnoreCase(signer.certificateSerial()));
        return certificate ? PlatformSigner.Mode.CERTIFICATE : PlatformSigner.Mode.PUBLIC_KEY;
    }

    /** The names {@code gateway_error} faults select WeChat Pay calls by (see docs/sandbox.md). */
    static String operation(String method, String v3Path) {
        String[] p = v3Path.split("/");
        if (v3Path.startsWith("/v3/pay/transactions/out-trade-no/")) {
            return p.length == 7 ? "wechatpay.close" : "wechatpay.query";
        }
        if (v3Path.startsWith("/v3/pay/transactions/id/")) {
            return "wechatpay.query";
        }
        if (v3Path.startsWith("/v3/pay/transactions/") && p.length == 5) {
            return "wechatpay.pay." + p[4];
        }
        if (v3Path.startsWith("/v3/refund/domestic/refunds")) {
            return method.equals("POST") ? "wechatpay.refund" : "wechatpay.refund.query";
        }
        if (v3Path.equals("/v3/bill/tradebill")) {
            return "wechatpay.tradebill";
        }
        if (v3Path.equals("/v3/bill/fundflowbill")) {
            return "wechatpay.fundflowbill";
        }
        return v3Path.equals("/v3/certificates") ? "wechatpay.certificates" : "wechatpay.other";
    }

    private ApiAnswer route(SandboxRequest request, String v3Path) {
        String[] p = v3Path.split("/");
        String method = request.method();
        Map<String, String> query = FormCodec.decode(request.rawQuery(), StandardCharsets.UTF_8);
        if (p.length == 5 && v3Path.startsWith("/v3/pay/transactions/") && method.equals("POST")) {
            TradeType type = TradeType.ofPath(p[4]);
            if (type != null) {
                return pay.prepay(type, request.body(), request.origin());
            }
        }
        if (p.length == 6 && v3Path.startsWith("/v3/pay/transactions/out-trade-no/") && method.equals("GET")) {
            return pay.queryByOutTradeNo(decode(p[5]), query.get("mchid"));
        }
        if (p.length == 6 && v3Path.startsWith("/v3/pay/transactions/id/") && method.equals("GET")) {
            return pay.queryByTransactionId(decode(p[5]), query.get("mchid"));
        }
        if (p.length == 7
                && v3Path.startsWith("/v3/pay/transactions/out-trade-no/")
                && p[6].equals("close")
                && method.equals("POST")) {
            return pay.close(decode(p[5]), request.body());
        }
        if (v3Path.equals("/v3/refund/domestic/refunds") && method.equals("POST")) {
            return pay.refund(request.body());
        }
        if (p.length == 6 && v3Path.startsWith("/v3/refund/domestic/refunds/") && method.equals("GET")) {
            return pay.refundQuery(decode(p[5]));
        }
        if (v3Path.equals("/v3/bill/tradebill") && method.equals("GET")) {
            return bills.query(query, request.origin());
        }
        if (v3Path.equals("/v3/bill/fundflowbill") && method.equals("GET")) {
            return bills.fundFlow(query, request.origin());
        }
        if (v3Path.equals("/v3/certificates") && method.equals("GET")) {
            return certificates.download();
        }
        throw new WechatPayError(404, "RESOURCE_NOT_EXISTS", "沙箱不提供 " + method + " " + v3Path);
    }

    private static String decode(String segment) {
        return FormCodec.decodeComponent(segment, StandardCharsets.UTF_8);
    }

    private SandboxResponse faulty(FaultPlan.GatewayFault fault, Supplier<ApiAnswer> work, PlatformSigner.Mode mode) {
        ApiAnswer done = null;
        if (fault.apply()) { // WeChat Pay did the work but the merchant never hears of it
            try {
                done = work.get();
            } catch (WechatPayError e) {
                done = error(e);
            }
        }
        switch (fault.answer()) {
            case HTTP_502 -> {
                return SandboxResponse.html(502, "<html><body><h1>502 Bad Gateway</h1></body></html>");
            }
            case TIMEOUT -> {
                try {
                    Thread.sleep(fault.hang().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return done != null
                        ? signed(done, mode)
                        : SandboxResponse.html(504, "<html><body><h1>504 Gateway Time-out</h1></body></html>");
            }
            default -> {
                return signed(error(new WechatPayError(500, "SYSTEM_ERROR", "系统错误")), mode);
            }
        }
    }

    private static ApiAnswer error(WechatPayError e) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("code", e.code());
        body.put("message", e.getMessage());
        return new ApiAnswer(e.status(), body.toString());
    }

    private SandboxResponse signed(ApiAnswer answer, PlatformSigner.Mode mode) {
        Map<String, String> headers = new LinkedHashMap<>(signer.sign(answer.body(), mode));
        headers.put("Request-ID", "08" + Long.toHexString(System.nanoTime()).toUpperCase(java.util.Locale.ROOT));
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        if (body.length > 0) {
            headers.put("Content-Type", "application/json; charset=utf-8");
        }
        return new SandboxResponse(answer.status(), headers, body);
    }
}
