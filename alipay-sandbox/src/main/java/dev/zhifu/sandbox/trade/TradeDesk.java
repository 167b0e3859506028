package dev.zhifu.sandbox.trade;

import dev.zhifu.sandbox.gateway.AlipayError;
import dev.zhifu.sandbox.gateway.ApiResult;
import dev.zhifu.sandbox.gateway.BizContent;
import dev.zhifu.sandbox.gateway.GatewayCall;
import dev.zhifu.sandbox.time.AlipayTime;
import dev.zhifu.sandbox.time.Scheduler;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the trades and applies Alipay's trade rules (docs/alipay-protocol.md#s11): creation and {@code out_trade_no} reuse,
 * payment, close, cancel, refunds, expiry. One lock for everything: a sandbox favours obviousness over
 * throughput.
 */
public final class TradeDesk {

    /** Auth code prefixes that choose the outcome of {@code alipay.trade.pay} (documented in README). */
    public static final String AUTH_CODE_PAYS_AT_ONCE = "28";

    public static final String AUTH_CODE_USER_PAYING = "26";
    public static final String AUTH_CODE_INVALID = "25";
    public static final String AUTH_CODE_BALANCE_NOT_ENOUGH = "27";

    private static final Pattern AUTH_CODE = Pattern.compile("(2[5-9]|30)\\d{14,22}");
    private static final Pattern TIMEOUT_EXPRESS = Pattern.compile("(\\d{1,5})([mhd])|1c");
    private static final Duration FACE_TO_FACE_DEFAULT_TIMEOUT = Duration.ofHours(3);
    private static final Duration CASHIER_DEFAULT_TIMEOUT = Duration.ofDays(15);
    private static final Duration CANCEL_WINDOW = Duration.ofHours(24);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    private static final Map<String, Set<String>> PRODUCT_CODES = Map.of(
            "alipay.trade.precreate", Set.of("FACE_TO_FACE_PAYMENT", "QR_CODE_OFFLINE"),
            "alipay.trade.pay", Set.of("FACE_TO_FACE_PAYMENT"),
            "alipay.trade.create", Set.of("FACE_TO_FACE_PAYMENT", "JSAPI_PAY"),
            "alipay.trade.page.pay", Set.of("FAST_INSTANT_TRADE_PAY"),
            "alipay.trade.wap.pay", Set.of("QUICK_WAP_WAY"),
            "alipay.trade.app.pay", Set.of("QUICK_MSECURITY_PAY", "CYCLE_PAY_AUTH"));

    private final Clock clock;
    private final Scheduler scheduler;
    private final TradeEvents events;
    private final String sellerId;
    private final Duration userPayingDelay;
    private final Map<String, Trade> byOutTradeNo = new LinkedHashMap<>();
    /** Unpaid trades by expiry, so closing the expired ones costs only them, not a walk over every trade. */
    private final java.util.PriorityQueue<Trade> byExpiry =
            new java.util.PriorityQueue<>(java.util.Comparator.comparing(Trade::expiresAt));

    private final Map<String, Trade> byTradeNo = new LinkedHashMap<>();
    private final Map<String, Trade> byToken = new LinkedHashMap<>();
    private final AtomicLong sequence;
    private final SecureRandom random = new SecureRandom();

    public TradeDesk(Clock clock, Scheduler scheduler, TradeEvents events, String sellerId, Duration userPayingDelay) {
        this.clock = clock;
        this.scheduler = scheduler;
        this.events = events;
        this.sellerId = sellerId;
        this.userPayingDelay = userPayingDelay;
        // trade numbers stay unique across restarts of a long-lived demo (the merchant's database keeps them)
        this.sequence = new AtomicLong((System.currentTimeMillis() % 100_000_000L) * 10_000L);
    }

    // ---------------------------------------------------------------- creation

    /** {@code alipay.trade.precreate}: a QR code; the trade stays unknown to queries until scanned. */
    public synchronized ApiResult precreate(BizContent biz, GatewayCall call) {
        Trade trade = open(biz, call, false);
        return ApiResult.success().with("out_trade_no", trade.outTradeNo).with("qr_code", qrCode(trade, call));
    }

    public static String qrCodePath(Trade trade) {
        return "/qr/" + trade.cashierToken;
    }

    private static String qrCode(Trade trade, GatewayCall call) {
        return call.areaUrl(qrCodePath(trade));
    }

    /** {@code alipay.trade.create}: a trade that exists at once (JSAPI / mini program flows). */
    public synchronized ApiResult create(BizContent biz, GatewayCall call) {
        Trade trade = open(biz, call, true);
        return ApiResult.success().with("out_trade_no", trade.outTradeNo).with("trade_no", trade.tradeNo);
    }

    /** page / wap / app pay: the trade the cashier (or the app) will pay. */
    public synchronized Trade openCashierTrade(BizContent biz, GatewayCall call) {
        return open(biz, call, true);
    }

    /** {@code alipay.trade.pay}: the merchant scanned the buyer's payment code. */
    public synchronized ApiResult pay(BizContent biz, GatewayCall call) {
        String scene = biz.required("scene", 32);
        if (!scene.equals("bar_code") && !scene.equals("security_code") && !scene.equals("wave_code")) {
            throw AlipayError.invalidParameter("scene 取值错误：" + scene);
        }
        String authCode = biz.required("auth_code", 64);
        if (!AUTH_CODE.matcher(authCode).matches() || authCode.startsWith(AUTH_CODE_INVALID)) {
            throw AlipayError.business(
                    "ACQ.PAYMENT_AUTH_CODE_INVALID",
                    "支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款，如再次收款失败，请联系管理员处理。[SOUNDWAVE_PARSER_FAIL]");
        }
        if (authCode.startsWith(AUTH_CODE_BALANCE_NOT_ENOUGH)) {
            throw AlipayError.business("ACQ.BUYER_BALANCE_NOT_ENOUGH", "买家余额不足");
        }
        Trade trade = open(biz, call, true);
        trade.buyer = Buyer.DEFAULT;
        if (authCode.startsWith(AUTH_CODE_USER_PAYING)) {
            String outTradeNo = trade.outTradeNo;
            scheduler.schedule(userPayingDelay, () -> buyerConfirms(outTradeNo));
            return payFields(ApiResult.userPaying(), trade);
        }
        settle(trade);
        return payFields(ApiResult.success(), trade);
    }

    private synchronized void buyerConfirms(String outTradeNo) {
        Trade trade = byOutTradeNo.get(outTradeNo);
        if (trade != null && trade.status == TradeStatus.WAIT_BUYER_PAY) {
            expireIfDue(trade);
            if (trade.status == TradeStatus.WAIT_BUYER_PAY) {
                settle(trade);
            }
        }
    }

    private ApiResult payFields(ApiResult result, Trade trade) {
        result.with("trade_no", trade.tradeNo)
                .with("out_trade_no", trade.outTradeNo)
                .with("buyer_logon_id", trade.buyer.logonId())
                .with("total_amount", Money.format(trade.totalAmount));
        if (trade.paid()) {
            String amount = Money.format(trade.totalAmount);
            result.with("receipt_amount", amount)
                    .with("buyer_pay_amount", amount)
                    .with("point_amount", "0.00")
                    .with("invoice_amount", amount)
                    .with("gmt_payment", AlipayTime.format(trade.gmtPayment))
                    .with("fund_bill_list", fundBills(trade));
        }
        return result.with("buyer_user_id", trade.buyer.userId());
    }

    private Trade open(BizContent biz, GatewayCall call, boolean known) {
        expireDue();
        String outTradeNo = biz.merchantNo("out_trade_no", true);
        BigDecimal total = Money.parse("total_amount", biz.required("total_amount"));
        String subject = biz.required("subject", 256);
        String body = biz.optional("body", 128);
        String productCode = productCode(biz, call.method());
        String seller = biz.optional("seller_id", 28);
        if (seller != null && !seller.equals(sellerId)) {
            throw AlipayError.business("ACQ.PARTNER_ERROR", "卖家 " + seller + " 与应用不匹配");
        }
        String passback = biz.optional("passback_params", 512);
        Instant now = clock.instant();
        Instant expiresAt = expiry(biz, call.method(), now);

        Trade existing = byOutTradeNo.get(outTradeNo);
        if (existing != null) {
            expireIfDue(existing);
            if (existing.totalAmount.compareTo(total) != 0
                    || !existing.subject.equals(subject)
                    || !existing.productCode.equals(productCode)) {
                throw AlipayError.business(
                        "ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改：out_trade_no " + outTradeNo + " 已用于不同的订单信息");
            }
            if (existing.paid()) {
                throw AlipayError.business("ACQ.TRADE_HAS_SUCCESS", "交易已被支付");
            }
            if (existing.status == TradeStatus.TRADE_CLOSED) {
                throw AlipayError.business("ACQ.TRADE_HAS_CLOSE", "交易已经关闭");
            }
            existing.known |= known;
            return existing;
        }
        Trade.Builder b = new Trade.Builder();
        b.tradeNo = nextTradeNo(now);
        b.outTradeNo = outTradeNo;
        b.method = call.method();
        b.productCode = productCode;
        b.totalAmount = total;
        b.subject = subject;
        b.body = body;
        b.appId = call.param("app_id");
        b.sellerId = sellerId;
        b.notifyUrl = blankToNull(call.param("notify_url"));
        b.returnUrl = blankToNull(call.param("return_url"));
        b.charset = call.charsetName();
        b.passbackParams = passback;
        b.storeId = biz.optional("store_id", 32);
        b.operatorId = biz.optional("operator_id", 28);
        b.terminalId = biz.optional("terminal_id", 32);
        b.gmtCreate = now;
        b.expiresAt = expiresAt;
        b.cashierToken = HexFormat.of().formatHex(randomBytes());
        b.known = known;
        Trade trade = new Trade(b);
        byOutTradeNo.put(outTradeNo, trade);
        byExpiry.add(trade);
        byTradeNo.put(trade.tradeNo, trade);
        byToken.put(trade.cashierToken, trade);
        return trade;
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String productCode(BizContent biz, String method) {
        Set<String> allowed = PRODUCT_CODES.get(method);
        String code = biz.optional("product_code", 64);
        boolean required = method.equals("alipay.trade.page.pay") || method.equals("alipay.trade.wap.pay");
        if (code == null) {
            if (required) {
                throw AlipayError.invalidParameter("缺少必选参数 product_code（" + String.join("/", allowed) + "）");
            }
            return allowed.contains("FACE_TO_FACE_PAYMENT") ? "FACE_TO_FACE_PAYMENT" : "QUICK_MSECURITY_PAY";
        }
        if (!allowed.contains(code)) {
            throw AlipayError.business("ACQ.ACCESS_FORBIDDEN", "product_code " + code + " 未签约或不适用于 " + method);
        }
        return code;
    }

    private Instant expiry(BizContent biz, String method, Instant now) {
        String timeExpire = biz.text("time_expire");
        if (timeExpire != null) { // time_expire wins over timeout_express (docs/alipay-protocol.md#s11)
            Instant at = AlipayTime.parse(timeExpire);
            if (at == null) {
                throw AlipayError.invalidParameter("time_expire 格式应为 yyyy-MM-dd HH:mm:ss");
            }
            if (!at.isAfter(now)) {
                throw AlipayError.invalidParameter("time_expire 已过期");
            }
            return at;
        }
        String express = biz.text("timeout_express");
        boolean faceToFace = method.equals("alipay.trade.precreate")
                || method.equals("alipay.trade.pay")
                || method.equals("alipay.trade.create");
        if (express == null) {
            return now.plus(faceToFace ? FACE_TO_FACE_DEFAULT_TIMEOUT : CASHIER_DEFAULT_TIMEOUT);
        }
        Matcher m = TIMEOUT_EXPRESS.matcher(express);
        if (!m.matches()) {
            throw AlipayError.invalidParameter("timeout_express 格式错误：取值范围 1m～15d，只能是整数（如 90m），或 1c");
        }
        if (express.equals("1c")) { // closes at midnight of the trade's day, GMT+8
            return LocalDate.ofInstant(now, AlipayTime.ZONE)
                    .plusDays(1)
                    .atStartOfDay()
                    .toInstant(AlipayTime.ZONE);
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.compareTo(Duration.ofMinutes(1)) < 0 || d.compareTo(Duration.ofDays(15)) > 0) {
            throw AlipayError.invalidParameter("timeout_express 取值范围 1m～15d");
        }
        return now.plus(d);
    }

    private String nextTradeNo(Instant now) {
        // shape of real trade numbers: yyyyMMdd + 22001 + 15 digits (28 chars)
        String n = Long.toString(sequence.incrementAndGet());
        return DAY.format(now.atOffset(AlipayTime.ZONE)) + "22001" + "0".repeat(Math.max(0, 15 - n.length())) + n;
    }

    // ---------------------------------------------------------------- buyer actions

    /** The buyer scans the QR code (or opens the cashier): the trade now exists at Alipay. */
    public synchronized Trade scan(String outTradeNo) {
        Trade trade = requireAny(outTradeNo);
        expireIfDue(trade);
        trade.known = true;
        if (trade.buyer == null && trade.status == TradeStatus.WAIT_BUYER_PAY) {
            trade.buyer = Buyer.DEFAULT;
        }
        return trade;
    }

    /** The buyer pays, scanning first where needed; answers the trade or throws with the reason. */
    public synchronized Trade buyerPays(String outTradeNo) {
        Trade trade = scan(outTradeNo);
        if (trade.status == TradeStatus.WAIT_BUYER_PAY) {
            settle(trade);
        } else if (!trade.paid()) {
            throw AlipayError.business("ACQ.TRADE_HAS_CLOSE", "交易已经关闭，无法支付");
        }
        return trade;
    }

    /** The trade behind a cashier / QR link, or {@code null}. */
    public synchronized Trade byCashierToken(String token) {
        Trade trade = byToken.get(token);
        if (trade != null) {
            expireIfDue(trade);
        }
        return trade;
    }

    /** Runs {@code reader} on the trade under the desk's lock; {@code null} when no such out_trade_no. */
    public synchronized <T> T read(String outTradeNo, Function<Trade, T> reader) {
        Trade trade = byOutTradeNo.get(outTradeNo);
        if (trade != null) {
            expireIfDue(trade);
        }
        return trade == null ? null : reader.apply(trade);
    }

    private Trade requireAny(String outTradeNo) {
        Trade trade = byOutTradeNo.get(outTradeNo);
        if (trade == null) {
            throw AlipayError.business("ACQ.TRADE_NOT_EXIST", "交易不存在：" + outTradeNo);
        }
        return trade;
    }

    private void settle(Trade trade) {
        trade.known = true;
        trade.buyer = Buyer.DEFAULT;
        trade.status = TradeStatus.TRADE_SUCCESS;
        trade.gmtPayment = clock.instant();
        events.paid(trade);
    }

    // ---------------------------------------------------------------- merchant calls on existing trades

    /** Finds a trade by {@code trade_no} (wins) or {@code out_trade_no}, as Alipay would (unscanned QR: none). */
    private Trade locate(BizContent biz) {
        String tradeNo = biz.optional("trade_no", 64);
        String outTradeNo = biz.merchantNo("out_trade_no", false);
        if (tradeNo == null && outTradeNo == null) {
            throw AlipayError.invalidParameter("out_trade_no 和 trade_no 不能同时为空");
        }
        // docs/alipay-protocol.md#s11.7: when both are given, trade_no alone decides
        Trade trade = tradeNo != null ? byTradeNo.get(tradeNo) : byOutTradeNo.get(outTradeNo);
        if (trade == null || !trade.known) {
            throw AlipayError.business("ACQ.TRADE_NOT_EXIST", "交易不存在");
        }
        expireIfDue(trade);
        return trade;
    }

    public synchronized ApiResult query(BizContent biz) {
        expireDue();
        Trade t = locate(biz);
        ApiResult r = ApiResult.success().with("trade_no", t.tradeNo).with("out_trade_no", t.outTradeNo);
        if (t.buyer != null) {
            r.with("buyer_logon_id", t.buyer.logonId());
        }
        r.with("trade_status", t.status.name()).with("total_amount", Money.format(t.totalAmount));
        String paid = t.paid() ? Money.format(t.totalAmount) : "0.00";
        r.with("buyer_pay_amount", paid)
                .with("point_amount", "0.00")
                .with("invoice_amount", paid)
                .with("receipt_amount", paid);
        if (t.paid()) {
            r.with("send_pay_date", AlipayTime.format(t.gmtPayment));
        }
        r.with("store_id", t.storeId).with("terminal_id", t.terminalId);
        if (t.buyer != null) {
            r.with("buyer_user_id", t.buyer.userId()).with("buyer_user_type", "PRIVATE");
        }
        if (t.paid()) {
            r.with("fund_bill_list", fundBills(t));
        }
        return r.with("passback_params", t.passbackParams);
    }

    private static List<Map<String, String>> fundBills(Trade t) {
        Map<String, String> bill = new LinkedHashMap<>();
        bill.put("amount", Money.format(t.totalAmount));
        bill.put("fund_channel", "ALIPAYACCOUNT");
        return List.of(bill);
    }

    public synchronized ApiResult close(BizContent biz) {
        expireDue();
        Trade t = locate(biz);
        biz.optional("operator_id", 28);
        if (t.paid()) {
            throw AlipayError.business("ACQ.TRADE_STATUS_ERROR", "交易状态不合法：" + t.status + " 的交易不能关闭");
        }
        if (t.status == TradeStatus.WAIT_BUYER_PAY) {
            closeUnpaid(t);
        }
        return ApiResult.success().with("trade_no", t.tradeNo).with("out_trade_no", t.outTradeNo);
    }

    private void closeUnpaid(Trade t) {
        t.status = TradeStatus.TRADE_CLOSED;
        t.gmtClose = clock.instant();
        if (t.known) {
            events.closed(t);
        }
    }

    /** Unpaid → close; paid → full refund; not found → success without {@code action} (docs/alipay-protocol.md#s11.9). */
    public synchronized ApiResult cancel(BizContent biz) {
        expireDue();
        String outTradeNo = biz.merchantNo("out_trade_no", false);
        Trade t;
        try {
            t = locate(biz);
        } catch (AlipayError notFound) {
            if (!"ACQ.TRADE_NOT_EXIST".equals(notFound.result().subCode())) {
                throw notFound;
            }
            Trade hidden = outTradeNo == null ? null : byOutTradeNo.get(outTradeNo);
            if (hidden != null && hidden.status == TradeStatus.WAIT_BUYER_PAY) {
                closeUnpaid(hidden); // an unscanned QR code can no longer be paid
            }
            return ApiResult.success().with("out_trade_no", outTradeNo).with("retry_flag", "N");
        }
        ApiResult r = ApiResult.success()
                .with("trade_no", t.tradeNo)
                .with("out_trade_no", t.outTradeNo)
                .with("retry_flag", "N");
        switch (t.status) {
            case WAIT_BUYER_PAY -> {
                closeUnpaid(t);
                return r.with("action", "close");
            }
            case TRADE_CLOSED -> {
                return r.with("action", t.paid() ? "refund" : "close");
            }
            case TRADE_FINISHED -> throw AlipayError.business("ACQ.TRADE_HAS_FINISHED", "交易已完结，不能撤销");
            default -> {
                if (Duration.between(t.gmtPayment, clock.instant()).compareTo(CANCEL_WINDOW) > 0) {
                    throw AlipayError.business("ACQ.TRADE_CANCEL_TIME_OUT", "超过撤销时间范围，请改用退款");
                }
                if (!t.refunds.isEmpty()) {
                    throw AlipayError.business("ACQ.CANCEL_NOT_ALLOWED", "交易已有退款，不允许撤销");
                }
                recordRefund(t, new Refund(t.outTradeNo, t.totalAmount, "撤销", clock.instant(), false));
                return r.with("action", "refund")
                        .with("gmt_refund_pay", AlipayTime.format(clock.instant()))
                        .with("refund_settlement_id", null);
            }
        }
    }

    public synchronized ApiResult refund(BizContent biz) {
        expireDue();
        Trade t = locate(biz);
        BigDecimal amount = Money.parse("refund_amount", biz.required("refund_amount"));
        String outRequestNo = biz.merchantNo("out_request_no", false);
        String reason = biz.optional("refund_reason", 256);
        biz.optional("operator_id", 28);
        String key = outRequestNo != null ? outRequestNo : t.outTradeNo;
        Refund earlier = t.refunds.get(key);
        if (earlier != null) { // an idempotent repeat: same answer, no money moves (fund_change N)
            if (earlier.amount().compareTo(amount) != 0) {
                throw AlipayError.business(
                        "ACQ.DISCORDANT_REPEAT_REQUEST",
                        "out_request_no " + key + " 已用于金额 " + Money.format(earlier.amount()) + " 的退款");
            }
            return refundFields(t, earlier, "N");
        }
        if (t.status == TradeStatus.TRADE_FINISHED) {
            throw AlipayError.business("ACQ.TRADE_HAS_FINISHED", "交易已完结，不能退款");
        }
        if (!t.paid() || t.status != TradeStatus.TRADE_SUCCESS) {
            throw AlipayError.business("ACQ.TRADE_STATUS_ERROR", "交易状态不合法：" + t.status + " 的交易不能退款");
        }
        if (outRequestNo == null && amount.compareTo(t.totalAmount) != 0) {
            throw AlipayError.business("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "未传 out_request_no 时退款金额必须等于订单金额");
        }
        BigDecimal left = t.totalAmount.subtract(t.refundedAmount());
        if (amount.compareTo(left) > 0) {
            throw AlipayError.business("ACQ.REASON_TRADE_REFUND_FEE_ERR", "退款金额超限：可退金额 " + Money.format(left));
        }
        Refund refund = new Refund(key, amount, reason, clock.instant(), outRequestNo != null);
        recordRefund(t, refund);
        return refundFields(t, refund, "Y");
    }

    private void recordRefund(Trade t, Refund refund) {
        t.refunds.put(refund.outRequestNo(), refund);
        if (t.refundedAmount().compareTo(t.totalAmount) >= 0) {
            t.status = TradeStatus.TRADE_CLOSED; // fully refunded (docs/alipay-protocol.md#s9.4)
            t.gmtClose = refund.at();
        }
        events.refunded(t, refund);
    }

    private ApiResult refundFields(Trade t, Refund refund, String fundChange) {
        return ApiResult.success()
                .with("trade_no", t.tradeNo)
                .with("out_trade_no", t.outTradeNo)
                .with("buyer_logon_id", t.buyer.logonId())
                .with("fund_change", fundChange)
                .with("refund_fee", Money.format(t.refundedAmount()))
                .with("gmt_refund_pay", AlipayTime.format(refund.at()))
                .with("buyer_user_id", t.buyer.userId())
                .with("send_back_fee", Money.format(refund.amount()));
    }

    public synchronized ApiResult refundQuery(BizContent biz) {
        String outRequestNo = biz.required("out_request_no", 64);
        Trade t = locate(biz);
        Refund refund = t.refunds.get(outRequestNo);
        ApiResult r = ApiResult.success().with("trade_no", t.tradeNo).with("out_trade_no", t.outTradeNo);
        if (refund == null) {
            return r; // 10000 only means the query ran: no refund_status = no such refund
            // (docs/alipay-protocol.md#s11.11)
        }
        r.with("out_request_no", outRequestNo)
                .with("total_amount", Money.format(t.totalAmount))
                .with("refund_amount", Money.format(refund.amount()))
                .with("refund_reason", refund.reason())
                .with("refund_status", "REFUND_SUCCESS");
        String options =
                biz.raw("query_options") == null ? "" : biz.raw("query_options").toString();
        if (options.contains("gmt_refund_pay")) {
            r.with("gmt_refund_pay", AlipayTime.format(refund.at()));
        }
        return r.with("send_back_fee", Money.format(refund.amount()));
    }

    // ---------------------------------------------------------------- across restarts

    /** Takes back the trades a journal kept, as they were; unpaid ones expire on time as before. */
    public synchronized void restore(List<Trade> trades) {
        for (Trade t : trades) {
            byOutTradeNo.put(t.outTradeNo, t);
            byTradeNo.put(t.tradeNo, t);
            if (t.cashierToken != null) {
                byToken.put(t.cashierToken, t);
            }
            if (t.status == TradeStatus.WAIT_BUYER_PAY) {
                byExpiry.add(t);
            }
        }
    }

    /** Writes to the journal what was created or changed since the last time. */
    public synchronized void record(TradeJournal journal) {
        journal.record(byTradeNo.values());
    }

    // ---------------------------------------------------------------- expiry

    /** Closes every unpaid trade past its expiry; known ones get a {@code TRADE_CLOSED} notification. */
    public synchronized void expireDue() {
        Instant now = clock.instant();
        while (!byExpiry.isEmpty() && !now.isBefore(byExpiry.peek().expiresAt)) {
            expireIfDue(byExpiry.poll()); // paid or closed meanwhile: nothing to do
        }
    }

    private void expireIfDue(Trade t) {
        if (t.status == TradeStatus.WAIT_BUYER_PAY && !clock.instant().isBefore(t.expiresAt)) {
            closeUnpaid(t);
        }
    }

    // ---------------------------------------------------------------- bills

    /** A payment or refund that a trade bill lists (docs/alipay-protocol.md#s12). */
    public record BillEntry(
            String tradeNo,
            String outTradeNo,
            boolean refund,
            String subject,
            String body,
            Instant created,
            Instant completed,
            String storeId,
            String operatorId,
            String terminalId,
            String buyerLogonId,
            BigDecimal amount,
            String outRequestNo) {}

    /** Successful payments and refunds completed in {@code [from, to)}, in time order. */
    public synchronized List<BillEntry> billEntries(Instant from, Instant to) {
        List<BillEntry> entries = new ArrayList<>();
        for (Trade t : byOutTradeNo.values()) {
            if (t.paid() && inRange(t.gmtPayment, from, to)) {
                entries.add(new BillEntry(
                        t.tradeNo,
                        t.outTradeNo,
                        false,
                        t.subject,
                        t.body,
                        t.gmtCreate,
                        t.gmtPayment,
                        t.storeId,
                        t.operatorId,
                        t.terminalId,
                        t.buyer.logonId(),
                        t.totalAmount,
                        null));
            }
            for (Refund r : t.refunds.values()) {
                if (inRange(r.at(), from, to)) {
                    entries.add(new BillEntry(
                            t.tradeNo,
                            t.outTradeNo,
                            true,
                            t.subject,
                            t.body,
                            t.gmtCreate,
                            r.at(),
                            t.storeId,
                            t.operatorId,
                            t.terminalId,
                            t.buyer.logonId(),
                            r.amount().negate(),
                            r.outRequestNo()));
                }
            }
        }
        entries.sort((a, b) -> a.completed().compareTo(b.completed()));
        return entries;
    }

    private static boolean inRange(Instant at, Instant from, Instant to) {
        return !at.isBefore(from) && at.isBefore(to);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
