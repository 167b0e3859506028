package dev.zhifu.payments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.payments.secrets.SecretFilesTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
        assertThat(Commands.run(new String[] {"keygen", dir.toString()})).isZero();
        PrivateKey privateKey = AlipayKeys.readPrivateKey(dir.resolve("app_private_key.pem"));
        PublicKey fromPem = AlipayKeys.readPublicKey(dir.resolve("app_public_key.pem"));
        String oneLine = Files.readString(dir.resolve("app_public_key.txt")).strip();
        assertThat(oneLine).doesNotContain("-----").doesNotContain("\n");
        assertThat(AlipayKeys.publicKey(oneLine, "txt"))
                .isEqualTo(fromPem)
                .isEqualTo(AlipayKeys.publicKeyOf(privateKey));
        // never overwrites a key
        assertThat(Commands.run(new String[] {"keygen", dir.toString()})).isEqualTo(1);
    }

    @Test
    void keygensPrivateKeyIsOwnerOnlyFromTheStart() throws Exception {
        Path keys = dir.resolve("new/keys");
        assertThat(Commands.run(new String[] {"keygen", keys.toString()})).isZero();
        assertThat(SecretFilesTest.mode(keys.resolve("app_private_key.pem"))).isEqualTo("rw-------");
        assertThat(SecretFilesTest.mode(keys)).isEqualTo("rwx------");

        // a run that fails after writing the private key (here: the public key's name is taken by a
        // directory) must not leave it readable by others, as restricting it only at the end did
        Path broken = dir.resolve("broken");
        Files.createDirectories(broken.resolve("app_public_key.pem"));
        assertThat(Commands.run(new String[] {"keygen", broken.toString()})).isEqualTo(1);
        Path privateKey = broken.resolve("app_private_key.pem");
        if (Files.exists(privateKey)) {
            assertThat(SecretFilesTest.mode(privateKey)).isEqualTo("rw-------");
        }
    }

    @Test
    void doctorFailsOnAnIncompleteProductionConfigurationAndPassesTheDemo() {
        assertThat(Commands.run(new String[] {
                    "doctor",
                    "--payments.data-dir=" + dir,
                    "--alipay.gateway-url=https://openapi.alipay.com/gateway.do",
                    "--alipay.app-id=2021000000000001"
                }))
                .isEqualTo(1);
        assertThat(Commands.run(new String[] {"doctor", "--payments.data-dir=" + dir}))
                .isZero();
    }

    @Test
    void helpPrintsTheUsageAndStartsNothing() {
        for (String[] args :
                new String[][] {{"--help"}, {"-h"}, {"help"}, {"doctor", "--help"}, {"--server.port=1", "-h"}}) {
            Output o = new Output();
            assertThat(Commands.dispatch(args, o.out, o.err))
                    .as(String.join(" ", args))
                    .isZero();
            assertThat(o.out())
                    .startsWith("usage: java -jar payment-service.jar [--name=value ...]")
                    .contains("doctor [--offline]")
                    .contains("keygen DIR")
                    // keygen is Alipay's; the usage says where WeChat Pay's files come from instead
                    .contains("apiclient_key.pem")
                    .contains("openssl x509 -noout -serial -in apiclient_cert.pem")
                    .contains("PUB_KEY_ID_");
            assertThat(o.err()).isEmpty();
        }
    }

    @Test
    void aMistypedCommandIsRefusedWithTheNearestOneAndTheUsage() {
        Output o = new Output();
        assertThat(Commands.dispatch(new String[] {"doctr", "--alipay.app-id=1"}, o.out, o.err))
                .isEqualTo(Commands.USAGE_ERROR);
        assertThat(o.err()).startsWith("unknown command 'doctr'; did you mean 'doctor'?\nusage: ");
        assertThat(o.out()).isEmpty();

        o = new Output();
        assertThat(Commands.dispatch(new String[] {"kegen", "keys"}, o.out, o.err))
                .isEqualTo(Commands.USAGE_ERROR);
        assertThat(o.err()).startsWith("unknown command 'kegen'; did you mean 'keygen'?");
    }

    @Test
    void aJvmOptionAfterTheJarOrAStrayArgumentIsRefusedNotIgnored() {
        Output o = new Output();
        assertThat(Commands.dispatch(new String[] {"-Dserver.port=9090"}, o.out, o.err))
                .isEqualTo(Commands.USAGE_ERROR);
        assertThat(o.err())
                .startsWith("'-Dserver.port=9090' after the jar is not a JVM option: write --server.port=9090");

        o = new Output();
        assertThat(Commands.dispatch(new String[] {"--server.port=9090", "doctor"}, o.out, o.err))
                .isEqualTo(Commands.USAGE_ERROR);
        assertThat(o.err()).startsWith("unexpected argument 'doctor'");
    }

    @Test
    void settingsAloneStartTheService() {
        Output o = new Output();
        assertThat(Commands.dispatch(new String[0], o.out, o.err)).isEqualTo(Commands.START);
        assertThat(Commands.dispatch(new String[] {"--server.port=9090", "--alipay.app-id=1"}, o.out, o.err))
                .isEqualTo(Commands.START);
        assertThat(o.out() + o.err()).isEmpty();
    }

    @Test
    void doctorRefusesAMisspeltSettingAndNamesTheRightOne() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = Commands.doctor(
                new String[] {"doctor", "--payments.data-dir=" + dir, "--alipay.gateway-ur=x"},
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(1);
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo(
                        "PROBLEM unknown setting alipay.gateway-ur (command line): did you mean alipay.gateway-url?\n");
    }

    private static final class Output {
        final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

        String out() {
            return outBytes.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return errBytes.toString(StandardCharsets.UTF_8);
        }
    }
}
