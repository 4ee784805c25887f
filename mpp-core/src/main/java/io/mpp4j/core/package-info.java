/**
 * The MPP vocabulary: immutable {@link io.mpp4j.core.Challenge}, {@link io.mpp4j.core.Credential},
 * {@link io.mpp4j.core.Receipt} and {@link io.mpp4j.core.PaymentRequest} values with paired parse
 * and format methods, and the byte-exact encodings they use (base64url, RFC 8785 canonical JSON,
 * RFC 9530 body digests, {@code Accept-Payment}); and the two types both the server engine and
 * payment methods read: a route's {@link io.mpp4j.core.PaymentRequirement} and the
 * framework-neutral {@link io.mpp4j.core.RequestView}.
 *
 * <p>Every type and member here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.mpp4j.core;

import org.jspecify.annotations.NullMarked;
