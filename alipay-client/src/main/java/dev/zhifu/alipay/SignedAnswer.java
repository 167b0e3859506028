package dev.zhifu.alipay;

import java.util.Map;

/**
 * A gateway answer taken apart as docs/alipay-protocol.md#s6.2 prescribes.
 *
 * @param nodeName   the member that holds the answer ({@code <method>_response} or {@code error_response})
 * @param signedText the node's value exactly as received (with quotes when it is an encrypted string)
 * @param sign       top-level {@code sign}, or null
 * @param certSn     top-level {@code alipay_cert_sn}, or null
 * @param top        the whole body parsed
 */
record SignedAnswer(String nodeName, String signedText, String sign, String certSn, Map<String, Object> top) {

    boolean isEncryptedNode() {
        return signedText.startsWith("\"");
    }
}
