package dev.baton.registry.keys;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the keys the registry manages and of the audit log ({@code baton.keys.*}).
 *
 * @param feedReaders names of the keys, besides ADMIN ones, that may follow the key feed: the gateway's
 * @param auditRetention how long an audit entry is kept at least: a UTC day's entries go together once the
 *        whole day is older
 * @param auditSweepInterval how often older days are dropped and the week ahead's partitions made (one replica
 *        at a time)
 * @param auditWatchPoll how often a replica reads the audit log's newest id while a blocking query on the log
 *        waits, to wake it on entries that any service wrote
 */
@Validated
@ConfigurationProperties("baton.keys")
record KeysProperties(
        @DefaultValue("gateway") List<String> feedReaders,
        @DefaultValue("30d") Duration auditRetention,
        @DefaultValue("1h") Duration auditSweepInterval,
        @DefaultValue("500ms") Duration auditWatchPoll) {}
