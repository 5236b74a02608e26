package io.casswarm.storage.document;

import io.casswarm.common.problem.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The opaque listing cursor: what a page hands out reads back as the same position; anything else is 400. */
class CursorTest {

    @Test
    void aCursorReadsBackAsItsPosition() {
        for (DocumentQueries.Position position : new DocumentQueries.Position[]{
                new DocumentQueries.Position(Long.MIN_VALUE, "a"), new DocumentQueries.Position(0, "x:y.z"),
                new DocumentQueries.Position(Long.MAX_VALUE, "d" + "x".repeat(127))}) {
            String cursor = DocumentQueries.encode(position);
            assertTrue(cursor.matches("[A-Za-z0-9_-]+"), "URL-safe without padding: " + cursor);
            assertEquals(position, DocumentQueries.decode(cursor));
        }
        assertNull(DocumentQueries.decode(null), "no cursor: the first page");
    }

    @Test
    void positionsOrderByTokenThenId() {
        assertTrue(new DocumentQueries.Position(1, "b").compareTo(new DocumentQueries.Position(2, "a")) < 0);
        assertTrue(new DocumentQueries.Position(1, "a").compareTo(new DocumentQueries.Position(1, "b")) < 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "!!", "bm9wZQ", "djE6Li4v", "%27%20OR%201%3D1"})
    void anythingElseIs400(String cursor) {
        assertEquals(400, assertThrows(ProblemException.class, () -> DocumentQueries.decode(cursor)).problem().status());
    }

    @Test
    void aCursorOfLayoutOneIs400() {
        String v1 = Base64.getUrlEncoder().withoutPadding().encodeToString("1:42:doc".getBytes(StandardCharsets.UTF_8));
        String noId = Base64.getUrlEncoder().withoutPadding().encodeToString("2:42:".getBytes(StandardCharsets.UTF_8));
        String notNumber = Base64.getUrlEncoder().withoutPadding().encodeToString("2:x:doc".getBytes(StandardCharsets.UTF_8));
        for (String cursor : new String[]{v1, noId, notNumber}) {
            assertEquals(400, assertThrows(ProblemException.class, () -> DocumentQueries.decode(cursor)).problem().status());
        }
    }
}
