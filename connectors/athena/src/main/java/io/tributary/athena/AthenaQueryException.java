package io.tributary.athena;

/**
 * An Athena query that did not succeed: FAILED, CANCELLED, stopped after {@code queryTimeout}, or interrupted.
 * Carries Athena's own query id, state change reason and error category so the user can look the query up.
 */
public final class AthenaQueryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String queryExecutionId;
    private final String state;
    private final String stateChangeReason;
    private final Integer errorCategory;

    AthenaQueryException(
            String queryExecutionId, String state, String stateChangeReason, Integer errorCategory, String advice) {
        super("Athena query " + queryExecutionId + " " + state
                + (stateChangeReason == null ? "" : ": " + stateChangeReason)
                + (errorCategory == null
                        ? ""
                        : " (error category " + errorCategory + " " + categoryName(errorCategory) + ")")
                + (advice == null ? "" : ". " + advice));
        this.queryExecutionId = queryExecutionId;
        this.state = state;
        this.stateChangeReason = stateChangeReason;
        this.errorCategory = errorCategory;
    }

    /** Athena's documented categories: 1 system, 2 user, 3 other. */
    private static String categoryName(int category) {
        switch (category) {
            case 1:
                return "SYSTEM";
            case 2:
                return "USER";
            default:
                return "OTHER";
        }
    }

    public String queryExecutionId() {
        return queryExecutionId;
    }

    public String state() {
        return state;
    }

    public String stateChangeReason() {
        return stateChangeReason;
    }

    public Integer errorCategory() {
        return errorCategory;
    }
}
