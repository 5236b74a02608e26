package io.casswarm.storage.schema;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads migrations from the classpath: {@code <location>/INDEX} lists the files in order (an
 * index file rather than a directory scan, because a shaded jar cannot be listed reliably).
 * Statements are separated by a ';' at the end of a line; lines starting with "--" are comments.
 */
final class MigrationLoader {

    private static final Pattern FILE_NAME = Pattern.compile("(\\d+)_([A-Za-z0-9_]+)\\.cql");

    private MigrationLoader() {
    }

    static List<Migration> load(String location, String keyspace) {
        String folder = location.endsWith("/") ? location : location + "/";
        List<Migration> migrations = new ArrayList<>();
        int previous = 0;
        for (String line : read(folder + "INDEX").split("\n")) {
            String file = line.strip();
            if (file.isEmpty() || file.startsWith("#")) {
                continue;
            }
            Matcher name = FILE_NAME.matcher(file);
            if (!name.matches()) {
                throw new IllegalStateException("migration file name must look like 001_name.cql: " + file);
            }
            int version = Integer.parseInt(name.group(1));
            if (version <= previous) {
                throw new IllegalStateException("migration versions must grow in " + folder + "INDEX: " + file);
            }
            previous = version;
            String text = read(folder + file);
            migrations.add(new Migration(version, name.group(2), statements(text, keyspace), sha256(text)));
        }
        return List.copyOf(migrations);
    }

    static List<String> statements(String text, String keyspace) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                statements.add(finish(current, keyspace));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(finish(current, keyspace));
        }
        return statements;
    }

    private static String finish(StringBuilder statement, String keyspace) {
        String cql = statement.toString().strip();
        if (cql.endsWith(";")) {
            cql = cql.substring(0, cql.length() - 1).strip();
        }
        return cql.replace("${keyspace}", keyspace);
    }

    private static String read(String resource) {
        try (InputStream in = MigrationLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("migration resource not found on the classpath: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration resource " + resource, e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
