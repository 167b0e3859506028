package dev.zhifu.payments.payments;

import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * What the other features read of payments (notifications, refunds, reconciliation, the admin console): a
 * payment and its anomalies, never a way to change them. Changes go through {@link PaymentLedger} and
 * {@link PaymentService}; the tables stay behind this package's repositories.
 */
@Component
public class PaymentQueries {

    private final PaymentRepository payments;
    private final AnomalyRepository anomalies;

    public PaymentQueries(PaymentRepository payments, AnomalyRepository anomalies) {
        this.payments = payments;
        this.anomalies = anomalies;
    }

    public Optional<Payment> find(String id) {
        return payments.find(id);
    }

    public Optional<Payment> findByOutTradeNo(String outTradeNo) {
        return payments.findByOutTradeNo(outTradeNo);
    }

    /** One read for a notification: the payment it is about, and the trace its span links to. */
    public Optional<TracedPayment> findTracedByOutTradeNo(String outTradeNo) {
        return payments.findTracedByOutTradeNo(outTradeNo);
    }

    public List<Anomaly> anomalies(String paymentId) {
        return anomalies.forPayment(paymentId);
    }
}
