package io.casswarm.gate.storage;

import jakarta.inject.Singleton;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The storage instances as Docker's DNS lists them right now. Looked up on every call: the
 * JVM caches answers for a few seconds only (networkaddress.cache.ttl), so tasks that come and
 * go are seen quickly. {@code casswarm.storage.host} may also list several names, separated by
 * commas (every address of every name is an instance).
 */
@Singleton
public class StorageInstances {

    private final StorageSettings settings;

    StorageInstances(StorageSettings settings) {
        this.settings = settings;
    }

    /** Base URIs of all instances; empty when no name resolves. */
    public List<URI> all() {
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
        return instances;
    }
}
