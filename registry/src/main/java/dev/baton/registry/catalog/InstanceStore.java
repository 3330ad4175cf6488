package dev.baton.registry.catalog;

import dev.baton.registry.changes.Changes;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The instances of every service, in PostgreSQL. Every change but a heartbeat moves the catalog's
 * index in the same transaction (its one row serializes them) and announces the service's topic;
 * a heartbeat only moves the lease's expiry, on the database clock, in batches ({@link Heartbeats}).
 */
@Repository
class InstanceStore {

    /** The topic of the list of services. */
    static final String SERVICES_TOPIC = "services";

    private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>() {};

    private static final String COLUMNS = "i.service, i.instance_id, i.host, i.port, i.secure, i.zone, i.weight, "
            + "i.metadata::text as metadata, i.ttl_ms, i.registered_at, i.expires_at, i.expires_at > now() as healthy";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Changes changes;
    private final JsonMapper json;
    private final Heartbeats heartbeats;

    InstanceStore(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            Changes changes,
            JsonMapper json,
            Heartbeats heartbeats) {
        this.heartbeats = heartbeats;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.changes = changes;
        this.json = json;
    }

    /** The topic of one service's instances. */
    static String topic(String service) {
        return "service:" + service;
    }

    /** Registers the instance, or replaces it: a new lease of {@code ttl} from now. */
    Instance register(String service, String instanceId, InstanceRegistration registration, Duration ttl) {
        return transactions.execute(status -> {
            long index = bumpCatalog();
            jdbc.sql("""
                    insert into service (name, modify_index) values (:service, :index)
                    on conflict (name) do update set modify_index = excluded.modify_index""").param("service", service).param("index", index).update();
            Instance instance = jdbc.sql("""
                    insert into instance as i (service, instance_id, host, port, secure, zone, weight, metadata,
                                               ttl_ms, registered_at, expires_at)
                    values (:service, :id, :host, :port, :secure, :zone, :weight, cast(:metadata as jsonb),
                            :ttl, now(), now() + :ttl * interval '1 millisecond')
                    on conflict (service, instance_id) do update set host = excluded.host, port = excluded.port,
                        secure = excluded.secure, zone = excluded.zone, weight = excluded.weight,
                        metadata = excluded.metadata, ttl_ms = excluded.ttl_ms,
                        registered_at = excluded.registered_at, expires_at = excluded.expires_at
                    returning\s""" + COLUMNS)
                    .param("service", service)
                    .param("id", instanceId)
                    .param("host", registration.host())
                    .param("port", registration.port())
                    .param("secure", Boolean.TRUE.equals(registration.secure()))
                    .param(
                            "zone",
                            registration.zone() == null || registration.zone().isEmpty() ? null : registration.zone())
                    .param("weight", registration.weight() == null ? 1 : registration.weight())
                    .param(
                            "metadata",
                            json.writeValueAsString(
                                    registration.metadata() == null ? Map.of() : registration.metadata()))
                    .param("ttl", ttl.toMillis())
                    .query(this::instance)
                    .single();
            announce(service);
            return instance;
        });
    }

    /** Extends a healthy instance's lease by its TTL; empty when it is unknown or has expired. */
    Optional<Instant> heartbeat(String service, String instanceId) {
        return heartbeats.beat(service, instanceId);
    }

    /** Removes the instance; false when it was not registered. */
    boolean deregister(String service, String instanceId) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            long index = bumpCatalog();
            int removed = jdbc.sql("delete from instance where service = :service and instance_id = :id")
                    .param("service", service)
                    .param("id", instanceId)
                    .update();
            if (removed == 0) {
                status.setRollbackOnly();
                return false;
            }
            touchService(service, index);
            announce(service);
            return true;
        }));
    }

    /** Every instance of the service, healthy or not, in instance id order. */
    Listing instances(String service) {
        List<Instance> instances = new ArrayList<>();
        long[] index = {0};
        jdbc.sql("select coalesce(s.modify_index, c.modify_index) as index, " + COLUMNS + " " + """
                 from catalog c
                 left join service s on s.name = :service
                 left join instance i on i.service = s.name
                 order by i.instance_id""")
                .param("service", service)
                .query(rs -> {
                    index[0] = rs.getLong("index");
                    if (rs.getString("instance_id") != null) {
                        instances.add(instance(rs, 0));
                    }
                });
        return new Listing(index[0], instances);
    }

    /** Every service with instances, in name order, and the catalog's index. */
    Catalog services() {
        List<ServiceSummary> services = new ArrayList<>();
        long[] index = {0};
        jdbc.sql("""
                select c.modify_index as index, s.name, count(i.instance_id) as instances,
                       count(*) filter (where i.expires_at > now()) as healthy
                from catalog c
                left join service s on true
                left join instance i on i.service = s.name
                group by c.modify_index, s.name
                order by s.name""").query(rs -> {
            index[0] = rs.getLong("index");
            if (rs.getString("name") != null && rs.getLong("instances") > 0) {
                services.add(new ServiceSummary(rs.getString("name"), rs.getLong("instances"), rs.getLong("healthy")));
            }
        });
        return new Catalog(index[0], services);
    }

    /** Services with expired instances, with their counts. */
    List<ServiceSummary> servicesWithExpired(int limit) {
        return jdbc.sql("""
                select service, count(*) as instances, count(*) filter (where expires_at > now()) as healthy
                from instance
                where service in (select distinct service from instance where expires_at <= now() limit :limit)
                group by service""")
                .param("limit", limit)
                .query((rs, row) ->
                        new ServiceSummary(rs.getString("service"), rs.getLong("instances"), rs.getLong("healthy")))
                .list();
    }

    /** Removes the service's expired instances; returns how many. */
    int removeExpired(String service) {
        Integer removed = transactions.execute(status -> {
            long index = bumpCatalog();
            int count = jdbc.sql("delete from instance where service = :service and expires_at <= now()")
                    .param("service", service)
                    .update();
            if (count == 0) {
                status.setRollbackOnly();
                return 0;
            }
            touchService(service, index);
            announce(service);
            return count;
        });
        return removed == null ? 0 : removed;
    }

    private long bumpCatalog() {
        return jdbc.sql("update catalog set modify_index = modify_index + 1 returning modify_index")
                .query(Long.class)
                .single();
    }

    /** Moves the service's index, or forgets the service when it has no instance left. */
    private void touchService(String service, long index) {
        int forgotten = jdbc.sql("""
                delete from service s where s.name = :service
                and not exists (select 1 from instance i where i.service = s.name)""").param("service", service).update();
        if (forgotten == 0) {
            jdbc.sql("update service set modify_index = :index where name = :service")
                    .param("service", service)
                    .param("index", index)
                    .update();
        }
    }

    private void announce(String service) {
        changes.announce(topic(service));
        changes.announce(SERVICES_TOPIC);
    }

    private Instance instance(ResultSet rs, int row) throws SQLException {
        return new Instance(
                rs.getString("service"),
                rs.getString("instance_id"),
                rs.getString("host"),
                rs.getInt("port"),
                rs.getBoolean("secure"),
                rs.getString("zone"),
                rs.getInt("weight"),
                json.readValue(rs.getString("metadata"), METADATA),
                rs.getLong("ttl_ms"),
                rs.getTimestamp("registered_at").toInstant(),
                rs.getTimestamp("expires_at").toInstant(),
                rs.getBoolean("healthy"));
    }
}
