package dev.tessera.engine.admission;

import java.util.Objects;

/**
 * Extender flags the webhook reads (hami-compat §6.6).
 *
 * @param schedulerName {@code --scheduler-name}; empty when unset (then pods are not redirected)
 * @param forceOverwriteDefaultScheduler {@code --force-overwrite-default-scheduler}: take over pods
 *     that name {@code default-scheduler}
 */
public record WebhookSettings(String schedulerName, boolean forceOverwriteDefaultScheduler) {
  /** The name Kubernetes gives its own scheduler. */
  public static final String DEFAULT_SCHEDULER = "default-scheduler";

  public WebhookSettings {
    Objects.requireNonNull(schedulerName, "schedulerName");
  }

  /** The chart's values: {@code hami-scheduler}, overwrite on. */
  public static WebhookSettings chartDefaults() {
    return new WebhookSettings("hami-scheduler", true);
  }
}
