package io.mpp4j.server;

/**
 * An {@link IntentHandler} whose credentials re-present one challenge many times, so the gate does
 * not claim the challenge id before calling it: sessions send many vouchers of one channel against
 * one challenge (SPEC 4.5, 11.4). Such a handler makes its own proof single-use instead; the
 * session handler's channel ledger (compare-and-set on the store) keeps a voucher's coverage from
 * being spent twice, also across server instances.
 */
public interface ReusableChallengeHandler extends IntentHandler {}
