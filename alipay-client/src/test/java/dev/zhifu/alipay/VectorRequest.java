package dev.zhifu.alipay;

import java.util.Map;

/** A request whose biz_content is given verbatim, as the SDK's {@code setBizContent(String)} sends it. */
record VectorRequest(String method, String bizContentJson, String notifyUrl, String returnUrl)
        implements AlipayRequest<AlipayResponse> {

    @Override
    public Map<String, Object> bizContent() {
        return Map.of();
    }

    @Override
    public AlipayResponse read(AlipayResponse response) {
        return response;
    }
}
