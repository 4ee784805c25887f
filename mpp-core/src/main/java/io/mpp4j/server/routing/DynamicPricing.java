package io.mpp4j.server.routing;

import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.RequestView;

/**
 * Prices a request dynamically, for example by the size of what is asked for. It runs for every
 * request to its route (before the challenge is issued and again when the credential is verified),
 * so it must be deterministic for the same request and fast. Return the route's requirement with
 * another amount ({@code base.toBuilder().amount(...).build()}).
 *
 * <p>Configure it in {@code web.xml} with {@code route.<name>.pricing} naming a class with a public
 * no-argument constructor, or pass it to {@link PaidRoute}. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface DynamicPricing {
  /**
   * The requirement for this request.
   *
   * @param request the request: method, normalized path, headers and query (its body is not
   *     available here)
   * @param base the route's configured requirement
   */
  PaymentRequirement price(RequestView request, PaymentRequirement base);
}
