package dev.baton.lock.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    private static final Admission.Holding READER = new Admission.Holding(LeaseMode.SHARED, 1);
    private static final Admission.Holding WRITER = new Admission.Holding(LeaseMode.EXCLUSIVE, 1);

    @Test
    void an_exclusive_lease_needs_a_free_resource() {
        assertThat(Admission.admits(List.of(), LeaseMode.EXCLUSIVE, 1, null)).isTrue();
        assertThat(Admission.admits(List.of(READER), LeaseMode.EXCLUSIVE, 1, null)).isFalse();
    }

    @Test
    void shared_leases_exclude_only_exclusive_ones() {
        assertThat(Admission.admits(List.of(READER, READER), LeaseMode.SHARED, 1, null)).isTrue();
        assertThat(Admission.admits(List.of(WRITER), LeaseMode.SHARED, 1, null)).isFalse();
    }

    @Test
    void permits_fit_the_limit() {
        List<Admission.Holding> two = List.of(new Admission.Holding(LeaseMode.PERMITS, 2));

        assertThat(Admission.admits(two, LeaseMode.PERMITS, 1, 3)).isTrue();
        assertThat(Admission.admits(two, LeaseMode.PERMITS, 2, 3)).isFalse();
    }
}
