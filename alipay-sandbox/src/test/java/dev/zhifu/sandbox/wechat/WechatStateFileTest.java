package dev.zhifu.sandbox.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.alipay.api.AlipayClient;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.request.AlipayTradeCreateRequest;
import com.alipay.api.request.AlipayTradeQueryRequest;
import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.sandbox.AlipaySandbox;
import dev.zhifu.sandbox.time.ManualTime;
import dev.zhifu.sandbox.wechat.pay.WechatTime;
import dev.zhifu.wechatpay.WechatPayApiException;
import dev.zhifu.wechatpay.WechatPayClient;
import dev.zhifu.wechatpay.WechatPayConfig;
import dev.zhifu.wechatpay.bill.TradeBill;
import dev.zhifu.wechatpay.payments.BillType;
import dev.zhifu.wechatpay.payments.Order;
import dev.zhifu.wechatpay.payments.Refund;
import dev.zhifu.wechatpay.payments.RefundRequest;
import dev.zhifu.wechatpay.payments.Transaction;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stateFile} keeps WeChat Pay's orders too, in the same file as Alipay's trades: after a restart an order made
 * before it is still queried, closed, refunded and billed (docs/sandbox.md#state-file).
 */
class WechatStateFileTest {

    private static final KeyPair MERCHANT = AlipayKeys.generateRsa2048();
    private static final KeyPair PLATFORM = AlipayKeys.generateRsa2048();
    private static final KeyPair APP = AlipayKeys.generateRsa2048();
    private static final KeyPair ALIPAY = AlipayKeys.generateRsa2048();
    private static final String API_V3_KEY = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    /** The same merchant and keys on every start, as a restarted sandbox with configured keys has. */
    private static AlipaySandbox sandbox(Path state) {
        return builder(state).build().start();
    }

    private static AlipaySandbox.Builder builder(Path state) {
        return AlipaySandbox.builder()
                .port(0)
                .appPublicKey(APP.getPublic())
                .alipayPrivateKey(ALIPAY.getPrivate())
                .wechatMerchantPublicKey(MERCHANT.getPublic())
                .wechatApiV3Key(API_V3_KEY)
                .wechatPrivateKey(PLATFORM.getPrivate())
                .stateFile(state);
    }

    private static WechatPayClient client(AlipaySandbox sandbox) {
        WechatPayAccount account = sandbox.wechatPayAccount();
        return new WechatPayClient(WechatPayConfig.builder()
                .baseUrl(account.baseUrl())
                .mchid(account.mchid())
                .appId(account.appid())
                .merchantSerialNumber(account.merchantSerial())
                .merchantPrivateKey(
                        Base64.getEncoder().encodeToString(MERCHANT.getPrivate().getEncoded()))
                .apiV3Key(API_V3_KEY)
                .wechatPayPublicKey(
                        Base64.getEncoder().encodeToString(account.publicKey().getEncoded()), account.publicKeyId())
                .build());
    }

    private static String number(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    private static void place(WechatPayClient client, String no, String yuan) {
        client.nativePrepay(new Order(no, "重启", new BigDecimal(yuan), "http://127.0.0.1:9/notify"));
    }

    private static Refund refund(WechatPayClient client, String no, String refundNo, String yuan, String total) {
        return client.refund(RefundRequest.ofOutTradeNo(refundNo, no, new BigDecimal(yuan), new BigDecimal(total)));
    }

    /** Refunds complete right after they are accepted: waits for it. */
    private static Refund completed(WechatPayClient client, String refundNo) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        Refund r = client.queryRefund(refundNo);
        while (!r.isSuccessful() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            r = client.queryRefund(refundNo);
        }
        assertThat(r.isSuccessful()).as("refund %s completed", refundNo).isTrue();
        return r;
    }

    @Test
    void ordersPaidRefundedUnpaidAndClosedAreAsTheyWereAfterARestart() throws Exception {
        Path state = dir.resolve("trades.jsonl");
        String paid = number("WP");
        String waiting = number("WW");
        String toClose = number("WC");
        String closed = number("WX");
        Transaction before;
        String refundId;
        try (AlipaySandbox first = sandbox(state)) {
            WechatPayClient client = client(first);
            place(client, paid, "10.00");
            place(client, waiting, "2.00");
            place(client, toClose, "1.00");
            place(client, closed, "1.50");
            first.control().pay(paid);
            refund(client, paid, "R1" + paid, "3.00", "10.00");
            refundId = completed(client, "R1" + paid).refundId();
            client.close(closed);
            before = client.queryByOutTradeNo(paid);
        }
        assertThat(Files.readString(state, StandardCharsets.UTF_8))
                .contains("\"channel\":\"wechatpay\"", paid, before.transactionId())
                .doesNotContain("PRIVATE", API_V3_KEY);

        try (AlipaySandbox second = sandbox(state)) {
            WechatPayClient client = client(second);
            Transaction after = client.queryByOutTradeNo(paid);
            assertThat(after).isEqualTo(before);
            assertThat(after.tradeState()).isEqualTo("REFUND");
            assertThat(after.payerOpenid()).isNotBlank();
            assertThat(after.successTime()).isNotBlank();
            assertThat(client.queryByTransactionId(before.transactionId()).outTradeNo())
                    .isEqualTo(paid);

            Refund r1 = client.queryRefund("R1" + paid);
            assertThat(r1.status()).isEqualTo("SUCCESS");
            assertThat(r1.refundId()).isEqualTo(refundId);
            assertThat(refund(client, paid, "R1" + paid, "3.00", "10.00").refundId())
                    .as("the same out_refund_no refunds once")
                    .isEqualTo(refundId);
            assertThatThrownBy(() -> refund(client, paid, "R2" + paid, "8.00", "10.00"))
                    .as("more than the 7.00 left")
                    .isInstanceOfSatisfying(
                            WechatPayApiException.class,
                            e -> assertThat(e.code()).isEqualTo("INVALID_REQUEST"));
            Refund r2 = refund(client, paid, "R2" + paid, "7.00", "10.00");
            assertThat(r2.refundId()).isNotEqualTo(refundId);
            completed(client, "R2" + paid);

            assertThat(client.queryByOutTradeNo(waiting).tradeState()).isEqualTo("NOTPAY");
            second.control().pay(waiting);
            Transaction paidNow = client.queryByOutTradeNo(waiting);
            assertThat(paidNow.tradeState()).isEqualTo("SUCCESS");
            assertThat(paidNow.transactionId())
                    .as("numbers continue after the ones kept")
                    .isNotEqualTo(before.transactionId());

            client.close(toClose);
            assertThat(client.queryByOutTradeNo(toClose).tradeState()).isEqualTo("CLOSED");
            assertThat(client.queryByOutTradeNo(closed).tradeState()).isEqualTo("CLOSED");
            assertThatThrownBy(() -> second.control().pay(closed)).as("a closed order cannot be paid");

            LocalDate today = LocalDate.now(WechatTime.BEIJING);
            TradeBill bill = TradeBill.parse(client.downloadBill(client.tradeBillUrl(today, BillType.ALL, true), true));
            assertThat(bill.rows())
                    .filteredOn(row -> row.get("商户订单号").equals(paid))
                    .extracting(row -> row.get("交易状态") + " " + row.get("应结订单金额") + " " + row.get("退款金额"))
                    .containsExactlyInAnyOrder("SUCCESS 10.00 0.00", "REFUND 0.00 3.00", "REFUND 0.00 7.00");
            assertThat(bill.rows()).extracting(row -> row.get("商户订单号")).contains(waiting);
        }

        try (AlipaySandbox third = sandbox(state)) {
            WechatPayClient client = client(third);
            assertThat(third.control().trade(paid).get("refunded_total").asLong())
                    .isEqualTo(1000);
            assertThat(client.queryByOutTradeNo(waiting).tradeState()).isEqualTo("SUCCESS");
            assertThat(client.queryByOutTradeNo(toClose).tradeState()).isEqualTo("CLOSED");
        }
    }

    @Test
    void aRefundARestartCaughtProcessingCompletesAtTheNextStart() throws Exception {
        Path state = dir.resolve("processing.jsonl");
        String no = number("WPR");
        // a manual clock that is never advanced: the refund stays PROCESSING until this sandbox stops
        ManualTime stopped = new ManualTime(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        try (AlipaySandbox first =
                builder(state).clock(stopped).scheduler(stopped).build().start()) {
            WechatPayClient client = client(first);
            place(client, no, "5.00");
            first.control().pay(no);
            assertThat(refund(client, no, "R" + no, "5.00", "5.00").status()).isEqualTo("PROCESSING");
        }
        assertThat(Files.readString(state, StandardCharsets.UTF_8)).contains("\"status\":\"PROCESSING\"");

        try (AlipaySandbox second = sandbox(state)) {
            WechatPayClient client = client(second);
            assertThat(completed(client, "R" + no).refund()).isEqualByComparingTo("5.00");
            assertThat(client.queryByOutTradeNo(no).tradeState()).isEqualTo("REFUND");
        }
    }

    @Test
    void aLineCutByACrashIsSkippedAndTheRestIsKept() throws Exception {
        Path state = dir.resolve("cut.jsonl");
        String no = number("WCUT");
        try (AlipaySandbox first = sandbox(state)) {
            place(client(first), no, "2.00");
        }
        Files.writeString(state, "{\"channel\":\"wechatpay\",\"mchid\":\"19", StandardOpenOption.APPEND);
        try (AlipaySandbox second = sandbox(state)) {
            assertThat(client(second).queryByOutTradeNo(no).tradeState()).isEqualTo("NOTPAY");
            second.control().pay(no);
        }
        try (AlipaySandbox third = sandbox(state)) {
            assertThat(client(third).queryByOutTradeNo(no).tradeState())
                    .as("written after the cut line, not into it")
                    .isEqualTo("SUCCESS");
        }
    }

    @Test
    void oneFileHoldsBothGatewaysAndLinesWithoutChannelAreAlipayTrades() throws Exception {
        Path state = dir.resolve("both.jsonl");
        String wechatNo = number("WBOTH");
        String alipayNo = number("ABOTH");
        try (AlipaySandbox first = sandbox(state)) {
            place(client(first), wechatNo, "3.00");
            AlipayTradeCreateRequest create = new AlipayTradeCreateRequest();
            create.setBizContent(
                    "{\"out_trade_no\":\"" + alipayNo + "\",\"total_amount\":\"4.00\",\"subject\":\"两边\"}");
            assertThat(alipay(first).execute(create).isSuccess()).isTrue();
        }
        // a file written before WeChat Pay orders were kept had no channel on its Alipay lines
        List<String> lines = Files.readAllLines(state, StandardCharsets.UTF_8);
        String legacy = String.join(
                "\n",
                lines.stream()
                        .map(l -> l.replace("\"channel\":\"alipay\",", ""))
                        .toList());
        assertThat(legacy).doesNotContain("\"channel\":\"alipay\"").contains("\"channel\":\"wechatpay\"");
        Files.writeString(state, legacy + "\n", StandardCharsets.UTF_8);

        try (AlipaySandbox second = sandbox(state)) {
            assertThat(client(second).queryByOutTradeNo(wechatNo).tradeState()).isEqualTo("NOTPAY");
            AlipayTradeQueryRequest query = new AlipayTradeQueryRequest();
            query.setBizContent("{\"out_trade_no\":\"" + alipayNo + "\"}");
            assertThat(alipay(second).execute(query).getTradeStatus()).isEqualTo("WAIT_BUYER_PAY");
        }
    }

    private static AlipayClient alipay(AlipaySandbox sandbox) {
        return new DefaultAlipayClient(
                sandbox.gatewayUrl(),
                sandbox.appId(),
                AlipayKeys.toBase64(APP.getPrivate()),
                "json",
                "UTF-8",
                AlipayKeys.toBase64(ALIPAY.getPublic()),
                "RSA2");
    }
}
