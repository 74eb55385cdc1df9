package io.tributary.arrow;

import java.io.File;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Opens the channel an Arrow file is written through.
 *
 * <p>Files on Hadoop's own local file system ({@code file:} paths) are written with a {@link FileChannel}, which
 * takes Arrow's off-heap buffers straight to the kernel. Through Hadoop's {@code LocalFileSystem} each byte was
 * copied to the heap in 8 KiB pieces ({@code Channels.newChannel}), checksummed in 512-byte chunks into a
 * {@code .crc} side file that only Hadoop reads, and written in 4.5 KiB system calls: in a single-thread
 * microbenchmark about 10 ns per value more than the {@code FileChannel}, as much as encoding the value. The file
 * gets the permissions Hadoop would give it, and no {@code .crc} file. Every other file system (HDFS, S3A, and
 * subclasses of the local ones, which may add behaviour) is written through its Hadoop output stream as before.
 */
final class ArrowOutputChannels {
    private ArrowOutputChannels() {}

    /** Creates {@code file}, failing if it exists, and its missing parent directories. */
    static WritableByteChannel create(Path file, Configuration conf) throws IOException {
        FileSystem fs = file.getFileSystem(conf);
        File local = localFile(fs, file);
        if (local == null) {
            return Channels.newChannel(fs.create(file, false));
        }
        java.nio.file.Path path = local.toPath();
        Files.createDirectories(path.getParent());
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                // As Hadoop's create(): the default permission minus the configured umask (fs.permissions.umask-mode).
                FsPermission permission = FsPermission.getFileDefault().applyUMask(FsPermission.getUMask(conf));
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permission.toString()));
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The local file behind {@code file}, or null unless its file system is exactly Hadoop's local one. */
    private static File localFile(FileSystem fs, Path file) {
        if (fs.getClass() == LocalFileSystem.class) {
            return ((LocalFileSystem) fs).pathToFile(file);
        } else if (fs.getClass() == RawLocalFileSystem.class) {
            return ((RawLocalFileSystem) fs).pathToFile(file);
        }
        return null;
    }
}
