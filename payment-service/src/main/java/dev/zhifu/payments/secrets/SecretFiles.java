package dev.zhifu.payments.secrets;

import dev.zhifu.payments.storage.Ids;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold secrets (private keys, API keys, passwords) and the directories that hold them, readable by
 * this user alone from the moment they exist: the permissions are given when the file or directory is created,
 * never set afterwards, so no other user can open it in between (an open file stays readable after a chmod).
 * On a file system without POSIX permissions they are created plainly.
 */
public final class SecretFiles {

    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private SecretFiles() {}

    /** Creates {@code dir} and its missing parents rwx------; directories that exist already are left as they are. */
    public static Path createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        return posix(dir)
                ? Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY))
                : Files.createDirectories(dir);
    }

    /** Writes {@code text} to {@code file}, which must not exist yet, created rw-------. */
    public static void writeNew(Path file, String text) throws IOException {
        SeekableByteChannel channel = create(file); // FileAlreadyExistsException: nothing was touched
        try (OutputStream out = Channels.newOutputStream(channel)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            try {
                Files.deleteIfExists(file); // ours, and incomplete
            } catch (IOException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
    }

    /**
     * Writes {@code text} to {@code file}, replacing it if present: a sibling created rw------- receives the text
     * and is then moved into place in one step, so no reader ever sees half a key.
     */
    public static void replace(Path file, String text) throws IOException {
        Path tmp = file.toAbsolutePath().resolveSibling("." + file.getFileName() + "." + Ids.random(8) + ".tmp");
        try {
            writeNew(tmp, text);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static SeekableByteChannel create(Path file) throws IOException {
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return posix(file)
                ? Files.newByteChannel(file, options, PosixFilePermissions.asFileAttribute(FILE))
                : Files.newByteChannel(file, options);
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
