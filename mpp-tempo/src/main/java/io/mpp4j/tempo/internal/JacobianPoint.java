package io.mpp4j.tempo.internal;

import org.jspecify.annotations.Nullable;

/**
 * A mutable point in Jacobian coordinates on a short Weierstrass curve {@code y² = x³ + b}: the
 * affine point is {@code (X/Z², Y/Z³)}. The formulas do not involve {@code b}, so they work on
 * secp256k1 and on any curve isomorphic to it by {@code (x, y) ↦ (c²x, c³y)}, which {@link
 * Secp256k1Recovery} uses while building tables. Variable-time; for public data only.
 *
 * <p>Each instance owns its temporaries, so one instance must not be used by two threads.
 */
final class JacobianPoint {
  final FieldElement x = new FieldElement();
  final FieldElement y = new FieldElement();
  final FieldElement z = new FieldElement();
  boolean infinity = true;

  private final FieldElement t1 = new FieldElement();
  private final FieldElement t2 = new FieldElement();
  private final FieldElement t3 = new FieldElement();
  private final FieldElement t4 = new FieldElement();
  private final FieldElement t5 = new FieldElement();
  private final FieldElement t6 = new FieldElement();
  private final FieldElement t7 = new FieldElement();

  /** Sets this point to the affine {@code (ax, ±ay)}. */
  void setAffine(FieldElement ax, FieldElement ay, boolean negate) {
    FieldElement.set(x, ax);
    if (negate) {
      FieldElement.neg(y, ay);
    } else {
      FieldElement.set(y, ay);
    }
    FieldElement.set(z, ONE);
    infinity = false;
  }

  void set(JacobianPoint p) {
    FieldElement.set(x, p.x);
    FieldElement.set(y, p.y);
    FieldElement.set(z, p.z);
    infinity = p.infinity;
  }

  private static final FieldElement ONE = FieldElement.of(1);

  /**
   * Doubles this point in place (2M + 5S, "dbl-2009-l" for a = 0). The curve has no point of order
   * two, so {@code Y = 0} does not occur.
   */
  void dbl() {
    if (infinity) {
      return;
    }
    FieldElement.sqr(t1, x); // A = X²
    FieldElement.sqr(t2, y); // B = Y²
    FieldElement.sqr(t3, t2); // C = B²
    FieldElement.addLazy(t4, y, y);
    FieldElement.mul(z, t4, z); // Z3 = 2YZ
    FieldElement.addLazy(t4, x, t2);
    FieldElement.sqr(t4, t4);
    FieldElement.sub(t4, t4, t1);
    FieldElement.sub(t4, t4, t3);
    FieldElement.add(t4, t4, t4); // D = 2((X + B)² - A - C)
    FieldElement.mul3Lazy(t5, t1); // E = 3A, only multiplied
    FieldElement.sqr(t6, t5); // F = E²
    FieldElement.add(t7, t4, t4);
    FieldElement.sub(x, t6, t7); // X3 = F - 2D
    FieldElement.subLazy(t7, t4, x);
    FieldElement.mul(t7, t5, t7);
    FieldElement.mulSmall(t3, t3, 8);
    FieldElement.sub(y, t7, t3); // Y3 = E(D - X3) - 8C
  }

  /**
   * Adds the affine point {@code (bx, ±by)} in place (8M + 3S). Handles this point being the
   * identity, equal to the operand (doubles) and equal to its negation (becomes the identity).
   */
  void addAffine(FieldElement bx, FieldElement by, boolean negate) {
    addAffine(bx, by, negate, null);
  }

  /**
   * As {@link #addAffine(FieldElement, FieldElement, boolean)}; if the sum was formed by the
   * general formula, so that {@code Z3 = Z1·H}, stores {@code H} in {@code zRatio} and returns
   * true. Returns false for the identity and doubling cases.
   */
  boolean addAffine(
      FieldElement bx, FieldElement by, boolean negate, @Nullable FieldElement zRatio) {
    if (infinity) {
      setAffine(bx, by, negate);
      return false;
    }
    FieldElement.sqr(t1, z); // Z1Z1
    FieldElement.mul(t2, bx, t1); // U2 = x2·Z1Z1
    FieldElement.mul(t3, by, z);
    FieldElement.mul(t3, t3, t1); // S2 = y2·Z1·Z1Z1
    if (addTail(negate)) {
      if (zRatio != null) {
        FieldElement.set(zRatio, t4);
      }
      return true;
    }
    return false;
  }

  /**
   * Adds the affine point {@code (c²·bx, ±c³·by)} in place, given {@code c}, {@code c2 = c²} and
   * {@code c3 = c³} (9M + 3S): the affine point {@code (bx, by)} of secp256k1 carried to the
   * isomorphic curve this point lives on. Uses {@code Z1·c} in place of {@code Z1} for {@code U2}
   * and {@code S2}.
   */
  void addAffineScaled(
      FieldElement bx,
      FieldElement by,
      boolean negate,
      FieldElement c,
      FieldElement c2,
      FieldElement c3) {
    if (infinity) {
      FieldElement.mul(x, bx, c2);
      FieldElement.mul(y, by, c3);
      if (negate) {
        FieldElement.neg(y, y);
      }
      FieldElement.set(z, ONE);
      infinity = false;
      return;
    }
    FieldElement.mul(t6, z, c); // Z1·c
    FieldElement.sqr(t1, t6);
    FieldElement.mul(t2, bx, t1); // U2
    FieldElement.mul(t3, by, t6);
    FieldElement.mul(t3, t3, t1); // S2
    addTail(negate);
  }

  /**
   * The rest of a mixed addition once {@code t2 = U2} and {@code t3 = S2} (not yet negated) are
   * set; returns true for the general case, leaving {@code H} in {@code t4}.
   */
  private boolean addTail(boolean negate) {
    if (negate) {
      FieldElement.neg(t3, t3);
    }
    FieldElement.sub(t4, t2, x); // H = U2 - X1
    FieldElement.sub(t5, t3, y); // R = S2 - Y1
    if (FieldElement.isZero(t4)) {
      if (FieldElement.isZero(t5)) {
        dbl(); // the same point
      } else {
        infinity = true; // the negation
      }
      return false;
    }
    FieldElement.sqr(t6, t4); // HH
    FieldElement.mul(t7, t4, t6); // HHH
    FieldElement.mul(t6, x, t6); // V = X1·HH
    FieldElement.sqr(x, t5);
    FieldElement.sub(x, x, t7);
    FieldElement.add(t1, t6, t6);
    FieldElement.sub(x, x, t1); // X3 = R² - HHH - 2V
    FieldElement.subLazy(t6, t6, x);
    FieldElement.mul(t6, t5, t6);
    FieldElement.mul(t7, y, t7);
    FieldElement.sub(y, t6, t7); // Y3 = R(V - X3) - Y1·HHH
    FieldElement.mul(z, z, t4); // Z3 = Z1·H
    return true;
  }

  /**
   * Writes the affine coordinates (one field inversion) and returns true, or returns false for the
   * identity.
   */
  boolean toAffine(FieldElement ax, FieldElement ay) {
    if (infinity) {
      return false;
    }
    FieldElement.inv(t1, z);
    FieldElement.sqr(t2, t1);
    FieldElement.mul(ax, x, t2);
    FieldElement.mul(t2, t2, t1);
    FieldElement.mul(ay, y, t2);
    return true;
  }
}
