package dev.tessera.cli.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Strict YAML/JSON reading into records, with errors that name file, line, column and field. */
final class Yaml {
  private static final ObjectMapper MAPPER =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private Yaml() {}

  static <T> T read(Path file, Class<T> type) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new InputFileException(file, "", "file not found");
    } catch (IOException e) {
      throw new InputFileException(file, "", "cannot read: " + e.getMessage(), e);
    }
    try {
      return MAPPER.readValue(text, type);
    } catch (UnrecognizedPropertyException e) {
      throw new InputFileException(
          file, keyLine(text, e.getPropertyName(), where(e)), problem(e), e);
    } catch (JsonMappingException e) {
      throw new InputFileException(file, where(e), problem(e), e);
    } catch (JsonProcessingException e) {
      throw new InputFileException(file, where(e), e.getOriginalMessage(), e);
    }
  }

  /**
   * The line of an unknown key: YAML parsers report the position after the key's value, which can
   * be the next line, so look for the key itself at or before that position.
   */
  private static String keyLine(String text, String key, String reported) {
    String[] lines = text.split("\n", -1);
    int limit = lines.length;
    try {
      limit = Math.min(limit, Integer.parseInt(reported.substring(0, reported.indexOf(':'))));
    } catch (RuntimeException ignored) {
      // no usable position: search the whole file
    }
    for (int i = limit - 1; i >= 0; i--) {
      int col = lines[i].indexOf(key + ":");
      if (col >= 0) {
        return (i + 1) + ":" + (col + 1);
      }
    }
    return reported;
  }

  private static String where(JsonProcessingException e) {
    // The parser's token location points at the offending value; the exception's own location
    // is already past it (for an unknown key, often on the next line).
    JsonLocation loc =
        e.getProcessor() instanceof JsonParser p && p.currentTokenLocation() != null
            ? p.currentTokenLocation()
            : e.getLocation();
    return loc == null ? "" : loc.getLineNr() + ":" + loc.getColumnNr();
  }

  private static String problem(JsonMappingException e) {
    String path =
        e.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining("."))
            .replace(".[", "[");
    String msg = e.getOriginalMessage();
    int nl = msg.indexOf('\n');
    if (nl > 0) {
      msg = msg.substring(0, nl);
    }
    return (path.isEmpty() ? "" : "field " + path + ": ") + msg;
  }
}
