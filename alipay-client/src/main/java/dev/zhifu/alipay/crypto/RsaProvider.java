package dev.zhifu.alipay.crypto;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Signature;

/**
 * Chooses the JCA provider for RSA, per client and never by changing the JVM-wide {@code Security} list.
 * Amazon Corretto Crypto Provider is used when it is on the class path and healthy (native RSA, the same
 * PKCS#1 v1.5 bytes); otherwise the JDK's own provider.
 */
public final class RsaProvider {

    private static final String ACCP_CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";

    private final Provider provider;

    private RsaProvider(Provider provider) {
        this.provider = provider;
    }

    /** Set to {@code false} to keep to the JDK even where ACCP is on the class path. */
    public static final String NATIVE_PROPERTY = "zhifu.alipay.native-rsa";

    /**
     * ACCP when available and healthy, else the JDK. {@code -Dzhifu.alipay.native-rsa=false} turns ACCP off
     * without a rebuild: for a platform where it misbehaves, or a CDS training run (JDK 17 cannot archive the
     * lambdas of a signed jar's classes and crashes when it tries).
     */
    public static RsaProvider preferNative() {
        if ("false".equalsIgnoreCase(System.getProperty(NATIVE_PROPERTY))) {
            return jdk();
        }
        return new RsaProvider(loadAccp());
    }

    /** Always the JDK's default provider for SHA256withRSA. */
    public static RsaProvider jdk() {
        return new RsaProvider(null);
    }

    /** A provider of the caller's choice (an HSM's, say). */
    public static RsaProvider of(Provider provider) {
        return new RsaProvider(provider);
    }

    /** Name of the provider in use, for logs and {@code doctor}. */
    public String name() {
        if (provider != null) {
            return provider.getName();
        }
        try {
            return Signature.getInstance(SignType.RSA2.jcaAlgorithm())
                    .getProvider()
                    .getName();
        } catch (java.security.GeneralSecurityException e) {
            return "none";
        }
    }

    public boolean isNative() {
        return provider != null && provider.getClass().getName().equals(ACCP_CLASS);
    }

    Signature signature(SignType type) {
        try {
            return provider == null
                    ? Signature.getInstance(type.jcaAlgorithm())
                    : Signature.getInstance(type.jcaAlgorithm(), provider);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(type.jcaAlgorithm() + " is not available from " + name(), e);
        }
    }

    KeyPairGenerator keyPairGenerator() throws GeneralSecurityException {
        return provider == null ? KeyPairGenerator.getInstance("RSA") : KeyPairGenerator.getInstance("RSA", provider);
    }

    private static Provider loadAccp() {
        try {
            Class<?> type = Class.forName(ACCP_CLASS, true, RsaProvider.class.getClassLoader());
            Field instance = type.getField("INSTANCE");
            Provider accp = (Provider) instance.get(null);
            Method healthy = type.getMethod("getLoadingError");
            if (healthy.invoke(accp) != null) {
                return null; // native library failed to load on this platform
            }
            return accp;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException absent) {
            return null;
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
