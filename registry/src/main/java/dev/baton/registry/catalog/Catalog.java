package dev.baton.registry.catalog;

import java.util.List;

/** Every service, by name, and the catalog's index. */
record Catalog(long index, List<ServiceSummary> services) {}
