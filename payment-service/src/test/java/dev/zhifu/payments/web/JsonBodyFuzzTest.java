package dev.zhifu.payments.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zhifu.payments.payments.CreatePaymentRequest;
import dev.zhifu.payments.refunds.RefundBody;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST API's JSON bodies, read without Spring as the application reads them: through
 * {@link Utf8CheckedInputStream} into a Jackson mapper with the settings of {@code application.properties}
 * (snake case, unknown fields refused) and {@link JsonBodies}' strict scalars. Whatever the bytes, a body
 * gives a request object or a {@link JacksonException} that {@link JsonBodies#reason} can word (a 400, never
 * a 500); a body read without error was well-formed UTF-8. The UTF-8 check alone agrees with the JDK's strict
 * decoder for every input and every way of reading it.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/zhifu/payments/web/JsonBodyFuzzTestInputs/}.
 */
class JsonBodyFuzzTest {

    private static final JsonMapper MAPPER = mapper();

    private static JsonMapper mapper() {
        JsonMapper.Builder builder = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        new JsonBodies().strictScalars().customize(builder);
        return builder.build();
    }

    @FuzzTest
    void createPaymentBody(byte[] body) {
        read(body, CreatePaymentRequest.class);
    }

    @FuzzTest
    void refundBody(byte[] body) {
        read(body, RefundBody.class);
    }

    private static void read(byte[] body, Class<?> type) {
        Object value;
        try {
            value = MAPPER.readValue(new Utf8CheckedInputStream(new ByteArrayInputStream(body)), type);
        } catch (JacksonException refused) {
            String reason = JsonBodies.reason(refused);
            assertThat(reason).as("a reason for %s", refused).isNotBlank();
            return;
        }
        // Jackson reads an empty body as null (the controller answers that itself); anything read was UTF-8
        assertThat(strictUtf8(body))
                .as("read a body that is not UTF-8: %s", value)
                .isTrue();
    }

    /**
     * Input: a first byte that picks the read sizes, then the bytes. The stream gives the bytes back unchanged
     * when they are well-formed UTF-8, and fails with {@link CharConversionException} when they are not,
     * whether read byte by byte, in blocks, or skipped.
     */
    @FuzzTest
    void utf8Check(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int pattern = input[0] & 0xff;
        byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean refused = false;
        try (InputStream in = new Utf8CheckedInputStream(new ByteArrayInputStream(bytes))) {
            int round = 0;
            while (true) {
                int mode = (pattern >> (2 * (round++ % 4))) & 3;
                if (mode == 0) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    if (out != null) {
                        out.write(b);
                    }
                } else if (mode == 3 && (pattern & 0x80) != 0) {
                    // skipped bytes are checked too; not copied, so compare only whether it refuses
                    if (in.skip(1 + (pattern & 7)) == 0 && in.read() < 0) {
                        break;
                    }
                    out = null;
                } else {
                    byte[] buffer = new byte[1 + mode * (pattern & 15)];
                    int n = in.read(buffer, 0, buffer.length);
                    if (n < 0) {
                        break;
                    }
                    if (out != null) {
                        out.write(buffer, 0, n);
                    }
                }
            }
        } catch (CharConversionException e) {
            refused = true;
        } catch (IOException e) {
            throw new AssertionError("only CharConversionException may come from bytes in memory", e);
        }
        assertThat(refused).as("refused iff not strict UTF-8").isEqualTo(!strictUtf8(bytes));
        if (!refused && out != null) {
            assertThat(out.toByteArray()).isEqualTo(bytes);
        }
    }

    private static boolean strictUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
