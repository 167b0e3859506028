package dev.zhifu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.AlipayClient;
import com.alipay.api.request.AlipayDataDataserviceBillDownloadurlQueryRequest;
import com.alipay.api.request.AlipayTradePayRequest;
import com.alipay.api.request.AlipayTradeRefundRequest;
import com.alipay.api.response.AlipayDataDataserviceBillDownloadurlQueryResponse;
import dev.zhifu.sandbox.junit.AlipaySandboxExtension;
import dev.zhifu.sandbox.time.AlipayTime;
import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Trades made through the gateway come back in the day's trade bill (docs/alipay-protocol.md#s12), parsed by header names. */
@ExtendWith(AlipaySandboxExtension.class)
class BillRoundTripTest {

    private static final Charset GBK = Charset.forName("GBK");
    private final AlipaySandbox sandbox;
    private final AlipayClient client;

    BillRoundTripTest(AlipaySandbox sandbox) {
        this.sandbox = sandbox;
        this.client = Sdk.publicKeyClient(sandbox, "UTF-8");
    }

    private AlipayDataDataserviceBillDownloadurlQueryResponse bill(String date) throws Exception {
        AlipayDataDataserviceBillDownloadurlQueryRequest r = new AlipayDataDataserviceBillDownloadurlQueryRequest();
        r.setBizContent("{\"bill_type\":\"trade\",\"bill_date\":\"" + date + "\"}");
        return client.execute(r);
    }

    @Test
    void paymentsAndRefundsOfTodayAppearWithTheirAmountsAndTotals() throws Exception {
        String today = LocalDate.now(AlipayTime.ZONE).toString();
        String a = Sdk.orderNo("BILLA");
        String b = Sdk.orderNo("BILLB");
        pay(a, "10.00", "账单商品A");
        pay(b, "25.50", "账单商品B");
        AlipayTradeRefundRequest refund = new AlipayTradeRefundRequest();
        refund.setBizContent("{\"out_trade_no\":\"" + b + "\",\"refund_amount\":\"5.50\",\"out_request_no\":\"BR1\"}");
        assertThat(client.execute(refund).isSuccess()).isTrue();

        AlipayDataDataserviceBillDownloadurlQueryResponse answer = bill(today);
        assertThat(answer.isSuccess()).isTrue();
        assertThat(answer.getBillFileCode()).isNull();
        String url = answer.getBillDownloadUrl();
        assertThat(url).startsWith(sandbox.controlUrl() + "/bills/download?");
        String account = sandbox.sellerId() + "0156";
        assertThat(url).contains("downloadFileName=" + account + "_" + today.replace("-", "") + ".csv.zip");

        Map<String, String> files = unzip(Sdk.get(url).body());
        String prefix = account + "_" + today.replace("-", "");
        assertThat(files).containsOnlyKeys(prefix + "_业务明细.csv", prefix + "_业务明细(汇总).csv");
        String detail = files.get(prefix + "_业务明细.csv");
        assertThat(detail).contains("\r\n").contains("#账号：[" + account + "]");

        List<String> lines = Arrays.asList(detail.split("\r\n"));
        int header = lines.indexOf(
                lines.stream().filter(l -> l.startsWith("支付宝交易号")).findFirst().orElseThrow());
        List<String> columns = List.of(lines.get(header).split(","));
        List<Map<String, String>> rows = lines.subList(header + 1, lines.size()).stream()
                .takeWhile(l -> !l.startsWith("#"))
                .map(l -> {
                    String[] cells = l.split(",", -1);
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 0; i < columns.size(); i++) {
                        row.put(columns.get(i), cells[i].strip());
                    }
                    return row;
                })
                .toList();
        assertThat(columns).hasSize(25);
        assertThat(rows)
                .filteredOn(r -> r.get("商户订单号").equals(a))
                .singleElement()
                .satisfies(r -> assertThat(r)
                        .containsEntry("业务类型", "交易")
                        .containsEntry("订单金额（元）", "10.00")
                        .containsEntry("商家实收（元）", "10.00")
                        .containsEntry("商品名称", "账单商品A"));
        assertThat(rows)
                .filteredOn(r -> r.get("商户订单号").equals(b))
                .extracting(r -> r.get("业务类型") + " " + r.get("订单金额（元）") + " " + r.get("退款批次号/请求号"))
                .containsExactly("交易 25.50 ", "退款 -5.50 BR1");
        assertThat(detail).contains("#交易合计：").contains("#退款合计：");
        assertThat(files.get(prefix + "_业务明细(汇总).csv")).contains("业务汇总列表").contains("合计");
    }

    @Test
    void emptyDayFutureDayAndOtherBillTypes() throws Exception {
        AlipayDataDataserviceBillDownloadurlQueryResponse empty = bill("2016-01-01");
        assertThat(empty.isSuccess()).isTrue();
        assertThat(empty.getBillFileCode()).isEqualTo("EMPTY_DATA_WITH_BILL_FILE");
        assertThat(unzip(Sdk.get(empty.getBillDownloadUrl()).body())).hasSize(2);

        AlipayDataDataserviceBillDownloadurlQueryResponse future =
                bill(LocalDate.now(AlipayTime.ZONE).plusDays(2).toString());
        assertThat(future.getCode()).isEqualTo("40004");
        assertThat(future.getSubCode()).isEqualTo("isp.bill_not_exist");
        assertThat(bill("2024/06/01").getCode()).isEqualTo("40002");
    }

    private void pay(String no, String amount, String subject) throws Exception {
        AlipayTradePayRequest request = new AlipayTradePayRequest();
        request.setBizContent(
                "{\"out_trade_no\":\"" + no + "\",\"scene\":\"bar_code\",\"auth_code\":\"281234567890123456\","
                        + "\"subject\":\"" + subject + "\",\"total_amount\":\"" + amount + "\"}");
        assertThat(client.execute(request).isSuccess()).isTrue();
    }

    private static Map<String, String> unzip(byte[] zip) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), GBK)) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                files.put(e.getName(), new String(in.readAllBytes(), GBK));
            }
        }
        return files;
    }
}
