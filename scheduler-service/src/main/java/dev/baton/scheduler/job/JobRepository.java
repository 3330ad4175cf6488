package dev.baton.scheduler.job;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

/** Jobs as whole rows. A lock or a delete holds only within its caller's transaction. */
interface JobRepository extends JpaRepository<StoredJob, UUID> {

    /** The jobs whose names come after {@code cursor}, in name order. */
    List<StoredJob> findByNameGreaterThanOrderByName(String cursor, Limit limit);

    /** The job, its row locked until the transaction ends. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select j from StoredJob j where j.id = :id")
    Optional<StoredJob> lock(UUID id);

    /** Deletes the job in one statement, its executions with it; how many rows went. */
    @Modifying
    @Query("delete from StoredJob j where j.id = :id")
    int remove(UUID id);
}
