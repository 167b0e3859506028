package dev.zhifu.loadtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Native RSA-2048 rates from {@code openssl speed}: the floor of what signing and verifying can cost. */
public final class OpensslSpeed {

    private static final Pattern LINE =
            Pattern.compile("^rsa\\s+2048 bits\\s+\\S+s\\s+\\S+s\\s+([0-9.]+)\\s+([0-9.]+)\\s*$", Pattern.MULTILINE);

    /** @param command what was run; rates are per second, summed over processes with {@code -multi} */
    public record Rates(String command, double signPerSecond, double verifyPerSecond) {}

    private OpensslSpeed() {}

    /** Runs {@code openssl speed -seconds S [-multi N] rsa2048}; bounded by a time-out. */
    public static Rates run(int seconds, int multi) {
        List<String> command = new ArrayList<>(List.of("openssl", "speed", "-seconds", Integer.toString(seconds)));
        if (multi > 1) {
            command.add("-multi");
            command.add(Integer.toString(multi));
        }
        command.add("rsa2048");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(seconds * 4L + 60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            return parse(String.join(" ", command), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run openssl: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    static Rates parse(String command, String output) {
        Matcher m = LINE.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("no 'rsa 2048 bits' line in the output of " + command + ":\n" + output);
        }
        return new Rates(command, Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)));
    }

    /** Creates per second if the machine did nothing but the 2 signs and 2 verifies each create needs. */
    public static double createFloor(Rates allCores) {
        return 1.0 / (2.0 / allCores.signPerSecond() + 2.0 / allCores.verifyPerSecond());
    }
}
