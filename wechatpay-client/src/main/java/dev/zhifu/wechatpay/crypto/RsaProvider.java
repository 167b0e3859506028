package dev.zhifu.wechatpay.crypto;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Signature;
import javax.crypto.Cipher;

/**
 * Chooses the JCA provider for RSA per client, never by changing the JVM-wide {@code Security} list. Amazon
 * Corretto Crypto Provider when it is present and healthy (native RSA, the same PKCS#1 v1.5 bytes), else the JDK.
 */
public final class RsaProvider {

    /** Set to {@code false} to keep to the JDK even where ACCP is present. */
    public static final String NATIVE_PROPERTY = "zhifu.wechatpay.native-rsa";

    private static final String ACCP_CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";

    private final Provider provider;

    private RsaProvider(Provider provider) {
        this.provider = provider;
    }

    /** ACCP when available and healthy, else the JDK; {@code -Dzhifu.wechatpay.native-rsa=false} forces the JDK. */
    public static RsaProvider preferNative() {
        if ("false".equalsIgnoreCase(System.getProperty(NATIVE_PROPERTY))) {
            return jdk();
        }
        return new RsaProvider(loadAccp());
    }

    /** Always the JDK's providers. */
    public static RsaProvider jdk() {
        return new RsaProvider(null);
    }

    /** Name of the provider signing, for logs. */
    public String name() {
        try {
            return signature().getProvider().getName();
        } catch (IllegalStateException e) {
            return "none";
        }
    }

    public boolean isNative() {
        return provider != null;
    }

    Signature signature() {
        try {
            return provider == null
                    ? Signature.getInstance("SHA256withRSA")
                    : Signature.getInstance("SHA256withRSA", provider);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA256withRSA is not available", e);
        }
    }

    /** RSA-OAEP comes from the JDK: ACCP's OAEP defaults differ, and encryption is rare enough not to matter. */
    static Cipher oaep() {
        try {
            return Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA-OAEP is not available", e);
        }
    }

    private static Provider loadAccp() {
        try {
            Class<?> type = Class.forName(ACCP_CLASS, true, RsaProvider.class.getClassLoader());
            Field instance = type.getField("INSTANCE");
            Provider accp = (Provider) instance.get(null);
            Method loadingError = type.getMethod("getLoadingError");
            return loadingError.invoke(accp) == null ? accp : null;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException absent) {
            return null;
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
