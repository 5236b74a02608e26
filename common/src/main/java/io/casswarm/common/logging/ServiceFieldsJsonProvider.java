package io.casswarm.common.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import net.logstash.logback.composite.AbstractJsonProvider;

import java.io.IOException;

/**
 * Writes {@code service.name}, {@code service.node.name}, {@code service.ephemeral_id} and
 * {@code host.name} (resolved once at start, see {@link ServiceIdentity}).
 */
public class ServiceFieldsJsonProvider extends AbstractJsonProvider<ILoggingEvent> {

    private String serviceName;
    private String nodeName;
    private volatile ServiceIdentity identity;

    public void setServiceName(String serviceName) {
        this.serviceName = serviceName;
    }

    public void setNodeName(String nodeName) {
        this.nodeName = nodeName;
    }

    @Override
    public void start() {
        identity = ServiceIdentity.resolve(getContext(), serviceName, nodeName);
        super.start();
    }

    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
        ServiceIdentity id = identity;
        generator.writeStringField(EcsFields.SERVICE_NAME, id.serviceName());
        generator.writeStringField(EcsFields.SERVICE_NODE_NAME, id.nodeName());
        generator.writeStringField(EcsFields.SERVICE_EPHEMERAL_ID, id.ephemeralId());
        generator.writeStringField(EcsFields.HOST_NAME, id.hostName());
    }
}
