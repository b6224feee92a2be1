package dev.tessera.engine.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.MigPlacement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;

/**
 * The {@code hami.io/vgpu-mig-allocations} pod annotation (hami-compat §7.9): a JSON array with one
 * reservation per container device on a MIG GPU.
 */
public final class MigAllocationsCodec {
  private MigAllocationsCodec() {}

  private static final String A = Annotations.MIG_ALLOCATIONS;

  /**
   * The reservations of a pod's NVIDIA container devices (§4.1 order) that carry a MIG slot; the
   * device's position in its container becomes {@code deviceIndex}.
   */
  public static List<MigReservation> reservations(List<List<ContainerDevice>> containers) {
    var out = new ArrayList<MigReservation>();
    for (int c = 0; c < containers.size(); c++) {
      List<ContainerDevice> devs = containers.get(c);
      for (int d = 0; d < devs.size(); d++) {
        ContainerDevice dev = devs.get(d);
        if (dev.mig().isPresent()) {
          var slot = dev.mig().get();
          out.add(MigReservation.reserved(c, d, dev.uuid(), slot.profile(), slot.placement()));
        }
      }
    }
    return out;
  }

  /** Encodes the MIG reservations of a pod's NVIDIA container devices. */
  public static String encode(List<List<ContainerDevice>> containers) {
    return encodeReservations(reservations(containers));
  }

  /**
   * Encodes reservations in HAMi's key order; runtime fields are written only when all three are
   * known.
   */
  public static String encodeReservations(List<MigReservation> reservations) {
    ArrayNode arr = StrictJson.MAPPER.createArrayNode();
    for (MigReservation r : reservations) {
      ObjectNode o = arr.addObject();
      o.put("containerIndex", r.containerIndex());
      o.put("deviceIndex", r.deviceIndex());
      o.put("gpuUUID", r.gpuUuid());
      o.put("profile", r.profile());
      o.putObject("placement")
          .put("start", r.placement().start())
          .put("size", r.placement().size());
      if (!r.migUuid().isEmpty()
          && r.gpuInstanceId().isPresent()
          && r.computeInstanceId().isPresent()) {
        o.put("migUUID", r.migUuid());
        o.put("gpuInstanceID", r.gpuInstanceId().getAsInt());
        o.put("computeInstanceID", r.computeInstanceId().getAsInt());
      }
    }
    return arr.toString();
  }

  /**
   * Decodes and validates the annotation: indices ≥ 0, {@code gpuUUID} and {@code profile}
   * non-empty, {@code placement.size} > 0, each (containerIndex, deviceIndex) at most once, and the
   * runtime fields all present or all absent.
   *
   * @throws AnnotationDecodeException on malformed JSON or a failed validation
   */
  public static List<MigReservation> decode(String value) {
    JsonNode root = StrictJson.parse(A, value, "a JSON array of MIG reservations");
    if (!root.isArray()) {
      throw new AnnotationDecodeException(A, value, "a JSON array of MIG reservations");
    }
    var out = new ArrayList<MigReservation>();
    var seen = new HashSet<List<Integer>>();
    for (JsonNode o : root) {
      StrictJson.object(A, o, "a MIG reservation");
      int ci = (int) StrictJson.integer(A, o, "containerIndex", 0, Integer.MAX_VALUE);
      int di = (int) StrictJson.integer(A, o, "deviceIndex", 0, Integer.MAX_VALUE);
      String gpu = StrictJson.string(A, o, "gpuUUID");
      String profile = StrictJson.string(A, o, "profile");
      if (gpu.isEmpty() || profile.isEmpty()) {
        throw new AnnotationDecodeException(A, o.toString(), "non-empty gpuUUID and profile");
      }
      JsonNode pl = o.get("placement");
      if (pl == null || pl.isNull()) {
        throw new AnnotationDecodeException(A, o.toString(), "a placement {start, size}");
      }
      StrictJson.object(A, pl, "placement");
      int start = (int) StrictJson.integer(A, pl, "start", 0, Integer.MAX_VALUE);
      int size = (int) StrictJson.integer(A, pl, "size", 1, Integer.MAX_VALUE);
      if (!StrictJson.present(pl, "size")) {
        throw new AnnotationDecodeException(A, o.toString(), "placement.size > 0");
      }
      boolean hasUuid = StrictJson.present(o, "migUUID");
      boolean hasGi = StrictJson.present(o, "gpuInstanceID");
      boolean hasCi = StrictJson.present(o, "computeInstanceID");
      String migUuid = StrictJson.string(A, o, "migUUID");
      if (hasUuid && migUuid.isEmpty()) {
        throw new AnnotationDecodeException(A, o.toString(), "a non-empty migUUID when present");
      }
      if (!(hasUuid == hasGi && hasGi == hasCi)) {
        throw new AnnotationDecodeException(
            A, o.toString(), "migUUID, gpuInstanceID and computeInstanceID all present or none");
      }
      OptionalInt gi =
          hasGi
              ? OptionalInt.of(
                  (int) StrictJson.integer(A, o, "gpuInstanceID", 0, Integer.MAX_VALUE))
              : OptionalInt.empty();
      OptionalInt cInst =
          hasCi
              ? OptionalInt.of(
                  (int) StrictJson.integer(A, o, "computeInstanceID", 0, Integer.MAX_VALUE))
              : OptionalInt.empty();
      if (!seen.add(List.of(ci, di))) {
        throw new AnnotationDecodeException(
            A,
            o.toString(),
            "each (containerIndex, deviceIndex) once, got (" + ci + ", " + di + ") twice");
      }
      out.add(
          new MigReservation(
              ci, di, gpu, profile, new MigPlacement(start, size), migUuid, gi, cInst));
    }
    return out;
  }
}
