package dev.baton.registry.keys;

import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

/** The keys created at runtime, as whole rows. A delete holds only within its caller's transaction. */
interface KeyRepository extends JpaRepository<StoredKey, UUID> {

    /** Keys whose names come after {@code after}, in name order. */
    List<StoredKey> findByNameGreaterThanOrderByName(String after, Limit limit);

    List<StoredKey> findAllByOrderByName();

    /** Deletes the key in one statement; how many rows went. */
    @Modifying
    @Query("delete from StoredKey k where k.id = :id")
    int remove(UUID id);
}
