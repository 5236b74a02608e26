package io.casswarm.common.contract;

import java.util.ArrayList;
import java.util.List;

/**
 * One table of inputs at the edges of each rule of {@link Contract}, with the status the input
 * must get. gate's and storage's contract tests both run every case, each through its own API
 * (gate's public one, storage's internal one), so the two services are shown to give the same
 * answer to the same input. The operation a rule is tried with fixes what "accepted" answers:
 * <ul>
 *   <li>{@link Rule#TENANT}: read the user of that name: 404 (no such user) or 400;</li>
 *   <li>{@link Rule#COLLECTION}: list that collection: 200 or 400;</li>
 *   <li>{@link Rule#DOCUMENT_ID}: read that document: 404 (no such document) or 400;</li>
 *   <li>{@link Rule#PAGE_SIZE}: list a collection of {@link #LISTED_DOCUMENTS} documents with
 *       {@code limit=input} ({@code null}: none): 200 with {@link #pageItems} items, or 400;</li>
 *   <li>{@link Rule#IF_MATCH}: replace a document of version 1 with {@code If-Match: input}
 *       ({@link #VERSION} stands for its version): 200, 412 or 400;</li>
 *   <li>{@link Rule#BODY}: create a document with that JSON text as its body: 201, 400 or 413;</li>
 *   <li>{@link Rule#TTL}: create a document with that TTL in seconds: 201 or 400;</li>
 *   <li>{@link Rule#BULK}: bulk create that many empty documents: 200 or 400.</li>
 * </ul>
 */
public final class ContractCases {

    /** In an {@link Rule#IF_MATCH} input, the current version of the document. */
    public static final String VERSION = "{version}";
    /** Documents in the collection the {@link Rule#PAGE_SIZE} cases list. */
    public static final int LISTED_DOCUMENTS = Contract.DEFAULT_PAGE_SIZE + 1;

    private ContractCases() {
    }

    public enum Rule { TENANT, COLLECTION, DOCUMENT_ID, PAGE_SIZE, IF_MATCH, BODY, TTL, BULK }

    /** One input and the status both services must answer it with. */
    public record Case(Rule rule, String what, String input, int status) {

        /** The input as a number (page size, TTL, bulk size). */
        public int number() {
            return Integer.parseInt(input);
        }

        /** An {@link Rule#IF_MATCH} input for a document at this version. */
        public String header(long version) {
            return input.replace(VERSION, Long.toString(version));
        }

        @Override
        public String toString() {
            String shown = input == null ? "(none)" : input.length() > 40 ? input.substring(0, 40) + "…" : input;
            return rule + " " + what + ": " + shown + " -> " + status;
        }
    }

    /** Items of a 200 page for a {@link Rule#PAGE_SIZE} case. */
    public static int pageItems(Case page) {
        int size = page.input() == null ? Contract.DEFAULT_PAGE_SIZE : page.number();
        return Math.min(size, LISTED_DOCUMENTS);
    }

    public static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        names(cases);
        pageSizes(cases);
        ifMatch(cases);
        bodies(cases);
        ttls(cases);
        bulks(cases);
        return List.copyOf(cases);
    }

    public static List<Case> of(Rule rule) {
        return all().stream().filter(c -> c.rule() == rule).toList();
    }

    private static void names(List<Case> cases) {
        // Path segments: every input is sent URL-encoded. No '/' (routing, not the contract, would answer).
        cases.add(new Case(Rule.TENANT, "one character", "a", 404));
        cases.add(new Case(Rule.TENANT, "upper case, digits and every punctuation allowed", "Al1ce_x.y@z-w", 404));
        cases.add(new Case(Rule.TENANT, "64 characters", "t" + "x".repeat(63), 404));
        cases.add(new Case(Rule.TENANT, "65 characters", "t" + "x".repeat(64), 400));
        cases.add(new Case(Rule.TENANT, "starts with '.'", ".alice", 400));
        cases.add(new Case(Rule.TENANT, "starts with '-'", "-alice", 400));
        cases.add(new Case(Rule.TENANT, "a space", "al ice", 400));
        cases.add(new Case(Rule.TENANT, "a letter outside ASCII", "alicé", 400));

        cases.add(new Case(Rule.COLLECTION, "one character", "c", 200));
        cases.add(new Case(Rule.COLLECTION, "upper case, digits, '_' and '-'", "Notes_2-x", 200));
        cases.add(new Case(Rule.COLLECTION, "64 characters", "c" + "x".repeat(63), 200));
        cases.add(new Case(Rule.COLLECTION, "65 characters", "c" + "x".repeat(64), 400));
        cases.add(new Case(Rule.COLLECTION, "a '.'", "a.b", 400));
        cases.add(new Case(Rule.COLLECTION, "starts with '_'", "_notes", 400));
        cases.add(new Case(Rule.COLLECTION, "a '@'", "a@b", 400));

        cases.add(new Case(Rule.DOCUMENT_ID, "one character", "d", 404));
        cases.add(new Case(Rule.DOCUMENT_ID, "every punctuation allowed", "D1.x_y:z-w", 404));
        cases.add(new Case(Rule.DOCUMENT_ID, "128 characters", "d" + "x".repeat(127), 404));
        cases.add(new Case(Rule.DOCUMENT_ID, "129 characters", "d" + "x".repeat(128), 400));
        cases.add(new Case(Rule.DOCUMENT_ID, "starts with '.'", ".d", 400));
        cases.add(new Case(Rule.DOCUMENT_ID, "a '@'", "a@b", 400));
        cases.add(new Case(Rule.DOCUMENT_ID, "a space", "a b", 400));
    }

    private static void pageSizes(List<Case> cases) {
        cases.add(new Case(Rule.PAGE_SIZE, "none: the default", null, 200));
        cases.add(new Case(Rule.PAGE_SIZE, "the smallest", "1", 200));
        cases.add(new Case(Rule.PAGE_SIZE, "the largest", Integer.toString(Contract.MAX_PAGE_SIZE), 200));
        cases.add(new Case(Rule.PAGE_SIZE, "zero", "0", 400));
        cases.add(new Case(Rule.PAGE_SIZE, "negative", "-1", 400));
        cases.add(new Case(Rule.PAGE_SIZE, "one above the largest", Integer.toString(Contract.MAX_PAGE_SIZE + 1), 400));
        cases.add(new Case(Rule.PAGE_SIZE, "not a number", "ten", 400));
        cases.add(new Case(Rule.PAGE_SIZE, "beyond int", "99999999999", 400));
    }

    private static void ifMatch(List<Case> cases) {
        cases.add(new Case(Rule.IF_MATCH, "the current version", "\"" + VERSION + "\"", 200));
        cases.add(new Case(Rule.IF_MATCH, "any version", "*", 200));
        cases.add(new Case(Rule.IF_MATCH, "weak tag of the current version (never matches strongly)",
                "W/\"" + VERSION + "\"", 412));
        cases.add(new Case(Rule.IF_MATCH, "another version", "\"999\"", 412));
        cases.add(new Case(Rule.IF_MATCH, "a tag that is no version", "\"abc\"", 412));
        cases.add(new Case(Rule.IF_MATCH, "version 0", "\"0\"", 412));
        cases.add(new Case(Rule.IF_MATCH, "no quotes", VERSION, 400));
        cases.add(new Case(Rule.IF_MATCH, "two tags", "\"" + VERSION + "\", \"999\"", 400));
        cases.add(new Case(Rule.IF_MATCH, "an open quote", "\"" + VERSION, 400));
    }

    private static void bodies(List<Case> cases) {
        cases.add(new Case(Rule.BODY, "an empty object", "{}", 201));
        cases.add(new Case(Rule.BODY, "exactly the largest, compact", bodyOfBytes(Contract.MAX_BODY_BYTES), 201));
        cases.add(new Case(Rule.BODY, "one byte above the largest", bodyOfBytes(Contract.MAX_BODY_BYTES + 1), 413));
        cases.add(new Case(Rule.BODY, "the largest compact, more with white space (compact size counts)",
                " " + bodyOfBytes(Contract.MAX_BODY_BYTES).replace(":", " :  ") + "\n".repeat(64), 201));
        cases.add(new Case(Rule.BODY, "nested to the deepest", bodyOfDepth(Contract.MAX_BODY_DEPTH), 201));
        cases.add(new Case(Rule.BODY, "one level deeper", bodyOfDepth(Contract.MAX_BODY_DEPTH + 1), 400));
        cases.add(new Case(Rule.BODY, "an array", "[1]", 400));
        cases.add(new Case(Rule.BODY, "a string", "\"text\"", 400));
        cases.add(new Case(Rule.BODY, "a repeated member", "{\"a\":1,\"a\":2}", 400));
    }

    private static void ttls(List<Case> cases) {
        cases.add(new Case(Rule.TTL, "the shortest", Integer.toString(Contract.MIN_TTL_SECONDS), 201));
        cases.add(new Case(Rule.TTL, "the longest", Integer.toString(Contract.MAX_TTL_SECONDS), 201));
        cases.add(new Case(Rule.TTL, "zero", "0", 400));
        cases.add(new Case(Rule.TTL, "one above the longest", Integer.toString(Contract.MAX_TTL_SECONDS + 1), 400));
    }

    private static void bulks(List<Case> cases) {
        cases.add(new Case(Rule.BULK, "one document", "1", 200));
        cases.add(new Case(Rule.BULK, "the most", Integer.toString(Contract.MAX_BULK_DOCUMENTS), 200));
        cases.add(new Case(Rule.BULK, "none", "0", 400));
        cases.add(new Case(Rule.BULK, "one above the most", Integer.toString(Contract.MAX_BULK_DOCUMENTS + 1), 400));
    }

    /** A body of exactly this many bytes as compact UTF-8 JSON: {@code {"x":"xxx…"}}. */
    public static String bodyOfBytes(int bytes) {
        return "{\"x\":\"" + "x".repeat(bytes - "{\"x\":\"\"}".length()) + "\"}";
    }

    /** A body nested this many levels deep, the body itself being level 1: {@code {"a":{"a":{}}}} is 3. */
    public static String bodyOfDepth(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    /** The JSON of a bulk create of this many empty documents. */
    public static String bulkOf(int documents) {
        StringBuilder bulk = new StringBuilder("{\"documents\":[");
        for (int i = 0; i < documents; i++) {
            bulk.append(i == 0 ? "" : ",").append("{\"body\":{\"n\":").append(i).append("}}");
        }
        return bulk.append("]}").toString();
    }
}
