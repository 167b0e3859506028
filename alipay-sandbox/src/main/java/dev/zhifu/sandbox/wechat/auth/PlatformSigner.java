package dev.zhifu.sandbox.wechat.auth;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.sandbox.cert.TestCertificateAuthority;
import dev.zhifu.sandbox.faults.FaultPlan;
import dev.zhifu.wechatpay.crypto.PemKeys;
import dev.zhifu.wechatpay.crypto.Sha256WithRsa;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

/**
 * The sandbox's own WeChat Pay key: signs answers and notifications as {@code timestamp\nnonce\nbody\n} with
 * SHA256withRSA. One key serves both verification modes a merchant may use: the "WeChat Pay public key" named by
 * its id ({@code PUB_KEY_ID_…}), and a platform certificate for that key, named by its serial number.
 */
public final class PlatformSigner {

    /** Which name the answer's {@code Wechatpay-Serial} carries, so the merchant finds the key to verify with. */
    public enum Mode {
        PUBLIC_KEY,
        CERTIFICATE
    }

    public static final String SIGNATURE_HEADER = "Wechatpay-Signature";
    public static final String TIMESTAMP_HEADER = "Wechatpay-Timestamp";
    public static final String NONCE_HEADER = "Wechatpay-Nonce";
    public static final String SERIAL_HEADER = "Wechatpay-Serial";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String publicKeyId;
    private final X509Certificate certificate;
    private final String certificateSerial;
    private final Clock clock;
    private final FaultPlan faults;
    private final Sha256WithRsa rsa;
    /** Made on the first wrong_sign_key fault: an RSA key costs a noticeable part of a second. */
    private PrivateKey wrongKey;

    private volatile Mode merchantMode = Mode.PUBLIC_KEY;

    public PlatformSigner(PrivateKey privateKey, String publicKeyId, Clock clock, FaultPlan faults, Sha256WithRsa rsa) {
        this.privateKey = privateKey;
        this.publicKey = AlipayKeys.publicKeyOf(privateKey);
        this.publicKeyId = publicKeyId;
        this.clock = clock;
        this.faults = faults;
        this.rsa = rsa;
        // WeChat Pay's platform certificate serials are 40 hex digits; any CA will do for a sandbox
        BigInteger serial = new BigInteger(159, new SecureRandom()).setBit(158);
        this.certificate = TestCertificateAuthority.load("class2")
                .issue(new X500Principal("CN=Tenpay.com Root CA sandbox platform, O=zhifu sandbox"), publicKey, serial);
        this.certificateSerial = PemKeys.serialNumber(certificate);
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public String publicKeyId() {
        return publicKeyId;
    }

    public String certificateSerial() {
        return certificateSerial;
    }

    public String certificatePem() {
        return TestCertificateAuthority.pem(certificate);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The mode of the merchant's latest request: notifications are signed so the merchant can verify them. */
    public Mode merchantMode() {
        return merchantMode;
    }

    public void rememberMerchantMode(Mode mode) {
        this.merchantMode = mode;
    }

    /** The four {@code Wechatpay-*} headers for {@code body}, spelled as WeChat Pay spells them. */
    public Map<String, String> sign(String body, Mode mode) {
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        String nonce = ApiV3Cipher.randomString(32);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(TIMESTAMP_HEADER, timestamp);
        headers.put(NONCE_HEADER, nonce);
        headers.put(SIGNATURE_HEADER, signature(timestamp + "\n" + nonce + "\n" + body + "\n"));
        headers.put(SERIAL_HEADER, mode == Mode.CERTIFICATE ? certificateSerial : publicKeyId);
        return headers;
    }

    private synchronized PrivateKey wrongKey() {
        if (wrongKey == null) {
            wrongKey = AlipayKeys.generateRsa2048().getPrivate();
        }
        return wrongKey;
    }

    private String signature(String message) {
        // the wrong_sign_key fault covers both gateways: the merchant must reject the answer
        return rsa.sign(faults.takeWrongKey() ? wrongKey() : privateKey, message);
    }
}
