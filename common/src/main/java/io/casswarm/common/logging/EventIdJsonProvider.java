package io.casswarm.common.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.spi.BasicSequenceNumberGenerator;
import com.fasterxml.jackson.core.JsonGenerator;
import net.logstash.logback.composite.AbstractJsonProvider;

import java.io.IOException;

/**
 * Writes {@code event.sequence} (Logback's per-context sequence number) and {@code event.id}
 * (see {@link EventIds}). Installs a sequence number generator on the context when the
 * configuration did not declare one, since without it every event would carry 0.
 */
public class EventIdJsonProvider extends AbstractJsonProvider<ILoggingEvent> {

    private volatile String ephemeralId;

    @Override
    public void start() {
        ensureSequenceNumbers(getContext());
        ephemeralId = ServiceIdentity.ephemeralId(getContext());
        super.start();
    }

    /** Makes sure events created in this context carry a sequence number. */
    public static void ensureSequenceNumbers(ch.qos.logback.core.Context context) {
        synchronized (context) {
            if (context.getSequenceNumberGenerator() == null) {
                BasicSequenceNumberGenerator generator = new BasicSequenceNumberGenerator();
                generator.setContext(context);
                context.setSequenceNumberGenerator(generator);
            }
        }
    }

    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
        long sequence = event.getSequenceNumber();
        generator.writeNumberField(EcsFields.EVENT_SEQUENCE, sequence);
        generator.writeStringField(EcsFields.EVENT_ID, EventIds.of(ephemeralId, sequence));
    }
}
