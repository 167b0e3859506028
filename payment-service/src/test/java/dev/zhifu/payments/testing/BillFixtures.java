package dev.zhifu.payments.testing;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes trade bill zips in Alipay's layout (docs/alipay-protocol.md#s12: GBK, CRLF, trailing TABs, negative refund rows, footer
 * totals), streamed to a file so that a bill of any size costs no memory. {@code footerPaymentDelta} tampers
 * with the #交易合计 amount, to see the totals check.
 */
public final class BillFixtures {

    private static final Charset GBK = Charset.forName("GBK");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String HEADER = "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,"
            + "对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,"
            + "商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注";

    /** A payment row ({@code outRequestNo} null) or a refund row (positive {@code amount}; written negative). */
    public record Row(
            String tradeNo, String outTradeNo, String outRequestNo, BigDecimal amount, LocalDateTime finished) {
        public boolean refund() {
            return outRequestNo != null;
        }
    }

    private BillFixtures() {}

    public static Path write(Path dir, LocalDate day, Iterator<Row> rows, BigDecimal footerPaymentDelta)
            throws IOException {
        String account = "20880000000000010156";
        String prefix = account + "_" + day.format(DateTimeFormatter.BASIC_ISO_DATE);
        Path zip = dir.resolve(prefix + ".csv.zip");
        try (OutputStream file = Files.newOutputStream(zip);
                ZipOutputStream out = new ZipOutputStream(file, GBK)) {
            out.putNextEntry(new ZipEntry(prefix + "_业务明细.csv"));
            Writer w = new BufferedWriter(new OutputStreamWriter(out, GBK), 64 * 1024);
            w.write("#支付宝业务明细查询\r\n#账号：[" + account + "]\r\n#起始日期：[" + day + " 00:00:00]   终止日期：["
                    + day.plusDays(1) + " 00:00:00]\r\n#-----------------------------------------业务明细列表"
                    + "----------------------------------------\r\n" + HEADER + "\r\n");
            long payments = 0;
            long refunds = 0;
            BigDecimal paid = BigDecimal.ZERO.setScale(2);
            BigDecimal refunded = BigDecimal.ZERO.setScale(2);
            while (rows.hasNext()) {
                Row r = rows.next();
                String amount = (r.refund() ? r.amount().negate() : r.amount())
                        .setScale(2)
                        .toPlainString();
                String time = TIME.format(r.finished());
                w.write(r.tradeNo() + "\t," + r.outTradeNo() + "\t," + (r.refund() ? "退款" : "交易") + "\t,商品," + time
                        + ","
                        + time + ",\t,\t,\t,\t,*测试(158***62)\t," + amount + "," + amount
                        + ",0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00,"
                        + (r.refund() ? r.outRequestNo() : "") + "\t,0.00,0.00,\r\n");
                if (r.refund()) {
                    refunds++;
                    refunded = refunded.subtract(r.amount());
                } else {
                    payments++;
                    paid = paid.add(r.amount());
                }
            }
            w.write("#-----------------------------------------业务明细列表结束------------------------------------\r\n");
            w.write("#交易合计：" + payments + "笔，商家实收共"
                    + paid.add(footerPaymentDelta).toPlainString() + "元，商家优惠共0.00元\r\n");
            w.write("#退款合计：" + refunds + "笔，商家实收退款共" + refunded.toPlainString() + "元，商家优惠退款共0.00元\r\n");
            w.write("#导出时间：[" + day.plusDays(1) + " 09:00:00]\r\n");
            w.flush();
            out.closeEntry();
        }
        return zip;
    }
}
