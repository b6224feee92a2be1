package dev.tessera.extender.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The bind answer ({@code ExtenderBindingResult}).
 *
 * @param error empty on success, else why the pod was not bound
 */
public record ExtenderBindingResult(@JsonProperty("Error") String error) {
  public static final ExtenderBindingResult OK = new ExtenderBindingResult("");

  public ExtenderBindingResult {
    error = error == null ? "" : error;
  }

  public boolean ok() {
    return error.isEmpty();
  }
}
