package dev.tessera.deviceplugin.topology;

/**
 * The link score from one GPU towards another.
 *
 * @param score sum of the link entries' scores; 0 when asymmetric
 * @param asymmetric the two GPUs report a different number of entries towards each other (HAMi
 *     emits a node Warning event {@code AsymmetricGPUP2PLink})
 */
public record PairScore(int score, boolean asymmetric) {}
