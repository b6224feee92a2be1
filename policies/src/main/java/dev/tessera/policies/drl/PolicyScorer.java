package dev.tessera.policies.drl;

import dev.tessera.policies.facts.Candidate;
import dev.tessera.policies.facts.DevicePick;
import dev.tessera.policies.facts.ScoreContribution;
import dev.tessera.policies.facts.ScoringRequest;
import dev.tessera.policies.facts.Veto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.drools.kiesession.session.StatefulKnowledgeSessionImpl;
import org.kie.api.event.rule.DefaultRuleRuntimeEventListener;
import org.kie.api.event.rule.ObjectInsertedEvent;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;

/**
 * Runs one policy over the candidate nodes of a decision. Thread-safe: Drools sessions are not, so
 * each call borrows a warm session from a small pool, clears it afterwards and gives it back,
 * rather than building one per pod.
 */
public final class PolicyScorer {
  /** Rule firings allowed per decision before the policy is deemed to loop. */
  static final int MAX_FIRINGS = 1_000_000;

  private static final int MAX_IDLE_SESSIONS =
      Math.max(2, Runtime.getRuntime().availableProcessors());

  private final Policy policy;
  private final ConcurrentLinkedDeque<Warm> idle = new ConcurrentLinkedDeque<>();

  PolicyScorer(Policy policy) {
    this.policy = policy;
  }

  public Policy policy() {
    return policy;
  }

  /**
   * Scores {@code nodes} for {@code request}: every rule sees the request and all nodes at once.
   *
   * @param nodes candidates ({@link dev.tessera.policies.facts.NodeFeatures} or {@link
   *     dev.tessera.policies.facts.FgdFeatures}), in the order ties are broken (earlier wins);
   *     names must be unique
   * @return one breakdown per node, same order, with any {@link DevicePick} the rules inserted
   * @throws PolicyEvaluationException when a rule throws, loops, or writes output for a node that
   *     is not a candidate
   */
  public Ranking score(ScoringRequest request, List<? extends Candidate> nodes) {
    return score(request, nodes, List.of());
  }

  /**
   * Scores {@code nodes} as {@link #score(ScoringRequest, List)} does, with more facts in working
   * memory for the rules to read (e.g. one {@link dev.tessera.policies.facts.PlacementFeatures} per
   * node).
   *
   * @param extraFacts further read-only facts, inserted after the nodes
   */
  public Ranking score(
      ScoringRequest request, List<? extends Candidate> nodes, List<?> extraFacts) {
    var index = new HashMap<String, Integer>(nodes.size() * 2);
    for (int i = 0; i < nodes.size(); i++) {
      if (index.put(nodes.get(i).node(), i) != null) {
        throw new IllegalArgumentException("duplicate candidate node " + nodes.get(i).node());
      }
    }
    Warm warm = idle.pollFirst();
    if (warm == null) {
      warm = new Warm(policy.kieBase().newKieSession());
    }
    boolean reusable = false;
    try {
      List<Object> outputs = warm.run(request, nodes, extraFacts, policy.name());
      Ranking r = collect(nodes, index, outputs);
      reusable = true;
      return r;
    } finally {
      if (reusable && idle.size() < MAX_IDLE_SESSIONS) {
        idle.offerFirst(warm);
      } else {
        // A session a rule blew up in may hold half a decision; never reuse it.
        warm.session.dispose();
      }
    }
  }

  Ranking collect(List<? extends Candidate> nodes, Map<String, Integer> index, List<Object> out) {
    int n = nodes.size();
    // Most nodes get one contribution or one veto, never both: allocate per node only on demand.
    @SuppressWarnings("unchecked")
    LinkedHashMap<String, Double>[] rules = new LinkedHashMap[n];
    @SuppressWarnings("unchecked")
    List<Veto>[] vetoes = new List[n];
    var totals = new double[n];
    // Most nodes get points from one rule: keep that rule in two arrays and build a map only when
    // a second rule scores the node (a map per node was a third of the scoring allocation).
    var firstRule = new String[n];
    var firstPoints = new double[n];
    Map<String, String> picks = Map.of();
    for (Object o : out) {
      if (o instanceof DevicePick p) {
        if (!p.node().equals(DevicePick.ANY_NODE)) {
          slot(index, p.node(), "device pick");
        }
        if (picks.isEmpty()) {
          picks = new HashMap<>(4);
        }
        // a node-specific pick wins over a general one; among equals the first inserted
        picks.putIfAbsent(p.node(), p.selector());
        continue;
      }
      if (o instanceof ScoreContribution c) {
        int i = slot(index, c.node(), c.rule());
        if (rules[i] != null) {
          rules[i].merge(c.rule(), c.points(), Double::sum);
        } else if (firstRule[i] == null) {
          firstRule[i] = c.rule();
          firstPoints[i] = c.points();
        } else if (firstRule[i].equals(c.rule())) {
          firstPoints[i] += c.points();
        } else {
          rules[i] = new LinkedHashMap<>(4);
          rules[i].put(firstRule[i], firstPoints[i]);
          rules[i].put(c.rule(), c.points());
        }
        totals[i] += c.points();
      } else if (o instanceof Veto v) {
        int i = slot(index, v.node(), v.rule());
        if (vetoes[i] == null) {
          vetoes[i] = new ArrayList<>(2);
        }
        vetoes[i].add(v);
      }
    }
    var breakdowns = new ScoreBreakdown[n];
    for (int i = 0; i < n; i++) {
      Candidate f = nodes.get(i);
      Map<String, Double> points =
          rules[i] != null
              ? rules[i]
              : firstRule[i] == null ? Map.of() : Map.of(firstRule[i], firstPoints[i]);
      breakdowns[i] =
          new ScoreBreakdown(
              f.node(), f.fits(), points, totals[i], vetoes[i] == null ? List.of() : vetoes[i]);
    }
    return new Ranking(List.of(breakdowns), picks);
  }

  private int slot(Map<String, Integer> index, String node, String rule) {
    Integer i = index.get(node);
    if (i == null) {
      throw new PolicyEvaluationException(
          "policy "
              + policy.name()
              + ": rule \""
              + rule
              + "\" scored node \""
              + node
              + "\", which is not a candidate");
    }
    return i;
  }

  /** One warm session and the outputs its rules inserted during the current decision. */
  private static final class Warm extends DefaultRuleRuntimeEventListener {
    final KieSession session;
    final List<Object> outputs = new ArrayList<>();

    Warm(KieSession session) {
      this.session = session;
      session.addEventListener(this);
    }

    @Override
    public void objectInserted(ObjectInsertedEvent event) {
      if (event.getRule() == null) {
        return; // our own facts
      }
      String rule = event.getRule().getName();
      if (event.getObject() instanceof ScoreContribution c) {
        outputs.add(new ScoreContribution(c.node(), rule, c.points()));
      } else if (event.getObject() instanceof Veto v) {
        outputs.add(new Veto(v.node(), rule, v.reason()));
      } else if (event.getObject() instanceof DevicePick p) {
        outputs.add(p);
      }
    }

    List<Object> run(
        ScoringRequest request, List<? extends Candidate> nodes, List<?> extra, String policyName) {
      outputs.clear();
      try {
        session.insert(request);
        for (Candidate f : nodes) {
          session.insert(f);
        }
        for (Object o : extra) {
          session.insert(o);
        }
        int fired = session.fireAllRules(MAX_FIRINGS);
        if (fired >= MAX_FIRINGS) {
          throw new PolicyEvaluationException(
              "policy "
                  + policyName
                  + " fired "
                  + fired
                  + " rules for one decision; does a rule"
                  + " keep re-triggering itself?");
        }
      } catch (PolicyEvaluationException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new PolicyEvaluationException(
            "policy " + policyName + " failed: " + e.getMessage(), e);
      }
      var result = new ArrayList<>(outputs);
      outputs.clear();
      clear();
      return result;
    }

    /**
     * Empties working memory and agenda for the next decision. Deleting every fact one by one
     * re-propagates each retraction through the network (about half the score-only cost at 1,000
     * nodes); the session's own reset drops them all at once.
     */
    private void clear() {
      if (session instanceof StatefulKnowledgeSessionImpl impl) {
        impl.reset();
        // Whether reset keeps listeners is an engine detail; re-register so there is exactly one.
        session.removeEventListener(this);
        session.addEventListener(this);
        return;
      }
      java.util.Collection<FactHandle> handles = session.getFactHandles();
      for (FactHandle h : List.copyOf(handles)) {
        session.delete(h);
      }
    }
  }
}
