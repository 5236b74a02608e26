package io.casswarm.gate;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;

import java.util.HashMap;
import java.util.Map;

/**
 * A gate in this JVM (per test class) against the shared {@link TestStack}: real Redis, real
 * storage processes, real Cassandra. Subclasses add properties with {@link #extraProperties()}.
 */
@Tag("container")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class GateTestBase implements TestPropertyProvider {

    @Inject
    protected EmbeddedServer server;

    protected Api api() {
        return new Api(server.getURI());
    }

    /** The gate's management port (health, prometheus), apart from its API port. */
    protected Api management() {
        int port = server.getApplicationContext().getRequiredProperty("endpoints.all.port", Integer.class);
        return new Api(java.net.URI.create("http://" + server.getHost() + ":" + port));
    }

    protected Map<String, String> extraProperties() {
        return Map.of();
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>();
        TestStack.get().gateProperties().forEach((key, value) -> properties.put(key, String.valueOf(value)));
        properties.put("micronaut.server.port", "-1");
        properties.putAll(extraProperties());
        return properties;
    }
}
