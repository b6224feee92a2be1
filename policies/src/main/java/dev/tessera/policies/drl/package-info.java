/**
 * DRL policies: compile ({@link dev.tessera.policies.drl.PolicyCompiler}), look up built-ins
 * ({@link dev.tessera.policies.drl.PolicyRegistry}), score with warm sessions ({@link
 * dev.tessera.policies.drl.PolicyScorer}) and swap on reload only when the new rules compile
 * ({@link dev.tessera.policies.drl.PolicyHolder}). Authoring guide: docs/policy-authoring.md.
 */
package dev.tessera.policies.drl;
