package dev.zhifu.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What users of the client see: the exported packages, and a configuration that takes key text, never keys. */
class PublicApiTest {

    @Test
    void theModuleExportsTheApiPackagesOnly() throws IOException {
        ModuleDescriptor module;
        try (InputStream in = WechatPayClient.class.getResourceAsStream("/module-info.class")) {
            assertThat(in).as("module-info.class of wechatpay-client").isNotNull();
            module = ModuleDescriptor.read(in);
        }
        assertThat(module.name()).isEqualTo("dev.zhifu.wechatpay");
        assertThat(module.exports())
                .allMatch(e -> !e.isQualified())
                .extracting(ModuleDescriptor.Exports::source)
                .containsExactlyInAnyOrder(
                        "dev.zhifu.wechatpay",
                        "dev.zhifu.wechatpay.bill",
                        "dev.zhifu.wechatpay.crypto",
                        "dev.zhifu.wechatpay.notify",
                        "dev.zhifu.wechatpay.payments");
        assertThat(module.requires())
                .extracting(ModuleDescriptor.Requires::name)
                .containsExactlyInAnyOrder("java.base", "com.fasterxml.jackson.core", "java.net.http");
    }

    @Test
    void theClientsOwnMachineryIsPackagePrivate() {
        for (Class<?> type : List.of(
                AnswerVerifier.class,
                Answers.class,
                BillDownload.class,
                CertificateDownload.class,
                Fields.class,
                Json.class,
                NotificationReader.class,
                PlatformCertificates.class,
                RequestSigner.class,
                SignedExchange.class)) {
            assertThat(Modifier.isPublic(type.getModifiers()))
                    .as(type.getSimpleName())
                    .isFalse();
        }
    }

    @Test
    void theConfigurationAndClientShowNoKeyOrCryptoType() {
        List<String> offending = new ArrayList<>();
        for (Class<?> type : List.of(WechatPayConfig.class, WechatPayConfig.Builder.class, WechatPayClient.class)) {
            List<Executable> members = new ArrayList<>(List.of(type.getConstructors()));
            members.addAll(List.of(type.getMethods()));
            for (Executable member : members) {
                Stream<Class<?>> types = Stream.of(member.getParameterTypes());
                if (member instanceof Method m) {
                    types = Stream.concat(types, Stream.of(m.getReturnType()));
                }
                Set<String> keyTypes = types.filter(PublicApiTest::isKeyOrCrypto)
                        .map(Class::getName)
                        .collect(Collectors.toSet());
                if (!keyTypes.isEmpty()) {
                    offending.add(type.getSimpleName() + "." + member.getName() + " " + keyTypes);
                }
            }
        }
        assertThat(offending).isEmpty();
    }

    private static boolean isKeyOrCrypto(Class<?> type) {
        String name = type.getName();
        return name.startsWith("java.security.")
                || name.startsWith("javax.crypto.")
                || name.startsWith("dev.zhifu.wechatpay.crypto.");
    }
}
