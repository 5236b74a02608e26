package io.casswarm.common.logging.es;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The defaults, and that a wrong setting is refused by name. No container. */
class ShipperSettingsTest {

    private static ShipperSettings build(Consumer<ShipperSettings.Builder> tweak) {
        ShipperSettings.Builder builder = new ShipperSettings.Builder();
        tweak.accept(builder);
        return builder.build();
    }

    @Test
    void defaults() {
        ShipperSettings s = build(b -> { });
        assertEquals(List.of(URI.create("http://elasticsearch:9200")), s.urls());
        assertEquals("logs-casswarm-default", s.dataStream());
        assertNull(s.spoolDir());
        assertEquals(1000, s.lingerMillis());
        assertEquals(1000, s.maxBatchEvents());
        assertEquals(8192, s.queueCapacity());
        assertEquals("5s", s.refreshInterval());
        assertEquals("", s.retention());
    }

    @Test
    void urlsAreCommaSeparated() {
        assertEquals(List.of(URI.create("http://a:9200"), URI.create("http://b:9200")),
                build(b -> b.urls = " http://a:9200, ,http://b:9200 ").urls());
    }

    @Test
    void aWrongSettingIsRefusedByName() {
        assertRefused(b -> b.urls = " , ", "no Elasticsearch url");
        assertRefused(b -> b.queueCapacity = 0, "queueCapacity");
        assertRefused(b -> b.maxBatchEvents = -1, "maxBatchEvents");
        assertRefused(b -> b.lingerMillis = -1, "lingerMillis");
        assertRefused(b -> b.retryMaxMillis = 10, "retryMaxMillis");
        assertRefused(b -> b.refreshInterval = "fast", "refreshInterval");
        assertRefused(b -> b.dataStream = " ", "data stream");
    }

    @Test
    void refreshIntervalsElasticsearchAccepts() {
        for (String ok : List.of("5s", "500ms", "1m", "-1")) {
            assertEquals(ok, build(b -> b.refreshInterval = ok).refreshInterval());
        }
    }

    private static void assertRefused(Consumer<ShipperSettings.Builder> tweak, String named) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> build(tweak));
        assertTrue(e.getMessage().contains(named), e.getMessage());
    }
}
