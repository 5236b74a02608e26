package io.casswarm.common.http;

import io.casswarm.common.problem.ProblemException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The entity-tag rules of gate and storage, without a server. */
@Tag("unit")
class PreconditionsTest {

    @Test
    void anEtagIsTheVersionInQuotes() {
        assertEquals("\"3\"", Preconditions.etag(3));
    }

    @Test
    void theVersionOfAnEtagIsReadBackAndNothingElseIs() {
        assertEquals(3, Preconditions.versionOfEtag(Preconditions.etag(3)));
        for (String notOurs : new String[] {"3", "W/\"3\"", "\"0\"", "\"x\"", "\"\"", "\"3\", \"4\""}) {
            assertThrows(IllegalArgumentException.class, () -> Preconditions.versionOfEtag(notOurs), notOurs);
        }
    }

    @Test
    void ifMatchTakesOneStrongTagOrStar() {
        assertNull(Preconditions.ifMatch(null));
        assertNull(Preconditions.ifMatch("*"));
        assertNull(Preconditions.ifMatch(" * "));
        assertEquals(7L, Preconditions.ifMatch("\"7\""));
        assertEquals(7L, Preconditions.ifMatch("  \"7\" "));
        assertEquals(Long.MAX_VALUE, Preconditions.ifMatch("\"" + Long.MAX_VALUE + "\""));
    }

    @Test
    void aWeakTagOrATagThatIsNoVersionFailsThePrecondition() {
        for (String tag : new String[]{"W/\"1\"", "\"0\"", "\"-1\"", "\"abc\"", "\"\"", "\"99999999999999999999\"",
                "\"1.0\"", "\"+1\""}) {
            assertEquals(412, status(() -> Preconditions.ifMatch(tag)), tag);
        }
    }

    @Test
    void aValueThatIsNoEntityTagOrSeveralIsABadRequest() {
        for (String value : new String[]{"1", "\"1", "1\"", "\"1\"x", "\"1\" \"2\"", "\"1\", \"2\"", "W/", "\"",
                "", "\"a b\"", "\"a\"b\"", "x".repeat(2000)}) {
            assertEquals(400, status(() -> Preconditions.ifMatch(value)), value);
        }
    }

    @Test
    void ifNoneMatchOnAWriteIsOnlyStar() {
        assertFalse(Preconditions.ifNoneMatchAny(null));
        assertTrue(Preconditions.ifNoneMatchAny("*"));
        for (String value : new String[]{"\"1\"", "W/\"1\"", "abc", "\"*\""}) {
            assertEquals(400, status(() -> Preconditions.ifNoneMatchAny(value)), value);
        }
    }

    @Test
    void ifNoneMatchOnAReadComparesWeakly() {
        assertFalse(Preconditions.ifNoneMatchHits(null, 3));
        assertTrue(Preconditions.ifNoneMatchHits("*", 3));
        assertTrue(Preconditions.ifNoneMatchHits("\"3\"", 3));
        assertTrue(Preconditions.ifNoneMatchHits("W/\"3\"", 3));
        assertTrue(Preconditions.ifNoneMatchHits("\"1\", \"3\"", 3));
        assertFalse(Preconditions.ifNoneMatchHits("\"2\"", 3));
        assertEquals(400, status(() -> Preconditions.ifNoneMatchHits("3", 3)));
    }

    private static int status(Runnable call) {
        return assertThrows(ProblemException.class, call::run).problem().status();
    }
}
