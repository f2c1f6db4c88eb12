package dev.marketops.batch.intake;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where uploaded files live, behind a small interface-like class: a local directory here
 * (configurable; a shared volume or an object store in a cluster). Paths handed out are
 * keys relative to the store, never the caller's names.
 */
@ApplicationScoped
public class FileStore {

    /** Unset: a directory under the system temp dir (the JVM's java.io.tmpdir). */
    @ConfigProperty(name = "marketops.batch.file-store.dir")
    java.util.Optional<String> configured;

    private String dir;

    @jakarta.annotation.PostConstruct
    void init() {
        dir = configured.orElse(Path.of(System.getProperty("java.io.tmpdir"), "marketops-batch-files").toString());
    }

    public String put(long batchId, String fileName, Path source) throws IOException {
        String ext = fileName.contains(".") ? fileName.substring(fileName.lastIndexOf('.')).toLowerCase() : "";
        String key = "uploads/" + batchId + ext;
        Path target = Path.of(dir).resolve(key);
        Files.createDirectories(target.getParent());
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        return key;
    }

    public Path path(String key) {
        return Path.of(dir).resolve(key);
    }

    public InputStream open(String key) throws IOException {
        return Files.newInputStream(path(key));
    }

    public void delete(String key) {
        try {
            Files.deleteIfExists(path(key));
        } catch (IOException ignored) {
            // a leftover file is harmless; retention cleans it
        }
    }
}
