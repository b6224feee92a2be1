package dev.tessera.extender.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A v1 NodeList as the extender protocol carries it: only {@code items} matters; each item is kept
 * as the JSON kube-scheduler sent, so a filter answer can hand back the very same objects.
 *
 * @param items whole v1 Node objects
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record NodeList(@JsonProperty("items") List<JsonNode> items) {
  public NodeList {
    items = items == null ? List.of() : List.copyOf(items);
  }
}
