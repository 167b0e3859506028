package dev.zhifu.benchmarks;

import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SignatureSpi;

/**
 * A JCA provider whose {@code SHA256withRSA} does no cryptography: it signs with 256 fixed bytes and accepts
 * every signature. Put first in the JVM's provider list under our client with {@code nativeRsa(false)}, it leaves
 * only the client's own work (parameters, JSON, strings to sign, encoding, parsing), so that overhead can be
 * measured apart from RSA. Never use it for anything but this measurement.
 */
public final class NullRsa extends Provider {

    public static final NullRsa INSTANCE = new NullRsa();

    private NullRsa() {
        super("NullRsa-benchmark-only", "1.0", "no-op SHA256withRSA for overhead measurement");
        put("Signature.SHA256withRSA", NullSignature.class.getName());
    }

    /** Public with a public constructor: the JCA instantiates it reflectively. */
    public static final class NullSignature extends SignatureSpi {
        private static final byte[] SIGNATURE = new byte[256];
        private long consumed;

        public NullSignature() {}

        @Override
        protected void engineInitVerify(PublicKey publicKey) {}

        @Override
        protected void engineInitSign(PrivateKey privateKey) {}

        @Override
        protected void engineUpdate(byte b) {
            consumed++;
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) {
            consumed += len; // the content is produced by the client either way; nothing is hashed
        }

        @Override
        protected byte[] engineSign() {
            consumed = 0;
            return SIGNATURE.clone();
        }

        @Override
        protected boolean engineVerify(byte[] sigBytes) {
            consumed = 0;
            return true;
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) {}

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            return null;
        }
    }
}
