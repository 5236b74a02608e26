package io.casswarm.storage.document;

/**
 * The key of a document. The partition key of layout v2 is (scope, id), scope being
 * {@code tenant/collection} (neither name may hold '/'), so every document is its own partition.
 */
record DocumentKey(String tenant, String collection, String id) {

    String scope() {
        return scope(tenant, collection);
    }

    static String scope(String tenant, String collection) {
        return tenant + "/" + collection;
    }
}
