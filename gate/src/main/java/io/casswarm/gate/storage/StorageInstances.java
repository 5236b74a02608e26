package io.casswarm.gate.storage;

import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * The storage instances as Docker's DNS lists them right now. Looked up on every call: the
 * JVM caches answers for a few seconds only (networkaddress.cache.ttl), so tasks that come and
 * go are seen quickly.
 */
@Singleton
public class StorageInstances {

    private final StorageSettings settings;

    StorageInstances(StorageSettings settings) {
        this.settings = settings;
    }

    /** Base URIs of all instances; empty when the name does not resolve. */
    public List<URI> all() {
        try {
            return Arrays.stream(InetAddress.getAllByName(settings.host()))
                    .map(address -> URI.create("http://" + address.getHostAddress() + ":" + settings.port()))
                    .toList();
        } catch (UnknownHostException e) {
            return List.of();
        }
    }
}
