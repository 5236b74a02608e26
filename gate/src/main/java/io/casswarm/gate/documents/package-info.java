/**
 * The public document API of the logged-in tenant: the controller maps HTTP, the service holds
 * what gate decides itself (PUT with {@code If-None-Match: *} as a create, the {@code where}
 * syntax, the link to the next page) and passes everything else to storage, which checks the
 * contract.
 */
package io.casswarm.gate.documents;
