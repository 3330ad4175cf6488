package dev.baton.lock.election;

import dev.baton.lock.api.LeaseLimits;
import dev.baton.lock.api.LeaseRoutes;
import dev.baton.lock.engine.LeaseKind;
import dev.baton.lock.engine.LeaseRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** How a candidate campaigns: {@code POST /api/v1/elections/{name}/campaign}, served by {@link LeaseRoutes}. */
@Configuration(proxyBeanMethods = false)
class CampaignAcquisition {

    /**
     * A campaign.
     *
     * @param candidate who campaigns
     * @param value what the leader advertises to observers (an address, say)
     * @param ttlMs how long leadership lasts without a renewal (default 30000)
     * @param waitMs how long to wait to be elected (default 0: try once)
     * @param requestId makes the campaign idempotent
     */
    record Campaign(
            @NotBlank @Size(max = 200) String candidate,
            @Size(max = 4096) String value,

            @Min(LeaseLimits.MIN_TTL_MS) @Max(LeaseLimits.MAX_TTL_MS)
            Long ttlMs,

            @Min(0) @Max(LeaseLimits.MAX_WAIT_MS) Long waitMs,
            @Size(min = 1, max = 200) String requestId) {}

    @Bean
    LeaseRoutes.Acquisition<Campaign> campaignRoute() {
        return new LeaseRoutes.Acquisition<>(
                LeaseKind.ELECTION,
                ElectionController.TAG,
                ElectionController.PATH,
                "/{name}/campaign",
                "Campaign",
                "201 with the leader's lease when elected; 409 when not "
                        + "elected within waitMs. Renew the lease to stay leader; release it to resign.",
                Campaign.class,
                (key, caller, body) -> LeaseRequest.of(key, caller, body.candidate())
                        .ttl(LeaseLimits.ttlOf(body.ttlMs()))
                        .maxWait(LeaseLimits.maxWaitOf(body.waitMs()))
                        .requestId(body.requestId())
                        .value(body.value())
                        .build());
    }
}
