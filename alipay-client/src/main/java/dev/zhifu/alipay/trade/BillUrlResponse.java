package dev.zhifu.alipay.trade;

import dev.zhifu.alipay.AlipayResponse;

/**
 * @param billDownloadUrl where the zip is, for 30 seconds
 * @param billFileCode    {@code EMPTY_DATA_WITH_BILL_FILE} when the day had no business
 */
public record BillUrlResponse(String billDownloadUrl, String billFileCode, AlipayResponse raw) {}
