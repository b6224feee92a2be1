package dev.tessera.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.MigPlacement;
import dev.tessera.engine.model.MigProfile;
import dev.tessera.engine.model.PairScores;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Round-trip and robustness properties of every wire codec: {@code decode(encode(x)) == x} over
 * generated values, and decoders given random or mutated input either decode or throw {@link
 * AnnotationDecodeException}, never anything else.
 */
class CodecPropertyTest {
  private static final int ROUND_TRIPS = 1_000;
  private static final int FUZZ = 10_000;

  // ---- generators -----------------------------------------------------------------------------

  private static final String SAFE =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_. /";
  private static final String WILD = SAFE + ",:;\"\\{}[]\u00e9\u4e2d\n\t\u0000\u2028";

  private static String text(Random r, String alphabet, int maxLen) {
    int n = r.nextInt(maxLen + 1);
    var sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private static int anyInt(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> 0;
      case 1 -> r.nextBoolean() ? Integer.MAX_VALUE : Integer.MIN_VALUE;
      case 2 -> r.nextInt(201) - 100;
      default -> r.nextInt();
    };
  }

  private static int natural(Random r) {
    return r.nextBoolean() ? r.nextInt(100) : r.nextInt(Integer.MAX_VALUE);
  }

  private static List<List<ContainerDevice>> containers(Random r) {
    var out = new ArrayList<List<ContainerDevice>>();
    int n = r.nextInt(5);
    for (int c = 0; c < n; c++) {
      var devs = new ArrayList<ContainerDevice>();
      int k = r.nextInt(4);
      for (int d = 0; d < k; d++) {
        devs.add(
            ContainerDevice.of(
                text(r, SAFE.replace(" ", ""), 40), text(r, SAFE, 10), anyInt(r), anyInt(r)));
      }
      out.add(devs);
    }
    return out;
  }

  private static List<MigPlacement> placements(Random r) {
    var out = new ArrayList<MigPlacement>();
    int n = r.nextInt(4);
    for (int i = 0; i < n; i++) {
      out.add(new MigPlacement(anyInt(r), anyInt(r)));
    }
    return out;
  }

  private static GpuDevice jsonDevice(Random r) {
    var profiles = new ArrayList<MigProfile>();
    if (r.nextInt(4) == 0) {
      int n = 1 + r.nextInt(3);
      for (int i = 0; i < n; i++) {
        profiles.add(
            new MigProfile(text(r, WILD, 8), anyInt(r), anyInt(r), anyInt(r), 0, placements(r)));
      }
    }
    return new GpuDevice(
        text(r, WILD, 40),
        natural(r),
        text(r, WILD, 20),
        anyInt(r),
        anyInt(r),
        anyInt(r),
        anyInt(r),
        r.nextBoolean(),
        r.nextBoolean() ? GpuDevice.MODE_HAMI_CORE : text(r, WILD, 6),
        profiles);
  }

  private static GpuDevice legacyDevice(Random r) {
    String noSep = SAFE + "\"\u00e9";
    return new GpuDevice(
        text(r, noSep, 40),
        natural(r),
        text(r, noSep, 20),
        anyInt(r),
        anyInt(r),
        anyInt(r),
        anyInt(r),
        r.nextBoolean(),
        text(r, noSep, 10),
        List.of());
  }

  private static <T> List<T> listOf(Random r, int max, Supplier<T> g) {
    var out = new ArrayList<T>();
    int n = r.nextInt(max + 1);
    for (int i = 0; i < n; i++) {
      out.add(g.get());
    }
    return out;
  }

  private static PairScores pairScores(Random r) {
    var m = new HashMap<String, Map<String, Integer>>();
    int n = r.nextInt(5);
    for (int i = 0; i < n; i++) {
      var row = new HashMap<String, Integer>();
      int k = r.nextInt(5);
      for (int j = 0; j < k; j++) {
        row.put(text(r, WILD, 12), anyInt(r));
      }
      m.put(text(r, WILD, 12), row);
    }
    return new PairScores(m);
  }

  private static List<MigReservation> reservations(Random r) {
    var out = new ArrayList<MigReservation>();
    var seen = new HashSet<List<Integer>>();
    int n = r.nextInt(5);
    for (int i = 0; i < n; i++) {
      int c = r.nextInt(4);
      int d = r.nextInt(4);
      if (!seen.add(List.of(c, d))) {
        continue;
      }
      boolean ready = r.nextBoolean();
      out.add(
          new MigReservation(
              c,
              d,
              "GPU-" + text(r, WILD, 12),
              r.nextInt(7) + 1 + "g." + text(r, SAFE, 5),
              new MigPlacement(r.nextInt(8), 1 + r.nextInt(8)),
              ready ? "MIG-" + text(r, SAFE, 10) : "",
              ready ? OptionalInt.of(r.nextInt(16)) : OptionalInt.empty(),
              ready ? OptionalInt.of(r.nextInt(16)) : OptionalInt.empty()));
    }
    return out;
  }

  private static NodeLockValue lockValue(Random r) {
    long seconds =
        Instant.parse("1000-01-01T00:00:00Z").getEpochSecond()
            + (long)
                (r.nextDouble()
                    * (Instant.parse("9999-12-31T00:00:00Z").getEpochSecond()
                        - Instant.parse("1000-01-01T00:00:00Z").getEpochSecond()));
    ZoneOffset offset = ZoneOffset.ofTotalSeconds((r.nextInt(36 * 4 + 1) - 72) * 15 * 60);
    OffsetDateTime t = OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds), offset);
    String noComma = SAFE + ":;\u00e9";
    Optional<PodRef> holder =
        r.nextInt(4) == 0
            ? Optional.empty()
            : Optional.of(new PodRef(text(r, noComma, 20), text(r, noComma, 30)));
    return new NodeLockValue(t, holder);
  }

  // ---- round trips ----------------------------------------------------------------------------

  private static <T> void roundTrip(long seed, Supplier<T> gen, Function<T, T> encodeDecode) {
    for (int i = 0; i < ROUND_TRIPS; i++) {
      T x = gen.get();
      assertThat(encodeDecode.apply(x)).as("round trip of %s (seed %d)", x, seed).isEqualTo(x);
    }
  }

  @Test
  void podDevicesRoundTrip() {
    var r = new Random(1);
    // HAMi's decoder keeps the empty piece after the final ';' as one more (empty) container.
    roundTrip(
        1,
        () -> containers(r),
        x -> {
          var back =
              PodDevicesCodec.decode(Annotations.DEVICES_ALLOCATED, PodDevicesCodec.encode(x));
          assertThat(back.get(back.size() - 1)).isEmpty();
          return back.subList(0, back.size() - 1);
        });
  }

  @Test
  void nodeRegisterJsonRoundTrip() {
    var r = new Random(2);
    roundTrip(
        2,
        () -> listOf(r, 4, () -> jsonDevice(r)),
        x -> NodeRegisterCodec.decode(NodeRegisterCodec.encode(x)));
  }

  @Test
  void legacyRegisterRoundTrip() {
    var r = new Random(3);
    roundTrip(
        3,
        () -> listOf(r, 4, () -> legacyDevice(r)),
        x -> {
          String s = LegacyNodeRegisterCodec.encode(x);
          // An empty list encodes to "", which HAMi rejects for lack of a separator.
          return x.isEmpty() ? x : LegacyNodeRegisterCodec.decode(s);
        });
  }

  @Test
  void pairScoresRoundTrip() {
    var r = new Random(4);
    roundTrip(4, () -> pairScores(r), x -> PairScoresCodec.decode(PairScoresCodec.encode(x)));
  }

  @Test
  void migAllocationsRoundTrip() {
    var r = new Random(5);
    roundTrip(
        5,
        () -> reservations(r),
        x -> MigAllocationsCodec.decode(MigAllocationsCodec.encodeReservations(x)));
  }

  @Test
  void lockValueRoundTrip() {
    var r = new Random(6);
    roundTrip(6, () -> lockValue(r), x -> NodeLockValue.decode(x.encode()));
  }

  @Test
  void goDurationRoundTrip() {
    var r = new Random(7);
    roundTrip(
        7,
        () -> Duration.ofNanos(r.nextBoolean() ? r.nextLong() : r.nextInt()),
        x -> GoDuration.parse("d", GoDuration.format(x)));
  }

  // ---- robustness -----------------------------------------------------------------------------

  private static String mutate(Random r, String s) {
    var sb = new StringBuilder(s);
    int edits = 1 + r.nextInt(4);
    for (int i = 0; i < edits; i++) {
      int op = r.nextInt(3);
      char c = WILD.charAt(r.nextInt(WILD.length()));
      if (sb.length() == 0 || op == 0) {
        sb.insert(sb.length() == 0 ? 0 : r.nextInt(sb.length() + 1), c);
      } else if (op == 1) {
        sb.setCharAt(r.nextInt(sb.length()), c);
      } else {
        sb.deleteCharAt(r.nextInt(sb.length()));
      }
    }
    return sb.toString();
  }

  /**
   * Feeds random and mutated strings to {@code decoder}: only AnnotationDecodeException may escape.
   */
  private static void neverCrashes(long seed, Supplier<String> valid, Consumer<String> decoder) {
    var r = new Random(seed);
    int decoded = 0;
    for (int i = 0; i < FUZZ; i++) {
      String input =
          switch (i % 3) {
            case 0 -> text(r, WILD, 60);
            default -> mutate(r, valid.get());
          };
      try {
        decoder.accept(input);
        decoded++;
      } catch (AnnotationDecodeException e) {
        assertThat(e.getMessage()).isNotBlank();
      } catch (RuntimeException | Error e) {
        fail(
            "decoder threw " + e + " for input " + GoText.quote(input) + " (seed " + seed + ")", e);
      }
    }
    assertThat(decoded).as("some inputs still decode").isPositive();
  }

  @Test
  void podDevicesDecoderNeverCrashes() {
    var r = new Random(11);
    neverCrashes(
        11,
        () -> PodDevicesCodec.encode(containers(r)),
        s -> PodDevicesCodec.decode(Annotations.DEVICES_ALLOCATED, s));
  }

  @Test
  void nodeRegisterDecoderNeverCrashes() {
    var r = new Random(12);
    neverCrashes(
        12,
        () -> NodeRegisterCodec.encode(listOf(r, 3, () -> jsonDevice(r))),
        s -> NodeRegisterCodec.nodeDevices(Map.of(Annotations.NODE_REGISTER, s)));
  }

  @Test
  void legacyDecoderNeverCrashes() {
    var r = new Random(13);
    neverCrashes(
        13,
        () -> LegacyNodeRegisterCodec.encode(listOf(r, 3, () -> legacyDevice(r))) + ":",
        LegacyNodeRegisterCodec::decode);
  }

  @Test
  void pairScoresDecoderNeverCrashes() {
    var r = new Random(14);
    neverCrashes(14, () -> PairScoresCodec.encode(pairScores(r)), PairScoresCodec::decode);
  }

  @Test
  void migAllocationsDecoderNeverCrashes() {
    var r = new Random(15);
    neverCrashes(
        15,
        () -> MigAllocationsCodec.encodeReservations(reservations(r)),
        MigAllocationsCodec::decode);
  }

  @Test
  void lockValueDecoderNeverCrashes() {
    var r = new Random(16);
    neverCrashes(16, () -> lockValue(r).encode(), NodeLockValue::decode);
  }

  @Test
  void smallParsersNeverCrash() {
    var r = new Random(17);
    neverCrashes(17, () -> BindPhase.values()[r.nextInt(3)].wire(), BindPhase::parse);
    neverCrashes(
        18, () -> GoDuration.format(Duration.ofNanos(r.nextLong())), s -> GoDuration.parse("d", s));
    neverCrashes(
        19,
        () -> UnixTime.format(Instant.ofEpochSecond(r.nextInt())),
        s -> UnixTime.parse(Annotations.VGPU_TIME, s));
  }
}
