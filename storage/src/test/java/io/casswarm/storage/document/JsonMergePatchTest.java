package io.casswarm.storage.document;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.casswarm.storage.testing.Api.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** RFC 7396, appendix A: every example, original | patch | result. */
class JsonMergePatchTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"a\":\"b\"}                 | {\"a\":\"c\"}                | {\"a\":\"c\"}",
        "{\"a\":\"b\"}                 | {\"b\":\"c\"}                | {\"a\":\"b\",\"b\":\"c\"}",
        "{\"a\":\"b\"}                 | {\"a\":null}                 | {}",
        "{\"a\":\"b\",\"b\":\"c\"}     | {\"a\":null}                 | {\"b\":\"c\"}",
        "{\"a\":[\"b\"]}               | {\"a\":\"c\"}                | {\"a\":\"c\"}",
        "{\"a\":\"c\"}                 | {\"a\":[\"b\"]}              | {\"a\":[\"b\"]}",
        "{\"a\":{\"b\":\"c\"}}         | {\"a\":{\"b\":\"d\",\"c\":null}} | {\"a\":{\"b\":\"d\"}}",
        "{\"a\":[{\"b\":\"c\"}]}       | {\"a\":[1]}                  | {\"a\":[1]}",
        "[\"a\",\"b\"]                 | [\"c\",\"d\"]                | [\"c\",\"d\"]",
        "{\"a\":\"b\"}                 | [\"c\"]                      | [\"c\"]",
        "{\"a\":\"foo\"}               | null                         | null",
        "{\"a\":\"foo\"}               | \"bar\"                      | \"bar\"",
        "{\"e\":null}                  | {\"a\":1}                    | {\"e\":null,\"a\":1}",
        "[1,2]                         | {\"a\":\"b\",\"c\":null}     | {\"a\":\"b\"}",
        "{}                            | {\"a\":{\"bb\":{\"ccc\":null}}} | {\"a\":{\"bb\":{}}}",
    })
    void appliesLikeTheRfcExamples(String original, String patch, String result) {
        JsonNode target = json(original);
        JsonNode before = target.deepCopy();
        assertEquals(json(result), JsonMergePatch.apply(target, json(patch)));
        assertEquals(before, target, "the target is not modified");
    }
}
