package io.mpp4j.tempo.internal;

import io.mpp4j.tempo.Address;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Matching expected transfers to transfer calls or to transfer logs. */
public final class Transfers {
  private Transfers() {}

  /** A transfer found in a transaction's calls or a receipt's logs. */
  // Never compared as a whole; attributed() compares the memo with Arrays.equals.
  @SuppressWarnings("ArrayRecordComponent")
  public record Found(Address recipient, BigInteger amount, byte @Nullable [] memo) {}

  /**
   * Assigns every expected transfer a distinct found transfer with the same recipient and amount
   * and, when the expectation names a memo, that memo. Expectations with a memo are matched first;
   * an expectation without one prefers a transfer carrying the challenge's attribution memo.
   *
   * @return for each expectation the index of its transfer, or null when one has no match
   */
  public static int @Nullable [] match(
      List<ChargeTerms.Expected> expected, List<Found> found, String realm, String challengeId) {
    int[] assignment = new int[expected.size()];
    boolean[] used = new boolean[found.size()];
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < expected.size(); i++) {
        ChargeTerms.Expected e = expected.get(i);
        if ((e.memo() != null) != (pass == 0)) {
          continue;
        }
        int best = -1;
        for (int j = 0; j < found.size(); j++) {
          Found f = found.get(j);
          if (used[j] || !f.recipient().equals(e.recipient()) || !f.amount().equals(e.amount())) {
            continue;
          }
          if (e.memo() != null) {
            if (f.memo() != null && Arrays.equals(f.memo(), e.memo())) {
              best = j;
              break;
            }
          } else if (f.memo() != null && AttributionMemo.matches(f.memo(), realm, challengeId)) {
            best = j;
            break;
          } else if (best < 0) {
            best = j;
          }
        }
        if (best < 0) {
          return null;
        }
        used[best] = true;
        assignment[i] = best;
      }
    }
    return assignment;
  }

  /**
   * Whether the matched transfers carry the challenge-bound attribution memo (SPEC 3.7): required
   * unless the offer names an explicit memo.
   */
  public static boolean attributed(
      int[] assignment,
      List<Found> found,
      byte @Nullable [] explicitMemo,
      String realm,
      String challengeId) {
    if (explicitMemo != null) {
      return true;
    }
    for (int j : assignment) {
      byte[] memo = found.get(j).memo();
      if (memo != null && AttributionMemo.matches(memo, realm, challengeId)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The transfers of {@code token} in a receipt's logs sent by {@code from}, or by anyone when
   * {@code from} is null (a receipt that names no sender, verified without a source).
   */
  public static List<Found> fromLogs(
      List<Tip20Transfer> transfers, Address token, @Nullable Address from) {
    List<Found> out = new ArrayList<>();
    for (Tip20Transfer t : Tip20Transfer.collapseMemoPairs(transfers)) {
      if (t.token().equals(token) && (from == null || t.from().equals(from))) {
        out.add(new Found(t.to(), t.amount(), t.memo()));
      }
    }
    return out;
  }
}
