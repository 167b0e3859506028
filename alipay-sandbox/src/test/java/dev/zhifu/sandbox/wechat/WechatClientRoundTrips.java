package dev.zhifu.sandbox.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.sandbox.AlipaySandbox;
import dev.zhifu.sandbox.wechat.pay.WechatTime;
import dev.zhifu.wechatpay.WechatPayAnswer;
import dev.zhifu.wechatpay.WechatPayApiException;
import dev.zhifu.wechatpay.WechatPayClient;
import dev.zhifu.wechatpay.WechatPayConfig;
import dev.zhifu.wechatpay.WechatPaySignatureException;
import dev.zhifu.wechatpay.bill.TradeBill;
import dev.zhifu.wechatpay.crypto.RsaProvider;
import dev.zhifu.wechatpay.crypto.Sha256WithRsa;
import dev.zhifu.wechatpay.notify.RefundNotification;
import dev.zhifu.wechatpay.notify.TransactionNotification;
import dev.zhifu.wechatpay.payments.AppPayParameters;
import dev.zhifu.wechatpay.payments.BillType;
import dev.zhifu.wechatpay.payments.BillUrl;
import dev.zhifu.wechatpay.payments.FundAccount;
import dev.zhifu.wechatpay.payments.JsapiPayParameters;
import dev.zhifu.wechatpay.payments.Order;
import dev.zhifu.wechatpay.payments.Refund;
import dev.zhifu.wechatpay.payments.RefundRequest;
import dev.zhifu.wechatpay.payments.Transaction;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Our {@link WechatPayClient} against our sandbox, every API once: the issue's "round-trips every API against the
 * sandbox". Subclasses choose how the client verifies WeChat Pay (public key or downloaded platform certificate).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WechatClientRoundTrips {

    private static final Pattern FORM_ACTION = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\"");
    private static final Duration NOTIFY_WAIT = Duration.ofSeconds(10);

    private final HttpClient browser = HttpClient.newHttpClient();
    AlipaySandbox sandbox;
    WechatPayClient client;

    /** How the merchant verifies the sandbox's answers, on top of the merchant's own settings. */
    abstract WechatPayConfig.Builder verification(WechatPayConfig.Builder merchant, WechatPayAccount account);

    @BeforeAll
    void start() {
        sandbox = AlipaySandbox.builder().build().start();
        client =
                new WechatPayClient(verification(merchant(sandbox.wechatPayAccount(), null), sandbox.wechatPayAccount())
                        .build());
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    /** The merchant's settings from the sandbox's account; {@code otherKey} signs instead of the merchant's key. */
    static WechatPayConfig.Builder merchant(WechatPayAccount account, PrivateKey otherKey) {
        PrivateKey key = otherKey == null ? account.merchantPrivateKey() : otherKey;
        return WechatPayConfig.builder()
                .baseUrl(account.baseUrl())
                .mchid(account.mchid())
                .appId(account.appid())
                .merchantSerialNumber(account.merchantSerial())
                .merchantPrivateKey(Base64.getEncoder().encodeToString(key.getEncoded()))
                .apiV3Key(account.apiV3Key());
    }

    static String base64(java.security.Key key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    private static String number(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    private static Order order(String no, String yuan, String notifyUrl) {
        return new Order(no, "客户端对沙箱", new BigDecimal(yuan), notifyUrl);
    }

    private static Order order(String no, String yuan) {
        return order(no, yuan, "http://127.0.0.1:9/notify");
    }

    private HttpResponse<String> get(String url) throws Exception {
        return browser.send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private String paidNativeOrder(String yuan, String notifyUrl) {
        String no = number("PAID");
        client.nativePrepay(order(no, yuan, notifyUrl));
        sandbox.control().pay(no);
        return no;
    }

    @Test
    void nativeCodeUrlIsTheSandboxPageTheBuyerScans() throws Exception {
        String no = number("NATIVE");
        OffsetDateTime expiry = OffsetDateTime.now(WechatTime.BEIJING).plusHours(1);

        String codeUrl = client.nativePrepay(
                new Order(no, "客户端对沙箱", new BigDecimal("0.42"), "http://127.0.0.1:9/notify", "shop-attach-1", expiry));

        assertThat(get(codeUrl).statusCode()).isEqualTo(200);
        Transaction t = client.queryByOutTradeNo(no);
        assertThat(t.tradeType()).isEqualTo("NATIVE");
        assertThat(t.tradeState()).isEqualTo("NOTPAY");
        assertThat(t.total()).isEqualByComparingTo("0.42");
        assertThat(t.attach()).isEqualTo("shop-attach-1");
    }

    @Test
    void jsapiParametersPassTheSandboxWechatBrowserAndPay() throws Exception {
        String no = number("JSAPI");

        JsapiPayParameters p = client.jsapiPrepay(order(no, "0.03"), "oSandboxBuyer");
        String forged = p.asMap().entrySet().stream()
                .map(e -> e.getKey() + "="
                        + URLEncoder.encode(
                                e.getKey().equals("nonceStr") ? e.getValue() + "x" : e.getValue(),
                                StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> forgedPage = get(sandbox.baseUrl() + "/sandbox/wechat/jsapi?" + forged);
        HttpResponse<String> page = get(sandbox.baseUrl() + "/sandbox/wechat/jsapi?" + query(p.asMap()));

        assertThat(forgedPage.statusCode()).isEqualTo(400);
        assertThat(page.statusCode()).isEqualTo(200);
        pressPay(page.body());
        Transaction t = client.queryByOutTradeNo(no);
        assertThat(t.tradeType()).isEqualTo("JSAPI");
        assertThat(t.tradeState()).isEqualTo("SUCCESS");
        assertThat(t.payerOpenid()).isEqualTo("oSandboxBuyer");
    }

    private static String query(Map<String, String> parameters) {
        return parameters.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private void pressPay(String page) throws Exception {
        Matcher m = FORM_ACTION.matcher(page);
        assertThat(m.find()).as("a pay button on the page").isTrue();
        browser.send(
                HttpRequest.newBuilder(URI.create(m.group(1).replace("&amp;", "&")))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.discarding());
    }

    @Test
    void h5UrlOpensTheSandboxCashier() throws Exception {
        String no = number("H5");

        String h5Url = client.h5Prepay(order(no, "1.00"), "127.0.0.1");

        assertThat(get(h5Url).statusCode()).isEqualTo(200);
        assertThat(client.queryByOutTradeNo(no).tradeType()).isEqualTo("MWEB");
    }

    @Test
    void appParametersAreSignedWithTheMerchantKeyTheSandboxKnows() {
        String no = number("APP");

        AppPayParameters p = client.appPrepay(order(no, "2.50"));

        String message = p.appid() + "\n" + p.timestamp() + "\n" + p.noncestr() + "\n" + p.prepayid() + "\n";
        assertThat(new Sha256WithRsa(RsaProvider.jdk())
                        .verify(sandbox.wechatPay().merchantPublicKey(), message, p.sign()))
                .isTrue();
        assertThat(p.partnerid()).isEqualTo(sandbox.wechatPay().mchid());
        assertThat(client.queryByOutTradeNo(no).tradeType()).isEqualTo("APP");
    }

    @Test
    void paidOrderIsFoundByBothNumbersAndCannotBeClosed() {
        String no = paidNativeOrder("12.34", "http://127.0.0.1:9/notify");

        Transaction byOutTradeNo = client.queryByOutTradeNo(no);
        Transaction byTransactionId = client.queryByTransactionId(byOutTradeNo.transactionId());

        assertThat(byOutTradeNo.isPaid()).isTrue();
        assertThat(byOutTradeNo.payerTotal()).isEqualByComparingTo("12.34");
        assertThat(byTransactionId).isEqualTo(byOutTradeNo);
        assertThatThrownBy(() -> client.close(no))
                .isInstanceOfSatisfying(WechatPayApiException.class, definiteRefusal(403, "ORDERPAID"));
    }

    @Test
    void closedOrderStaysClosed() {
        String no = number("CLOSE");
        client.nativePrepay(order(no, "0.10"));

        client.close(no);

        assertThat(client.queryByOutTradeNo(no).tradeState()).isEqualTo("CLOSED");
    }

    @Test
    void refundIsAcceptedThenFoundByItsNumber() throws Exception {
        String no = paidNativeOrder("3.00", "http://127.0.0.1:9/notify");
        String refundNo = number("R");

        Refund accepted =
                client.refund(RefundRequest.ofOutTradeNo(refundNo, no, new BigDecimal("1.25"), new BigDecimal("3.00")));

        assertThat(accepted.outTradeNo()).isEqualTo(no);
        assertThat(accepted.refund()).isEqualByComparingTo("1.25");
        assertThat(accepted.status()).isIn("PROCESSING", "SUCCESS");
        long deadline = System.nanoTime() + NOTIFY_WAIT.toNanos();
        Refund queried = client.queryRefund(refundNo);
        while (!queried.isSuccessful() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            queried = client.queryRefund(refundNo);
        }
        assertThat(queried.isSuccessful()).isTrue();
        assertThat(queried.refundId()).isEqualTo(accepted.refundId());
        assertThat(client.queryByOutTradeNo(no).tradeState()).isEqualTo("REFUND");
    }

    @Test
    void refundBeyondWhatWasPaidIsRefused() {
        String no = paidNativeOrder("1.00", "http://127.0.0.1:9/notify");
        client.refund(RefundRequest.ofOutTradeNo(number("R"), no, new BigDecimal("0.60"), new BigDecimal("1.00")));

        assertThatThrownBy(() -> client.refund(
                        RefundRequest.ofOutTradeNo(number("R"), no, new BigDecimal("0.60"), new BigDecimal("1.00"))))
                .isInstanceOfSatisfying(WechatPayApiException.class, definiteRefusal(400, "INVALID_REQUEST"));
    }

    @Test
    void tradeBillDownloadsGzipAndPlainWithTheirHashChecked() {
        String no = paidNativeOrder("7.77", "http://127.0.0.1:9/notify");
        LocalDate today = LocalDate.now(WechatTime.BEIJING);

        BillUrl gzipUrl = client.tradeBillUrl(today, BillType.ALL, true);
        BillUrl plainUrl = client.tradeBillUrl(today, BillType.ALL, false);
        String gzip = client.downloadBill(gzipUrl, true);
        String plain = client.downloadBill(plainUrl, false);

        assertThat(gzipUrl.hashType()).isEqualTo("SHA1");
        assertThat(gzip).startsWith("交易时间,公众账号ID,商户号,").contains(",`" + no + ",", ",`7.77,");
        assertThat(plain).contains(",`" + no + ",");
    }

    @Test
    void fundFlowBillShowsThePaymentAsIncomeAndTheRefundAsExpenseWithTheirHashChecked() throws Exception {
        String no = paidNativeOrder("6.66", "http://127.0.0.1:9/notify");
        String refundNo = number("FR");
        client.refund(RefundRequest.ofOutTradeNo(refundNo, no, new BigDecimal("1.11"), new BigDecimal("6.66")));
        long deadline = System.nanoTime() + NOTIFY_WAIT.toNanos();
        while (!client.queryRefund(refundNo).isSuccessful() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        LocalDate today = LocalDate.now(WechatTime.BEIJING);

        String gzip = client.downloadBill(client.fundFlowBillUrl(today, FundAccount.BASIC, true), true);
        String plain = client.downloadBill(client.fundFlowBillUrl(today, FundAccount.BASIC, false), false);
        TradeBill bill = TradeBill.parse(gzip);

        assertThat(plain).isEqualTo(gzip);
        assertThat(bill.rows())
                .filteredOn(r -> r.get("业务凭证号").equals(no) || r.get("业务凭证号").equals(refundNo))
                .extracting(r -> r.get("业务名称") + " " + r.get("收支类型") + " " + r.get("收支金额（元）"))
                .containsExactly("交易 收入 6.66", "退款 支出 1.11");
        BigDecimal in = BigDecimal.ZERO;
        BigDecimal out = BigDecimal.ZERO;
        for (Map<String, String> r : bill.rows()) {
            BigDecimal amount = new BigDecimal(r.get("收支金额（元）"));
            if (r.get("收支类型").equals("收入")) {
                in = in.add(amount);
            } else {
                out = out.add(amount);
            }
        }
        assertThat(bill.summary().get("资金流水总笔数"))
                .isEqualTo(Integer.toString(bill.rows().size()));
        assertThat(new BigDecimal(bill.summary().get("收入金额"))).isEqualByComparingTo(in);
        assertThat(new BigDecimal(bill.summary().get("支出金额"))).isEqualByComparingTo(out);
        assertThatThrownBy(() -> client.fundFlowBillUrl(today, FundAccount.FEES, false))
                .isInstanceOfSatisfying(WechatPayApiException.class, definiteRefusal(400, "NO_STATEMENT_EXIST"));
    }

    @Test
    void genericCallReturnsTheVerifiedAnswer() {
        String no = number("CALL");
        client.nativePrepay(order(no, "0.05"));

        WechatPayAnswer answer = client.call(
                "GET",
                "/v3/pay/transactions/out-trade-no/" + no + "?mchid="
                        + sandbox.wechatPay().mchid(),
                null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("\"out_trade_no\":\"" + no + "\"", "\"trade_state\":\"NOTPAY\"");
    }

    @Test
    void paymentAndRefundNotificationsAreVerifiedAndDecrypted() throws Exception {
        try (WechatNotifyReceiver receiver = new WechatNotifyReceiver()) {
            String no = paidNativeOrder("8.88", receiver.url());
            List<WechatNotifyReceiver.Received> paid = receiver.await(1, NOTIFY_WAIT);
            TransactionNotification payment = client.transactionNotification(
                    paid.get(0).headers(), paid.get(0).body());
            client.refund(new RefundRequest(
                    number("R"), null, no, new BigDecimal("8.88"), new BigDecimal("8.88"), null, receiver.url()));
            List<WechatNotifyReceiver.Received> both = receiver.await(2, NOTIFY_WAIT);
            RefundNotification refund =
                    client.refundNotification(both.get(1).headers(), both.get(1).body());

            assertThat(payment.eventType()).isEqualTo("TRANSACTION.SUCCESS");
            assertThat(payment.transaction().outTradeNo()).isEqualTo(no);
            assertThat(payment.transaction().payerTotal()).isEqualByComparingTo("8.88");
            assertThat(refund.eventType()).isEqualTo("REFUND.SUCCESS");
            assertThat(refund.refund().outTradeNo()).isEqualTo(no);
            assertThat(refund.refund().isSuccessful()).isTrue();
        }
    }

    @Test
    void unknownOrderIsADefiniteNotFound() {
        assertThatThrownBy(() -> client.queryByOutTradeNo("NO_SUCH_ORDER_1"))
                .isInstanceOfSatisfying(WechatPayApiException.class, definiteRefusal(404, "ORDER_NOT_EXIST"));
    }

    @Test
    void systemErrorLeavesTheOutcomeUnknownAndTheNextTrySucceeds() {
        sandbox.control().addFault("{\"type\":\"gateway_error\",\"methods\":[\"wechatpay.pay.native\"]}");
        Order order = order(number("FAULT"), "0.99");

        assertThatThrownBy(() -> client.nativePrepay(order)).isInstanceOfSatisfying(WechatPayApiException.class, e -> {
            assertThat(e.status()).isEqualTo(500);
            assertThat(e.code()).isEqualTo("SYSTEM_ERROR");
            assertThat(e.isOutcomeUnknown()).isTrue();
        });
        assertThat(client.nativePrepay(order)).startsWith(sandbox.baseUrl());
    }

    @Test
    void answerSignedWithAnotherKeyIsNotTrusted() {
        String no = number("FORGED");
        client.nativePrepay(order(no, "0.98"));
        sandbox.control().addFault("{\"type\":\"wrong_sign_key\",\"count\":1}");

        assertThatThrownBy(() -> client.queryByOutTradeNo(no))
                .isInstanceOfSatisfying(
                        WechatPaySignatureException.class,
                        e -> assertThat(e.isOutcomeUnknown()).isTrue());
        assertThat(client.queryByOutTradeNo(no).tradeState()).isEqualTo("NOTPAY");
    }

    /** WeChat Pay's typed refusal: nothing happened, so it is not an unknown outcome. */
    static Consumer<WechatPayApiException> definiteRefusal(int status, String code) {
        return e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.errorMessage()).isNotBlank();
            assertThat(e.isOutcomeUnknown()).isFalse();
        };
    }

    /** A client like ours but signing with a key the sandbox does not know. */
    WechatPayClient impostor() {
        WechatPayAccount account = sandbox.wechatPayAccount();
        return new WechatPayClient(
                verification(merchant(account, AlipayKeys.generateRsa2048().getPrivate()), account)
                        .build());
    }
}
