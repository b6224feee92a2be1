package dev.tessera.policies.drl;

import org.drools.base.base.ClassObjectType;
import org.drools.base.base.ObjectType;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.base.rule.Pattern;
import org.drools.base.rule.RuleConditionElement;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;

/**
 * Whether a compiled policy has a pattern that can match a given fact type, so a decision can skip
 * computing and inserting facts no rule reads (at 1,000 nodes each unused fact type costs a
 * Java-side computation and 1,000 inserts per decision).
 */
final class FactUse {
  private FactUse() {}

  /**
   * True when some rule of {@code kieBase} has a pattern whose type is {@code type} or a supertype
   * of it; also true when the rules cannot be inspected (then the facts are simply inserted).
   */
  static boolean matches(KieBase kieBase, Class<?> type) {
    try {
      for (KiePackage p : kieBase.getKiePackages()) {
        for (Rule r : p.getRules()) {
          if (!(r instanceof RuleImpl rule) || matches(rule.getLhs(), type)) {
            return true;
          }
        }
      }
      return false;
    } catch (RuntimeException | LinkageError e) {
      return true; // an engine version whose internals differ: be correct rather than fast
    }
  }

  private static boolean matches(RuleConditionElement element, Class<?> type) {
    if (element instanceof Pattern p) {
      ObjectType t = p.getObjectType();
      if (!(t instanceof ClassObjectType c) || c.getClassType().isAssignableFrom(type)) {
        return true;
      }
    }
    for (RuleConditionElement nested : element.getNestedElements()) {
      if (nested != null && matches(nested, type)) {
        return true;
      }
    }
    return false;
  }
}
