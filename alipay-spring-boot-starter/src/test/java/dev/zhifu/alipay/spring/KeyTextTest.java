package dev.zhifu.alipay.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.crypto.KeyMaterialException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One rule for "the key itself or a file", and messages that name the setting and the file but never the key. */
class KeyTextTest {

    static final KeyPair PAIR = AlipayKeys.generateRsa2048();

    @TempDir
    Path dir;

    @Test
    void pemAndAlipaysBase64AreTheKeyItself() {
        KeyText pem = KeyText.read("alipay.app-private-key", "  " + AlipayKeys.toPem(PAIR.getPrivate()));
        assertThat(pem.file()).isNull();
        assertThat(pem.source()).isEqualTo("alipay.app-private-key (inline)");
        assertThat(pem.privateKey()).isEqualTo(PAIR.getPrivate());

        KeyText base64 = KeyText.read("alipay.alipay-public-key", AlipayKeys.toBase64(PAIR.getPublic()));
        assertThat(base64.file()).isNull();
        assertThat(base64.publicKey()).isEqualTo(PAIR.getPublic());
    }

    @Test
    void aPathIsReadWithOrWithoutTheFilePrefix() throws Exception {
        Path pem = Files.writeString(dir.resolve("app_private_key.pem"), AlipayKeys.toPem(PAIR.getPrivate()));
        for (String value : new String[] {pem.toString(), "file:" + pem}) {
            KeyText key = KeyText.read("alipay.app-private-key", value);
            assertThat(key.file()).isEqualTo(pem);
            assertThat(key.source()).isEqualTo("alipay.app-private-key (file " + pem.toAbsolutePath() + ")");
            assertThat(key.privateKey()).isEqualTo(PAIR.getPrivate());
        }
    }

    @Test
    void anExistingFileWinsOverALongBase64LookingName() throws Exception {
        String name = "A".repeat(120);
        Path file = Files.writeString(dir.resolve(name), AlipayKeys.toBase64(PAIR.getPublic()));
        assertThat(KeyText.read("alipay.alipay-public-key", file.toString()).file())
                .isEqualTo(file);
        assertThat(KeyText.fileOf(file.toString())).isEqualTo(file);
        assertThat(KeyText.fileOf(name)).as("no such file here: the key itself").isNull();
    }

    @Test
    void aMissingFileOrADirectoryIsNamed() {
        Path missing = dir.resolve("keys/alipay_public_key.pem");
        assertThatThrownBy(() -> KeyText.read("alipay.alipay-public-key", missing.toString()))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessage("alipay.alipay-public-key: file not found: " + missing.toAbsolutePath());
        assertThatThrownBy(() -> KeyText.read("alipay.app-cert", dir.toString()))
                .hasMessage("alipay.app-cert: " + dir.toAbsolutePath() + " is a directory, not a key file");
    }

    @Test
    void aValueThatMayBeAMistypedKeyIsNotRepeated() {
        String almostAKey = AlipayKeys.toBase64(PAIR.getPublic()).substring(0, 60);
        assertThatThrownBy(() -> KeyText.read("alipay.alipay-public-key", almostAKey))
                .hasMessage("alipay.alipay-public-key: file not found: (value is neither a readable file nor a key)");
    }

    @Test
    void unreadableKeyTextIsNamedButNeverShown() throws Exception {
        String secretLooking = "c2VjcmV0LWxvb2tpbmctbWF0ZXJpYWwtdGhhdC1pcy1ub3QtYS1rZXk=";
        Path broken = Files.writeString(
                dir.resolve("broken.pem"),
                "-----BEGIN PRIVATE KEY-----\n" + secretLooking + "\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> KeyText.read("alipay.app-private-key", broken.toString())
                        .privateKey())
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageStartingWith("alipay.app-private-key (file " + broken.toAbsolutePath() + "): ")
                .hasMessageNotContaining(secretLooking);
    }
}
