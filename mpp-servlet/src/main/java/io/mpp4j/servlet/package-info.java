/**
 * The servlet adapter: {@link io.mpp4j.servlet.PaymentFilter} guards paid routes of a jakarta
 * Servlet 6 application, configured from {@code web.xml} init-parameters or programmatically with
 * {@link io.mpp4j.servlet.PaymentFilterConfig}. It only translates servlet objects into mpp-core's
 * {@link io.mpp4j.server.http.HttpExchange}; the request handling (routes, TLS, body caps,
 * refusals, receipts, settlement) is mpp-core's {@link io.mpp4j.server.http.PaymentHandler}.
 *
 * <p>Every type and member here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.mpp4j.servlet;

import org.jspecify.annotations.NullMarked;
