/**
 * RFC 9457 problem details: the {@link io.casswarm.common.problem.Problem} record both
 * services answer errors with, the kinds of problem and their statuses
 * ({@link io.casswarm.common.problem.ProblemType}), and the exception that carries one out of a
 * service. Turning them into HTTP answers is {@code io.casswarm.common.http}'s job.
 */
package io.casswarm.common.problem;
