package dev.zhifu.alipay.trade;

import dev.zhifu.alipay.AlipayRequest;
import dev.zhifu.alipay.AlipayResponse;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Map;

/**
 * {@code alipay.data.dataservice.bill.downloadurl.query} (docs/alipay-protocol.md#s11.12). Repeatable. The URL must be fetched
 * within 30 seconds. A day's bill is published the next day (GMT+8), a few hours after midnight.
 */
public record BillUrlRequest(String billType, String billDate) implements AlipayRequest<BillUrlResponse> {

    /** The {@code trade} (acquiring) bill of a day. */
    public static BillUrlRequest trade(LocalDate day) {
        return new BillUrlRequest("trade", day.toString());
    }

    /** The {@code trade} bill of a month. */
    public static BillUrlRequest trade(YearMonth month) {
        return new BillUrlRequest("trade", month.toString());
    }

    @Override
    public String method() {
        return "alipay.data.dataservice.bill.downloadurl.query";
    }

    @Override
    public boolean isRepeatable() {
        return true;
    }

    @Override
    public void validate() {
        if (billType == null || !billType.matches("[a-z_]{1,32}")) {
            throw new IllegalArgumentException("bill_type: e.g. trade or signcustomer, got '" + billType + "'");
        }
        if (billDate == null || !billDate.matches("\\d{4}-\\d{2}(-\\d{2})?")) {
            throw new IllegalArgumentException("bill_date: yyyy-MM-dd or yyyy-MM, got '" + billDate + "'");
        }
    }

    @Override
    public Map<String, Object> bizContent() {
        return Biz.of().put("bill_type", billType).put("bill_date", billDate).map();
    }

    @Override
    public BillUrlResponse read(AlipayResponse r) {
        return new BillUrlResponse(Responses.required(r, "bill_download_url"), r.string("bill_file_code"), r);
    }
}
