package dev.zhifu.sandbox.gateway;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.crypto.AlipaySigner;
import dev.zhifu.alipay.crypto.RsaProvider;
import dev.zhifu.alipay.crypto.SignType;
import dev.zhifu.sandbox.faults.FaultPlan;
import java.nio.charset.Charset;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.EnumMap;
import java.util.Map;

/** Signs what the sandbox sends as Alipay: responses, notifications, return parameters. */
public final class AlipaySigning {

    private final PublicKey publicKey;
    private final Map<SignType, AlipaySigner> signers = new EnumMap<>(SignType.class);
    private final FaultPlan faults;
    private final RsaProvider provider = RsaProvider.preferNative();
    private volatile Map<SignType, AlipaySigner> wrongSigners;

    public AlipaySigning(PrivateKey alipayPrivateKey, FaultPlan faults) {
        this.publicKey = AlipayKeys.publicKeyOf(alipayPrivateKey);
        this.faults = faults;
        for (SignType type : SignType.values()) {
            signers.put(type, new AlipaySigner(alipayPrivateKey, type, provider));
        }
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** Base64 signature over {@code content} in {@code charset}; the wrong key while that fault is active. */
    public String sign(String content, Charset charset, SignType type) {
        AlipaySigner signer = faults.takeWrongKey() ? wrongSigners().get(type) : signers.get(type);
        return signer.sign(content, charset);
    }

    /** A key nobody knows, for the wrong_sign_key fault; made on first use so that start-up does not pay for it. */
    private Map<SignType, AlipaySigner> wrongSigners() {
        Map<SignType, AlipaySigner> wrong = wrongSigners;
        if (wrong == null) {
            synchronized (this) {
                wrong = wrongSigners;
                if (wrong == null) {
                    KeyPair pair = AlipayKeys.generateRsa2048(provider);
                    wrong = new EnumMap<>(SignType.class);
                    for (SignType type : SignType.values()) {
                        wrong.put(type, new AlipaySigner(pair.getPrivate(), type, provider));
                    }
                    wrongSigners = wrong;
                }
            }
        }
        return wrong;
    }
}
