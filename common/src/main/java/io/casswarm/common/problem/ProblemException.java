package io.casswarm.common.problem;

/**
 * A domain failure that maps to one problem+json response. Services throw subclasses or this
 * with the problem they mean; one exception handler per service turns it into the response.
 */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.title() + (problem.detail() == null ? "" : ": " + problem.detail()));
        this.problem = problem;
    }

    public ProblemException(ProblemType type, String detail) {
        this(Problem.of(type, detail));
    }

    public Problem problem() {
        return problem;
    }
}
