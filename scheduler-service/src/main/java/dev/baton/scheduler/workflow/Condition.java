package dev.baton.scheduler.workflow;

/** When an edge lets its downstream node run: on its upstream node's success, its failure, or its end whatever it was. */
enum Condition {
    SUCCESS,
    FAILURE,
    ALWAYS;

    /** Whether an upstream node in this status satisfies the edge. */
    boolean accepts(NodeStatus upstream) {
        return switch (this) {
            case SUCCESS -> upstream == NodeStatus.SUCCEEDED;
            case FAILURE -> upstream == NodeStatus.FAILED;
            case ALWAYS -> upstream.isFinal();
        };
    }
}
