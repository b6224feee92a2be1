/**
 * Volcano face of the extender: the verbs of Volcano's scheduler {@code extender} plugin
 * (volcano-sh/volcano {@code pkg/scheduler/plugins/extender}) served under {@code
 * <prefix>/volcano/}, answered by the same {@link dev.tessera.extender.core.Extender} decisions as
 * kube-scheduler's filter and prioritize. Volcano binds pods itself and its plugin has no bind
 * hook, so this face never writes HAMi's allocation annotations; docs/deploy.md ("Volcano") says
 * which deployments work.
 */
package dev.tessera.extender.volcano;
