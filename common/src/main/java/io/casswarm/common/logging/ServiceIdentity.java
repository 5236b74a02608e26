package io.casswarm.common.logging;

import ch.qos.logback.core.Context;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * Who is logging: the ECS {@code service.*} and {@code host.name} values stamped on every event.
 *
 * <p>Resolution order, first non-blank wins:
 * <ul>
 *   <li>{@code service.name}: the encoder's {@code serviceName} property (logback), env
 *       {@code SERVICE_NAME}, system property {@code service.name}, {@code "unknown"};</li>
 *   <li>{@code service.node.name} (the swarm task / container): the encoder's {@code nodeName}
 *       property, env {@code SERVICE_NODE_NAME}, {@code TASK_NAME}, {@code HOSTNAME}, the local
 *       host name;</li>
 *   <li>{@code host.name} (the machine): env {@code HOST_NAME}, {@code NODE_HOSTNAME}, the local
 *       host name.</li>
 * </ul>
 *
 * <p>{@code service.ephemeral_id} is random, made once per Logback context (so once per process
 * run); together with {@code event.sequence} it identifies an event uniquely. It lives in the
 * context's object map so the stdout encoder and the shipper's encoder agree on it.
 */
public record ServiceIdentity(String serviceName, String nodeName, String hostName, String ephemeralId) {

    private static final String CONTEXT_KEY = ServiceIdentity.class.getName() + ".ephemeralId";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Resolves the identity for one Logback context, with optional explicit overrides. */
    public static ServiceIdentity resolve(Context context, String serviceName, String nodeName) {
        Map<String, String> env = System.getenv();
        String localHost = localHostName();
        String service = firstNonBlank(serviceName, env.get("SERVICE_NAME"), System.getProperty("service.name"), "unknown");
        String node = firstNonBlank(nodeName, env.get("SERVICE_NODE_NAME"), env.get("TASK_NAME"), env.get("HOSTNAME"), localHost);
        String host = firstNonBlank(env.get("HOST_NAME"), env.get("NODE_HOSTNAME"), localHost);
        return new ServiceIdentity(service, node, host, ephemeralId(context));
    }

    /** The per-context (per-process-run) random id, created on first use. */
    public static String ephemeralId(Context context) {
        synchronized (context) {
            Object existing = context.getObject(CONTEXT_KEY);
            if (existing instanceof String s) {
                return s;
            }
            byte[] bytes = new byte[8];
            RANDOM.nextBytes(bytes);
            String id = HexFormat.of().formatHex(bytes);
            context.putObject(CONTEXT_KEY, id);
            return id;
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return "";
    }
}
