package io.casswarm.es.root;

import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.settings.Setting;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.RestHandler;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Replaces the parts of the default distribution this image lacks and clients rely on:
 * <ul>
 *   <li>{@code GET /} and {@code HEAD /} (the {@code rest-root} module is not on Maven Central);</li>
 *   <li>acceptance of {@code xpack.*} settings: there is no X-Pack here, but compose files written
 *       for the official image set e.g. {@code xpack.security.enabled=false}. They are registered
 *       as opaque node settings and have no effect.</li>
 * </ul>
 */
public final class CasswarmRootPlugin extends Plugin implements ActionPlugin {

    static final Setting.AffixSetting<String> IGNORED_XPACK_SETTINGS =
        Setting.prefixKeySetting("xpack.", key -> Setting.simpleString(key, Setting.Property.NodeScope));

    private final AtomicReference<ClusterService> clusterService = new AtomicReference<>();

    @Override
    public Collection<?> createComponents(PluginServices services) {
        clusterService.set(services.clusterService());
        return List.of();
    }

    @Override
    public List<Setting<?>> getSettings() {
        return List.of(IGNORED_XPACK_SETTINGS);
    }

    @Override
    public Collection<RestHandler> getRestHandlers(
        RestHandlersServices services,
        Supplier<DiscoveryNodes> nodesInCluster,
        Predicate<NodeFeature> clusterSupportsFeature
    ) {
        return List.of(new RestRootAction(clusterService::get));
    }
}
