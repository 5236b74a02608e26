package io.casswarm.es.launcher;

import org.elasticsearch.bootstrap.ServerArgs;
import org.elasticsearch.common.io.stream.OutputStreamStreamOutput;
import org.elasticsearch.common.settings.KeyStoreWrapper;
import org.elasticsearch.common.settings.SecureSettings;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.InternalSettingsPreparer;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The part of Elasticsearch's launcher (server-cli, not on Maven Central) that this image needs.
 *
 * <p>The server JVM reads one serialized {@link ServerArgs} from its stdin, then watches stdin for
 * the shutdown marker (EOF means "exit 1"). This program prints that record on stdout; the
 * entrypoint pipes it into the server and keeps the pipe open.
 *
 * <p>Node settings are resolved like the real launcher does (elasticsearch.yml plus command-line
 * style overrides, paths made absolute, node name defaulted), with overrides taken from the
 * environment like the official Docker image does:
 * <ul>
 *   <li>a variable whose name is a lower-case dotted setting, e.g. {@code discovery.type=single-node};</li>
 *   <li>{@code ES_SETTING_<NAME>}: lower-cased, {@code _} becomes {@code .}, {@code __} becomes {@code _}
 *       (e.g. {@code ES_SETTING_DISCOVERY_TYPE}).</li>
 * </ul>
 * Progress goes to stderr: stdout carries the binary record only.
 */
public final class ServerArgsWriter {

    private static final Pattern DOTTED_SETTING = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_\\-]+)+");
    private static final String ES_SETTING_PREFIX = "ES_SETTING_";

    private ServerArgsWriter() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(required("es.path.home"));
        Path configDir = Path.of(System.getProperty("es.path.conf", home.resolve("config").toString()));

        Map<String, String> overrides = settingsFromEnvironment(System.getenv());
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            System.err.println("[launcher] setting from environment: " + e.getKey() + "=" + e.getValue());
        }

        Environment env = InternalSettingsPreparer.prepareEnvironment(
            Settings.builder().put("path.home", home.toString()).build(),
            overrides,
            configDir,
            ServerArgsWriter::hostname
        );

        ServerArgs serverArgs = new ServerArgs(
            false,
            false,
            null,
            keystore(configDir),
            env.settings(),
            configDir,
            env.logsDir()
        );

        var stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
        try (var out = new OutputStreamStreamOutput(stdout)) {
            serverArgs.writeTo(out);
            out.flush();
        }
    }

    /** Environment variables that name settings, in the two forms the official image accepts. */
    static Map<String, String> settingsFromEnvironment(Map<String, String> environment) {
        Map<String, String> settings = new TreeMap<>();
        for (Map.Entry<String, String> e : environment.entrySet()) {
            String name = e.getKey();
            if (name.startsWith(ES_SETTING_PREFIX) && name.length() > ES_SETTING_PREFIX.length()) {
                String key = name.substring(ES_SETTING_PREFIX.length())
                    .toLowerCase(Locale.ROOT)
                    .replace("__", "\u0000")
                    .replace('_', '.')
                    .replace('\u0000', '_');
                settings.put(key, e.getValue());
            } else if (DOTTED_SETTING.matcher(name).matches()) {
                settings.put(name, e.getValue());
            }
        }
        return settings;
    }

    /** An existing keystore without password, else an empty in-memory one (like a fresh install). */
    private static SecureSettings keystore(Path configDir) throws Exception {
        if (Files.exists(configDir.resolve("elasticsearch.keystore"))) {
            KeyStoreWrapper existing = KeyStoreWrapper.load(configDir);
            existing.decrypt(new char[0]);
            return existing;
        }
        return KeyStoreWrapper.create();
    }

    private static String hostname() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && fromEnv.isBlank() == false) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "elasticsearch";
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is required");
        }
        return value;
    }
}
