/**
 * Test doubles for applications that use mpp4j: {@link io.mpp4j.test.MockPaymentMethod} (accepts,
 * declines or fails on demand and records what it saw; it also serves the {@code session} intent
 * without a chain) and {@link io.mpp4j.test.MockPayer} (answers a 402 challenge with a credential
 * the mock accepts), with {@link io.mpp4j.test.MockSessionClient} (opens a mock channel and builds
 * its open, voucher, top-up and close credentials).
 *
 * <p>Every type and member here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.mpp4j.test;

import org.jspecify.annotations.NullMarked;
