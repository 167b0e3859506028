package dev.zhifu.alipay;

import java.util.Map;

/**
 * Any gateway method not modelled by a typed request: the method name and its {@code biz_content} JSON,
 * answered with the verified node.
 *
 * @param method         API method
 * @param bizContentJson the {@code biz_content} exactly as it is to be sent (null or empty for none)
 * @param repeatable     whether a retry can do no harm
 */
public record GenericRequest(String method, String bizContentJson, boolean repeatable)
        implements AlipayRequest<AlipayResponse> {

    public GenericRequest {
        if (method == null || !method.matches("[a-z0-9]+(\\.[a-z0-9_]+)+")) {
            throw new IllegalArgumentException("method: not an Alipay API name: " + method);
        }
        if (bizContentJson != null && !bizContentJson.isBlank()) {
            if (!(Json.parse(bizContentJson) instanceof Map)) {
                throw new IllegalArgumentException("bizContentJson: must be a JSON object");
            }
        }
    }

    @Override
    public Map<String, Object> bizContent() {
        return bizContentJson == null || bizContentJson.isBlank() ? Map.of() : Json.parseObject(bizContentJson);
    }

    @Override
    public String bizContentJson() {
        return bizContentJson;
    }

    @Override
    public boolean isRepeatable() {
        return repeatable;
    }

    @Override
    public AlipayResponse read(AlipayResponse response) {
        return response;
    }
}
