package dev.baton.common.keys;

import dev.baton.common.batch.BatchWriter;
import dev.baton.common.security.ApiKeyPrincipal;
import dev.baton.common.security.ScopeRules;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The audit log: every change made with a key (any request but {@code GET}, {@code HEAD} and
 * {@code OPTIONS} that carried a known key), whatever its answer. A request only queues its
 * entry; a {@link BatchWriter} inserts what queued within {@link #LINGER} in one statement, off
 * the request's path. Thread-safe.
 */
public final class AuditLog extends BatchWriter<AuditLog.Entry> {

    /** One audited request; {@code kind} and {@code name} are null for a path that names no resource. */
    record Entry(
            Instant at, String keyName, String method, String kind, String name, int status, String remoteAddress) {}

    /**
     * How long a batch gathers entries after its first: every lease call adds one, and a busy
     * service then writes ten batches a second rather than one per call or two.
     */
    static final Duration LINGER = Duration.ofMillis(100);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TrustedProxies trustedProxies;

    /** @param trustedProxies whose X-Forwarded-For the log believes */
    public AuditLog(JdbcClient jdbc, Clock clock, TrustedProxies trustedProxies) {
        super("audit-log-writer", 1000, LINGER, 0);
        this.jdbc = jdbc;
        this.clock = clock;
        this.trustedProxies = trustedProxies;
    }

    /** Whether a request of this method is a change, and so audited. */
    public static boolean audited(String method) {
        return !("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method));
    }

    /**
     * Queues the entry of a request, when it is a change.
     *
     * @param path the request's raw path
     * @param remoteAddress who sent it, as {@link #remoteAddress} gives it; recorded as far as trusted proxies
     *        vouch for it ({@link TrustedProxies#sender})
     */
    public void record(ApiKeyPrincipal caller, String method, String path, int status, String remoteAddress) {
        if (!audited(method)) {
            return;
        }
        ScopeRules.Target target = ScopeRules.target(method, path, name -> null);
        add(new Entry(
                clock.instant(),
                caller.name(),
                method,
                target == null ? null : target.kind().key(),
                target == null ? null : target.name(),
                status,
                trustedProxies.sender(remoteAddress)));
    }

    /**
     * The chain a request came through: its {@code X-Forwarded-For} entries, as the proxies and
     * the client wrote them, then its peer's address. {@link #record} keeps of it what the
     * trusted proxies ({@code baton.security.trusted-proxies}) vouch for: the peer alone unless
     * the peer is one.
     */
    public static String remoteAddress(String peer, String forwardedFor) {
        if (forwardedFor == null || forwardedFor.isBlank()) {
            return peer;
        }
        return forwardedFor.trim() + ", " + peer;
    }

    /**
     * Inserts the batch in one statement whose commit does not wait for its WAL flush: entries
     * wait in memory until written, so a crash of the service loses what is queued whatever the
     * commit does, and a flush per batch would queue every lease call's flush behind the log's
     * (docs/security.md). A later commit that waits for its flush makes these rows durable too.
     */
    @Override
    protected void write(List<Entry> batch) {
        jdbc.sql("""
                insert into baton_keys.audit (at, key_name, method, kind, name, status, remote_address)
                select entry.* from unnest(:at::timestamptz[], :keyName::text[], :method::text[], :kind::text[],
                                           :name::text[], :status::int[], :remoteAddress::text[]) entry,
                       set_config('synchronous_commit', 'off', true)
                """)
                .param("at", batch.stream().map(entry -> entry.at().toString()).toArray(String[]::new))
                .param("keyName", batch.stream().map(Entry::keyName).toArray(String[]::new))
                .param("method", batch.stream().map(Entry::method).toArray(String[]::new))
                .param("kind", batch.stream().map(Entry::kind).toArray(String[]::new))
                .param("name", batch.stream().map(Entry::name).toArray(String[]::new))
                .param("status", batch.stream().mapToInt(Entry::status).toArray())
                .param("remoteAddress", batch.stream().map(Entry::remoteAddress).toArray(String[]::new))
                .update();
    }
}
