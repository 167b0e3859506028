package dev.zhifu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.AlipayClient;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.request.AlipayTradeCreateRequest;
import com.alipay.api.request.AlipayTradePrecreateRequest;
import com.alipay.api.request.AlipayTradeQueryRequest;
import com.alipay.api.request.AlipayTradeRefundRequest;
import com.alipay.api.response.AlipayTradeQueryResponse;
import com.alipay.api.response.AlipayTradeRefundResponse;
import dev.zhifu.alipay.crypto.AlipayKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stateFile}: the trades outlive the sandbox, as a demo's database outlives its process. */
class TradeJournalTest {

    private static final KeyPair APP = AlipayKeys.generateRsa2048();
    private static final KeyPair ALIPAY = AlipayKeys.generateRsa2048();

    @TempDir
    Path dir;

    private AlipaySandbox sandbox(Path state) {
        return AlipaySandbox.builder()
                .port(0)
                .appPublicKey(APP.getPublic())
                .alipayPrivateKey(ALIPAY.getPrivate())
                .stateFile(state)
                .build()
                .start();
    }

    private static AlipayClient client(AlipaySandbox sandbox) {
        return new DefaultAlipayClient(
                sandbox.gatewayUrl(),
                sandbox.appId(),
                AlipayKeys.toBase64(APP.getPrivate()),
                "json",
                "UTF-8",
                AlipayKeys.toBase64(ALIPAY.getPublic()),
                "RSA2");
    }

    private static AlipayTradeQueryResponse query(AlipayClient client, String no) throws Exception {
        AlipayTradeQueryRequest q = new AlipayTradeQueryRequest();
        q.setBizContent("{\"out_trade_no\":\"" + no + "\"}");
        return client.execute(q);
    }

    private static AlipayTradeRefundResponse refund(AlipayClient client, String no, String amount, String requestNo)
            throws Exception {
        AlipayTradeRefundRequest r = new AlipayTradeRefundRequest();
        r.setBizContent("{\"out_trade_no\":\"" + no + "\",\"refund_amount\":\"" + amount + "\",\"out_request_no\":\""
                + requestNo + "\"}");
        return client.execute(r);
    }

    @Test
    void tradesPaidRefundedAndUnscannedAreAsTheyWereAfterARestart() throws Exception {
        Path state = dir.resolve("trades.jsonl");
        String paid = Sdk.orderNo("JP");
        String waiting = Sdk.orderNo("JW");
        String unscanned = Sdk.orderNo("JU");
        String tradeNo;
        try (AlipaySandbox first = sandbox(state)) {
            AlipayClient client = client(first);
            for (String no : new String[] {paid, waiting}) {
                AlipayTradeCreateRequest create = new AlipayTradeCreateRequest();
                create.setBizContent("{\"out_trade_no\":\"" + no + "\",\"total_amount\":\"10.00\",\"subject\":\"日志\"}");
                assertThat(client.execute(create).isSuccess()).isTrue();
            }
            AlipayTradePrecreateRequest precreate = new AlipayTradePrecreateRequest();
            precreate.setBizContent(
                    "{\"out_trade_no\":\"" + unscanned + "\",\"total_amount\":\"1.00\",\"subject\":\"qr\"}");
            assertThat(client.execute(precreate).isSuccess()).isTrue();
            first.control().pay(paid);
            assertThat(refund(client, paid, "3.00", "r1").isSuccess()).isTrue();
            tradeNo = query(client, paid).getTradeNo();
        }
        assertThat(Files.readString(state, StandardCharsets.UTF_8))
                .contains(paid)
                .doesNotContain("PRIVATE");

        try (AlipaySandbox second = sandbox(state)) {
            AlipayClient client = client(second);
            AlipayTradeQueryResponse after = query(client, paid);
            assertThat(after.getTradeStatus()).isEqualTo("TRADE_SUCCESS");
            assertThat(after.getTradeNo()).isEqualTo(tradeNo);
            assertThat(after.getBuyerLogonId()).isNotBlank();
            assertThat(second.control().trade(paid).get("refunded_amount").asText())
                    .isEqualTo("3.00");

            AlipayTradeRefundResponse again = refund(client, paid, "3.00", "r1");
            assertThat(again.isSuccess()).isTrue();
            assertThat(again.getFundChange())
                    .as("the same out_request_no refunds once")
                    .isEqualTo("N");
            assertThat(refund(client, paid, "8.00", "r2").isSuccess())
                    .as("more than the 7.00 left")
                    .isFalse();
            assertThat(refund(client, paid, "7.00", "r2").isSuccess()).isTrue();
            assertThat(query(client, paid).getTradeStatus()).isEqualTo("TRADE_CLOSED");

            assertThat(query(client, waiting).getTradeStatus()).isEqualTo("WAIT_BUYER_PAY");
            second.control().pay(waiting);
            assertThat(query(client, waiting).getTradeStatus()).isEqualTo("TRADE_SUCCESS");

            assertThat(query(client, unscanned).getSubCode()).isEqualTo("ACQ.TRADE_NOT_EXIST");
            second.control().scan(unscanned);
            assertThat(query(client, unscanned).getTradeStatus()).isEqualTo("WAIT_BUYER_PAY");
        }

        try (AlipaySandbox third = sandbox(state)) {
            AlipayClient client = client(third);
            assertThat(query(client, paid).getTradeStatus()).isEqualTo("TRADE_CLOSED");
            assertThat(third.control().trade(paid).get("refunded_amount").asText())
                    .isEqualTo("10.00");
            assertThat(query(client, waiting).getTradeStatus()).isEqualTo("TRADE_SUCCESS");
        }
    }

    @Test
    void aLineCutByACrashIsSkippedAndTheRestIsKept() throws Exception {
        Path state = dir.resolve("cut.jsonl");
        String no = Sdk.orderNo("JC");
        try (AlipaySandbox first = sandbox(state)) {
            AlipayTradeCreateRequest create = new AlipayTradeCreateRequest();
            create.setBizContent("{\"out_trade_no\":\"" + no + "\",\"total_amount\":\"2.00\",\"subject\":\"cut\"}");
            assertThat(client(first).execute(create).isSuccess()).isTrue();
        }
        Files.writeString(state, "{\"trade_no\":\"2026", java.nio.file.StandardOpenOption.APPEND);
        try (AlipaySandbox second = sandbox(state)) {
            assertThat(query(client(second), no).getTradeStatus()).isEqualTo("WAIT_BUYER_PAY");
            second.control().pay(no);
        }
        try (AlipaySandbox third = sandbox(state)) {
            assertThat(query(client(third), no).getTradeStatus())
                    .as("written after the cut line, not into it")
                    .isEqualTo("TRADE_SUCCESS");
        }
    }
}
