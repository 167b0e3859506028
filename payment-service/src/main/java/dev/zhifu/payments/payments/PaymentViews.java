package dev.zhifu.payments.payments;

import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Component
public class PaymentViews {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final TypeReference<java.util.LinkedHashMap<String, String>> PARAMETERS = new TypeReference<>() {};

    private final JsonMapper json;
    private final AnomalyRepository anomalies;

    public PaymentViews(JsonMapper json, AnomalyRepository anomalies) {
        this.json = json;
        this.anomalies = anomalies;
    }

    public PaymentView of(Payment p) {
        PaymentView.Action action = null;
        if (p.actionType() != null && p.status() == PaymentStatus.PENDING) {
            action = switch (p.actionType()) {
                case "redirect" -> new PaymentView.Action("redirect", p.actionValue(), null, null, null);
                case "qr_code" -> new PaymentView.Action("qr_code", null, p.actionValue(), null, null);
                case "app" -> new PaymentView.Action("app", null, null, p.actionValue(), null);
                // WeChat Pay's signed parameters, stored as JSON
                case "app_parameters" ->
                    new PaymentView.Action("app", null, null, null, json.readValue(p.actionValue(), PARAMETERS));
                case "jsapi" ->
                    new PaymentView.Action("jsapi", null, null, null, json.readValue(p.actionValue(), PARAMETERS));
                default -> null;
            };
        }
        List<PaymentView.AnomalyView> found = anomalies.forPayment(p.id()).stream()
                .map(a -> new PaymentView.AnomalyView(
                        a.kind(), a.tradeNo(), Money.format(a.amount()), a.detectedAt(), a.resolvedAt(), a.detail()))
                .toList();
        return new PaymentView(
                p.id(),
                p.outTradeNo(),
                p.tradeNo(),
                p.channel() == null ? null : p.channel().wire(),
                p.status().name(),
                Money.format(p.amount()),
                Money.format(p.refundedAmount()),
                p.subject(),
                p.method().wire(),
                p.createdAt(),
                p.paidAt(),
                p.expiresAt(),
                p.closedAt(),
                p.metadataJson() == null ? null : json.readValue(p.metadataJson(), MAP),
                action,
                p.failureCode() == null ? null : new PaymentView.Failure(p.failureCode(), p.failureMessage()),
                found);
    }
}
