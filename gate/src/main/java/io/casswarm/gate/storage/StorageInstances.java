package io.casswarm.gate.storage;

import jakarta.inject.Singleton;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The storage instances as Docker's DNS lists them. The answer is kept for
 * {@link StorageSettings#instancesRefresh()} (a second by default) and then looked up again on the
 * next call, so tasks that come and go are seen within a second or two (the JVM caches names for a
 * few seconds too, networkaddress.cache.ttl) without a lookup on every request. An empty answer is
 * never kept. {@code casswarm.storage.host} may list several names, separated by commas (every
 * address of every name is an instance).
 */
@Singleton
public class StorageInstances {

    private final StorageSettings settings;
    private volatile Answer answer = new Answer(List.of(), 0);

    StorageInstances(StorageSettings settings) {
        this.settings = settings;
    }

    /** Base URIs of all instances; empty when no name resolves. */
    public List<URI> all() {
        Answer current = answer;
        long now = System.nanoTime();
        if (!current.instances().isEmpty() && now - current.lookedUpAt() < settings.instancesRefresh().toNanos()) {
            return current.instances();
        }
        List<URI> instances = lookUp();
        answer = new Answer(instances, now);
        return instances;
    }

    private List<URI> lookUp() {
        List<URI> instances = new ArrayList<>();
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
                    if (!instances.contains(uri)) {
                        instances.add(uri);
                    }
                }
            } catch (UnknownHostException e) {
                // that name has no instance now
            }
        }
        return List.copyOf(instances);
    }

    private record Answer(List<URI> instances, long lookedUpAt) {
    }
}
