package dev.zhifu.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.alipay.bill.TradeBillLine;
import dev.zhifu.alipay.bill.TradeBillParser;
import dev.zhifu.alipay.bill.TradeBillSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** The trade bill zip of docs/alipay-protocol.md#s12: GBK names and content, TAB-guarded cells, header by name, footer totals. */
class TradeBillTest {

    static final Charset GBK = Charset.forName("GBK");
    static final String HEADER = "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,"
            + "订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,"
            + "商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注";

    static String detail(List<String> rows, String footer) {
        StringBuilder s = new StringBuilder();
        s.append("#支付宝业务明细查询\r\n#账号：[20880211096256330156]\r\n")
                .append("#起始日期：[2019年09月16日 00:00:00]   终止日期：[2019年09月17日 00:00:00]\r\n")
                .append("#-----------------------------------------业务明细列表----------------------------------------\r\n")
                .append(HEADER)
                .append("\r\n");
        rows.forEach(r -> s.append(r).append("\r\n"));
        s.append("#-----------------------------------------业务明细列表结束------------------------------------\r\n")
                .append(footer)
                .append("#导出时间：[2019年09月17日 05:46:49]\r\n");
        return s.toString();
    }

    static byte[] zip(String detail) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, GBK)) {
            zip.putNextEntry(new ZipEntry("20880211096256330156_20190916_业务明细(汇总).csv"));
            zip.write("#支付宝业务汇总查询\r\n".getBytes(GBK));
            zip.putNextEntry(new ZipEntry("20880211096256330156_20190916_业务明细.csv"));
            zip.write(detail.getBytes(GBK));
        }
        return bytes.toByteArray();
    }

    static final String PAYMENT =
            "2019091622001458860515315453\t,service_1568601259302\t,交易\t,下单测试,2019-09-16 10:55:16,"
                    + "2019-09-16 10:55:23,alipay_store\t,alipay_store\t,alipay\t,\t,*津水(602***@qq.com)\t,0.01,0.01,0.00,0.00,0.00,"
                    + "0.00,0.00,,0.00\t,0.00,\t,0.00,0.00,下单测试";
    static final String REFUND = "2019091622001458860515315453\t,service_1568601259302\t,退款\t,下单测试,2019-09-16 10:55:16,"
            + "2019-09-16 11:00:00,alipay_store\t,alipay_store\t,alipay\t,\t,*津水(602***@qq.com)\t,0.01,-0.01,0.00,0.00,0.00,"
            + "0.00,0.00,,0.00\t,0.00,service_1568601259302-r1\t,0.00,0.00,";

    @Test
    void parsesPaymentAndRefundLinesAndChecksTheFooter() throws Exception {
        String footer = "#交易合计：1笔，商家实收共0.01元，商家优惠共0.00元\r\n#退款合计：1笔，商家实收退款共-0.01元，商家优惠退款共0.00元\r\n";
        List<TradeBillLine> lines = new ArrayList<>();
        TradeBillSummary summary = TradeBillParser.parseZip(
                new java.io.ByteArrayInputStream(zip(detail(List.of(PAYMENT, REFUND), footer))), lines::add);

        assertThat(lines).hasSize(2);
        TradeBillLine payment = lines.get(0);
        assertThat(payment.tradeNo()).isEqualTo("2019091622001458860515315453");
        assertThat(payment.outTradeNo()).isEqualTo("service_1568601259302");
        assertThat(payment.type()).isEqualTo(TradeBillLine.Type.PAYMENT);
        assertThat(payment.merchantReceived()).isEqualByComparingTo("0.01");
        assertThat(payment.finishedAt()).isEqualTo("2019-09-16T10:55:23");
        TradeBillLine refund = lines.get(1);
        assertThat(refund.type()).isEqualTo(TradeBillLine.Type.REFUND);
        assertThat(refund.merchantReceived()).isEqualByComparingTo("-0.01");
        assertThat(refund.refundRequestNo()).isEqualTo("service_1568601259302-r1");
        assertThat(summary.account()).isEqualTo("20880211096256330156");
        assertThat(summary.footerMatchesLines()).isTrue();
        assertThat(summary.paymentReceived()).isEqualByComparingTo("0.01");
    }

    @Test
    void aFooterThatDisagreesIsReported() throws Exception {
        String footer = "#交易合计：2笔，商家实收共0.02元，商家优惠共0.00元\r\n";
        TradeBillSummary summary = TradeBillParser.parseZip(
                new java.io.ByteArrayInputStream(zip(detail(List.of(PAYMENT), footer))), line -> {});
        assertThat(summary.footerMatchesLines()).isFalse();
    }

    @Test
    void columnsAreFoundByNameNotPosition() throws Exception {
        String reordered = detail(List.of(), "").replace(HEADER, "商户订单号,支付宝交易号,业务类型,订单金额（元）,商家实收（元）")
                + "o-1\t,t-1\t,交易\t,5.00,5.00\r\n";
        List<TradeBillLine> lines = new ArrayList<>();
        TradeBillParser.parseDetail(new java.io.StringReader(reordered), lines::add);
        assertThat(lines).singleElement().satisfies(l -> {
            assertThat(l.outTradeNo()).isEqualTo("o-1");
            assertThat(l.tradeNo()).isEqualTo("t-1");
        });
    }

    @Test
    void aBrokenRowNamesItsLine() throws Exception {
        String broken = detail(List.of(PAYMENT.replace(",0.01,0.01,", ",abc,0.01,")), "");
        assertThatThrownBy(() -> TradeBillParser.parseZip(new java.io.ByteArrayInputStream(zip(broken)), l -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 6");
    }

    @Test
    void aHundredThousandLinesStreamInFlatMemory() throws Exception {
        // generated lazily: the parser sees a stream, never a list
        java.io.PipedInputStream in = new java.io.PipedInputStream(1 << 16);
        java.io.PipedOutputStream out = new java.io.PipedOutputStream(in);
        Thread writer = new Thread(() -> {
            try (ZipOutputStream zip = new ZipOutputStream(out, GBK)) {
                zip.putNextEntry(new ZipEntry("2088_20240601_业务明细.csv"));
                zip.write(detail(List.of(), "")
                        .replace("#-----------------------------------------业务明细列表结束", "#X")
                        .split("#X")[0]
                        .getBytes(GBK));
                for (int i = 0; i < 100_000; i++) {
                    zip.write(PAYMENT.replace("service_1568601259302", "o-" + i).getBytes(GBK));
                    zip.write("\r\n".getBytes(GBK));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        AtomicLong count = new AtomicLong();
        TradeBillSummary summary = TradeBillParser.parseZip(in, line -> count.incrementAndGet());
        writer.join();
        assertThat(count).hasValue(100_000);
        assertThat(summary.paymentReceived()).isEqualByComparingTo(new BigDecimal("1000.00"));
    }

    @Test
    void downloadsAndParsesThroughTheClient() throws Exception {
        byte[] zip = zip(detail(List.of(PAYMENT), ""));
        ScriptedTransport transport =
                new ScriptedTransport().answer(new HttpTransport.Answer(200, "application/zip", zip));
        AlipayClient client =
                new AlipayClient(Fixtures.vectorConfig().transport(transport).build());
        List<TradeBillLine> lines = new ArrayList<>();
        client.downloadBill("https://dwbillcenter.alipay.com/downloadBillFile.resource?bizType=trade", lines::add);
        assertThat(lines).hasSize(1);

        ScriptedTransport failing =
                new ScriptedTransport().answer(new HttpTransport.Answer(404, "text/plain", new byte[0]));
        AlipayClient other =
                new AlipayClient(Fixtures.vectorConfig().transport(failing).build());
        assertThatThrownBy(() -> other.downloadBill("https://x.invalid/bill", l -> {}))
                .isInstanceOfSatisfying(
                        AlipayTransportException.class,
                        e -> assertThat(e.httpStatus()).isEqualTo(404));
    }
}
