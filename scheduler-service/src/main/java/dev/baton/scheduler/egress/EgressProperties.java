package dev.baton.scheduler.egress;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the scheduler may call ({@code baton.scheduler.egress.*}).
 *
 * @param allow the hosts and networks a job's {@code url} target may reach: host names
 *        ({@code reports.example.com}, or {@code *.example.com} for every name below it), addresses
 *        and CIDRs ({@code 10.0.0.0/8}, {@code fd00::/8}); none by default. A loopback, link-local
 *        or cloud metadata address is reached only when an entry within its own range lists it
 *        ({@code 127.0.0.0/8}, {@code 169.254.169.254}), by a job's URL or an instance in the registry alike
 */
@Validated
@ConfigurationProperties("baton.scheduler.egress")
public record EgressProperties(@DefaultValue List<String> allow) {}
