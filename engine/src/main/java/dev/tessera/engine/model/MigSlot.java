package dev.tessera.engine.model;

/** The MIG profile and placement one container device was given on a GPU in {@code mig} mode. */
public record MigSlot(String profile, MigPlacement placement) {}
