package dev.tessera.cli.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tessera.engine.admission.AdmissionContainer;
import dev.tessera.engine.admission.AdmissionPod;
import dev.tessera.engine.admission.ContainerMutator;
import dev.tessera.engine.admission.GpuRequests;
import dev.tessera.engine.admission.InvalidResourceException;
import dev.tessera.engine.admission.PodDecodeException;
import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.model.PodRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A Kubernetes Pod manifest (YAML or JSON) read with the webhook's own pod decoder. */
public record PodFile(AdmissionPod pod, String uid, Map<String, String> annotations) {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Reads {@code file}; problems name the file and the line or field. */
  public static PodFile load(Path file) {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new InputFileException(file, "", "file not found");
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      throw new InputFileException(
          file,
          loc == null ? "" : loc.getLineNr() + ":" + loc.getColumnNr(),
          e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw new InputFileException(file, "", "cannot read: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new InputFileException(file, "", "expected a Pod manifest (a YAML/JSON object)");
    }
    if (root.has("kind") && !"Pod".equals(root.path("kind").asText())) {
      throw new InputFileException(
          file, "", "field kind: expected Pod, got " + root.path("kind").asText());
    }
    AdmissionPod pod;
    try {
      pod = AdmissionPod.fromJson(root);
    } catch (PodDecodeException e) {
      throw new InputFileException(file, "", e.getMessage(), e);
    }
    if (pod.name().isEmpty()) {
      throw new InputFileException(file, "", "field metadata.name: required");
    }
    if (pod.containers().isEmpty()) {
      throw new InputFileException(
          file, "", "field spec.containers: expected at least one container");
    }
    var annotations = new LinkedHashMap<String, String>();
    for (var e : root.path("metadata").path("annotations").properties()) {
      annotations.put(e.getKey(), e.getValue().asText());
    }
    return new PodFile(pod, root.path("metadata").path("uid").asText(""), annotations);
  }

  /**
   * The scheduler's view: one NVIDIA request per container (init first). Each container first gets
   * the admission webhook's defaults (so {@code nvidia.com/gpu: 1} alone becomes a whole, exclusive
   * card), then its request is derived as HAMi's scheduler does.
   *
   * @param file the manifest, named in errors
   */
  public PodRequest toRequest(DeviceConfig config, Path file) {
    var mutator = new ContainerMutator(config);
    var runtimeClass =
        pod.runtimeClassName().isEmpty()
            ? Optional.<String>empty()
            : Optional.of(pod.runtimeClassName());
    var names = new ArrayList<String>();
    var requests = new ArrayList<dev.tessera.engine.model.GpuRequest>();
    for (AdmissionContainer c : concat(pod.initContainers(), pod.containers())) {
      AdmissionContainer admitted;
      try {
        admitted = mutator.mutate(c, runtimeClass).applyTo(c);
      } catch (InvalidResourceException e) {
        throw new InputFileException(file, "", e.getMessage(), e);
      }
      names.add(c.name());
      requests.add(GpuRequests.derive(config, admitted));
    }
    return new PodRequest(
        pod.namespace().isEmpty() ? "default" : pod.namespace(),
        pod.name(),
        uid,
        annotations,
        names,
        pod.initContainers().size(),
        requests);
  }

  private static List<AdmissionContainer> concat(
      List<AdmissionContainer> a, List<AdmissionContainer> b) {
    var out = new ArrayList<AdmissionContainer>(a.size() + b.size());
    out.addAll(a);
    out.addAll(b);
    return out;
  }
}
