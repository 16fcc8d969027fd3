package dev.lake.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * A FileIO for a warehouse on the local disk, in plain Java. Hadoop's local file system, which
 * HadoopFileIO uses, sets permissions on every new file and folder by running {@code chmod} in a
 * new process when Hadoop's native library is absent (the usual case): some 20 ms per file, which
 * dominates a commit of hundreds of files. Locations are paths or {@code file:} URIs; writes are
 * buffered. Thread-safe.
 */
public class LocalFileIO implements FileIO, SupportsPrefixOperations {
  private static final long serialVersionUID = 1L;
  private static final int BUFFER_BYTES = 8 * 1024;

  private Map<String, String> properties = Map.of();

  public LocalFileIO() {}

  @Override
  public void initialize(Map<String, String> props) {
    this.properties = Map.copyOf(props);
  }

  @Override
  public Map<String, String> properties() {
    return properties;
  }

  /** The local path of a location: a path, or a {@code file:} URI. */
  public static Path path(String location) {
    String path = location;
    if (path.startsWith("file:")) {
      path = path.substring("file:".length());
      while (path.startsWith("//")) {
        path = path.substring(1);
      }
    }
    return Path.of(path);
  }

  @Override
  public InputFile newInputFile(String location) {
    return new LocalInput(location);
  }

  @Override
  public OutputFile newOutputFile(String location) {
    return new LocalOutput(location);
  }

  @Override
  public void deleteFile(String location) {
    try {
      Files.deleteIfExists(path(location));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + location, e);
    }
  }

  @Override
  public Iterable<FileInfo> listPrefix(String prefix) {
    Path root = path(prefix);
    if (!Files.exists(root)) {
      return List.of();
    }
    List<FileInfo> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile)
          .forEach(
              file -> {
                try {
                  files.add(
                      new FileInfo(
                          file.toString(),
                          Files.size(file),
                          Files.getLastModifiedTime(file).toMillis()));
                } catch (NoSuchFileException e) {
                  // deleted while listing
                } catch (IOException e) {
                  throw new UncheckedIOException("Cannot list " + file, e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + prefix, e);
    }
    return files;
  }

  @Override
  public void deletePrefix(String prefix) {
    Path root = path(prefix);
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + prefix, e);
    }
  }

  private static final class LocalInput implements InputFile {
    private final String location;
    private final InputFile delegate;

    LocalInput(String location) {
      this.location = location;
      this.delegate = org.apache.iceberg.Files.localInput(path(location).toFile());
    }

    @Override
    public long getLength() {
      return delegate.getLength();
    }

    @Override
    public org.apache.iceberg.io.SeekableInputStream newStream() {
      return delegate.newStream();
    }

    @Override
    public String location() {
      return location;
    }

    @Override
    public boolean exists() {
      return delegate.exists();
    }
  }

  private static final class LocalOutput implements OutputFile {
    private final String location;
    private final Path path;

    LocalOutput(String location) {
      this.location = location;
      this.path = path(location);
    }

    @Override
    public PositionOutputStream create() {
      if (Files.exists(path)) {
        throw new AlreadyExistsException("File already exists: %s", location);
      }
      return open(StandardOpenOption.CREATE_NEW);
    }

    @Override
    public PositionOutputStream createOrOverwrite() {
      return open(StandardOpenOption.CREATE);
    }

    private PositionOutputStream open(StandardOpenOption mode) {
      try {
        Files.createDirectories(path.getParent());
        OutputStream out =
            Files.newOutputStream(
                path, mode, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        return new Positioned(new BufferedOutputStream(out, BUFFER_BYTES));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create " + location + ": " + e, e);
      }
    }

    @Override
    public String location() {
      return location;
    }

    @Override
    public InputFile toInputFile() {
      return new LocalInput(location);
    }
  }

  private static final class Positioned extends PositionOutputStream {
    private final OutputStream out;
    private long position;

    Positioned(OutputStream out) {
      this.out = out;
    }

    @Override
    public long getPos() {
      return position;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      position++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
      position += length;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
