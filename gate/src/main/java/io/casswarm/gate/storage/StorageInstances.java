package io.casswarm.gate.storage;

import io.micronaut.context.annotation.Context;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.slf4j.LoggerFactory;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The storage instances as Docker's DNS lists them, looked up at start-up and then again every
 * {@link StorageSettings#instancesRefresh()} (a second by default) on the scheduler's thread, so
 * tasks that come and go are seen within a second or two (the JVM caches names for a few seconds
 * too, networkaddress.cache.ttl). A request only reads the last answer: a DNS lookup blocks, and
 * requests run on event loops (gate's and Lettuce's), which must never block.
 * {@code casswarm.storage.host} may list several names, separated by commas (every address of
 * every name is an instance).
 */
@Context
public class StorageInstances {

    private final StorageSettings settings;
    private volatile List<URI> instances;

    @Inject
    StorageInstances(StorageSettings settings, @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this(settings);
        scheduler.scheduleWithFixedDelay(settings.instancesRefresh(), settings.instancesRefresh(), this::refresh);
    }

    /** Looked up once, never again (tests that call storage directly). */
    StorageInstances(StorageSettings settings) {
        this.settings = settings;
        this.instances = lookUp();
    }

    /** Base URIs of all instances, as last looked up; empty when no name resolved. Never blocks. */
    public List<URI> all() {
        return instances;
    }

    private void refresh() {
        try {
            instances = lookUp();
        } catch (RuntimeException e) {
            // a failure would end the schedule: keep the last answer and look again next time
            LoggerFactory.getLogger(StorageInstances.class).warn("Looking storage up failed: {}", e.toString());
        }
    }

    private List<URI> lookUp() {
        List<URI> found = new ArrayList<>();
        for (String host : settings.host().split(",")) {
            String name = host.strip();
            if (name.isEmpty()) {
                continue;
            }
            try {
                for (InetAddress address : InetAddress.getAllByName(name)) {
                    String literal = address instanceof Inet6Address
                            ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
                    URI uri = URI.create("http://" + literal + ":" + settings.port());
                    if (!found.contains(uri)) {
                        found.add(uri);
                    }
                }
            } catch (UnknownHostException e) {
                // that name has no instance now
            }
        }
        return List.copyOf(found);
    }
}
