package dev.zhifu.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zhifu.fixtures.FuzzInput;

/**
 * The downloaded bill file is not signed: whatever its bytes, compressed or not, it is returned only when its
 * SHA-1 is the {@code hash_value}, and otherwise refused with a {@link WechatPayMalformedException}.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/zhifu/wechatpay/BillDigestFuzzTestInputs/}.
 */
class BillDigestFuzzTest {

    /** Input: the downloaded bytes, read as gzip. */
    @FuzzTest
    void gzipBody(byte[] input) {
        try {
            String bill = BillDownload.checked(input, true, LoopbackGateway.sha1(LoopbackGateway.BILL));
            assertThat(bill).isEqualTo(LoopbackGateway.BILL);
        } catch (WechatPayMalformedException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    /** Input: the bill text; compressed and hashed as WeChat Pay would, it comes back unchanged. */
    @FuzzTest
    void compressedRoundTrip(byte[] input) throws Exception {
        String text = FuzzInput.text(input);
        byte[] gz = LoopbackGateway.gzip(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(BillDownload.checked(gz, true, LoopbackGateway.sha1(text))).isEqualTo(text);
    }
}
