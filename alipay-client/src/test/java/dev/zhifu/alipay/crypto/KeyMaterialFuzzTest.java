package dev.zhifu.alipay.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zhifu.fixtures.FuzzInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Keys and certificates come from files and settings people paste, and certificates from the gateway's
 * download: {@link AlipayKeys} and {@link PemCertificates} give a key or certificate, or refuse with
 * {@link KeyMaterialException} naming what was read, never another exception and never the key itself.
 * {@link PemCertificates#blocks} never throws: a block the JDK cannot read is reported, not raised. What
 * {@link Der} writes it reads back.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/zhifu/alipay/crypto/KeyMaterialFuzzTestInputs/}.
 */
class KeyMaterialFuzzTest {

    private static final String WHAT = "fuzzed setting";
    private static final Path FILE;

    static {
        try {
            FILE = Files.createTempFile("fuzz-key", ".pem");
            FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest
    void privateKeyText(byte[] input) {
        String text = FuzzInput.text(input);
        try {
            PrivateKey key = AlipayKeys.privateKey(text, WHAT);
            assertThat(key.getAlgorithm()).isEqualTo("RSA");
        } catch (KeyMaterialException refused) {
            assertThat(refused.getMessage()).startsWith(WHAT);
        }
    }

    @FuzzTest
    void publicKeyText(byte[] input) {
        String text = FuzzInput.text(input);
        try {
            PublicKey key = AlipayKeys.publicKey(text, WHAT);
            assertThat(key).isNotNull();
        } catch (KeyMaterialException refused) {
            assertThat(refused.getMessage()).startsWith(WHAT);
        }
    }

    /** The file readers: the same contract, for any bytes (not only ASCII) in the file. */
    @FuzzTest
    void keyFiles(byte[] input) throws IOException {
        Files.write(FILE, input);
        try {
            AlipayKeys.readPrivateKey(FILE);
        } catch (KeyMaterialException refused) {
            assertThat(refused.getMessage()).startsWith(FILE.toString());
        }
        try {
            AlipayKeys.readPublicKey(FILE);
        } catch (KeyMaterialException refused) {
            assertThat(refused.getMessage()).startsWith(FILE.toString());
        }
    }

    @FuzzTest
    void pemCertificates(byte[] input) {
        String text = FuzzInput.text(input);
        List<PemCertificates.Block> blocks = PemCertificates.blocks(text);
        for (PemCertificates.Block b : blocks) {
            assertThat(b.certificate() == null).isEqualTo(b.parseError() != null);
        }
        List<X509Certificate> all = PemCertificates.all(text);
        assertThat(all).hasSize((int)
                blocks.stream().filter(b -> b.certificate() != null).count());
        try {
            X509Certificate first = PemCertificates.first(text, WHAT);
            assertThat(first).isSameAs(blocks.get(0).certificate());
        } catch (KeyMaterialException refused) {
            assertThat(refused.getMessage()).startsWith(WHAT);
        }
    }

    /** Input: integers as NUL-separated big-endian two's-complement bytes (empty parts skipped). */
    @FuzzTest
    void derIntegersRoundTrip(byte[] input) {
        List<BigInteger> ints = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= input.length && ints.size() < 12; i++) {
            if (i == input.length || input[i] == 0) {
                if (i > from) {
                    byte[] value = new byte[i - from];
                    System.arraycopy(input, from, value, 0, value.length);
                    ints.add(new BigInteger(value));
                }
                from = i + 1;
            }
        }
        if (ints.isEmpty()) {
            return;
        }
        java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
        for (BigInteger n : ints) {
            content.writeBytes(Der.wrap(0x02, n.toByteArray()));
        }
        byte[] der = Der.wrap(0x30, content.toByteArray());
        assertThat(Der.readSequenceOfIntegers(der, ints.size())).containsExactlyElementsOf(ints);
        // and whatever is read from arbitrary bytes is refused with IllegalArgumentException only
        try {
            Der.readSequenceOfIntegers(input, 2);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }
}
