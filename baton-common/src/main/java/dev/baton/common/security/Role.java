package dev.baton.common.security;

import java.util.EnumSet;
import java.util.Set;

/**
 * What an API key may do. Roles are ordered: a key with {@link #ADMIN} may also write and read,
 * a key with {@link #WRITE} may also read.
 */
public enum Role {

    /** Read state: every {@code GET}. */
    READ,

    /** Change state as a client does: take and release leases, register, heartbeat, run jobs. */
    WRITE,

    /** Operate the suite: force-release, delete jobs, change config, manage keys. */
    ADMIN;

    /** This role and every role it includes. */
    public Set<Role> withImplied() {
        return EnumSet.range(READ, this);
    }

    /** The Spring Security authority of this role. */
    public String authority() {
        return "ROLE_" + name();
    }
}
