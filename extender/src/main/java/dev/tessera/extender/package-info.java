/**
 * Live face: kube-scheduler extender (filter, prioritize, bind) and mutating admission webhook.
 * Populated by the extender work (see docs/architecture.md).
 */
package dev.tessera.extender;
