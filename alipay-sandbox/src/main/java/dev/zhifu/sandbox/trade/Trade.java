package dev.zhifu.sandbox.trade;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One trade as Alipay keeps it. Mutable, guarded by the {@link TradeDesk}'s lock; everything outside the desk
 * reads it only inside a desk callback or through {@link TradeDesk#snapshot}.
 */
public final class Trade {

    final String tradeNo;
    final String outTradeNo;
    final String method;
    final String productCode;
    final BigDecimal totalAmount;
    final String subject;
    final String body;
    final String appId;
    final String sellerId;
    final String notifyUrl;
    final String returnUrl;
    final String charset;
    final String passbackParams;
    final String storeId;
    final String operatorId;
    final String terminalId;
    final Instant gmtCreate;
    final Instant expiresAt;
    final String cashierToken;

    TradeStatus status = TradeStatus.WAIT_BUYER_PAY;
    /** False for a precreate trade nobody has scanned yet: Alipay does not know it (docs/alipay-protocol.md#s11.1). */
    boolean known;

    Buyer buyer;
    Instant gmtPayment;
    Instant gmtClose;
    final Map<String, Refund> refunds = new LinkedHashMap<>();

    Trade(Builder b) {
        this.tradeNo = b.tradeNo;
        this.outTradeNo = b.outTradeNo;
        this.method = b.method;
        this.productCode = b.productCode;
        this.totalAmount = b.totalAmount;
        this.subject = b.subject;
        this.body = b.body;
        this.appId = b.appId;
        this.sellerId = b.sellerId;
        this.notifyUrl = b.notifyUrl;
        this.returnUrl = b.returnUrl;
        this.charset = b.charset;
        this.passbackParams = b.passbackParams;
        this.storeId = b.storeId;
        this.operatorId = b.operatorId;
        this.terminalId = b.terminalId;
        this.gmtCreate = b.gmtCreate;
        this.expiresAt = b.expiresAt;
        this.cashierToken = b.cashierToken;
        this.known = b.known;
    }

    static final class Builder {
        String tradeNo;
        String outTradeNo;
        String method;
        String productCode;
        BigDecimal totalAmount;
        String subject;
        String body;
        String appId;
        String sellerId;
        String notifyUrl;
        String returnUrl;
        String charset;
        String passbackParams;
        String storeId;
        String operatorId;
        String terminalId;
        Instant gmtCreate;
        Instant expiresAt;
        String cashierToken;
        boolean known;
    }

    public String tradeNo() {
        return tradeNo;
    }

    public String outTradeNo() {
        return outTradeNo;
    }

    public String method() {
        return method;
    }

    public String productCode() {
        return productCode;
    }

    public BigDecimal totalAmount() {
        return totalAmount;
    }

    public String subject() {
        return subject;
    }

    public String body() {
        return body;
    }

    public String appId() {
        return appId;
    }

    public String sellerId() {
        return sellerId;
    }

    public String notifyUrl() {
        return notifyUrl;
    }

    public String returnUrl() {
        return returnUrl;
    }

    public String charset() {
        return charset;
    }

    public String passbackParams() {
        return passbackParams;
    }

    public String storeId() {
        return storeId;
    }

    public String operatorId() {
        return operatorId;
    }

    public String terminalId() {
        return terminalId;
    }

    public Instant gmtCreate() {
        return gmtCreate;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public String cashierToken() {
        return cashierToken;
    }

    public TradeStatus status() {
        return status;
    }

    public boolean known() {
        return known;
    }

    public Buyer buyer() {
        return buyer;
    }

    public Instant gmtPayment() {
        return gmtPayment;
    }

    public Instant gmtClose() {
        return gmtClose;
    }

    public List<Refund> refunds() {
        return List.copyOf(new ArrayList<>(refunds.values()));
    }

    public BigDecimal refundedAmount() {
        return refunds.values().stream().map(Refund::amount).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
    }

    public boolean paid() {
        return gmtPayment != null;
    }
}
