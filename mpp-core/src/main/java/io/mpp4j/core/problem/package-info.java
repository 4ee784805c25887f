/**
 * RFC 9457 problem details: the fixed {@link io.mpp4j.core.problem.ProblemType} registry with the
 * same slugs as the other MPP SDKs, and stable machine-readable {@link
 * io.mpp4j.core.problem.ReasonCode}s.
 *
 * <p>Every type and member here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.mpp4j.core.problem;

import org.jspecify.annotations.NullMarked;
