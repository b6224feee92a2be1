package dev.tessera.engine.quota;

/**
 * The quota resource names of one device vendor, e.g. {@code nvidia.com/gpumem} and {@code
 * nvidia.com/gpucores} (the {@code limits.} prefix of a ResourceQuota key stripped).
 */
public record QuotaResources(String memory, String cores) {}
