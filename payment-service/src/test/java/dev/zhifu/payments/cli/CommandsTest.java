package dev.zhifu.payments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.payments.secrets.SecretFilesTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsTest {

    @TempDir
    Path dir;

    @Test
    void keygenWritesAPairInTheFormatsAlipaysConsoleTakes() throws Exception {
        assertThat(Commands.run(new String[]{"keygen", dir.toString()})).isZero();
        PrivateKey privateKey = AlipayKeys.readPrivateKey(dir.resolve("app_private_key.pem"));
        PublicKey fromPem = AlipayKeys.readPublicKey(dir.resolve("app_public_key.pem"));
        String oneLine = Files.readString(dir.resolve("app_public_key.txt")).strip();
        assertThat(oneLine).doesNotContain("-----").doesNotContain("\n");
        assertThat(AlipayKeys.publicKey(oneLine, "txt")).isEqualTo(fromPem).isEqualTo(AlipayKeys.publicKeyOf(privateKey));
        // never overwrites a key
        assertThat(Commands.run(new String[]{"keygen", dir.toString()})).isEqualTo(1);
    }

    @Test
    void keygensPrivateKeyIsOwnerOnlyFromTheStart() throws Exception {
        Path keys = dir.resolve("new/keys");
        assertThat(Commands.run(new String[]{"keygen", keys.toString()})).isZero();
        assertThat(SecretFilesTest.mode(keys.resolve("app_private_key.pem"))).isEqualTo("rw-------");
        assertThat(SecretFilesTest.mode(keys)).isEqualTo("rwx------");

        // a run that fails after writing the private key (here: the public key's name is taken by a
        // directory) must not leave it readable by others, as restricting it only at the end did
        Path broken = dir.resolve("broken");
        Files.createDirectories(broken.resolve("app_public_key.pem"));
        assertThat(Commands.run(new String[]{"keygen", broken.toString()})).isEqualTo(1);
        Path privateKey = broken.resolve("app_private_key.pem");
        if (Files.exists(privateKey)) {
            assertThat(SecretFilesTest.mode(privateKey)).isEqualTo("rw-------");
        }
    }

    @Test
    void doctorFailsOnAnIncompleteProductionConfigurationAndPassesTheDemo() {
        assertThat(Commands.run(new String[]{"doctor", "--payments.data-dir=" + dir,
                "--alipay.gateway-url=https://openapi.alipay.com/gateway.do", "--alipay.app-id=2021000000000001"}))
                .isEqualTo(1);
        assertThat(Commands.run(new String[]{"doctor", "--payments.data-dir=" + dir})).isZero();
    }
}
