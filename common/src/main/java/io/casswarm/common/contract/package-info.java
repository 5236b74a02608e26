/**
 * The contract gate and storage share: names, limits and defaults of documents, users and
 * queries ({@link io.casswarm.common.contract.Contract}), storage authoritative. docs/CONTRACT.md
 * lists the same rules and a test keeps it equal to {@link io.casswarm.common.contract.Contract#rules()}.
 */
package io.casswarm.common.contract;
