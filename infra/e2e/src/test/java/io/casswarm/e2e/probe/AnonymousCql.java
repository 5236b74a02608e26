package io.casswarm.e2e.probe;

import com.datastax.oss.driver.api.core.CqlSession;

import java.net.InetSocketAddress;

/**
 * A CQL client with no credentials at all, as an attacker on the data network would be:
 * {@code java -cp /app/app.jar:/tmp/probe io.casswarm.e2e.probe.AnonymousCql CONTACT_POINT}
 * prints {@code cql connected} when the node let it in, otherwise {@code cql refused} and the
 * exception's class and message (an {@code AuthenticationException} when Cassandra runs
 * PasswordAuthenticator). Compiled here, run in a container of storage's image.
 */
public class AnonymousCql {

    public static void main(String[] args) {
        try (CqlSession session = CqlSession.builder()
                .addContactPoint(new InetSocketAddress(args[0], 9042))
                .withLocalDatacenter("dc1")
                .build()) {
            session.execute("SELECT release_version FROM system.local");
            System.out.println("cql connected");
        } catch (RuntimeException e) {
            Throwable cause = e;
            StringBuilder chain = new StringBuilder();
            while (cause != null) {
                chain.append(' ').append(cause.getClass().getName()).append(": ").append(cause.getMessage());
                cause = cause.getCause();
            }
            System.out.println("cql refused" + chain.toString().replace('\n', ' '));
        }
    }
}
