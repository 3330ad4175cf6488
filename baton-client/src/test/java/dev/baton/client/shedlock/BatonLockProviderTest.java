package dev.baton.client.shedlock;

import dev.baton.client.BatonClient;
import dev.baton.client.LockServiceFixture;
import net.javacrumbs.shedlock.core.LockProvider;
import org.junit.jupiter.api.AfterAll;

/** The ShedLock contract, met by Baton's lock service over real HTTP. */
class BatonLockProviderTest extends LockProviderContractTests {

    private static final BatonClient client = LockServiceFixture.client("shedlock-contract");
    private static final LockProvider provider = new BatonLockProvider(client);

    @Override
    protected LockProvider provider() {
        return provider;
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }
}
