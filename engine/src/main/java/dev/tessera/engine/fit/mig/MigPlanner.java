package dev.tessera.engine.fit.mig;

import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.MigAllocation;
import dev.tessera.engine.model.MigPlacement;
import dev.tessera.engine.model.MigProfile;
import dev.tessera.engine.model.MigSlot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Dynamic-MIG profile and placement choice (hami-compat §7.9). Stateless. */
public final class MigPlanner {
  private static final Comparator<MigProfile> BY_SIZE =
      Comparator.comparingInt(MigProfile::memoryMiB).thenComparingInt(MigProfile::sliceCount);

  private MigPlanner() {}

  /** A chosen MIG profile and where its instance goes. */
  public record Choice(MigProfile profile, MigPlacement placement) {
    public MigSlot slot() {
      return new MigSlot(profile.name(), placement);
    }
  }

  /** The result of booking one MIG container device on a GPU. */
  public record Booking(DeviceUsage usage, ContainerDevice device, MigAllocation reservation) {}

  /**
   * Placements of {@code profile} in the order HAMi tries them: highest start first for {@code
   * 1g.*} and {@code 3g.*} profiles, lowest start first for the others.
   */
  public static List<MigPlacement> placementOrder(MigProfile profile) {
    List<MigPlacement> ps = new ArrayList<>(profile.placements());
    boolean highFirst = profile.name().startsWith("1g.") || profile.name().startsWith("3g.");
    Comparator<MigPlacement> byStart = Comparator.comparingInt(MigPlacement::start);
    ps.sort(highFirst ? byStart.reversed() : byStart);
    return ps;
  }

  /** The first placement of {@code profile} (in {@link #placementOrder}) overlapping nothing. */
  public static Optional<MigPlacement> freePlacement(
      MigProfile profile, List<MigPlacement> occupied) {
    for (MigPlacement p : placementOrder(profile)) {
      // an empty slice range never conflicts, which would let Fit re-examine a GPU forever
      if (p.size() > 0 && !overlapsAny(p, occupied)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * The smallest profile (by memory, then slices) with at least {@code memMiB} MiB and a free
   * placement, and that placement.
   */
  public static Optional<Choice> choose(
      List<MigProfile> profiles, List<MigPlacement> occupied, int memMiB) {
    List<MigProfile> sorted = new ArrayList<>(profiles);
    sorted.sort(BY_SIZE);
    for (MigProfile p : sorted) {
      if (p.memoryMiB() < memMiB) {
        continue;
      }
      Optional<MigPlacement> free = freePlacement(p, occupied);
      if (free.isPresent()) {
        return Optional.of(new Choice(p, free.get()));
      }
    }
    return Optional.empty();
  }

  /**
   * Places the named profiles one after another, each seeing the earlier ones as occupied.
   *
   * @return chosen starts; -1 where a profile is unknown or has no free placement
   */
  public static List<Integer> placeSequence(List<MigProfile> profiles, List<String> names) {
    List<MigPlacement> occupied = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    for (String name : names) {
      Optional<MigPlacement> p =
          profiles.stream()
              .filter(pr -> pr.name().equals(name))
              .findFirst()
              .flatMap(pr -> freePlacement(pr, occupied));
      if (p.isPresent()) {
        occupied.add(p.get());
        starts.add(p.get().start());
      } else {
        starts.add(-1);
      }
    }
    return starts;
  }

  /** True when every requested profile can be placed together besides {@code occupied}. */
  public static boolean canPlace(
      List<MigProfile> profiles, List<MigPlacement> occupied, List<String> requested) {
    List<MigProfile> req = new ArrayList<>();
    for (String name : requested) {
      Optional<MigProfile> p = profiles.stream().filter(pr -> pr.name().equals(name)).findFirst();
      if (p.isEmpty()) {
        return false;
      }
      req.add(p.get());
    }
    return backtrack(req, 0, new ArrayList<>(occupied));
  }

  private static boolean backtrack(List<MigProfile> req, int i, List<MigPlacement> occupied) {
    if (i == req.size()) {
      return true;
    }
    for (MigPlacement p : req.get(i).placements()) {
      if (overlapsAny(p, occupied)) {
        continue;
      }
      occupied.add(p);
      if (backtrack(req, i + 1, occupied)) {
        return true;
      }
      occupied.remove(occupied.size() - 1);
    }
    return false;
  }

  /**
   * Fit's MIG rule (§7.5 step 15): after simulating a placement for each device of {@code selected}
   * already on this GPU, can one more instance of at least {@code memMiB} be placed?
   */
  public static boolean customFilter(
      DeviceUsage device, int memMiB, List<ContainerDevice> selected) {
    List<MigProfile> profiles = device.device().migProfiles();
    List<MigPlacement> occupied = occupied(device);
    for (ContainerDevice s : selected) {
      if (!s.uuid().equals(device.id())) {
        continue;
      }
      Optional<Choice> c = choose(profiles, occupied, s.usedMemMiB());
      if (c.isEmpty()) {
        return false;
      }
      occupied.add(c.get().placement());
    }
    return choose(profiles, occupied, memMiB).isPresent();
  }

  /**
   * Books container device {@code cd} on MIG GPU {@code device}: picks the profile and placement,
   * replaces the device's memory and cores by the profile's, and records the reservation.
   *
   * @return empty when no profile fits (Fit's MIG rule makes this unreachable after Fit)
   */
  public static Optional<Booking> addUsage(DeviceUsage device, ContainerDevice cd) {
    Optional<Choice> c = choose(device.device().migProfiles(), occupied(device), cd.usedMemMiB());
    if (c.isEmpty()) {
      return Optional.empty();
    }
    MigProfile p = c.get().profile();
    MigAllocation reservation = MigAllocation.reserved(p.name(), c.get().placement());
    ContainerDevice booked =
        new ContainerDevice(
            cd.index(),
            cd.uuid(),
            cd.type(),
            p.memoryMiB(),
            p.cores(),
            Optional.of(c.get().slot()));
    return Optional.of(
        new Booking(device.plusMig(reservation, p.memoryMiB(), p.cores()), booked, reservation));
  }

  /**
   * Whether a request is a MIG request: NVIDIA type, some candidate GPU in {@code mig} mode, and
   * the pod's {@code nvidia.com/vgpu-mode} ({@code null} = absent) containing {@code mig}.
   */
  public static boolean isMigRequest(
      String requestType, List<DeviceUsage> candidates, String vgpuMode) {
    if (!GpuRequest.NVIDIA.equals(requestType)) {
      return false;
    }
    if (vgpuMode != null && !vgpuMode.contains(GpuDevice.MODE_MIG)) {
      return false;
    }
    for (DeviceUsage d : candidates) {
      if (d.device().isMig()) {
        return true;
      }
    }
    return false;
  }

  private static List<MigPlacement> occupied(DeviceUsage device) {
    List<MigPlacement> occ = new ArrayList<>(device.migInUse().size() + 2);
    for (MigAllocation a : device.migInUse()) {
      occ.add(a.placement());
    }
    return occ;
  }

  private static boolean overlapsAny(MigPlacement p, List<MigPlacement> occupied) {
    for (MigPlacement o : occupied) {
      if (p.overlaps(o)) {
        return true;
      }
    }
    return false;
  }
}
