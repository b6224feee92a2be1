package dev.tessera.extender.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.List;

/**
 * Reads and writes the extender protocol's JSON. Go's decoder matches keys case-insensitively, so
 * requests are read the same way ({@code Pod}, {@code pod} and {@code POD} all work); answers use
 * the Go field names. Unknown keys are ignored, as Go does.
 */
public final class WireJson {
  private final ObjectMapper mapper =
      JsonMapper.builder()
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private final JavaType priorities =
      mapper.getTypeFactory().constructCollectionType(List.class, HostPriority.class);

  /** The shared mapper (thread-safe once configured). */
  public ObjectMapper mapper() {
    return mapper;
  }

  /**
   * Reads {@code body} as {@code type}.
   *
   * @throws WireException naming the line, column and problem when the body is not valid
   */
  public <T> T read(byte[] body, Class<T> type) {
    if (body == null || body.length == 0) {
      throw new WireException("empty request body; expected a " + type.getSimpleName() + " object");
    }
    try {
      T value = mapper.readValue(body, type);
      if (value == null) {
        throw new WireException("request body is JSON null; expected a " + type.getSimpleName());
      }
      return value;
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      throw new WireException(
          "cannot read "
              + type.getSimpleName()
              + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr())
              + ": "
              + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw new WireException("cannot read " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** Reads a prioritize answer (used by clients and tests). */
  public List<HostPriority> readPriorities(byte[] body) {
    try {
      return mapper.readValue(body, priorities);
    } catch (IOException e) {
      throw new WireException("cannot read HostPriorityList: " + e.getMessage(), e);
    }
  }

  /** Serialises {@code value}; the protocol's records always serialise. */
  public byte[] write(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }
}
