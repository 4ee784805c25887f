/** The JSON-RPC client of the {@code tempo} payment method. */
@NullMarked
package io.mpp4j.tempo.rpc;

import org.jspecify.annotations.NullMarked;
