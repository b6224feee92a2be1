package dev.tessera.engine.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantityTest {

  @ParameterizedTest(name = "{0} is the integer {1}")
  @CsvSource({
    "1, 1",
    "4096, 4096",
    "+7, 7",
    "-1, -1",
    "0, 0",
    "0.0, 0",
    "20k, 20000",
    "2M, 2000000",
    "1Ki, 1024",
    "16Gi, 17179869184",
    "16.0Gi, 17179869184",
    "1.5Ki, 1536",
    "1e3, 1000",
    "1E3, 1000",
    "1e+3, 1000",
    "1000m, 1",
    "1.0, 1",
    "1., 1",
    "8Ei, -1",
  })
  void integral(String text, long want) {
    OptionalLong v = Quantity.parse("r", text).asInt64();
    if (text.equals("8Ei")) {
      assertThat(v).as("2^63 is outside int64").isEmpty();
    } else {
      assertThat(v).hasValue(want);
    }
  }

  @ParameterizedTest(name = "{0} parses but is not an int64")
  @ValueSource(
      strings = {
        "500m",
        "1.5",
        ".5",
        "1e-3",
        "1u",
        "9223372036854775808",
        "1e999999999",
        "1e-999999999",
        "4E"
      })
  void notIntegral(String text) {
    Quantity q = Quantity.parse("r", text);
    if (text.equals("4E")) {
      // 4 exa fits int64: E is a suffix, not an exponent.
      assertThat(q.asInt64()).hasValue(4_000_000_000_000_000_000L);
    } else {
      assertThat(q.asInt64()).isEmpty();
    }
  }

  @ParameterizedTest(name = "\"{0}\" is rejected")
  @ValueSource(
      strings = {
        "", "abc", "1x", "1e", "1e+", "1 ", " 1", "e3", "+", ".", "1Gb", "--1", "1e1.5", "0x10"
      })
  void invalid(String text) {
    assertThatThrownBy(() -> Quantity.parse("nvidia.com/gpumem", text))
        .isInstanceOf(QuantityException.class)
        .hasMessageContaining("resource nvidia.com/gpumem")
        .hasMessageContaining("\"" + text + "\"");
  }
}
