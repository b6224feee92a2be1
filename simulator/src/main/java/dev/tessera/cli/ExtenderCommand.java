package dev.tessera.cli;

import dev.tessera.cli.io.ClusterLoader;
import dev.tessera.engine.codec.GoDuration;
import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.extender.core.DrlRanking;
import dev.tessera.extender.core.EngineRanking;
import dev.tessera.extender.core.NodeRanking;
import dev.tessera.extender.http.TransportSettings;
import dev.tessera.extender.kube.AllocationGate;
import dev.tessera.extender.kube.HamiNodeLockBinder;
import dev.tessera.extender.kube.LeaseLeaderElector;
import dev.tessera.extender.kube.LiveCluster;
import dev.tessera.extender.kube.SchedulerRoleLabels;
import dev.tessera.extender.server.ExtenderServer;
import dev.tessera.extender.state.Binder;
import dev.tessera.extender.state.ClusterState;
import dev.tessera.extender.state.InMemoryCluster;
import dev.tessera.extender.state.ShutdownSignal;
import dev.tessera.extender.state.SnapshotFiles;
import dev.tessera.policies.drl.PolicyDirectory;
import dev.tessera.policies.drl.PolicyRegistry;
import dev.tessera.sim.trace.NativeTraceReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tessera extender}: the kube-scheduler extender (filter, prioritize, bind) over HTTP(S).
 * With {@code --snapshot DIR} it serves a cluster read from files, without an API server; otherwise
 * it follows the cluster's API server with informers and binds through it.
 */
@Command(
    name = "extender",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the kube-scheduler extender verbs (filter, prioritize, bind), /healthz, /readyz and"
          + " /metrics.",
      "Stops gracefully on SIGTERM: requests in flight are answered first."
    })
final class ExtenderCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DeviceConfigOption deviceConfig;

  @Mixin SchedulerPolicyOptions schedulerPolicies;

  @Mixin TlsOptions tls;

  @Option(
      names = "--snapshot",
      paramLabel = "DIR",
      description = {
        "Serve the cluster in DIR instead of an API server: Kubernetes Node and Pod manifests"
            + " (*.yaml, *.yml, *.json; Lists too) and/or cluster files (docs/user-guide.md).",
        "Binds are applied in memory only."
      })
  Path snapshot;

  @Option(
      names = "--address",
      defaultValue = "0.0.0.0",
      paramLabel = "HOST",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String address;

  @Option(
      names = "--port",
      defaultValue = "8080",
      paramLabel = "PORT",
      description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--prefix",
      defaultValue = "",
      paramLabel = "PATH",
      description = "Path prefix of the verbs, the path part of urlPrefix (default: none).")
  String prefix;

  @Option(
      names = "--policy",
      split = ",",
      paramLabel = "SPEC",
      description = {
        "How fitting nodes are ranked: hami (HAMi's node policy in plain Java, the default and"
            + " fastest), or DRL policies as in tessera explain: built-in names (binpack, spread,"
            + " gpu-binpack, gpu-spread, topology, ...) and/or DRL files compiled together so"
            + " their points add up; NAME=WEIGHT entries (e.g. fgd=1000,topology=10) score each"
            + " policy on its own and add the weighted totals; a .yaml file is such a weighted"
            + " spec (docs/policy-authoring.md)."
      })
  List<String> policies = List.of(EngineRanking.NAME);

  @Option(
      names = "--policy-dir",
      paramLabel = "DIR",
      description =
          "Rank with every .drl file in DIR, reloaded when a file changes; a file that does not"
              + " compile keeps the serving policy and logs each file:line:col error.")
  Path policyDir;

  @Option(
      names = "--http",
      defaultValue = "netty",
      paramLabel = "netty|jdk",
      description = "HTTP server library (default: ${DEFAULT-VALUE}; see docs/performance.md).")
  String http;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = "Threads answering requests (default: 2 per CPU, at least 4).")
  Integer workers;

  @Option(
      names = "--assume-timeout",
      defaultValue = "60s",
      paramLabel = "DURATION",
      description =
          "How long a bind's booking waits for the pod to show up bound before it is forgotten"
              + " (default: ${DEFAULT-VALUE}).")
  String assumeTimeout;

  @Option(
      names = "--drain-timeout",
      paramLabel = "DURATION",
      description =
          "On SIGTERM, after --shutdown-delay, how long to wait for requests in flight (default:"
              + " --allocation-wait + 5s, so a bind that already waited can still write its"
              + " annotations and Binding).")
  String drainTimeout;

  @Option(
      names = "--shutdown-delay",
      defaultValue = "5s",
      paramLabel = "DURATION",
      description =
          "On SIGTERM, how long /readyz answers 503 while every request is still served, before"
              + " waiting binds give up and the drain starts (default: ${DEFAULT-VALUE}).")
  String shutdownDelay;

  @Option(
      names = "--device-plugin",
      defaultValue = "tessera",
      paramLabel = "tessera|hami",
      description = {
        "Without --snapshot: which device plugin serves the GPU nodes (default:"
            + " ${DEFAULT-VALUE}). tessera: Tessera's plugin, which tells pending pods apart by"
            + " their GPU-count signature; binds wait only for same-signature pods (allocation"
            + " gate).",
        "hami: HAMi's plugin, which serves the pod named by the node lock hami.io/mutex.lock:"
            + " binds take that lock as HAMi's scheduler does (waiting up to --allocation-wait"
            + " while another pod holds it) and the plugin releases it after Allocate."
      })
  String devicePlugin;

  @Option(
      names = "--node-lock-timeout",
      defaultValue = "5m",
      paramLabel = "DURATION",
      description =
          "With --device-plugin hami: a node lock older than this is taken over (HAMi's"
              + " --node-lock-timeout; default: ${DEFAULT-VALUE}).")
  String nodeLockTimeout;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "Without --snapshot: the cluster's kubeconfig (default: $KUBECONFIG, ~/.kube/config, or"
              + " the in-cluster service account).")
  Path kubeconfig;

  @Option(
      names = "--leader-elect",
      description = {
        "Without --snapshot: run several replicas; only the leader binds, runs node handshakes and"
            + " labels the scheduler pods (--scheduler-pod-selector). How the leader is chosen:"
            + " --leader-elect-mode."
      })
  boolean leaderElect;

  @Option(
      names = "--leader-elect-mode",
      defaultValue = FOLLOW_SCHEDULER,
      paramLabel = FOLLOW_SCHEDULER + "|" + OWN_LEASE,
      description = {
        FOLLOW_SCHEDULER
            + " (default; the extender as a sidecar of kube-scheduler): lead while this pod's"
            + " kube-scheduler holds its Lease (--leader-elect-resource-namespace/-name), as HAMi"
            + " does; the extender never writes that Lease.",
        OWN_LEASE
            + " (a standalone extender Deployment behind a Service): the extender replicas elect"
            + " a leader among themselves over --leader-elect-lease."
      })
  String leaderElectMode;

  @Option(
      names = "--leader-elect-resource-name",
      defaultValue = "hami-scheduler",
      paramLabel = "NAME",
      description =
          "With --leader-elect-mode "
              + FOLLOW_SCHEDULER
              + ": kube-scheduler's Lease, its"
              + " leaderElection.resourceName (default: ${DEFAULT-VALUE}).")
  String leaderElectResourceName;

  @Option(
      names = "--leader-elect-resource-namespace",
      paramLabel = "NAMESPACE",
      description =
          "With --leader-elect-mode "
              + FOLLOW_SCHEDULER
              + ": the Lease's namespace, its"
              + " leaderElection.resourceNamespace (default: $POD_NAMESPACE, else kube-system).")
  String leaderElectResourceNamespace;

  @Option(
      names = "--leader-elect-lease",
      defaultValue = "kube-system/tessera-extender",
      paramLabel = "NAMESPACE/NAME",
      description =
          "With --leader-elect-mode "
              + OWN_LEASE
              + ": the Lease the extender replicas elect"
              + " over; never kube-scheduler's (default: ${DEFAULT-VALUE}).")
  String leaderElectLease;

  @Option(
      names = "--scheduler-pod-selector",
      defaultValue = SchedulerRoleLabels.DEFAULT_SELECTOR,
      paramLabel = "SELECTOR",
      description = {
        "With --leader-elect: the leader labels the pods in $POD_NAMESPACE matching this label"
            + " selector hami.io/scheduler-role=leader (its own pod, $POD_NAME) or =follower, so"
            + " a Service can select the leader; \"\" turns labelling off (default:"
            + " ${DEFAULT-VALUE})."
      })
  String schedulerPodSelector;

  @Option(
      names = "--kube-timeout",
      defaultValue = "10s",
      paramLabel = "DURATION",
      description =
          "Without --snapshot: timeout of each API call other than watches (Binding, patches,"
              + " the Lease), so that an API server that stopped answering cannot hold a bind or"
              + " a renewal forever (default: ${DEFAULT-VALUE}).")
  String kubeTimeout;

  @Option(
      names = "--allocation-wait",
      defaultValue = "20s",
      paramLabel = "DURATION",
      description =
          "Without --snapshot: how long a bind may wait for a same-shaped pod on its node to be"
              + " allocated by the device plugin before it fails and kube-scheduler retries; keep"
              + " the extender's httpTimeout above it (default: ${DEFAULT-VALUE}).")
  String allocationWait;

  @Option(
      names = "--allocation-stale-after",
      defaultValue = "30s",
      paramLabel = "DURATION",
      description =
          "Without --snapshot: a pod still allocating after this long since its bind no longer"
              + " holds same-shaped binds back (HAMi's stale rule; default: ${DEFAULT-VALUE}).")
  String allocationStaleAfter;

  @Option(
      names = "--identity",
      paramLabel = "NAME",
      description = {
        "With --leader-elect-mode "
            + FOLLOW_SCHEDULER
            + ": this pod's host name, which kube-scheduler writes as <hostname>_<uuid> in its"
            + " Lease (default: $HOSTNAME, else the host name).",
        "With --leader-elect-mode "
            + OWN_LEASE
            + ": this replica's holder identity (default: $POD_NAME, else the host name)."
      })
  String identity;

  static final String FOLLOW_SCHEDULER = "follow-scheduler";
  static final String OWN_LEASE = "own-lease";

  /** The process environment ($POD_NAME, $POD_NAMESPACE, $HOSTNAME); tests replace it. */
  java.util.Map<String, String> env = System.getenv();

  private PolicyDirectory watched;
  private LiveCluster live;
  // Stopped after the shutdown delay: binds waiting in the gate or for the node lock give up.
  private final ShutdownSignal shutdown = new ShutdownSignal();

  @Override
  public Integer call() {
    ExtenderServer server = start();
    Duration drain = drainTimeout();
    Duration delay = GoDuration.parse("--shutdown-delay", shutdownDelay);
    return ServeUntilStopped.run(
        spec,
        "tessera extender listening on port " + server.port(),
        "extender-shutdown",
        () -> stop(server, delay, drain));
  }

  /** {@code --drain-timeout}, by default {@code --allocation-wait} + 5 s. */
  Duration drainTimeout() {
    if (drainTimeout != null) {
      return GoDuration.parse("--drain-timeout", drainTimeout);
    }
    return GoDuration.parse("--allocation-wait", allocationWait).plusSeconds(5);
  }

  /** The {@code --device-plugin} value. */
  boolean hamiPlugin() {
    return switch (devicePlugin) {
      case "hami" -> true;
      case "tessera" -> false;
      default ->
          throw new IllegalArgumentException(
              "--device-plugin " + devicePlugin + ": expected tessera or hami");
    };
  }

  /** Builds and starts the server from the options (tests call this directly). */
  ExtenderServer start() {
    if (snapshot != null && !Files.isDirectory(snapshot)) {
      throw new IllegalArgumentException("--snapshot " + snapshot + ": not a directory");
    }
    DeviceConfig config = deviceConfig.load();
    var options = schedulerPolicies.options();
    Clock clock = Clock.systemDefaultZone();
    if (policyDir != null && !List.of(EngineRanking.NAME).equals(policies)) {
      throw new IllegalArgumentException("give either --policy or --policy-dir, not both");
    }
    ClusterState state;
    Binder binder;
    var hooks = new ExtenderServer.Hooks(() -> true, shutdown);
    boolean hami = hamiPlugin();
    if (snapshot == null) {
      live = LiveCluster.connect(liveSettings(config), clock);
      state = live.state();
      binder = live.binder();
      LiveCluster connected = live;
      hooks = new ExtenderServer.Hooks(connected::leading, shutdown);
      if (hami) {
        binder =
            new HamiNodeLockBinder(
                binder,
                live.client(),
                connected::leading,
                new HamiNodeLockBinder.Settings(
                    GoDuration.parse("--allocation-wait", allocationWait),
                    GoDuration.parse("--node-lock-timeout", nodeLockTimeout),
                    Duration.ofMillis(100)),
                shutdown,
                clock);
      }
    } else {
      SnapshotFiles.Loaded loaded =
          SnapshotFiles.load(
              snapshot, config.resourceCountName(), clock, ExtenderCommand::clusterFile);
      InMemoryCluster cluster = loaded.toCluster();
      state = cluster;
      binder = cluster;
    }
    NodeRanking ranking = ranking(options);
    ExtenderServer.Transport transport = ExtenderServer.Transport.parse(http);
    if (transport == ExtenderServer.Transport.JDK
        && System.getProperty("sun.net.httpserver.nodelay") == null) {
      // Without TCP_NODELAY every answer of the JDK server waits ~40 ms for a delayed ACK
      // (docs/performance.md); the property is read once, when the JDK server first starts.
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    int threads =
        workers != null ? workers : Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    var settings =
        new ExtenderServer.Settings(
            transport,
            new TransportSettings(address, port, threads, tls.cert(), tls.key()),
            prefix,
            config,
            options,
            GoDuration.parse("--assume-timeout", assumeTimeout),
            Duration.ofSeconds(1));
    return ExtenderServer.start(state, binder, ranking, settings, clock, hooks);
  }

  LiveCluster.Settings liveSettings(DeviceConfig config) {
    LiveCluster.Leadership leadership = LiveCluster.Leadership.ALWAYS;
    Optional<SchedulerRoleLabels.Target> roleLabels = Optional.empty();
    if (leaderElect) {
      String followNamespace =
          nonEmpty(leaderElectResourceNamespace)
              .or(() -> nonEmpty(env.get("POD_NAMESPACE")))
              .orElse("kube-system");
      if (FOLLOW_SCHEDULER.equals(leaderElectMode)) {
        if (leaderElectResourceName.isEmpty()) {
          throw new IllegalArgumentException(
              "--leader-elect-resource-name: empty; give kube-scheduler's"
                  + " leaderElection.resourceName");
        }
        String host =
            nonEmpty(identity).or(() -> nonEmpty(env.get("HOSTNAME"))).orElseGet(this::hostName);
        leadership =
            new LiveCluster.FollowScheduler(followNamespace, leaderElectResourceName, host);
      } else if (OWN_LEASE.equals(leaderElectMode)) {
        int slash = leaderElectLease.indexOf('/');
        if (slash <= 0 || slash == leaderElectLease.length() - 1) {
          throw new IllegalArgumentException(
              "--leader-elect-lease " + leaderElectLease + ": expected NAMESPACE/NAME");
        }
        String ns = leaderElectLease.substring(0, slash);
        String name = leaderElectLease.substring(slash + 1);
        if (ns.equals(followNamespace) && name.equals(leaderElectResourceName)) {
          throw new IllegalArgumentException(
              "--leader-elect-lease "
                  + leaderElectLease
                  + " is kube-scheduler's Lease (--leader-elect-resource-namespace/-name):"
                  + " electing over it would take it from kube-scheduler; use a Lease of the"
                  + " extender's own");
        }
        String id =
            nonEmpty(identity).or(() -> nonEmpty(env.get("POD_NAME"))).orElseGet(this::hostName);
        leadership = new LiveCluster.Election(ns, name, id, LeaseLeaderElector.Timing.DEFAULTS);
      } else {
        throw new IllegalArgumentException(
            "--leader-elect-mode "
                + leaderElectMode
                + ": expected "
                + FOLLOW_SCHEDULER
                + " or "
                + OWN_LEASE);
      }
      roleLabels = roleLabels();
    }
    var gate =
        new AllocationGate.Settings(
            GoDuration.parse("--allocation-stale-after", allocationStaleAfter),
            GoDuration.parse("--allocation-wait", allocationWait),
            shutdown);
    Duration timeout = GoDuration.parse("--kube-timeout", kubeTimeout);
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException(
          "--kube-timeout " + kubeTimeout + ": must be positive (watches have no timeout anyway)");
    }
    return new LiveCluster.Settings(
        Optional.ofNullable(kubeconfig),
        config.resourceCountName(),
        leadership,
        roleLabels,
        gate,
        timeout);
  }

  /** The role-label target, or empty (with the reason logged) when it cannot be known. */
  private Optional<SchedulerRoleLabels.Target> roleLabels() {
    if (schedulerPodSelector.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> ns = nonEmpty(env.get("POD_NAMESPACE"));
    Optional<String> pod = nonEmpty(env.get("POD_NAME"));
    if (ns.isEmpty() || pod.isEmpty()) {
      spec.commandLine()
          .getErr()
          .println(
              "tessera extender: scheduler pods are not labelled "
                  + SchedulerRoleLabels.ROLE_LABEL
                  + ": set POD_NAME and POD_NAMESPACE from the downward API (metadata.name,"
                  + " metadata.namespace), or --scheduler-pod-selector \"\" to silence this");
      return Optional.empty();
    }
    return Optional.of(new SchedulerRoleLabels.Target(ns.get(), schedulerPodSelector, pod.get()));
  }

  private static Optional<String> nonEmpty(String s) {
    return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  private String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("--identity is required: no host name", e);
    }
  }

  /** Stops {@code server} at once (no shutdown delay) and the policy watcher. */
  void stop(ExtenderServer server, Duration drain) {
    stop(server, Duration.ZERO, drain);
  }

  /**
   * Stops {@code server} gracefully ({@link ExtenderServer#stop(Duration, Duration)}: /readyz 503
   * for {@code delay}, then the drain), then the cluster connection and the policy watcher.
   */
  void stop(ExtenderServer server, Duration delay, Duration drain) {
    server.stop(delay, drain);
    if (live != null) {
      live.close();
    }
    if (watched != null) {
      watched.close();
    }
  }

  private NodeRanking ranking(Engine.Options options) {
    if (policyDir != null) {
      watched = PolicyDirectory.open(policyDir);
      watched.start();
      return DrlRanking.following(watched.holder(), options);
    }
    if (policies.size() == 1 && EngineRanking.NAME.equals(policies.get(0))) {
      return new EngineRanking(options);
    }
    return new DrlRanking(new PolicyRegistry().fromArguments(policies), options);
  }

  /** A cluster file (top-level {@code nodes:}) as nodes and placements; empty for other files. */
  private static Optional<SnapshotFiles.Loaded> clusterFile(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      if (lines.stream().noneMatch(l -> l.startsWith("nodes:"))) {
        return Optional.empty();
      }
      // A native trace (traces/sample/timed-trace.yaml) also has top-level nodes:, in another
      // schema: not a cluster, so it is skipped with a logged reason instead of failing the start.
      if (lines.stream()
          .anyMatch(l -> l.startsWith("version:") && l.contains(NativeTraceReader.VERSION))) {
        return Optional.empty();
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    ClusterSnapshot s = ClusterLoader.load(file);
    var nodes = new ArrayList<Node>();
    var placements = new ArrayList<Placement>();
    for (ClusterSnapshot.NodeState state : s.nodes()) {
      nodes.add(state.node());
      for (var pod : state.pods()) {
        placements.add(
            new Placement(
                pod.key(),
                "",
                state.node().name(),
                pod.initContainerCount(),
                pod.devices().getOrDefault(GpuRequest.NVIDIA, List.of())));
      }
    }
    return Optional.of(new SnapshotFiles.Loaded(nodes, placements, List.of(), List.of()));
  }
}
