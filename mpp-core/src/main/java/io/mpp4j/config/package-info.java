/**
 * One configuration schema for every string-only configuration source ({@code web.xml}
 * init-parameters today, Spring properties later): a {@link io.mpp4j.config.ConfigSource} of string
 * values, typed {@link io.mpp4j.config.Setting} declarations grouped in a {@link
 * io.mpp4j.config.Schema}, the validated {@link io.mpp4j.config.Configuration} read through it, and
 * the server-level schema {@link io.mpp4j.config.ServerSettings}. Every error is a {@link
 * io.mpp4j.config.ConfigurationException} naming the key (in the source's own noun), the value and
 * the expected form; a secret never appears in one, since settings only ever name the environment
 * variable that holds a secret.
 *
 * <p>Every type and member here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.mpp4j.config;

import org.jspecify.annotations.NullMarked;
