/**
 * Stateless challenge binding: the HMAC-SHA256 challenge id over the challenge parameters, with
 * secret rotation and constant-time verification.
 *
 * <p>Every type and member here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.mpp4j.core.binding;

import org.jspecify.annotations.NullMarked;
