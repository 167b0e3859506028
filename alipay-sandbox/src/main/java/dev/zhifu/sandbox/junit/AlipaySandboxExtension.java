package dev.zhifu.sandbox.junit;

import dev.zhifu.sandbox.AlipaySandbox;
import dev.zhifu.sandbox.control.SandboxControlClient;
import dev.zhifu.sandbox.wechat.WechatPayAccount;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts an {@link AlipaySandbox} on a free loopback port once per test class and injects it (or its
 * {@link SandboxControlClient}, or the {@link WechatPayAccount} a WeChat Pay client needs) into constructors,
 * lifecycle methods and tests.
 *
 * <pre>{@code
 * @ExtendWith(AlipaySandboxExtension.class)
 * class CheckoutTest {
 *     @Test void pays(AlipaySandbox sandbox, SandboxControlClient control) { ... }
 * }
 * // or, to configure it:
 * @RegisterExtension static AlipaySandboxExtension sandbox = new AlipaySandboxExtension(b -> b.timeScale(1000));
 * }</pre>
 */
public final class AlipaySandboxExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(AlipaySandboxExtension.class);

    private final Consumer<AlipaySandbox.Builder> customizer;
    private volatile AlipaySandbox sandbox;

    public AlipaySandboxExtension() {
        this(b -> {});
    }

    public AlipaySandboxExtension(Consumer<AlipaySandbox.Builder> customizer) {
        this.customizer = customizer;
    }

    /** The running sandbox (for fields registered with {@code @RegisterExtension}). */
    public AlipaySandbox sandbox() {
        if (sandbox == null) {
            throw new IllegalStateException("the sandbox starts before all tests of the class");
        }
        return sandbox;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        AlipaySandbox.Builder builder = AlipaySandbox.builder().port(0);
        customizer.accept(builder);
        sandbox = builder.build().start();
        context.getStore(NAMESPACE).put(AlipaySandbox.class, sandbox);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        AlipaySandbox running = context.getStore(NAMESPACE).remove(AlipaySandbox.class, AlipaySandbox.class);
        if (running != null) {
            running.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == AlipaySandbox.class || type == SandboxControlClient.class || type == WechatPayAccount.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        AlipaySandbox running = sandbox();
        Class<?> type = parameter.getParameter().getType();
        if (type == WechatPayAccount.class) {
            return running.wechatPayAccount();
        }
        return type == AlipaySandbox.class ? running : running.control();
    }
}
