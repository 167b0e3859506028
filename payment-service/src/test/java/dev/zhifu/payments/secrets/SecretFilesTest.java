package dev.zhifu.payments.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class SecretFilesTest {

    @TempDir
    Path dir;

    public static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void aNewSecretFileIsOwnerOnly() throws IOException {
        Path file = dir.resolve("key.pem");
        SecretFiles.writeNew(file, "secret\n");
        assertThat(Files.readString(file)).isEqualTo("secret\n");
        assertThat(mode(file)).isEqualTo("rw-------");
        // never replaces: a second key must not overwrite the first
        assertThatThrownBy(() -> SecretFiles.writeNew(file, "other")).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).isEqualTo("secret\n");
    }

    @Test
    void aReplacedSecretFileIsOwnerOnlyAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("api_key.txt");
        Files.writeString(file, "old"); // as an older version left it: rw-r--r-- under the usual umask
        SecretFiles.replace(file, "new");
        assertThat(Files.readString(file)).isEqualTo("new");
        assertThat(mode(file)).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void secretDirectoriesAreOwnerOnlyAtEveryLevelCreated() throws IOException {
        Path existing = Files.createDirectory(dir.resolve("existing"));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path nested = existing.resolve("data/demo-keys");

        assertThat(SecretFiles.createDirectories(nested)).isEqualTo(nested);

        assertThat(mode(existing.resolve("data"))).isEqualTo("rwx------");
        assertThat(mode(nested)).isEqualTo("rwx------");
        assertThat(mode(existing)).as("not ours to change").isEqualTo("rwxr-xr-x");
        SecretFiles.createDirectories(nested); // again: nothing to do
    }

    @Test
    void withoutPosixPermissionsTheFilesAreWrittenPlainly() throws IOException {
        // a zip file system has no POSIX permissions (as on Windows): no failure, the files are written
        URI zip = URI.create("jar:" + dir.resolve("plain.zip").toUri());
        try (FileSystem fs = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
            Path keys = SecretFiles.createDirectories(fs.getPath("/data/demo-keys"));
            SecretFiles.writeNew(keys.resolve("key.pem"), "a");
            SecretFiles.replace(keys.resolve("api_key.txt"), "b");
            SecretFiles.replace(keys.resolve("api_key.txt"), "c");
            assertThat(Files.readString(keys.resolve("key.pem"))).isEqualTo("a");
            assertThat(Files.readString(keys.resolve("api_key.txt"))).isEqualTo("c");
        }
    }
}
