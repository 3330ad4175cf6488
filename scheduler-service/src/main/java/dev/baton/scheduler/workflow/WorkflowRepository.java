package dev.baton.scheduler.workflow;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

/** Workflows as whole rows. A lock or a delete holds only within its caller's transaction. */
interface WorkflowRepository extends JpaRepository<StoredWorkflow, UUID> {

    /** The workflows whose names come after {@code cursor}, in name order. */
    List<StoredWorkflow> findByNameGreaterThanOrderByName(String cursor, Limit limit);

    /** The workflow, its row locked until the transaction ends. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select w from StoredWorkflow w where w.id = :id")
    Optional<StoredWorkflow> lock(UUID id);

    /** Deletes the workflow in one statement, its runs with it; how many rows went. */
    @Modifying
    @Query("delete from StoredWorkflow w where w.id = :id")
    int remove(UUID id);
}
