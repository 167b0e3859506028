package dev.zhifu.payments.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8CheckedInputStreamTest {

    @Test
    void wellFormedTextPassesUnchangedWhateverTheReadSizes() throws IOException {
        byte[] text = "{\"subject\":\"咖啡 café 😀 x\"}".getBytes(StandardCharsets.UTF_8);
        for (int chunk = 1; chunk <= 7; chunk++) {
            assertThat(readAll(text, chunk)).isEqualTo(text);
        }
        try (InputStream one = new Utf8CheckedInputStream(new ByteArrayInputStream(text))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int b; (b = one.read()) >= 0; ) {
                out.write(b);
            }
            assertThat(out.toByteArray()).isEqualTo(text);
        }
    }

    @Test
    void illFormedSequencesFailTheRead() {
        byte[][] bad = {
            {'x', (byte) 0xC1, (byte) 0xB6}, // overlong "v"
            {'x', (byte) 0xC0, (byte) 0x80}, // overlong NUL
            {'x', (byte) 0xED, (byte) 0xA0, (byte) 0x80}, // an encoded surrogate
            {'x', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
            {'x', (byte) 0xE5, (byte) 0x92}, // cut off by the end of the body
            {'x', (byte) 0xB6, 'y'}, // a lone continuation byte
        };
        for (byte[] b : bad) {
            assertThatThrownBy(() -> readAll(b, 2))
                    .as(java.util.HexFormat.of().formatHex(b))
                    .isInstanceOf(CharConversionException.class)
                    .hasMessageContaining("not valid UTF-8");
        }
    }

    /** Whatever the bytes and however they are read, the stream fails exactly when the JDK's strict decoder does. */
    @Test
    void agreesWithTheJdkDecoderOnRandomBytes() {
        Random random = new Random(20261126);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(12)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (random.nextBoolean() ? random.nextInt(0x80) : 0x80 + random.nextInt(0x80));
            }
            boolean valid = strictlyValid(b);
            int chunk = 1 + random.nextInt(5);
            if (valid) {
                assertThat(readAllQuietly(b, chunk))
                        .as(java.util.HexFormat.of().formatHex(b))
                        .isEqualTo(b);
            } else {
                assertThatThrownBy(() -> readAll(b, chunk))
                        .as(java.util.HexFormat.of().formatHex(b))
                        .isInstanceOf(CharConversionException.class);
            }
        }
    }

    private static boolean strictlyValid(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] readAllQuietly(byte[] b, int chunk) {
        try {
            return readAll(b, chunk);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] readAll(byte[] b, int chunk) throws IOException {
        try (InputStream in = new Utf8CheckedInputStream(new ByteArrayInputStream(b))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[chunk];
            for (int n; (n = in.read(buffer, 0, chunk)) >= 0; ) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }
}
