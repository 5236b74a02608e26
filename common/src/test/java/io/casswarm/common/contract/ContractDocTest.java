package io.casswarm.common.contract;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/CONTRACT.md carries {@link Contract#rules()} as its table, and the shared cases fit the rules they test. */
class ContractDocTest {

    private static final String START = "<!-- contract-rules:start -->\n";
    private static final String END = "<!-- contract-rules:end -->";

    @Test
    void theDocumentedTableIsTheContract() throws IOException {
        // Surefire runs in the module directory (common/).
        String doc = Files.readString(Path.of("..", "docs", "CONTRACT.md"));
        int start = doc.indexOf(START);
        int end = doc.indexOf(END);
        assertTrue(start >= 0 && end > start, "docs/CONTRACT.md has the contract-rules markers");
        assertEquals(table(), doc.substring(start + START.length(), end),
                "docs/CONTRACT.md's table between the contract-rules markers must be this (Contract.rules())");
    }

    @Test
    void theSharedCasesAreAtTheEdgesTheyName() {
        assertEquals(Contract.MAX_BODY_BYTES, ContractCases.bodyOfBytes(Contract.MAX_BODY_BYTES).length());
        assertEquals("{\"a\":{\"a\":{}}}", ContractCases.bodyOfDepth(3));
        for (ContractCases.Case rule : ContractCases.all()) {
            boolean accepted = rule.status() != 400; // a name that passes is then not found (404) or listed (200)
            switch (rule.rule()) {
                case TENANT -> assertEquals(accepted, Contract.isTenant(rule.input()), rule::toString);
                case COLLECTION -> assertEquals(accepted, matches(Contract.COLLECTION, rule.input()), rule::toString);
                case DOCUMENT_ID -> assertEquals(accepted, matches(Contract.DOCUMENT_ID, rule.input()), rule::toString);
                default -> assertFalse(rule.toString().isBlank());
            }
        }
    }

    static String table() {
        StringBuilder table = new StringBuilder("| rule | value | notes |\n|---|---|---|\n");
        for (Contract.Rule rule : Contract.rules()) {
            table.append("| ").append(rule.name()).append(" | ").append(rule.value()).append(" | ")
                    .append(rule.meaning()).append(" |\n");
        }
        return table.toString();
    }

    private static boolean matches(String pattern, String input) {
        return Pattern.compile(pattern).matcher(input).matches();
    }
}
