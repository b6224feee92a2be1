package dev.tessera.policies.drl;

import dev.tessera.policies.facts.NodeFeatures;
import dev.tessera.policies.facts.PlacementFeatures;
import dev.tessera.policies.facts.ScoreContribution;
import dev.tessera.policies.facts.ScoringRequest;
import dev.tessera.policies.facts.Veto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.drools.base.base.ClassObjectType;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.base.rule.GroupElement;
import org.drools.base.rule.Pattern;
import org.drools.base.rule.RuleConditionElement;
import org.drools.kiesession.session.StatefulKnowledgeSessionImpl;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.event.rule.DefaultRuleRuntimeEventListener;
import org.kie.api.event.rule.ObjectInsertedEvent;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;

/**
 * Scores like {@link PolicyScorer} but keeps each session's facts between decisions and re-inserts
 * only the nodes whose facts changed, so consecutive decisions that leave most nodes alike (the
 * same pod shape on a cluster where one node took the last pod) cost Drools work for the changed
 * nodes only.
 *
 * <p>That is correct only for <em>node-local</em> policies, whose every rule matches exactly one
 * node fact ({@link NodeFeatures} or {@link PlacementFeatures}) plus, optionally, the request, with
 * no {@code not}/{@code exists}/{@code accumulate}/{@code from}/{@code or}/{@code eval} and no
 * activation group: then a node's outputs depend on that node's facts and the request alone. {@link
 * #nodeLocal} decides this from the compiled rules; other policies, a changed request that some
 * rule reads, and any output naming a node that was not re-inserted fall back to scoring everything
 * afresh, so the result is always what {@link PolicyScorer#score} gives.
 */
final class IncrementalScorer {
  /**
   * Warm sessions kept. More than {@link PolicyScorer}'s: each remembers the pod shape it last
   * scored, and a trace that alternates a few shapes keeps one session per shape warm.
   */
  private static final int MAX_IDLE = Math.max(8, Runtime.getRuntime().availableProcessors());

  private final PolicyScorer fresh;
  private final boolean nodeLocal;
  private final boolean readsRequest;
  private final ConcurrentLinkedDeque<Session> idle = new ConcurrentLinkedDeque<>();

  /** Node facts inserted into sessions so far (kept ones are not counted); tests read it. */
  private final java.util.concurrent.atomic.AtomicLong insertedNodes =
      new java.util.concurrent.atomic.AtomicLong();

  /** Set once a rule scored a node it did not match; never cleared (see {@link Session#run}). */
  private volatile boolean crossNodeSeen;

  IncrementalScorer(Policy policy) {
    this.fresh = policy.scorer();
    RuleShape shape = shape(policy.kieBase());
    this.nodeLocal = shape.nodeLocal();
    this.readsRequest = shape.readsRequest();
  }

  /** Whether decisions reuse facts across calls (node-local, and no cross-node output seen). */
  boolean incremental() {
    return nodeLocal && !crossNodeSeen;
  }

  /** Node facts inserted so far by incremental decisions. */
  long insertedNodes() {
    return insertedNodes.get();
  }

  /**
   * The same ranking as {@code PolicyScorer.score(request, nodes, placements)}.
   *
   * @param placements empty, or one per node in the same order
   */
  Ranking score(
      ScoringRequest request, List<NodeFeatures> nodes, List<PlacementFeatures> placements) {
    if (!nodeLocal || crossNodeSeen) {
      return fresh.score(request, nodes, placements);
    }
    Shape key = Shape.of(request);
    Session s = take(key);
    boolean reusable = false;
    try {
      Ranking r = s.run(request, nodes, placements);
      reusable = true;
      return r;
    } finally {
      if (reusable) {
        s.shape = key;
        idle.offerFirst(s);
        Session old;
        while (idle.size() > MAX_IDLE && (old = idle.pollLast()) != null) {
          old.session.dispose();
        }
      } else {
        s.session.dispose(); // a session a rule blew up in may hold half a decision
      }
    }
  }

  /**
   * An idle session that last scored a pod of this shape (its node facts likely still hold), else a
   * new one, or the least recently used one when {@link #MAX_IDLE} are kept.
   */
  private Session take(Shape key) {
    for (Session c : idle) {
      if (key.equals(c.shape) && idle.remove(c)) {
        return c;
      }
    }
    // Another shape: open a session for it while there is room, so the shapes a trace alternates
    // between each keep theirs; when full, take over the least recently used.
    Session c = idle.size() < MAX_IDLE ? null : idle.pollLast();
    return c != null ? c : new Session(fresh.policy().kieBase().newKieSession());
  }

  /**
   * What a pod's node facts depend on, short of its name: sessions are matched by it. Only a hint;
   * correctness comes from comparing each node's facts.
   */
  private record Shape(
      int containers,
      int gpus,
      long memoryMiB,
      int maxGpuMemoryMiB,
      int memoryPercent,
      long cores,
      Map<String, String> annotations) {
    static Shape of(ScoringRequest r) {
      return new Shape(
          r.containers(),
          r.gpus(),
          r.memoryMiB(),
          r.maxGpuMemoryMiB(),
          r.memoryPercent(),
          r.cores(),
          r.annotations());
    }
  }

  /** What the rules' left-hand sides allow. */
  record RuleShape(boolean nodeLocal, boolean readsRequest) {}

  static RuleShape shape(KieBase kieBase) {
    boolean readsRequest = false;
    try {
      for (KiePackage p : kieBase.getKiePackages()) {
        for (Rule r : p.getRules()) {
          if (!(r instanceof RuleImpl rule)
              || (rule.getActivationGroup() != null && !rule.getActivationGroup().isEmpty())
              || rule.getTimer() != null) {
            return new RuleShape(false, true);
          }
          int[] counts = new int[2]; // node patterns, request patterns
          if (!simple(rule.getLhs(), counts) || counts[0] != 1) {
            return new RuleShape(false, true);
          }
          readsRequest |= counts[1] > 0;
        }
      }
      return new RuleShape(true, readsRequest);
    } catch (RuntimeException | LinkageError e) {
      return new RuleShape(false, true); // engine internals differ: score afresh
    }
  }

  /** AND groups of plain patterns over node facts and the request only; counts them. */
  private static boolean simple(RuleConditionElement e, int[] counts) {
    if (e instanceof GroupElement g) {
      if (!g.isAnd()) {
        return false;
      }
      for (RuleConditionElement c : g.getChildren()) {
        if (!simple(c, counts)) {
          return false;
        }
      }
      return true;
    }
    if (e instanceof Pattern p
        && p.getSource() == null
        && p.getObjectType() instanceof ClassObjectType c) {
      Class<?> type = c.getClassType();
      if (type == NodeFeatures.class || type == PlacementFeatures.class) {
        counts[0]++;
        return true;
      }
      if (type == ScoringRequest.class) {
        counts[1]++;
        return true;
      }
    }
    return false;
  }

  /**
   * A rule's output, the node whose fact the rule matched (which owns it), and its handle in
   * working memory.
   */
  private record Out(String node, Object value, FactHandle handle) {}

  /** One node's facts in the session and the outputs its rules gave. */
  private static final class Entry {
    final NodeFeatures features;
    final PlacementFeatures placement;
    final FactHandle featuresHandle;
    final FactHandle placementHandle;
    final List<Out> outputs = new ArrayList<>(2);
    long generation;
    long inserted;

    Entry(NodeFeatures f, PlacementFeatures p, FactHandle fh, FactHandle ph) {
      features = f;
      placement = p;
      featuresHandle = fh;
      placementHandle = ph;
    }

    void retract(KieSession session) {
      session.delete(featuresHandle);
      if (placementHandle != null) {
        session.delete(placementHandle);
      }
      for (Out o : outputs) {
        session.delete(o.handle());
      }
    }
  }

  /** A warm session, what it holds, and the outputs of the current firing. */
  private final class Session extends DefaultRuleRuntimeEventListener
      implements org.kie.api.event.rule.AgendaEventListener {
    final KieSession session;

    /** The node whose fact the firing rule matched, while its consequence runs. */
    String firingNode;

    /** A consequence scored a node other than the one it matched: not node-local after all. */
    boolean crossNode;

    final Map<String, Entry> entries = new HashMap<>();
    final List<Out> pending = new ArrayList<>();
    ScoringRequest request;
    FactHandle requestHandle;

    /** The shape of the pod this session last scored. */
    Shape shape;

    long generation;

    Session(KieSession session) {
      this.session = session;
      listen();
    }

    private void listen() {
      session.addEventListener((org.kie.api.event.rule.RuleRuntimeEventListener) this);
      session.addEventListener((org.kie.api.event.rule.AgendaEventListener) this);
    }

    @Override
    public void beforeMatchFired(org.kie.api.event.rule.BeforeMatchFiredEvent event) {
      firingNode = null;
      for (Object o : event.getMatch().getObjects()) {
        if (o instanceof NodeFeatures f) {
          firingNode = f.node();
        } else if (o instanceof PlacementFeatures p) {
          firingNode = p.node();
        }
      }
    }

    @Override
    public void afterMatchFired(org.kie.api.event.rule.AfterMatchFiredEvent event) {
      firingNode = null;
    }

    @Override
    public void matchCreated(org.kie.api.event.rule.MatchCreatedEvent event) {}

    @Override
    public void matchCancelled(org.kie.api.event.rule.MatchCancelledEvent event) {}

    @Override
    public void agendaGroupPopped(org.kie.api.event.rule.AgendaGroupPoppedEvent event) {}

    @Override
    public void agendaGroupPushed(org.kie.api.event.rule.AgendaGroupPushedEvent event) {}

    @Override
    public void beforeRuleFlowGroupActivated(
        org.kie.api.event.rule.RuleFlowGroupActivatedEvent event) {}

    @Override
    public void afterRuleFlowGroupActivated(
        org.kie.api.event.rule.RuleFlowGroupActivatedEvent event) {}

    @Override
    public void beforeRuleFlowGroupDeactivated(
        org.kie.api.event.rule.RuleFlowGroupDeactivatedEvent event) {}

    @Override
    public void afterRuleFlowGroupDeactivated(
        org.kie.api.event.rule.RuleFlowGroupDeactivatedEvent event) {}

    @Override
    public void objectInserted(ObjectInsertedEvent event) {
      if (event.getRule() == null) {
        return; // our own facts
      }
      String rule = event.getRule().getName();
      if (event.getObject() instanceof ScoreContribution c) {
        crossNode |= !c.node().equals(firingNode);
        pending.add(
            new Out(
                firingNode,
                new ScoreContribution(c.node(), rule, c.points()),
                event.getFactHandle()));
      } else if (event.getObject() instanceof Veto v) {
        crossNode |= !v.node().equals(firingNode);
        pending.add(
            new Out(firingNode, new Veto(v.node(), rule, v.reason()), event.getFactHandle()));
      }
    }

    Ranking run(
        ScoringRequest newRequest, List<NodeFeatures> nodes, List<PlacementFeatures> placements) {
      if (!placements.isEmpty() && placements.size() != nodes.size()) {
        throw new IllegalArgumentException("one PlacementFeatures per node expected");
      }
      pending.clear();
      generation++;
      if (!newRequest.equals(request)) {
        if (readsRequest) {
          clear(); // every node's outputs may depend on the request
        } else if (requestHandle != null) {
          session.delete(requestHandle); // no rule reads it: nothing re-fires
        }
        request = newRequest;
        requestHandle = session.insert(newRequest);
      }
      // One pass to find each candidate's entry and whether its facts are unchanged.
      int n = nodes.size();
      var kept = new Entry[n];
      int changed = 0;
      for (int i = 0; i < n; i++) {
        NodeFeatures f = nodes.get(i);
        Entry e = entries.get(f.node());
        if (e != null
            && e.features.equals(f)
            && Objects.equals(e.placement, placements.isEmpty() ? null : placements.get(i))) {
          kept[i] = e;
        } else {
          changed++;
        }
      }
      if (changed * 2 > n && !entries.isEmpty()) {
        // Deleting most facts one by one costs more than dropping them all and inserting anew.
        ScoringRequest keep = request;
        clear();
        request = keep;
        requestHandle = session.insert(keep);
        java.util.Arrays.fill(kept, null);
      }
      var index = new HashMap<String, Integer>(n * 2);
      for (int i = 0; i < n; i++) {
        NodeFeatures f = nodes.get(i);
        if (index.put(f.node(), i) != null) {
          throw new IllegalArgumentException("duplicate candidate node " + f.node());
        }
        if (kept[i] != null) {
          kept[i].generation = generation;
          continue;
        }
        PlacementFeatures p = placements.isEmpty() ? null : placements.get(i);
        Entry e = entries.get(f.node());
        if (e != null) {
          e.retract(session);
        }
        e = new Entry(f, p, session.insert(f), p == null ? null : session.insert(p));
        insertedNodes.incrementAndGet();
        e.generation = generation;
        e.inserted = generation;
        entries.put(f.node(), e);
      }
      for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
        Entry e = it.next();
        if (e.generation != generation) {
          e.retract(session);
          it.remove();
        }
      }
      fire();
      for (Out o : pending) {
        Entry e = o.node() == null ? null : entries.get(o.node());
        if (crossNode || e == null || e.inserted != generation) {
          // A rule scored a node other than the one it matched: its outputs depend on two nodes,
          // so incremental updates could keep stale ones. Score afresh from now on.
          crossNodeSeen = true;
          clear();
          return IncrementalScorer.this.fresh.score(newRequest, nodes, placements);
        }
        e.outputs.add(o);
      }
      pending.clear();
      var outputs = new ArrayList<Object>(nodes.size() + 8);
      for (NodeFeatures f : nodes) {
        for (Out o : entries.get(f.node()).outputs) {
          outputs.add(o.value());
        }
      }
      return IncrementalScorer.this.fresh.collect(nodes, index, outputs);
    }

    private void fire() {
      String name = IncrementalScorer.this.fresh.policy().name();
      try {
        int fired = session.fireAllRules(PolicyScorer.MAX_FIRINGS);
        if (fired >= PolicyScorer.MAX_FIRINGS) {
          throw new PolicyEvaluationException(
              "policy "
                  + name
                  + " fired "
                  + fired
                  + " rules for one decision; does a rule keep"
                  + " re-triggering itself?");
        }
      } catch (PolicyEvaluationException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new PolicyEvaluationException("policy " + name + " failed: " + e.getMessage(), e);
      }
    }

    private void clear() {
      if (session instanceof StatefulKnowledgeSessionImpl impl) {
        impl.reset(); // drops every fact at once (see PolicyScorer)
        session.removeEventListener((org.kie.api.event.rule.RuleRuntimeEventListener) this);
        session.removeEventListener((org.kie.api.event.rule.AgendaEventListener) this);
        listen();
      } else {
        for (FactHandle h : new ArrayList<FactHandle>(session.<FactHandle>getFactHandles())) {
          session.delete(h);
        }
      }
      entries.clear();
      pending.clear();
      crossNode = false;
      request = null;
      requestHandle = null;
    }
  }
}
