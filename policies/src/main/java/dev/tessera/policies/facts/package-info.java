/**
 * The facts policy rules read ({@link dev.tessera.policies.facts.ScoringRequest}, {@link
 * dev.tessera.policies.facts.NodeFeatures}, computed once per node by {@link
 * dev.tessera.policies.facts.FeatureExtractor}) and the only outputs they may insert ({@link
 * dev.tessera.policies.facts.ScoreContribution}, {@link dev.tessera.policies.facts.Veto}).
 */
package dev.tessera.policies.facts;
