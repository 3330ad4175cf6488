package dev.baton.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.RFencedLock;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisMaster;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.config.Config;

/**
 * Redisson as the lock benchmark's peer, on the machine's Redis ({@code BENCH_REDIS}, else
 * {@code 127.0.0.1:6379}) with Redisson's default pool: a cycle is an {@link RLock} locked with a
 * lease time of 30 s and unlocked, or an {@link RFencedLock} locked for its fencing token and
 * unlocked. The keys of the run are deleted when it ends.
 */
final class RedissonLocks implements AutoCloseable {

    private static final long LEASE_SECONDS = 30;

    private final RedissonClient redisson;
    private final String prefix;

    private RedissonLocks(RedissonClient redisson, String prefix) {
        this.redisson = redisson;
        this.prefix = prefix;
    }

    /** The address of the Redis to use, as Redisson takes it. */
    static String address() {
        String configured = System.getenv("BENCH_REDIS");
        String address = configured == null || configured.isBlank() ? "127.0.0.1:6379" : configured.trim();
        return address.contains("://") ? address : "redis://" + address;
    }

    /** Whether something listens at {@code address}. */
    static boolean reachable(String address) {
        URI uri = URI.create(address);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Connects to {@code address}; every lock of the run is named with {@code prefix}. */
    static RedissonLocks connect(String address, String prefix) {
        Config config = new Config();
        config.useSingleServer().setAddress(address);
        return new RedissonLocks(Redisson.create(config), prefix);
    }

    /** Redis's version and persistence, which decides what a lock survives. */
    String describe() {
        RedisMaster node = redisson.getRedisNodes(RedisNodes.SINGLE).getInstance();
        Map<String, String> server = node.info(RedisNode.InfoSection.SERVER);
        Map<String, String> persistence = node.info(RedisNode.InfoSection.PERSISTENCE);
        return "Redis " + server.get("redis_version") + ", append-only file "
                + ("1".equals(persistence.get("aof_enabled")) ? "on" : "off");
    }

    /** Locks an {@link RLock} for 30 s and unlocks it. */
    void lockCycle(String name) {
        RLock lock = redisson.getLock(name);
        lock.lock(LEASE_SECONDS, TimeUnit.SECONDS);
        lock.unlock();
    }

    /** Locks an {@link RFencedLock} for 30 s, taking its fencing token, and unlocks it. */
    void fencedCycle(String name) {
        RFencedLock lock = redisson.getFencedLock(name);
        Long token = lock.lockAndGetToken(LEASE_SECONDS, TimeUnit.SECONDS);
        if (token == null) {
            throw new IllegalStateException("no fencing token for " + name);
        }
        lock.unlock();
    }

    /** Deletes the run's keys (the fenced locks' token counters would stay) and disconnects. */
    @Override
    public void close() {
        try {
            redisson.getKeys().deleteByPattern("*" + prefix + "*");
        } finally {
            redisson.shutdown();
        }
    }
}
