package dev.zhifu.sandbox.wechat.pay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.zhifu.sandbox.time.Scheduler;
import dev.zhifu.sandbox.wechat.WechatPayError;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * WeChat Pay's side of the merchant's orders and refunds, with its rules: one order per {@code mchid} +
 * {@code out_trade_no}, closed orders stay closed, refunds only of paid orders and never beyond what was paid.
 * Every method holds the lock while it reads or renders, so answers never show half a change.
 */
public final class TradeBook {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final Clock clock;
    private final Scheduler scheduler;
    private final WechatTradeEvents events;
    private final Map<String, WechatTrade> trades = new LinkedHashMap<>();
    private final AtomicLong sequence = new AtomicLong(new SecureRandom().nextInt(1_000_000));

    public TradeBook(Clock clock, Scheduler scheduler, WechatTradeEvents events) {
        this.clock = clock;
        this.scheduler = scheduler;
        this.events = events;
    }

    private static String key(String mchid, String outTradeNo) {
        return mchid + "\u0000" + outTradeNo;
    }

    /** Places an order, or answers the one already placed with the same content (a retried request). */
    public synchronized <T> T place(OrderRequest request, Function<WechatTrade, T> render) {
        WechatTrade existing = trades.get(key(request.mchid(), request.outTradeNo()));
        if (existing != null) {
            if (existing.state() == TradeState.SUCCESS || existing.state() == TradeState.REFUND) {
                throw new WechatPayError(403, "ORDERPAID", "该订单已支付");
            }
            if (existing.state() == TradeState.CLOSED) {
                throw new WechatPayError(400, "ORDER_CLOSED", "该订单已关闭");
            }
            if (existing.type() != request.type()
                    || existing.totalFen() != request.totalFen()
                    || !Objects.equals(existing.description(), request.description())) {
                throw new WechatPayError(400, "INVALID_REQUEST", "商户订单号重复，且与原订单参数不一致");
            }
            return render.apply(existing);
        }
        String prepayId = "wx" + DAY.format(clock.instant().atOffset(WechatTime.BEIJING))
                + String.format("%020d", sequence.incrementAndGet());
        WechatTrade trade = new WechatTrade(
                request.mchid(),
                request.appid(),
                request.outTradeNo(),
                request.type(),
                request.description(),
                request.totalFen(),
                request.currency(),
                request.attach(),
                request.notifyUrl(),
                request.payerOpenid(),
                prepayId,
                clock.instant(),
                request.timeExpire());
        trades.put(key(request.mchid(), request.outTradeNo()), trade);
        return render.apply(trade);
    }

    public synchronized <T> T byOutTradeNo(String mchid, String outTradeNo, Function<WechatTrade, T> render) {
        WechatTrade trade = trades.get(key(mchid, outTradeNo));
        if (trade == null) {
            throw WechatPayError.orderNotFound();
        }
        expireIfDue(trade);
        return render.apply(trade);
    }

    public synchronized <T> T byTransactionId(String mchid, String transactionId, Function<WechatTrade, T> render) {
        for (WechatTrade t : trades.values()) {
            if (t.mchid().equals(mchid) && transactionId.equals(t.transactionId())) {
                return render.apply(t);
            }
        }
        throw WechatPayError.orderNotFound();
    }

    /** Whatever merchant placed it: the control API and the pages know only the order number or prepay id. */
    public synchronized <T> T find(String outTradeNoOrPrepayId, Function<WechatTrade, T> render) {
        WechatTrade trade = findTrade(outTradeNoOrPrepayId);
        return trade == null ? null : render.apply(trade);
    }

    private WechatTrade findTrade(String outTradeNoOrPrepayId) {
        for (WechatTrade t : trades.values()) {
            if (t.outTradeNo().equals(outTradeNoOrPrepayId) || t.prepayId().equals(outTradeNoOrPrepayId)) {
                return t;
            }
        }
        return null;
    }

    /** The buyer's WeChat scanned the Native QR code: the order stays NOTPAY until they confirm. */
    public synchronized ObjectNode scan(String outTradeNoOrPrepayId) {
        WechatTrade trade = payable(outTradeNoOrPrepayId);
        trade.markScanned();
        return WechatJson.transaction(trade);
    }

    /** The buyer confirmed and paid: SUCCESS, a WeChat Pay order number, and a notification. */
    public synchronized ObjectNode buyerPays(String outTradeNoOrPrepayId) {
        WechatTrade trade = payable(outTradeNoOrPrepayId);
        String day = DAY.format(clock.instant().atOffset(WechatTime.BEIJING));
        trade.pay(
                "4200" + day.substring(2) + String.format("%016d", sequence.incrementAndGet()),
                "oSandbox" + Long.toString(sequence.incrementAndGet(), 36),
                clock.instant());
        events.paid(trade);
        return WechatJson.transaction(trade);
    }

    /** An unpaid order past its {@code time_expire} is shown CLOSED, as the sandbox's choice (docs/sandbox.md#wechatpay-trades). */
    private void expireIfDue(WechatTrade trade) {
        if (trade.state() == TradeState.NOTPAY && !clock.instant().isBefore(trade.timeExpire())) {
            trade.close();
        }
    }

    private WechatTrade payable(String outTradeNoOrPrepayId) {
        WechatTrade trade = findTrade(outTradeNoOrPrepayId);
        if (trade == null) {
            throw WechatPayError.orderNotFound();
        }
        expireIfDue(trade); // past time_expire: the buyer can no longer pay
        if (trade.state() == TradeState.CLOSED) {
            throw new WechatPayError(400, "ORDER_CLOSED", "该订单已关闭");
        }
        if (trade.state() != TradeState.NOTPAY) {
            throw new WechatPayError(403, "ORDERPAID", "该订单已支付");
        }
        return trade;
    }

    /** Closes an unpaid order; closing a closed one again is accepted, as WeChat Pay does. */
    public synchronized void close(String mchid, String outTradeNo) {
        WechatTrade trade = trades.get(key(mchid, outTradeNo));
        if (trade == null) {
            throw WechatPayError.orderNotFound();
        }
        if (trade.state() == TradeState.SUCCESS || trade.state() == TradeState.REFUND) {
            throw new WechatPayError(403, "ORDERPAID", "订单已支付，不能关闭");
        }
        trade.close();
    }

    /** A refund request, already parsed; {@code outTradeNo} or {@code transactionId} names the order. */
    public record RefundRequest(
            String mchid,
            String outTradeNo,
            String transactionId,
            String outRefundNo,
            long refundFen,
            long totalFen,
            String reason,
            String notifyUrl) {}

    /**
     * Accepts a refund as PROCESSING and completes it right after (WeChat Pay takes seconds to minutes); the same
     * {@code out_refund_no} again answers the refund already made.
     */
    public synchronized ObjectNode refund(RefundRequest request) {
        WechatTrade trade = request.outTradeNo() != null
                ? trades.get(key(request.mchid(), request.outTradeNo()))
                : trades.values().stream()
                        .filter(t -> t.mchid().equals(request.mchid())
                                && request.transactionId().equals(t.transactionId()))
                        .findFirst()
                        .orElse(null);
        if (trade == null) {
            throw new WechatPayError(404, "RESOURCE_NOT_EXISTS", "订单不存在");
        }
        for (WechatRefund r : trade.refunds()) {
            if (r.outRefundNo().equals(request.outRefundNo())) {
                return WechatJson.refund(trade, r);
            }
        }
        if (trade.state() != TradeState.SUCCESS && trade.state() != TradeState.REFUND) {
            throw new WechatPayError(400, "INVALID_REQUEST", "订单未支付，不能退款");
        }
        if (request.totalFen() != trade.totalFen()) {
            throw new WechatPayError(400, "INVALID_REQUEST", "订单金额 amount.total 与原订单不一致");
        }
        if (request.refundFen() > trade.refundableFen()) {
            throw new WechatPayError(400, "INVALID_REQUEST", "申请退款金额超过订单可退金额");
        }
        WechatRefund refund = new WechatRefund(
                "50" + String.format("%030d", sequence.incrementAndGet()),
                request.outRefundNo(),
                request.refundFen(),
                request.reason(),
                request.notifyUrl() != null ? request.notifyUrl() : trade.notifyUrl(),
                clock.instant());
        trade.addRefund(refund);
        ObjectNode accepted = WechatJson.refund(trade, refund);
        scheduler.schedule(Duration.ZERO, () -> completeRefund(trade, refund));
        return accepted;
    }

    private synchronized void completeRefund(WechatTrade trade, WechatRefund refund) {
        refund.succeed(clock.instant());
        trade.refundSucceeded();
        events.refunded(trade, refund);
    }

    public synchronized ObjectNode refundByOutRefundNo(String mchid, String outRefundNo) {
        for (WechatTrade t : trades.values()) {
            if (!t.mchid().equals(mchid)) {
                continue;
            }
            for (WechatRefund r : t.refunds()) {
                if (r.outRefundNo().equals(outRefundNo)) {
                    return WechatJson.refund(t, r);
                }
            }
        }
        throw new WechatPayError(404, "RESOURCE_NOT_EXISTS", "退款单不存在");
    }

    // ---------------------------------------------------------------- across restarts

    /**
     * Takes back the orders a journal kept, as they were. Numbers handed out from now on continue after the highest
     * one kept, and a refund the restart caught while PROCESSING completes now, with its notification.
     */
    public synchronized void restore(List<WechatTrade> kept) {
        long highest = sequence.get();
        for (WechatTrade t : kept) {
            trades.put(key(t.mchid(), t.outTradeNo()), t);
            highest = Math.max(highest, serial(t.prepayId()));
            highest = Math.max(highest, serial(t.transactionId()));
            for (WechatRefund r : t.refunds()) {
                highest = Math.max(highest, serial(r.refundId()));
                if (r.succeededAt() == null) {
                    scheduler.schedule(Duration.ZERO, () -> completeRefund(t, r));
                }
            }
        }
        sequence.set(highest);
    }

    /** The running number at the end of an id the book made (its last 15 digits), 0 for none. */
    private static long serial(String id) {
        if (id == null || id.length() < 15) {
            return 0;
        }
        try {
            return Long.parseLong(id.substring(id.length() - 15));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Writes to the journal what was placed or changed since the last time. */
    public synchronized void record(WechatJournal journal) {
        journal.record(trades.values());
    }

    /** Snapshot of every order for bills: rendered under the lock. */
    public synchronized <T> List<T> all(Function<WechatTrade, T> render) {
        List<T> out = new ArrayList<>();
        trades.values().forEach(t -> out.add(render.apply(t)));
        return out;
    }
}
