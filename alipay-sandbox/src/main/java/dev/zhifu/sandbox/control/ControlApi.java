package dev.zhifu.sandbox.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.zhifu.sandbox.cert.SandboxCertificates;
import dev.zhifu.sandbox.faults.FaultPlan;
import dev.zhifu.sandbox.gateway.AlipayError;
import dev.zhifu.sandbox.http.FormCodec;
import dev.zhifu.sandbox.http.SandboxRequest;
import dev.zhifu.sandbox.http.SandboxResponse;
import dev.zhifu.sandbox.notify.NotificationCenter;
import dev.zhifu.sandbox.time.AlipayTime;
import dev.zhifu.sandbox.trade.Money;
import dev.zhifu.sandbox.trade.Refund;
import dev.zhifu.sandbox.trade.Trade;
import dev.zhifu.sandbox.trade.TradeDesk;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Buyer simulation, inspection and faults, JSON over HTTP (docs/sandbox.md#control-api). */
public final class ControlApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TradeDesk desk;
    private final NotificationCenter notifications;
    private final FaultPlan faults;
    private final SandboxCertificates certificates;
    private final Map<String, String> keys;

    public ControlApi(
            TradeDesk desk,
            NotificationCenter notifications,
            FaultPlan faults,
            SandboxCertificates certificates,
            Map<String, String> keys) {
        this.desk = desk;
        this.notifications = notifications;
        this.faults = faults;
        this.certificates = certificates;
        this.keys = keys;
    }

    /** Answers a control call below the sandbox area, or {@code null} when the path is not one. */
    public SandboxResponse handle(SandboxRequest request, String subPath) {
        String method = request.method();
        String[] parts = subPath.split("/");
        if (subPath.equals("/health")) {
            return SandboxResponse.json(200, "{\"status\":\"UP\"}");
        }
        if (parts.length >= 3 && parts[1].equals("trades")) {
            String outTradeNo = FormCodec.decodeComponent(parts[2], StandardCharsets.UTF_8);
            if (parts.length == 3 && method.equals("GET")) {
                ObjectNode trade = desk.read(outTradeNo, ControlApi::toJson);
                return trade == null ? error(404, "no trade with out_trade_no " + outTradeNo) : json(200, trade);
            }
            if (parts.length == 4 && method.equals("POST") && (parts[3].equals("scan") || parts[3].equals("pay"))) {
                try {
                    Trade t = parts[3].equals("scan") ? desk.scan(outTradeNo) : desk.buyerPays(outTradeNo);
                    return json(200, desk.read(t.outTradeNo(), ControlApi::toJson));
                } catch (AlipayError e) {
                    boolean missing = "ACQ.TRADE_NOT_EXIST".equals(e.result().subCode());
                    return error(
                            missing ? 404 : 409,
                            e.result().subCode() + ": " + e.result().fields().get("sub_msg"));
                }
            }
            return null;
        }
        if (subPath.equals("/notifications") && method.equals("GET")) {
            String outTradeNo =
                    FormCodec.decode(request.rawQuery(), StandardCharsets.UTF_8).get("out_trade_no");
            if (outTradeNo == null) {
                return error(400, "query parameter out_trade_no is required");
            }
            ObjectNode body = JSON.createObjectNode();
            body.set("data", notifications.describe(outTradeNo));
            return json(200, body);
        }
        if (subPath.equals("/faults")) {
            return faults(request);
        }
        if (subPath.equals("/keys") && method.equals("GET")) {
            ObjectNode body = JSON.createObjectNode();
            keys.forEach(body::put);
            body.put("alipay_cert_sn", certificates.alipayCertSn());
            body.put("alipay_root_cert_sn", certificates.rootCertSn());
            return json(200, body);
        }
        if (parts.length == 3 && parts[1].equals("certs") && method.equals("GET")) {
            String pem = switch (parts[2]) {
                case "alipayCertPublicKey_RSA2.crt" -> certificates.alipayCertPem();
                case "alipayRootCert.crt" -> certificates.rootCertPem();
                case "appCertPublicKey.crt" -> certificates.appCertPem();
                default -> null;
            };
            return pem == null
                    ? error(404, "certificates: alipayCertPublicKey_RSA2.crt, alipayRootCert.crt, appCertPublicKey.crt")
                    : SandboxResponse.of(200, "application/x-pem-file", pem.getBytes(StandardCharsets.US_ASCII));
        }
        return null;
    }

    private SandboxResponse faults(SandboxRequest request) {
        switch (request.method()) {
            case "GET" -> {
                ObjectNode body = JSON.createObjectNode();
                body.set("data", faults.describe());
                return json(200, body);
            }
            case "DELETE" -> {
                faults.clear();
                notifications.releaseHeld();
                ObjectNode body = JSON.createObjectNode();
                body.set("data", faults.describe());
                return json(200, body);
            }
            case "POST" -> {
                JsonNode parsed;
                try {
                    parsed = JSON.readTree(new String(request.body(), StandardCharsets.UTF_8));
                } catch (JsonProcessingException e) {
                    return error(400, "body is not JSON: " + e.getOriginalMessage());
                }
                List<String> added;
                try {
                    added = faults.add(parsed);
                } catch (IllegalArgumentException e) {
                    return error(400, e.getMessage());
                }
                ObjectNode body = JSON.createObjectNode();
                if (added.contains("rotate_alipay_cert")) {
                    body.put("alipay_cert_sn", certificates.rotate());
                }
                body.set("data", faults.describe());
                return json(200, body);
            }
            default -> {
                return error(405, "use GET, POST or DELETE");
            }
        }
    }

    static ObjectNode toJson(Trade t) {
        ObjectNode o = JSON.createObjectNode();
        o.put("out_trade_no", t.outTradeNo());
        o.put("trade_no", t.tradeNo());
        o.put("trade_status", t.status().name());
        o.put("total_amount", Money.format(t.totalAmount()));
        o.put("refunded_amount", Money.format(t.refundedAmount()));
        if (t.buyer() != null) {
            o.put("buyer_logon_id", t.buyer().logonId());
        } else {
            o.putNull("buyer_logon_id");
        }
        o.put("subject", t.subject());
        o.put("method", t.method());
        o.put("product_code", t.productCode());
        // false for a precreate QR code nobody scanned: alipay.trade.query answers ACQ.TRADE_NOT_EXIST
        o.put("exists_at_alipay", t.known());
        o.put("notify_url", t.notifyUrl());
        o.put("gmt_create", AlipayTime.format(t.gmtCreate()));
        o.put("gmt_payment", AlipayTime.format(t.gmtPayment()));
        o.put("gmt_close", AlipayTime.format(t.gmtClose()));
        o.put("time_expire", AlipayTime.format(t.expiresAt()));
        ArrayNode refunds = o.putArray("refunds");
        for (Refund r : t.refunds()) {
            refunds.addObject()
                    .put("out_request_no", r.outRequestNo())
                    .put("refund_amount", Money.format(r.amount()))
                    .put("gmt_refund", AlipayTime.formatMillis(r.at()));
        }
        return o;
    }

    private static SandboxResponse json(int status, JsonNode body) {
        return SandboxResponse.json(status, body.toString());
    }

    private static SandboxResponse error(int status, String message) {
        ObjectNode o = JSON.createObjectNode();
        o.put("error", message);
        return json(status, o);
    }
}
