/**
 * Implementation details of mpp-core. Not an API: anything here may change without notice.
 *
 * <p>Every type and member here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.mpp4j.core.internal;

import org.jspecify.annotations.NullMarked;
